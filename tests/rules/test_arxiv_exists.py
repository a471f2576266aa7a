"""arxiv-exists: a well-formed arXiv id that arXiv does not have (an error); a notice "not verified"
when arXiv could not be asked."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup
from tests.conftest import rules_of

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, added


def test_missing_and_unverified_ids():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    assert rules_of(added(line, arxiv=ArxivLookup(missing={"2412.00001"}))) == [("arxiv-exists", "error")]
    found = added(line, arxiv=ArxivLookup(unverified={"2412.00001": "arXiv answered 503"}))
    assert rules_of(found) == [("arxiv-exists", "notice")]
    assert "503" in found[0].message


MISSING = ArxivLookup(missing={"2412.00001"})
UNVERIFIED = ArxivLookup(unverified={"2412.00001": "arXiv answered 503"})

CASES = [
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "arXiv has no paper 2412.00001: check the id in the link",
        None,
        NUMBERED,
        arxiv=MISSING,
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "arXiv has no paper 2412.00001",
        None,
        SUBITEMS,
        arxiv=MISSING,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "notice",
        "Not verified against arXiv (arXiv answered 503); the bot will check again.",
        None,
        NAMED,
        arxiv=UNVERIFIED,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "arXiv has no paper 2412.00001",
        None,
        TABLE,
        arxiv=MISSING,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found("arxiv-exists")
