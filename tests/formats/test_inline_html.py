"""Entries that carry HTML: an anchor before the title (`<a name="x"></a>`), a venue in `<ins>`,
links written as `<a href><img></a>` badges on the line below the entry."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

ANCHORED = "# Incremental\n\n## Papers\n\n" + written(
    lambda i, t, a: f'- <a name="todo"></a> {t} (**ICLR 20{a[:2]}**) [[paper](https://arxiv.org/abs/{a})]'
)
INS = "# L\n\n## Papers\n\n" + written(
    lambda i, t, a: f"- [{t}](https://arxiv.org/abs/{a}) <ins>NeurIPS, 20{a[:2]}</ins>"
)
HTML_LINKS = "# Video editing\n\n## Papers\n\n" + written(
    lambda i, t, a: (
        f"- (ICML 24') **M{i}**: {t}, *Lovelace et al.*\n"
        f'    - <a href="https://arxiv.org/abs/{a}"><img src="https://img.shields.io/badge/arXiv-Paper-B31B1B.svg"></a>'
        f' <a href="https://m{i}.github.io/"><img src="https://img.shields.io/badge/project-Website-%23009BD5"></a>'
    )
)


def test_an_anchor_before_the_title_is_not_part_of_it():
    doc = read(ANCHORED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES
    assert all(i.entry.follows_format for i in items) and items[0].entry.tag == "ICLR 2024"
    assert errors(ANCHORED) == []


def test_a_venue_in_ins_is_the_tag():
    doc = read(INS)
    assert [i.entry.tag for i in papers(doc)][:2] == ["NeurIPS, 2024", "NeurIPS, 2024"]
    assert all(i.entry.follows_format for i in papers(doc))
    assert errors(INS) == []


def test_html_badge_links_below_the_entry_are_its_links_labelled_by_their_badges():
    doc = read(HTML_LINKS)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    e = items[0].entry
    assert (e.tag, e.authors) == ("ICML 24'", "Lovelace et al")
    assert [(k.label, k.url) for k in e.links] == [
        ("arXiv Paper", f"https://arxiv.org/abs/{IDS[0]}"),
        ("project Website", "https://m0.github.io/"),
    ]
    assert errors(HTML_LINKS) == []


def test_a_pdf_link_in_an_html_badge_is_found():
    bad = (
        "- (ICML 24') **New**: A New Paper, *Ada et al.*\n"
        '    - <a href="https://arxiv.org/pdf/2402.00001v2"><img src="https://img.shields.io/badge/arXiv-Paper-red"></a>'
    )
    text, added = insert(HTML_LINKS, TITLES[2], bad)
    assert ("arxiv-link", min(added)) in {(f.rule, f.line) for f in findings(text, added)}


def test_an_html_heading_is_a_section_even_with_a_coloured_block_inside():
    papers_ = written(lambda i, t, a: f"- [[ICLR](https://arxiv.org/abs/{a})] {t}. [__`cls.`__]")
    datasets = "\n".join(
        f"- [[Set{k}](https://data{k}.example.com/)] The Set{k} benchmark suite. [__`seg.`__]"
        for k in range(4)
    )
    text = (
        f"# L\n\n<h1>\n\n```diff\n- Papers\n```\n\n</h1>\n\n{papers_}\n\n<h1> Datasets </h1>\n\n{datasets}\n"
    )
    doc = read(text)
    assert [i.entry.title for i in papers(doc)] == TITLES and {i.section for i in papers(doc)} == {"Papers"}
    assert all(i.entry.follows_format for i in papers(doc))  # `[__`cls.`__]` is no broken link
    assert not any(i.in_scope for i in doc.items if i.section == "Datasets")
    assert errors(text) == []
