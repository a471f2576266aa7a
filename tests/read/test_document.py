"""bot.core.read.document (basic): bytes → text that never fails, and a list file → its lines, sections
and list items, with code, comments and headings never taken for entries."""

from __future__ import annotations

from bot.core.read import document
from bot.core.read.grammar import Grammar

GRAMMAR = Grammar.from_config({})  # the seed list's style
SECTIONS = ["Related Works"]
ENTRY = (
    "- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]"
)
LIST = f"""\
# A list

- [Related Works](#related-works)

## Related Works
{ENTRY}
- not an entry at all
```
- (*Arxiv 2024.01*) In a code block [[paper](https://arxiv.org/abs/2401.10020)]
```
<!--
- (*Arxiv 2024.01*) In a comment [[paper](https://arxiv.org/abs/2401.10020)]
-->
### Sub-section
- (*Arxiv 2024.01*) Nested [[paper](https://arxiv.org/abs/2401.10020)]

## Contributing
- (*Arxiv 2024.01*) Outside the sections [[paper](https://arxiv.org/abs/2401.10020)]
"""


def test_decode_never_fails_and_says_which_lines_held_invalid_utf8() -> None:
    assert document.decode("é\n".encode()) == ("é\n", set())
    assert document.decode(b"\xef\xbb\xbfhi") == ("hi", set())  # a BOM is not text
    text, bad = document.decode(b"ok\nbad \xff byte\nok\n")
    assert text.split("\n")[1] == "bad \ufffd byte" and bad == {2}


def test_items_know_their_section_and_whether_they_are_under_review() -> None:
    doc = document.read(LIST, GRAMMAR, SECTIONS)

    by_line = {i.line: i for i in doc.items}
    assert sorted(by_line) == [6, 7, 15, 18]  # the TOC line, the code block and the comment are not items
    assert by_line[6].entry is not None and by_line[6].in_scope and by_line[6].section == "Related Works"
    assert by_line[6].entry.follows_format
    assert by_line[7].in_scope and not by_line[7].entry.follows_format  # a candidate for entry-syntax
    assert by_line[15].in_scope and by_line[15].section == "Sub-section"  # sub-headings stay in scope
    assert not by_line[18].in_scope and by_line[18].section == "Contributing"
    assert [e.line for e in doc.entries if e.follows_format] == [6, 15, 18]


def test_every_section_is_in_scope_with_a_star_and_headings_match_loosely() -> None:
    everywhere = document.read(LIST, GRAMMAR, ["*"])
    assert all(i.in_scope for i in everywhere.items)
    assert document.heading_name("🔥 **Related** [Works](#x)") == "related works"


def test_lines_are_split_as_git_counts_them() -> None:
    doc = document.read("# L\r\n\r\n## Related Works\r\n" + ENTRY + "\r\n", GRAMMAR, SECTIONS)
    assert doc.lines[3] == ENTRY and [i.line for i in doc.items] == [4]


def test_a_heading_of_the_contents_and_an_index_of_volumes_are_not_entries() -> None:
    text = f"""\
# A list

- [Related Works](#related-works)
- Key Venues
  - [Workshops](#workshops) [Special Issues](#special-issues)

## Related Works
{ENTRY}
- [KDD](https://dblp.org/search?q=kdd) [2025](https://dl.acm.org/doi/proceedings/10.1145/3690624), [2024](https://dl.acm.org/doi/proceedings/10.1145/3637528)
- [ICML](https://icml.cc) [Proceedings](https://proceedings.mlr.press/v235/)
"""
    doc = document.read(text, GRAMMAR, ["*"])
    # the index of a venue's volumes by year is not a paper; a venue with one link is still read
    assert [i.line for i in doc.items if i.entry] == [8, 10]
