"""entry-syntax: an item in a paper section that does not follow the list's entry format; says which
field is missing or malformed and gives the fix in the list's own format."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup

from .conftest import PAPER, Bad, added

RULE = "entry-syntax"

GOOD = [
    "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    "- (*Arxiv 2024.12*) A New Paper [[Paper](https://arxiv.org/abs/2412.00001)][[code](https://github.com/o/r)]",
]


@pytest.mark.parametrize("line", GOOD)
def test_good_lines_pass(line):
    assert added(line) == []


CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "double brackets",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- (Arxiv 2024.12) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "italics",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "* (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "`- `",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- (**NeurIPS 24'**) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "not bold",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "venue tag is missing",
        None,
    ),
    Bad("- (*Arxiv 2024.12*) A New Paper", "error", "paper link is missing", None),
    Bad(
        "- (*Arxiv 2024.12*) [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "title is missing",
        None,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "bracket",
        None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_bare_arxiv_link_gets_the_whole_entry_from_arxivs_metadata():
    found = added("- https://arxiv.org/abs/2412.00001", arxiv=ArxivLookup(papers={PAPER.id: PAPER}))
    (f,) = [f for f in found if f.rule == "entry-syntax"]
    assert (
        f.suggestion
        == "- (*Arxiv 2024.12*) A New Paper: With a Subtitle [[paper](https://arxiv.org/abs/2412.00001)]"
    )
    assert added("- https://arxiv.org/abs/2412.00001")[0].suggestion is None  # offline: no metadata
