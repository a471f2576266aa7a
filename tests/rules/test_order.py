"""order: an added entry that breaks the list's order (by arXiv id month, else the tag's or date's
year and month), with the lines it belongs between. Where it belongs is found by bisection, with the
same answer as a scan of every anchor, in n log n (issue 10, item 10: a whole-file check of 20k
entries took 8.8 s)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.config import config as config_mod
from bot.core.rules import RULES, order
from bot.core.verdict import judge, pipeline
from tests.conftest import TODAY, run_rules
from tests.fakes.lists import entries, interleaved, newest_first

from .conftest import NAMED, NUMBERED, SEED, SUBITEMS, TABLE, Bad, added

RULE = "order"

CASES = [
    Bad(
        "- (*Arxiv 2023.01*) A New Paper [[paper](https://arxiv.org/abs/2301.00001)]",
        "warning",
        "belongs below line 9",
        None,
    ),
    Bad(
        "1. **An Old Paper.** ICLR 2023. [paper](https://arxiv.org/abs/2301.00001)",
        "warning",
        "This section is ordered newest first; this entry (2023.01) belongs below line 10.",
        None,
        NUMBERED,
    ),
    Bad(  # below an entry with lines under it is below its last line (27), not its first (25)
        "- [An Old Paper](https://arxiv.org/abs/2301.00001)\n  - Ada Lovelace\n  - Keyword: Old",
        "warning",
        "this entry (2023.01) belongs below line 27.",
        None,
        SUBITEMS,
    ),
    Bad(  # SPAG (2404) takes lines 13-16, Self-Rewarding (2401) starts at 17
        "- [A March Paper](https://arxiv.org/abs/2403.00001)\n  - Ada Lovelace",
        "warning",
        "this entry (2024.03) belongs between line 16 and line 17.",
        None,
        SUBITEMS,
    ),
    Bad(  # no arXiv id: the venue's year
        '* **OP**: "An Old Paper", ICLR, 2022 (*MIT*). [[Paper](https://openreview.net/forum?id=x)]',
        "warning",
        "this entry (2022) belongs below line 10.",
        None,
        NAMED,
    ),
    Bad(
        "| An Old Paper | ICLR 2023 | [paper](https://arxiv.org/abs/2301.00001) | |",
        "warning",
        "this entry (2023.01) belongs below line 13.",
        None,
        TABLE,
    ),
    Bad(
        "| A February Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2402.00001) | |",
        "warning",
        "this entry (2024.02) belongs between line 9 and line 10.",
        None,
        TABLE,
        at=5,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_order_names_where_the_entry_belongs():
    (f,) = [
        f
        for f in added("- (*Arxiv 2024.02*) X [[paper](https://arxiv.org/abs/2402.00001)]", at=1)
        if f.rule == "order"
    ]
    # body lines after insertion: 2=2024.11, 3=2024.08, 4=2404 (NeurIPS), 5=2401, 6=2311; file = body + 3
    assert "between line 7 and line 8" in f.message


def test_audit_of_whole_file_reports_one_out_of_order_entry_not_its_neighbours():
    rows = SEED.body.splitlines()
    rows.insert(1, "- (*Arxiv 2023.01*) Old [[paper](https://arxiv.org/abs/2301.00001)]")
    found = [f for f in run_rules("\n".join(rows) + "\n") if f.rule == "order"]
    assert [f.line for f in found] == [2]


key_st = st.tuples(st.integers(2019, 2022), st.integers(0, 12))  # month 0: only the year is known


def scan(k, anchors):
    """The first anchor the entry is newer than, by looking at each in turn (the old algorithm)."""
    return next((i for i, (_, a) in enumerate(anchors) if order.newer(k, a)), len(anchors))


@settings(max_examples=500, deadline=None)
@given(keys=st.lists(key_st, max_size=30), k=key_st, newest_first=st.booleans())
def test_bisection_finds_the_anchor_a_scan_finds(keys, k, newest_first):
    sign = 1 if newest_first else -1
    anchors = [(SimpleNamespace(line=n, end=n), (sign * y, sign * m)) for n, (y, m) in enumerate(keys, 1)]
    k = (sign * k[0], sign * k[1])
    floor = order._floor(anchors)
    idx = scan(k, anchors)
    message = order._belongs(SimpleNamespace(line=0), k, anchors, floor, newest_first)
    if idx < len(anchors):
        assert f"line {anchors[idx][0].line}." in message
    if idx:
        assert f"line {anchors[idx - 1][0].line}" in message


ONLY_ORDER = config_mod.loads(  # its severity written: a half out of order is no style of the list's
    "rules:\n  order:\n    severity: warning\n    direction: newest-first\n"
    + "".join(f"  {r.RULE.id}: off\n" for r in RULES if r.RULE.id != "order")
)


def order_findings(text: str, checked: frozenset[int] | None) -> tuple[int, float]:
    doc = pipeline.prepare(text, ONLY_ORDER)
    t0 = time.perf_counter()
    found = judge.judge(doc, doc.config, "README.md", checked=checked, today=TODAY)
    return len(found), time.perf_counter() - t0


@pytest.mark.timeout(60)
def test_a_whole_file_of_20k_entries_half_out_of_order_is_judged_in_n_log_n():
    n, seconds = order_findings(interleaved(20_000), None)
    assert n == 10_000
    assert seconds < 2.0, f"{seconds:.1f}s"  # was 7-9 s (a scan of every anchor per misplaced entry)


@pytest.mark.timeout(60)
def test_a_pr_adding_5k_old_entries_on_top_of_a_10k_list_is_judged_in_n_log_n():
    head = ["# L", "", "## Related Works"]
    rows = head + entries([(2016, 1)] * 5_000) + entries(newest_first(10_000), start=5_000)
    added = frozenset(range(len(head) + 1, len(head) + 5_001))
    n, seconds = order_findings("\n".join(rows) + "\n", added)
    assert n == 5_000
    assert seconds < 2.0, f"{seconds:.1f}s"  # was about 10 s


def test_sections_of_one_name_under_two_topics_are_ordered_apart():
    def entry(month: str) -> str:
        return f"- (*Arxiv 2024.{month}*) Paper {month} [[paper](https://arxiv.org/abs/24{month}.00001)]\n"

    # Each `### Papers` is newest first; read as one section they would interleave.
    body = (
        "## Safety\n### Papers\n"
        + entry("06")
        + entry("05")
        + "## Privacy\n### Papers\n"
        + entry("09")
        + entry("08")
    )
    assert [f for f in run_rules(body) if f.rule == "order"] == []
