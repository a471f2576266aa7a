"""arxiv-link: an invalid arXiv id (an error); a pdf, `.pdf`, `vN`, http, `export.`/`www.`, html,
DOI, `arXiv:` or mirror link instead of the abstract page (a warning, with the abstract page's URL)."""

from __future__ import annotations

import pytest

from tests.conftest import rules_of

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, added

RULE = "arxiv-link"

CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.O0001)]",
        "error",
        "not a valid arXiv id",
        None,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001v2.pdf)]",
        "warning",
        "pdf",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](http://export.arxiv.org/abs/2412.00001)]",
        "warning",
        "https",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/pdf/2412.00001v2.pdf)",
        "warning",
        "Link to the arXiv abstract page, https://arxiv.org/abs/2412.00001: this link points to the pdf page",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](arXiv:2412.00001)",
        "warning",
        "is an arXiv: identifier instead of a link",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.O0001)",
        "error",
        "`2412.O0001` is not a valid arXiv id",
        None,
        NUMBERED,
    ),
    Bad(  # the title is the link: the fix keeps the lines below it
        "- [A New Paper](https://arxiv.org/pdf/2412.00001v2.pdf)\n  - Ada Lovelace, Alan Turing",
        "warning",
        "ends in .pdf, pins version v2",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.O0001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "`2412.O0001` is not a valid arXiv id",
        None,
        SUBITEMS,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](http://export.arxiv.org/abs/2412.00001)]',
        "warning",
        "uses http instead of https, goes through export.arxiv.org instead of arxiv.org",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](https://www.arxiv.org/abs/2412.00001v1) | |",
        "warning",
        "goes through www.arxiv.org instead of arxiv.org, pins version v1",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(  # a bare URL is fixed as a bare URL
        "| A New Paper | ICLR 2025 | https://arxiv.org/pdf/2412.00001 | |",
        "warning",
        "points to the pdf page instead of the abstract page",
        "| A New Paper | ICLR 2025 | https://arxiv.org/abs/2412.00001 | |",
        TABLE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_severity_is_configurable_and_off_means_off():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001)]"
    assert rules_of(added(line, cfg="rules:\n  arxiv-link: notice\n")) == [("arxiv-link", "notice")]
    assert added(line, cfg="rules:\n  arxiv-link: off\n") == []
    assert added(line, cfg="rules:\n  arxiv-link: 'off'\n") == []
