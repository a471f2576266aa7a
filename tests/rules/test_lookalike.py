"""lookalike: characters that only look like the list's markup (no-break or narrow spaces,
full-width brackets, a curly quote in a tag); the entry is read as it looks, and this notice gives
the plain ASCII fix."""

from __future__ import annotations

import pytest

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad

RULE = "lookalike"

CASES = [
    Bad(  # read as what it looks like: a notice with the fix, not a syntax error
        "- （*Arxiv 2024.12*） A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "notice",
        "full-width",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "1. **A New Paper.** ICLR\u00a02025. [paper](https://arxiv.org/abs/2412.00001)",
        "notice",
        "This entry holds a no-break space (U+00A0): it reads as intended, but write the plain ASCII character.",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "- ［A New Paper］(https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "notice",
        "a full-width `［`, a full-width `］`",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(  # in a line below the entry
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada\u00a0Lovelace, Alan Turing",
        "notice",
        "a no-break space (U+00A0)",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 （*MIT*）. [[Paper](https://arxiv.org/abs/2412.00001)]',
        "notice",
        "a full-width `（`, a full-width `）`",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        "| A New Paper | ICLR\u202f2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "notice",
        "a narrow no-break space (U+202F)",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(  # the quote only; venue-tag restyles the tag itself
        "| A New Paper | ICLR’25 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "notice",
        "a curly quote in the tag",
        "| A New Paper | ICLR'25 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
