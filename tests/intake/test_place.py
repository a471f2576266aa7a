"""Where an entry goes in its section (the list's order), and the list with it inserted: only the new
lines differ, line endings and blank-line spacing as the list keeps them."""

from __future__ import annotations

import datetime as dt

from bot.core.config import config as config_mod
from bot.core.intake.place import insert, spot
from bot.core.rules.base import Context
from bot.core.verdict import pipeline

LIST = """\
# L

## A
- (*Arxiv 2024.11*) One [[paper](https://arxiv.org/abs/2411.00001)]
- (*Arxiv 2024.08*) Two [[paper](https://arxiv.org/abs/2408.00002)]
- (*Arxiv 2024.07*) Three [[paper](https://arxiv.org/abs/2407.00003)]
- (*Arxiv 2024.01*) Four [[paper](https://arxiv.org/abs/2401.00004)]
- (*Arxiv 2023.05*) Five [[paper](https://arxiv.org/abs/2305.00005)]

## B
- (*Arxiv 2022.01*) Six [[paper](https://arxiv.org/abs/2201.00006)]
"""
NEW = "- (*Arxiv 2024.03*) New [[paper](https://arxiv.org/abs/2403.00007)]"


def where(text: str, section: str, key):
    doc = pipeline.prepare(text, config_mod.loads(""))
    return spot(doc, Context(doc, doc.config, doc.grammar, frozenset(), dt.date(2026, 1, 1)), section, key)


def test_newest_first_it_goes_after_the_last_newer_entry():
    s = where(LIST, "A", (2024, 3))
    assert s.after is not None and s.after.entry.title == "Three" and s.line == 7
    new = insert(LIST, [(s, NEW)])
    assert new.split("\n")[6] == NEW and new.replace(NEW + "\n", "") == LIST


def test_first_and_last_in_a_section_and_crlf_kept():
    first = where(LIST, "A", (2025, 1))
    assert first.after is None and first.line == 4
    last = where(LIST, "A", (2020, 1))
    assert last.after.entry.title == "Five" and last.before is None
    crlf = LIST.replace("\n", "\r\n")
    out = insert(crlf, [(where(crlf, "A", (2025, 1)), NEW)])
    assert out == crlf.replace("## A\r\n", f"## A\r\n{NEW}\r\n")


def test_a_loose_list_keeps_a_blank_line_between_entries():
    loose = LIST.replace("]\n- ", "]\n\n- ")
    s = where(loose, "A", (2024, 3))
    assert s.blank
    out = insert(loose, [(s, NEW)])
    assert f"]\n\n{NEW}\n\n- (*Arxiv 2024.01*) Four" in out


def test_an_unordered_list_puts_it_last_and_an_unknown_section_nowhere():
    shuffled = LIST.replace(
        "2024.08*) Two [[paper](https://arxiv.org/abs/2408",
        "2021.08*) Two [[paper](https://arxiv.org/abs/2108",
    )
    shuffled = shuffled.replace(
        "2024.01*) Four [[paper](https://arxiv.org/abs/2401",
        "2025.01*) Four [[paper](https://arxiv.org/abs/2501",
    )
    s = where(shuffled, "A", (2024, 3))
    assert s.after.entry.title == "Five"  # no order to keep: last
    assert where(LIST, "Nowhere", (2024, 3)) is None


def test_several_entries_at_one_spot_keep_their_order():
    s = where(LIST, "A", (2024, 3))
    out = insert(LIST, [(s, "- first"), (s, "- second")])
    lines = out.split("\n")
    assert lines[6:8] == ["- first", "- second"]
