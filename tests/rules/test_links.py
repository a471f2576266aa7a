"""links: the paper link is missing, a label is not one the list uses, a URL is empty, a placeholder,
malformed or not https, or a code link is not a repository on an allowed host."""

from __future__ import annotations

import pytest

from .conftest import Bad, added

RULE = "links"

GOOD = [
    "- (*Arxiv 2024.12*) A New Paper [[pdf](https://arxiv.org/abs/2412.00001)] [[Code](https://gitlab.com/g/r)]",
    "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)] [[code](https://huggingface.co/o/m)]",
]


@pytest.mark.parametrize("line", GOOD)
def test_good_lines_pass(line):
    assert added(line) == []


CASES = [
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[code](https://github.com/o/r)]",
        "error",
        "paper link is missing",
        None,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[slides](https://x.org/s)]",
        "warning",  # the labels were learnt from the list, not set by a maintainer: error in config
        "`slides`",
        None,
    ),
    Bad("- (*ICLR 25'*) A New Paper [[paper](ftp://x.org/p.pdf)]", "error", "not a web address", None),
    Bad("- (*ICLR 25'*) A New Paper [[paper]()]", "error", "empty", None),
    Bad(
        "- (*ICLR 25'*) A New Paper [[paper](http://openreview.net/forum?id=x)]",
        "warning",
        "https",
        "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)]",
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[code](https://sites.google.com/x)]",
        "warning",  # labels learnt from the list (lists call project pages "code" too): an error in config
        "repository",
        None,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[code](https://github.com/owner)]",
        "warning",  # labels learnt from the list (lists call project pages "code" too): an error in config
        "repository",
        None,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)
