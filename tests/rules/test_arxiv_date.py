"""arxiv-date: a preprint tag or date (`Arxiv YYYY.MM`, `[2024/12]`) that disagrees with the arXiv
id's month (the month before, or arXiv's v1 month, is accepted); the fix is the id's month in the
list's style."""

from __future__ import annotations

import pytest

from .conftest import Bad, added

RULE = "arxiv-date"

GOOD = [
    "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2501.00001)]",  # id month after the tag month
]


@pytest.mark.parametrize("line", GOOD)
def test_good_lines_pass(line):
    assert added(line) == []


CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        "warning",
        "2024.10",
        "- (*Arxiv 2024.10*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
