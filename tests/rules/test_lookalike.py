"""lookalike: characters that only look like the list's markup (no-break or narrow spaces,
full-width brackets, a curly quote in a tag); the entry is read as it looks, and this notice gives
the plain ASCII fix."""

from __future__ import annotations

import pytest

from .conftest import Bad

RULE = "lookalike"

CASES = [
    Bad(  # read as what it looks like: a notice with the fix, not a syntax error
        "- （*Arxiv 2024.12*） A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "notice",
        "full-width",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
