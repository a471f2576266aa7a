"""Lists that write each paper as a paragraph, not a list item: a bold title with its authors, venue
and date on the lines below it (hard breaks), a linked title with its venue, a numbered citation, a
bold title with `- Paper:` / `- Code:` items under it. Prose paragraphs are never entries."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

BOLD_BLOCKS = "# Diffusion\n\n## Papers\n\n" + written(
    lambda i, t, a: (
        f"**{t}** \\\n*Ada Lovelace, Alan Turing* \\\narXiv 20{a[:2]}. [[Paper](https://arxiv.org/abs/{a})] \\\n"
        f"{i + 3} Mar 20{a[:2]}\n"
    ),
)
LINKED = (
    "# Multimodal\n\n## Papers\n\nThe survey [Foundations of Multimodal Learning](https://arxiv.org/abs/2209.03430)"
    " is where to start.\n\nSome words on this section, see [the survey](https://arxiv.org/abs/2209.03430).\n\n"
    + written(
        lambda i, t, a: (
            f"[{t}](https://arxiv.org/abs/{a}), ICML 20{a[:2]} [[code]](https://github.com/o/r{i})\n"
        )
    )
)
SUB_ITEMS = "# 论文列表\n\n## 大模型对齐\n\n" + written(
    lambda i, t, a: f"**{t}**\n- Paper: https://arxiv.org/abs/{a}\n- Code: https://github.com/o/r{i}\n"
)


def test_a_bold_title_with_its_authors_venue_and_date_on_the_lines_below_is_one_entry():
    doc = read(BOLD_BLOCKS)
    items = papers(doc)
    assert len(items) == 8 and all(i.entry.follows_format for i in items)
    e = items[0].entry
    assert (e.title, e.authors, e.tag) == (TITLES[0], "Ada Lovelace, Alan Turing", "arXiv 2024")
    assert [k.url for k in e.links] == [f"https://arxiv.org/abs/{IDS[0]}"]
    assert e.end == e.line + 3  # the date line is its own
    assert doc.grammar.entry[0].text == "**{title}**"
    assert errors(BOLD_BLOCKS) == []


def test_linked_title_paragraphs_are_entries_and_the_prose_citing_a_paper_is_not():
    doc = read(LINKED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES  # the intro paragraph is not among them
    assert all(i.entry.follows_format for i in items)
    assert items[0].entry.tag == "ICML 2024" and [k.label for k in items[0].entry.links][-1] == "code"
    assert errors(LINKED) == []


def test_a_pdf_link_and_a_duplicate_added_as_a_paragraph_are_found_on_its_line():
    bad = f"[A Paper Added Twice](https://arxiv.org/pdf/{IDS[3]}v2), ICLR 2024\n"
    text, added = insert(LINKED, f"[{TITLES[2]}]", bad)
    line = min(added)
    got = {(f.rule, f.line) for f in findings(text, added)}
    assert ("arxiv-link", line) in got and ("duplicate", line) in got, got


def test_a_paragraph_entry_written_in_another_shape_gets_entry_syntax():
    bad = "[A New Paper](https://arxiv.org/abs/2402.00001) (ICLR 2024)\n"  # the venue in parentheses
    text, added = insert(LINKED, f"[{TITLES[2]}]", bad)
    assert [f.rule for f in errors(text, added) if f.line == min(added)] == ["entry-syntax"]


def test_a_bold_title_with_paper_and_code_items_under_it_is_one_entry_under_chinese_headings():
    doc = read(SUB_ITEMS)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES  # `- Paper:` and `- Code:` are not entries
    assert {i.section for i in items} == {"大模型对齐"}
    e = items[1].entry
    assert [k.url for k in e.links] == [f"https://arxiv.org/abs/{IDS[1]}", "https://github.com/o/r1"]
    assert errors(SUB_ITEMS) == []


def test_in_a_list_of_items_paragraphs_stay_prose():
    items = "\n".join(f"- [{t}](https://arxiv.org/abs/{a})" for t, a in zip(TITLES, IDS, strict=True))
    text = (
        "# L\n\nA list of papers; see also [this survey](https://arxiv.org/abs/2209.03430).\n\n## Papers\n\n"
        f"Papers on [reward models](https://arxiv.org/abs/2401.00001) first.\n\n{items}\n"
    )
    doc = read(text)
    assert [i.entry.title for i in papers(doc)] == TITLES
    assert all(i.entry.follows_format for i in papers(doc))
