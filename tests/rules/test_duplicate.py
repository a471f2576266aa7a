"""duplicate: the same paper is already in the list (the same arXiv id in any URL form, the same
normalised title, or arXiv's title); names the other line, and the fix removes the new one."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup, Paper
from tests.conftest import rules_of, run_rules

from .conftest import NAMED, NUMBERED, SEED, SUBITEMS, TABLE, Bad

RULE = "duplicate"

CASES = [
    Bad(
        "- (*Arxiv 2024.12*) Another Title [[paper](https://arxiv.org/pdf/2408.02666v2)]",
        "error",
        "line 6",
        "",
    ),  # file line: 3 heading lines + SEED line 3
    Bad(
        "- (*Arxiv 2024.12*) Self-taught evaluators! [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "same title",
        "",
    ),
    Bad(
        "1. **Another Title.** arXiv 2024. [paper](https://arxiv.org/pdf/2408.02666v2)",
        "error",
        "This paper is already in the list at line 5 (same arXiv id 2408.02666): “Self-Taught Evaluators”.",
        "",
        NUMBERED,
        at=3,
    ),
    Bad(
        "1. **Self-taught evaluators!** arXiv 2024. [paper](https://openreview.net/forum?id=x)",
        "error",
        "already in the list at line 5 (same title)",
        "",
        NUMBERED,
        at=3,
    ),
    Bad(  # the whole entry goes, the lines below it too
        "- [Another Title](https://arxiv.org/abs/2408.02666)\n  - Ada Lovelace, Alan Turing",
        "error",
        "already in the list at line 9 (same arXiv id 2408.02666)",
        "",
        SUBITEMS,
        at=4,
    ),
    Bad(
        "- [Self-Taught Evaluators](https://openreview.net/forum?id=x)\n  - Ada Lovelace, Alan Turing",
        "error",
        "already in the list at line 9 (same title)",
        "",
        SUBITEMS,
        at=4,
    ),
    Bad(
        '* **ST**: "Another Title", arXiv, 2024 (*Meta*). [[Paper](https://arxiv.org/abs/2408.02666)]',
        "error",
        "already in the list at line 5 (same arXiv id 2408.02666)",
        "",
        NAMED,
        at=3,
    ),
    Bad(  # the same title under another short name
        '* **SelfTaught**: "Self-Taught Evaluators", arXiv, 2024 (*Meta*). [[Paper](https://openreview.net/forum?id=x)]',
        "error",
        "already in the list at line 5 (same title)",
        "",
        NAMED,
        at=3,
    ),
    Bad(
        "| Another Title | arXiv 2024 | [paper](https://arxiv.org/abs/2408.02666) | |",
        "error",
        "already in the list at line 8 (same arXiv id 2408.02666)",
        "",
        TABLE,
        at=3,
    ),
    Bad(
        "| Self-Taught Evaluators. | arXiv 2024 | [paper](https://openreview.net/forum?id=x) | |",
        "error",
        "already in the list at line 8 (same title)",
        "",
        TABLE,
        at=3,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_duplicate_scope_section_allows_cross_listing():
    body = (
        "### A\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
        "### B\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    )
    assert rules_of(run_rules(body)) == [("duplicate", "error")]
    assert run_rules(body, cfg="rules:\n  duplicate:\n    scope: section\n") == []


def test_two_added_duplicates_are_reported_once_on_the_later_line():
    body = SEED.body + "- (*Arxiv 2024.12*) Twin [[paper](https://arxiv.org/abs/2412.00001)]\n" * 2
    found = [f for f in run_rules(body, checked={6, 7}) if f.rule == "duplicate"]
    assert [(f.line, "line 9" in f.message) for f in found] == [(7, True)]


def test_a_whole_file_check_finds_the_pair_only_arxivs_title_reveals():
    """Line 1 links a paper under its own title; line 2 carries arXiv's title for it with no arXiv
    link. PR mode found the pair; a whole-file check (pre-commit's) missed it (issue 10, item 18)."""
    body = (
        "- (*Arxiv 2024.08*) My Own Name For It [[paper](https://arxiv.org/abs/2408.02666)]\n"
        "- (*NeurIPS 24'*) Self-Taught Evaluators [[paper](https://openreview.net/forum?id=abc)]\n"
    )
    arxiv = ArxivLookup(papers={"2408.02666": Paper("2408.02666", "Self-Taught Evaluators")})
    found = [f for f in run_rules(body, arxiv=arxiv) if f.rule == "duplicate"]
    assert [(f.line, "line 4 (arXiv's title for 2408.02666)" in f.message) for f in found] == [(2, True)]
