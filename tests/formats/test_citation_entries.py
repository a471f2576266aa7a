"""Entries written as citations: `* Authors. YYYY. [Title](u). In *Proceedings of Venue*.` or
*Journal*; numbered paragraphs `**[N]** Authors. "**Title**." Venue (YYYY). [[pdf]](u)`."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

CITED = "# MT\n\n## Papers\n\n" + written(
    lambda i, t, a: (
        f"* Ada Lovelace, and Alan Turing. 20{a[:2]}. [{t}](https://arxiv.org/abs/{a}). In *Proceedings of ACL 20{a[:2]}*."
        if i % 3
        else f"* Grace Hopper. 20{a[:2]}. [{t}](https://arxiv.org/abs/{a}). *Computational Linguistics*."
    )
)
NUMBERED = "# Roadmap\n\n## 1.1 Survey\n\n" + written(
    lambda i, t, a: (
        f'**[{i}]** Lovelace, Ada, and Alan Turing. "**{t}**." arXiv preprint arXiv:{a} (20{a[:2]}).'
        f" [[pdf]](https://arxiv.org/pdf/{a}.pdf) **(Note {i})** :star::star:\n"
    )
)


def test_a_citation_reads_as_authors_year_title_and_venue():
    doc = read(CITED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    e = items[1].entry
    assert (e.authors, e.date, e.tag) == ("Ada Lovelace, and Alan Turing", "2024", "Proceedings of ACL 2024")
    assert items[0].entry.tag == "Computational Linguistics"  # the journal, though no year is in it
    # A journal's tag has no year (the citation's date has it): venue-tag's to judge, not the format's.
    assert [f for f in errors(CITED) if f.rule != "venue-tag"] == []


def test_a_citation_that_leaves_out_its_year_gets_entry_syntax():
    bad = "* Ada Lovelace. [A New Paper](https://arxiv.org/abs/2402.00001). In *Proceedings of ACL 2024*."
    text, added = insert(CITED, f"[{TITLES[2]}]", bad)
    # No rewrite can be built without the year: advice without a suggestion is a warning.
    said = [f for f in findings(text, added) if f.line == min(added) and f.rule == "entry-syntax"]
    assert said and said[0].severity == "warning" and said[0].suggestion is None


def test_numbered_citation_paragraphs_read_the_quoted_bold_title():
    doc = read(NUMBERED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    assert items[0].entry.authors == "Lovelace, Ada, and Alan Turing"
    assert errors(NUMBERED) == []
    dup = f'**[9]** Hopper, Grace. "**A Paper Added Twice**." arXiv (2024). [[pdf]](https://arxiv.org/pdf/{IDS[3]}.pdf)\n'
    text, added = insert(NUMBERED, "**[2]**", dup)
    assert ("duplicate", min(added)) in {(f.rule, f.line) for f in findings(text, added)}
