"""arxiv-title: the title is not arXiv's title for the linked id (an error below `error_below`
similarity, a warning between it and `accept_at`); the fix is arXiv's title. Silent offline."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup
from tests.conftest import rules_of

from .conftest import NAMED, NUMBERED, PAPER, SUBITEMS, TABLE, Bad, added


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


KNOWN = ArxivLookup(papers={PAPER.id: PAPER})

CASES = [
    Bad(
        "1. **Something Else Entirely.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "arXiv 2412.00001 is “A New Paper: With a Subtitle”, not this title",
        "1. **A New Paper: With a Subtitle.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
        arxiv=KNOWN,
    ),
    Bad(  # the title is the link: its text changes, the URL and the lines below stay
        "- [Something Else Entirely](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "arXiv 2412.00001 is “A New Paper: With a Subtitle”",
        "- [A New Paper: With a Subtitle](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
        arxiv=KNOWN,
    ),
    Bad(  # the short name is not the title
        '* **NP**: "Something Else Entirely", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "arXiv 2412.00001 is “A New Paper: With a Subtitle”",
        '* **NP**: "A New Paper: With a Subtitle", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
        arxiv=KNOWN,
    ),
    Bad(
        "| Something Else Entirely | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "arXiv 2412.00001 is “A New Paper: With a Subtitle”",
        "| A New Paper: With a Subtitle | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
        arxiv=KNOWN,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found("arxiv-title")


@pytest.mark.parametrize(
    "into, line",
    [
        (
            NUMBERED,
            "1. **A New Paper: With a Subtitle.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        ),
        (SUBITEMS, "- [A new paper - with a subtitle](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace"),
        (NAMED, '* **ANP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]'),
        (
            TABLE,
            "| A New Paper: With a Subtitle. | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        ),
    ],
    ids=["numbered", "sub-items", "named", "table"],
)
def test_harmless_title_variants_pass_in_each_format(into, line):
    assert added(line, into=into, arxiv=KNOWN) == []
