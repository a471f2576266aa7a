"""whitespace: trailing spaces (but for a line break inside an entry), tabs and doubled spaces in an
entry's lines; the fix is the entry without them."""

from __future__ import annotations

import pytest

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, PaperList, added

RULE = "whitespace"

CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)] ",
        "notice",
        "trailing spaces and doubled spaces",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "1. **A  New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001) ",
        "notice",
        "Remove the trailing spaces and doubled spaces from this entry.",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.**\tICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "notice",
        "Remove the tabs from this entry.",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(  # in a line below the entry: its indentation stays
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada  Lovelace, Alan Turing",
        "notice",
        "Remove the doubled spaces from this entry.",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing \n  - Keyword: Things",
        "notice",
        "Remove the trailing spaces from this entry.",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing\n  - Keyword: Things",
        SUBITEMS,
    ),
    Bad(
        '* **NP**:  "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)] ',
        "notice",
        "Remove the trailing spaces and doubled spaces from this entry.",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(  # inside a cell; the spaces that pad a cell are the table's alignment and stay
        "| A  New Paper   | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | | ",
        "notice",
        "Remove the trailing spaces and doubled spaces from this entry.",
        "| A New Paper   | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
]

ALIGNED = PaperList(
    "aligned table",
    """\
| Self-Evolved Reward Learning for LLMs                         | ICLR 2025    | [paper](https://arxiv.org/abs/2411.00418) |
| Self-Taught Evaluators                                        | arXiv 2024   | [paper](https://arxiv.org/abs/2408.02666) |
| Self-playing Adversarial Language Game Enhances LLM Reasoning | NeurIPS 2024 | [paper](https://arxiv.org/abs/2404.10642) |
| Self-Rewarding Language Models                                | ICML 2024    | [paper](https://arxiv.org/abs/2401.10020) |
| Adversarial Preference Optimization                           | ACL 2024     | [paper](https://arxiv.org/abs/2311.08045) |
""",
    "# A list\n\n## Related Works\n\n| Title | Venue | Paper |\n|-------|-------|-------|\n",
)


def test_a_row_padded_to_the_tables_alignment_has_no_doubled_spaces():
    row = "| A New Paper                                                   | ICLR 2025    | [paper](https://arxiv.org/abs/2412.00001) |"
    assert added(row, into=ALIGNED) == []
    (f,) = [f for f in added(row.replace("ICLR 2025 ", "ICLR  2025"), into=ALIGNED) if f.rule == "whitespace"]
    assert f.suggestion == row.replace("ICLR 2025 ", "ICLR 2025")  # the cell's padding stays


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
