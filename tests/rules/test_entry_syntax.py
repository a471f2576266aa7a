"""entry-syntax: an item in a paper section that does not follow the list's entry format; says which
field is missing or malformed and gives the fix in the list's own format."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup

from .conftest import NAMED, NUMBERED, PAPER, SUBITEMS, TABLE, Bad, added

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
        "warning",
        "venue tag is missing",
        None,
    ),
    Bad("- (*Arxiv 2024.12*) A New Paper", "warning", "paper link is missing", None),
    Bad(
        "- (*Arxiv 2024.12*) [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "title is missing",
        None,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)",
        "warning",
        "bracket",
        None,
    ),
    Bad(  # italics where the list writes its titles in bold
        "1. *A New Paper.* ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "write the title in bold `**…**`, not in italics",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(  # the seed's double brackets in a list of single ones
        "1. **A New Paper.** ICLR 2025. [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "write each link as `[paper](URL)`",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "- **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "start the line with `1. ` instead of `- `",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** [paper](https://arxiv.org/abs/2412.00001)",
        "warning",
        "The venue tag is missing: write it as plain text, e.g. arXiv 2024 or NeurIPS 2024",
        None,
        NUMBERED,
    ),
    Bad(  # the paper linked apart from the title: the fix moves its URL into the title's link
        "- A New Paper [paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "write the title as the paper link `[Title](URL)`, not as plain text",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        "* [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "start the line with `- ` instead of `* `",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        "- **[A New Paper](https://arxiv.org/abs/2412.00001)**\n  - Ada Lovelace, Alan Turing",
        "error",
        "not as the paper link in bold `**[Title](URL)**`",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [Paper](https://arxiv.org/abs/2412.00001)',
        "error",
        "wrap each link in double brackets",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        '- **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "start the line with `* ` instead of `- `",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(  # no name to make up: the message says what is missing, no fix, so a warning
        '* "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "warning",
        "The short name is missing. An entry looks like `* **SER**: ",
        None,
        NAMED,
    ),
    Bad(
        "* **NP**: A New Paper, ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        'write the title in quotes `"…"`, not as plain text',
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        "| **A New Paper** | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "write the title as plain text, not in bold",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | (*ICLR 2025*) | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "write the venue tag as plain text, not in parentheses and italics",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [[paper](https://arxiv.org/abs/2412.00001)] | |",
        "error",
        "write each link as `[paper](URL)`",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | [paper](https://arxiv.org/abs/2412.00001) | |",
        "warning",
        "The venue tag is missing: write it as plain text",
        None,
        TABLE,
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


@pytest.mark.parametrize(
    "into, line, entry",
    [
        (
            NUMBERED,
            "1. https://arxiv.org/abs/2412.00001",
            "1. **A New Paper: With a Subtitle.** arXiv 2024. [paper](https://arxiv.org/abs/2412.00001)",
        ),
        (
            SUBITEMS,
            "- https://arxiv.org/abs/2412.00001",
            "- [A New Paper: With a Subtitle](https://arxiv.org/abs/2412.00001)",
        ),
        (
            TABLE,
            "| https://arxiv.org/abs/2412.00001 | | | |",
            "| A New Paper: With a Subtitle | arXiv 2024 | [paper](https://arxiv.org/abs/2412.00001) | |",
        ),
    ],
    ids=["numbered", "sub-items", "table"],
)
def test_a_bare_arxiv_link_becomes_an_entry_in_the_lists_own_format(into, line, entry):
    (f,) = [f for f in added(line, into=into, arxiv=ArxivLookup(papers={PAPER.id: PAPER})) if f.rule == RULE]
    assert f.suggestion == entry and f.unsafe  # a title and a date taken from arXiv: a guess


def test_brackets_in_the_wrong_places_are_told_to_move_not_to_double():
    """`[[paper]](URL)` has its double brackets; they close in the wrong place (GT-RIPL, xialeiliu)."""
    (f,) = [
        f
        for f in added("- (*Arxiv 2024.12*) A New Paper [[paper]](https://arxiv.org/abs/2412.00001)")
        if f.rule == "entry-syntax"
    ]
    assert "move the brackets: write each link as `[[paper](URL)]`, not `[[paper]](URL)`" in f.message
    assert "double brackets" not in f.message
