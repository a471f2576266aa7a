"""whitespace: trailing spaces (but for a line break inside an entry), tabs and doubled spaces in an
entry's lines; the fix is the entry without them."""

from __future__ import annotations

import pytest

from .conftest import Bad

RULE = "whitespace"

CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)] ",
        "notice",
        "trailing spaces and doubled spaces",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
