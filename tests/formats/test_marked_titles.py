"""What lists put around a title: `[**Name**]` or `🔥🔥` before it, `(Mon., Year)` after it with badge
lines below, a bold title with its venue and `<br />`, then its authors and its links on the next lines."""

from __future__ import annotations

from tests.formats.lists import IDS, TITLES, errors, findings, insert, papers, read, written

NAMED = "# L\n\n## Papers\n\n" + written(
    lambda i, t, a: f"- {'🔥🔥 ' if i % 3 == 0 else ''}[**M{i}**] {t} [[paper](https://arxiv.org/abs/{a})]"
)
# A list's dates agree with its papers' arXiv ids: one that disagrees on every entry is the list's own
# way (the calibration withholds that finding there).
MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
DATED = "# L\n\n## Papers\n\n" + written(
    lambda i, t, a: (
        f"+ [{t}](https://arxiv.org/abs/{a}) ({MONTHS[int(a[2:4]) - 1]}, 20{a[:2]})\n"
        f"  [![Star](https://img.shields.io/github/stars/o/r{i}.svg)](https://github.com/o/r{i})"
        f" [![arXiv](https://img.shields.io/badge/arXiv-b31b1b.svg)](https://arxiv.org/abs/{a})"
    )
)
THREE_LINES = "# L\n\n## Papers\n\n" + written(
    lambda i, t, a: (
        f"{i + 1}. **{t}**. (ICLR 20{a[:2]}) <br />\n   Ada Lovelace, Alan Turing <br />\n"
        f"   [[paper](https://arxiv.org/abs/{a})] [[code](https://github.com/o/r{i})]"
    )
)


def test_a_name_in_bold_brackets_and_fire_marks_are_not_the_title():
    doc = read(NAMED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    assert items[0].entry.head.first("name").value == "M0"
    assert errors(NAMED) == []


def test_a_month_and_year_after_the_title_is_its_date_and_badge_lines_are_its_own():
    doc = read(DATED)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    e = items[0].entry
    assert e.date == "Jan., 2024" and e.claimed_date().month == 1 and e.end == e.line + 1
    assert [k.url for k in e.links] == [f"https://arxiv.org/abs/{IDS[0]}"]  # the badges link too
    assert len(e.badges) == 2
    assert doc.grammar.dates[0].template == "{Mon}, {yyyy}"


def test_a_date_that_disagrees_with_the_arxiv_id_is_found():
    bad = "+ [A New Paper](https://arxiv.org/abs/2402.00001) (Sept., 2023)"
    text, added = insert(DATED, f"[{TITLES[2]}]", bad)
    assert ("arxiv-date", min(added)) in {(f.rule, f.line) for f in findings(text, added)}


def test_a_bold_title_with_its_venue_then_an_authors_line_and_a_links_line():
    doc = read(THREE_LINES)
    items = papers(doc)
    assert [i.entry.title for i in items] == TITLES and all(i.entry.follows_format for i in items)
    e = items[1].entry
    assert (e.tag, e.end) == ("ICLR 2024", e.line + 2)
    assert [k.label for k in e.links] == ["paper", "code"]
    assert errors(THREE_LINES) == []
