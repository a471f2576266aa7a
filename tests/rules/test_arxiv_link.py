"""arxiv-link: an invalid arXiv id (an error); a pdf, `.pdf`, `vN`, http, `export.`/`www.`, html,
DOI, `arXiv:` or mirror link instead of the abstract page (a warning, with the abstract page's URL)."""

from __future__ import annotations

import pytest

from tests.conftest import rules_of

from .conftest import Bad, added

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
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_severity_is_configurable_and_off_means_off():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001)]"
    assert rules_of(added(line, cfg="rules:\n  arxiv-link: notice\n")) == [("arxiv-link", "notice")]
    assert added(line, cfg="rules:\n  arxiv-link: off\n") == []
    assert added(line, cfg="rules:\n  arxiv-link: 'off'\n") == []
