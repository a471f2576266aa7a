"""arxiv-exists: a well-formed arXiv id that arXiv does not have (an error); a notice "not verified"
when arXiv could not be asked."""

from __future__ import annotations

from bot.core.model import ArxivLookup
from tests.conftest import rules_of

from .conftest import added


def test_missing_and_unverified_ids():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    assert rules_of(added(line, arxiv=ArxivLookup(missing={"2412.00001"}))) == [("arxiv-exists", "error")]
    found = added(line, arxiv=ArxivLookup(unverified={"2412.00001": "arXiv answered 503"}))
    assert rules_of(found) == [("arxiv-exists", "notice")]
    assert "503" in found[0].message
