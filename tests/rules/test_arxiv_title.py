"""arxiv-title: the title is not arXiv's title for the linked id (an error below `error_below`
similarity, a warning between it and `accept_at`); the fix is arXiv's title. Silent offline."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup
from tests.conftest import rules_of

from .conftest import PAPER, added


def test_arxiv_rules_need_metadata_and_stay_silent_offline():
    line = "- (*Arxiv 2024.12*) Something Else Entirely [[paper](https://arxiv.org/abs/2412.00001)]"
    assert added(line) == []  # offline: no arXiv metadata, no arxiv-title verdict
    found = added(line, arxiv=ArxivLookup(papers={PAPER.id: PAPER}))
    assert rules_of(found) == [("arxiv-title", "error")]
    assert (
        found[0].suggestion
        == "- (*Arxiv 2024.12*) A New Paper: With a Subtitle [[paper](https://arxiv.org/abs/2412.00001)]"
    )


@pytest.mark.parametrize(
    "title",
    [
        "A New Paper: With a Subtitle",
        "A new paper - with a subtitle",
        "A New Paper",
        "A New Paper: With a Subtitle.",
    ],
)
def test_harmless_title_variants_pass(title):
    line = f"- (*Arxiv 2024.12*) {title} [[paper](https://arxiv.org/abs/2412.00001)]"
    assert added(line, arxiv=ArxivLookup(papers={PAPER.id: PAPER})) == []
