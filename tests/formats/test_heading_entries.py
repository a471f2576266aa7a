"""Lists that write each paper as a heading linking it (`### [Title](url)`), with bullets of notes
below it (`- **Metrics:** …`). A few linked headings in a list of items stay sections."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

HEADINGS = "# Hallucination\n\n## Papers and Summaries\n\n" + written(
    lambda i, t, a: (
        f"### [{t}](https://arxiv.org/abs/{a})\n- **Metrics:** Accuracy, F1\n- **Datasets:** TruthfulQA, HaluEval\n"
        f"- **Comments:** Proposes method M{i}, trained on 20{a[:2]} data.\n"
    ),
)


def test_each_linked_heading_is_an_entry_with_its_bullets_and_its_section_is_the_heading_above():
    doc = read(HEADINGS)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES  # the bullets are its notes, not entries
    assert {i.section for i in items} == {"Papers and Summaries"}
    e = items[0].entry
    assert e.end == e.line + 3 and [k.url for k in e.links] == [f"https://arxiv.org/abs/{IDS[0]}"]
    assert e.tag == ""  # `TruthfulQA` after `**Datasets:**` is a dataset, not a venue
    assert doc.grammar.entry[0].text == "### [{title}]({paper})"
    assert errors(HEADINGS) == []


def test_a_heading_entry_added_with_a_pdf_link_is_found_on_its_line():
    bad = "### [A Paper Added](https://arxiv.org/pdf/2402.00001v2)\n- **Metrics:** BLEU\n"
    text, added = insert(HEADINGS, f"[{TITLES[2]}]", bad)
    assert ("arxiv-link", min(added)) in {(f.rule, f.line) for f in findings(text, added)}


def test_a_plain_heading_among_the_linked_ones_is_a_section():
    text, _ = insert(HEADINGS, f"[{TITLES[6]}]", "### Definitions\n- Hallucination: output not grounded.\n")
    doc = read(text)
    assert [i.entry.title for i in papers(doc)] == TITLES  # all in "Papers and Summaries"
    (note,) = [i for i in doc.items if i.section == "Definitions"]
    assert not note.in_scope  # a section of notes, not of papers


def test_a_few_linked_headings_in_a_list_of_items_are_sections():
    items = written(lambda i, t, a: f"- [{t}](https://arxiv.org/abs/{a})")
    text = (
        "# L\n\n#### [How to submit a pull request?](https://example.org/how-to)\n"
        "#### [Want to help?](https://example.org/help)\n\n"
        f"## Papers\n\n{items}\n"
    )
    doc = read(text)
    assert [i.entry.title for i in papers(doc)] == TITLES
    assert {i.section for i in papers(doc)} == {"Papers"}
