"""venue-tag: a malformed tag or date, `2024` where the list writes `24'`, a month outside 1-12, a
year in the future or before `min_year`; a venue the list does not know (a warning); a preprint that
arXiv says was accepted at a venue (a notice with the venue's tag)."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup, Paper
from tests.conftest import rules_of

from .conftest import Bad, added

RULE = "venue-tag"

CASES = [
    Bad(
        "- (*NeurIPS 2024*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "(*NeurIPS 24'*)",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- (*Arxiv 2024.13*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "month 13",
        None,
    ),
    Bad(
        "- (*Arxiv 2027.01*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "future",
        None,
    ),
    Bad(
        "- (*ICML 12'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "from 2015",
        None,
    ),
    Bad(
        "- (*FooConf 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "not a venue",
        None,
    ),
    Bad(
        "- (*neurips 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "`NeurIPS`",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad("- (*Summer edition*) A New Paper [[paper](https://x.org/p)]", "error", "style", None),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_minor_findings_never_exceed_warning_but_follow_lower_levels():
    line = "- (*FooConf 24'*) A New Paper [[paper](https://x.org/p)]"
    assert rules_of(added(line)) == [("venue-tag", "warning")]
    assert rules_of(added(line, cfg="rules:\n  venue-tag: notice\n")) == [("venue-tag", "notice")]


def test_preprint_accepted_at_a_venue_gets_a_notice_with_the_tag():
    accepted = Paper(
        "2412.00001", "A New Paper", (), "2024-12-01T00:00:00Z", comment="Accepted by NeurIPS 2024"
    )
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    (f,) = added(line, arxiv=ArxivLookup(papers={accepted.id: accepted}))
    assert (f.rule, f.severity) == ("venue-tag", "notice")
    assert f.suggestion == "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
