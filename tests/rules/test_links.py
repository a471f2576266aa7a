"""links: the paper link is missing, a label is not one the list uses, a URL is empty, a placeholder,
malformed or not https, or a code link is not a repository on an allowed host."""

from __future__ import annotations

import pytest

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, added

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
    Bad(  # the list's own link markup, and where its links go
        "1. **A New Paper.** ICLR 2025. [code](https://github.com/o/r)",
        "error",
        "The paper link is missing: add `[paper](URL)` at the end of the entry.",
        None,
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001) [slides](https://x.org/s)",
        "warning",
        "The link label `slides` is not one this list uses: use paper, pdf, code.",
        None,
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](http://openreview.net/forum?id=x)",
        "warning",
        "Use https for the paper link.",
        "1. **A New Paper.** ICLR 2025. [paper](https://openreview.net/forum?id=x)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](link-to-paper)",
        "error",
        "The paper link is a placeholder (`link-to-paper`)",
        None,
        NUMBERED,
    ),
    Bad(
        "- [A New Paper](http://openreview.net/forum?id=x)\n  - Ada Lovelace, Alan Turing",
        "warning",
        "Use https for the paper link.",
        "- [A New Paper](https://openreview.net/forum?id=x)\n  - Ada Lovelace, Alan Turing",
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace\n  - Code: [Official](https://github.com/owner)",
        "warning",  # the labels were learnt from the list: a warning, an error when config sets them
        "The code link should point to the repository itself",
        None,
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](TODO)\n  - Ada Lovelace, Alan Turing",
        "error",
        "The paper link is a placeholder (`TODO`)",
        None,
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](#)\n  - Ada Lovelace, Alan Turing",
        "error",
        "The paper link is a placeholder (`#`)",
        None,
        SUBITEMS,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[PyTorch](https://github.com/o/r)]',
        "error",
        "The paper link is missing: add `[[paper](URL)]` at the end of the entry.",
        None,
        NAMED,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)][[Website](https://x.org/s)]',
        "warning",
        "The link label `Website` is not one this list uses: use paper, pdf, pytorch, code.",
        None,
        NAMED,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)][[PyTorch](https://sites.google.com/x)]',
        "warning",  # the labels were learnt from the list: a warning, an error when config sets them
        "The code link should point to the repository itself",
        None,
        NAMED,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | | [code](https://github.com/o/r) |",
        "error",
        "The paper link is missing: add `[paper](URL)` in its column.",
        None,
        TABLE,
    ),
    Bad(  # a project page leads to the work and maybe its paper: a warning, not an error
        "| A New Paper | ICLR 2025 | | [Project](https://new-paper.github.io/) [Tweet](https://x.com/a/1) |",
        "warning",
        "The paper link is missing: add `[paper](URL)` in its column (the entry links only a page about the work).",
        None,
        TABLE,
    ),
    Bad(
        "- (*Arxiv 2024.12*) A New Paper [[blog](https://example.org/post)]",
        "warning",
        "paper link is missing",
        None,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](http://openreview.net/forum?id=x) | |",
        "warning",
        "Use https for the paper link.",
        "| A New Paper | ICLR 2025 | [paper](https://openreview.net/forum?id=x) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | [code](https://github.com/owner) |",
        "warning",  # the labels were learnt from the list: a warning, an error when config sets them
        "The code link should point to the repository itself",
        None,
        TABLE,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](url) | |",
        "error",
        "The paper link is a placeholder (`url`)",
        None,
        TABLE,
    ),
]


def test_the_seed_still_asks_for_the_paper_link_right_after_the_title():
    (f,) = [
        f for f in added("- (*Arxiv 2024.12*) A New Paper [[code](https://github.com/o/r)]") if f.rule == RULE
    ]
    assert f.message == "The paper link is missing: add `[[paper](URL)]` right after the title."


def test_a_code_label_naming_whose_implementation_it_is_is_the_lists_code_label():
    """`[[PyTorch (lucidrains)](…)]`, as Awesome-Transformer-Attention writes its code links."""
    line = '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)][[PyTorch (o)](https://github.com/o/r)]'
    assert added(line, into=NAMED) == []
    found = added(line.replace("github.com/o/r", "sites.google.com/x"), into=NAMED)
    assert [
        (f.rule, f.message.startswith("The code link should point to the repository")) for f in found
    ] == [("links", True)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_a_link_that_may_be_the_paper_is_not_told_missing_and_a_status_is_no_empty_url():
    """`[[Technical Report](…)]` or `[[System Card](…)]` may be the paper, whatever the list calls it;
    `[[Coming soon]()]` says where a link is not yet, on purpose. A code link alone, or an empty
    link labelled as a resource, is still told."""
    report = "- (*Arxiv 2024.12*) A New Model [[Technical Report](https://cdn.example.org/report.pdf)]"
    assert not [f for f in added(report) if f.kind == "paper-link-missing"]
    soon = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[Coming soon]()]"
    assert not [f for f in added(soon) if f.kind == "url-broken"]
    empty = soon.replace("[[Coming soon]()]", "[[code]()]")
    assert [f.kind for f in added(empty) if f.rule == RULE] == ["url-broken"]


def test_a_label_a_list_writes_mostly_as_an_empty_link_is_its_status_even_when_learnt():
    """BradyFU's code column: `[Coming soon]()` 18 times, `[Coming soon](url)` 6 (the link came):
    the label is learnt, and its empty links are a status, not lost URLs; an empty `[code]()` is one."""
    from tests.conftest import run_rules

    rows = [
        f"- (*Arxiv 2024.{m:02d}*) Paper {m} On Things [[paper](https://arxiv.org/abs/2401.{m:05d})] "
        + ("[[Coming soon]()]" if m % 3 else f"[[Coming soon](https://github.com/o/r{m})]")
        for m in range(12, 0, -1)
    ]
    assert not [f for f in run_rules("\n".join(rows) + "\n") if f.kind == "url-broken"]
    rows[1] = rows[1].replace("[[Coming soon]()]", "[[code]()]")
    assert [f.line for f in run_rules("\n".join(rows) + "\n") if f.kind == "url-broken"] == [2]
