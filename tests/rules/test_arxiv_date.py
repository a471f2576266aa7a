"""arxiv-date: a preprint tag or date (`Arxiv YYYY.MM`, `[2024/12]`) that disagrees with the arXiv
id's month (the month before, or arXiv's v1 month, is accepted); the fix is the id's month in the
list's style."""

from __future__ import annotations

import pytest

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, added

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
    Bad(  # the list's preprint tags carry the year only
        "1. **A New Paper.** arXiv 2024. [paper](https://arxiv.org/abs/2310.00001)",
        "warning",
        "The entry says 2024, but arXiv id 2310.00001 was announced in 2023.10: write `arXiv 2023`.",
        "1. **A New Paper.** arXiv 2023. [paper](https://arxiv.org/abs/2310.00001)",
        NUMBERED,
        at=6,
    ),
    Bad(
        '* **NP**: "A New Paper", arXiv, 2024 (*MIT*). [[Paper](https://arxiv.org/abs/2310.00001)]',
        "warning",
        "write `arXiv, 2023`",
        '* **NP**: "A New Paper", arXiv, 2023 (*MIT*). [[Paper](https://arxiv.org/abs/2310.00001)]',
        NAMED,
        at=6,
    ),
    Bad(
        "| A New Paper | arXiv 2024 | [paper](https://arxiv.org/abs/2310.00001) | |",
        "warning",
        "write `arXiv 2023`",
        "| A New Paper | arXiv 2023 | [paper](https://arxiv.org/abs/2310.00001) | |",
        TABLE,
        at=6,
    ),
    Bad(  # a list without tags: the fix keeps the contributor's style (`arXiv`, not the seed's `Arxiv`)
        "- [A New Paper](https://arxiv.org/abs/2310.00001)\n  - Ada Lovelace, Alan Turing\n  - arXiv 2024.12",
        "warning",
        "The entry says 2024.12, but arXiv id 2310.00001 was announced in 2023.10: write `arXiv 2023.10`.",
        "- [A New Paper](https://arxiv.org/abs/2310.00001)\n  - Ada Lovelace, Alan Turing\n  - arXiv 2023.10",
        SUBITEMS,
        at=19,
    ),
]


@pytest.mark.parametrize(
    "into, line, at",
    [
        (NUMBERED, "1. **A New Paper.** arXiv 2023. [paper](https://arxiv.org/abs/2310.00001)", 6),
        (
            NAMED,
            '* **NP**: "A New Paper", arXiv, 2023 (*MIT*). [[Paper](https://arxiv.org/abs/2310.00001)]',
            6,
        ),
        (TABLE, "| A New Paper | arXiv 2023 | [paper](https://arxiv.org/abs/2310.00001) | |", 6),
    ],
    ids=["numbered", "named", "table"],
)
def test_the_ids_year_passes_in_each_format(into, line, at):
    assert added(line, at, into=into) == []


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
