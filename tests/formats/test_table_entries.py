"""Lists kept as GFM tables: a title cell written `[**Title**](u)` after a stars badge and `<br>`,
`**[Title](u)**`, `[Title](u) <br> Authors`, `N) Title  summary…` in a `Paper` column; `-` for an
empty cell, `[//]: #` comments between rows. A table of benchmarks or datasets is not one of papers."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

STARS = "![Star](https://img.shields.io/github/stars/o/r{i}.svg?style=social&label=Star)"
BADGED = (
    "# MLLM\n\n## Papers\n\n|  Title  |   Venue  |   Date   |   Code   |   Demo   |\n|:--|:--:|:--:|:--:|:--:|\n"
    + written(
        lambda i, t, a: (
            f"| {STARS.format(i=i)} <br> [**{t}**](https://arxiv.org/pdf/{a}) <br> | arXiv | 20{a[:2]}-{a[2:4]}-0{i + 1} |"
            f" [Github](https://github.com/o/r{i}) | - |"
            if i % 2
            else f"| [**{t}**](https://arxiv.org/pdf/{a}) | arXiv | 20{a[:2]}-{a[2:4]}-0{i + 1} | - | [Demo](https://d.io/{i}) |"
        )
    )
    + "\n"
)
BOLD_LINK = "# L\n\n## Papers\n\n| Title | Venue | Code |\n|---|---|---|\n" + written(
    lambda i, t, a: (
        f"| **[{t}](https://arxiv.org/abs/{a})** | ICLR 20{a[:2]} |"
        f" [![Star](https://img.shields.io/github/stars/o/r{i})](https://github.com/o/r{i}) |"
        + ("\n[//]: # (added 2024-01)" if i == 3 else "")
    )
)
AUTHORS_BELOW = "# L\n\n## Papers\n\n| Paper | Venue | Code |\n|---|---|---|\n" + written(
    lambda i, t, a: (
        f"| [{t}](https://arxiv.org/abs/{a}) <br> Ada Lovelace, Alan Turing | NeurIPS 20{a[:2]} | [code](https://github.com/o/r{i}) |"
    )
)
WEEKLY = (
    "# Papers of the week\n\n## Top Papers of the Week (June 23 - June 29)\n\n| **Paper** | **Links** |\n| --- | --- |\n"
    + written(
        lambda i, t, a: (
            f"| {i + 1}) {t}  This paper introduces a method, trained with RL, that improves models at scale. |"
            f" [Paper](https://arxiv.org/abs/{a}), [Tweet](https://x.com/p/{i}) |"
            if i % 2
            else f"| {i + 1}) **{t}** - proposes a method, trained with RL, that improves models at scale. |"
            f" [Paper](https://arxiv.org/abs/{a}), [Tweet](https://x.com/p/{i}) |"
        )
    )
)


def test_a_title_cell_after_a_stars_badge_and_br_and_empty_cells_are_read():
    doc = read(BADGED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    assert items[1].entry.date == "2024-08-02" and items[1].entry.tag == "arXiv"
    assert errors(BADGED) == []


def test_a_bold_linked_title_with_a_badge_cell_and_a_comment_between_rows():
    doc = read(BOLD_LINK)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    assert [k.url for k in items[0].entry.links] == [f"https://arxiv.org/abs/{IDS[0]}"]
    assert errors(BOLD_LINK) == []


def test_authors_below_the_title_in_its_cell():
    doc = read(AUTHORS_BELOW)
    e = papers(doc)[0].entry
    assert (e.title, e.authors, e.tag) == (TITLES[0], "Ada Lovelace, Alan Turing", "NeurIPS 2024")
    assert all(i.entry.follows_format for i in papers(doc)) and errors(AUTHORS_BELOW) == []


def test_a_numbered_title_and_its_summary_in_a_paper_column_bold_or_not():
    doc = read(WEEKLY)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES  # not the number, not the summary
    assert all(i.entry.follows_format for i in items)
    assert errors(WEEKLY) == []


def test_a_pdf_link_added_as_a_row_is_found():
    bad = f"| [**A New Paper**](https://arxiv.org/pdf/{IDS[4]}v2) | arXiv | 2024-02-01 | - | - |"
    text, added = insert(BADGED, f"[**{TITLES[2]}**]", bad)
    got = {(f.rule, f.line) for f in findings(text, added)}
    assert ("arxiv-link", min(added)) in got and ("duplicate", min(added)) in got, got


def test_a_table_of_benchmarks_beside_the_papers_is_not_papers():
    numbered = written(
        lambda i, t, a: (
            f"{i + 1}. {t}. _Lovelace et al._ ICLR 20{a[:2]}. [[paper](https://arxiv.org/abs/{a})]"
        )
    )
    bench = written(
        lambda i, t, a: f"| B{i} [[paper](https://arxiv.org/abs/{a})] | Social | Downstream | Accuracy |"
    )
    text = (
        f"# Evaluation\n\n## What to evaluate\n\n{numbered}\n\n## Where to evaluate\n\n"
        f"| Benchmark | Focus | Domain | Criteria |\n|---|---|---|---|\n{bench}\n"
    )
    doc = read(text)
    assert [i.entry.title for i in papers(doc)] == TITLES  # the benchmark rows are not among them
    assert all(i.entry.follows_format for i in papers(doc)) and errors(text) == []


def test_a_short_date_column_and_a_venue_with_its_workshop():
    rows = written(
        lambda i, t, a: (
            f"| {a[:2]}.{a[2:4]} | Lab {i} | {'NIPS2023(ML Safety Workshop)' if i == 3 else 'ICLR2024'} | [{t}](https://arxiv.org/abs/{a}) |"
        )
    )
    text = f"# Safety\n\n## Papers\n\n| Date | Institute | Publication | Paper |\n|---|---|---|---|\n{rows}\n"
    doc = read(text)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    assert (
        items[0].entry.claimed_date().month == 1
        and items[3].entry.claimed().qualifier == "ML Safety Workshop"
    )
