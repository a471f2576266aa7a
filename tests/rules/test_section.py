"""section: an entry that links to a paper, added outside the sections that hold papers; says which
sections do."""

from __future__ import annotations

import pytest

from tests.conftest import rules_of, run_rules

from .conftest import NAMED, NUMBERED, SUBITEMS, Bad, PaperList, added


def test_section_rule_flags_entries_outside_paper_sections():
    text = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    found = run_rules(text, head="# List\n\n## Contributing\n", cfg="sections: [Related Works]\n")
    assert rules_of(found) == [("section", "error")]
    assert "“Contributing”" in found[0].message and "Related Works" in found[0].message
    # With no config, a heading that never holds papers is still no place for one.
    assert rules_of(run_rules(text, head="# List\n\n## Contributing\n")) == [("section", "error")]


def test_a_tool_that_leads_with_its_code_and_has_a_paper_is_no_misplaced_paper():
    tool = "- (*Arxiv 2024.12*) A Tool [[code](https://github.com/o/tool)] [[paper](https://arxiv.org/abs/2412.00001)]\n"
    head = "# List\n\n## Tools\n"
    assert run_rules(tool, head=head, cfg="sections: [Related Works]\n") == []
    paper = "- (*Arxiv 2024.12*) A Paper [[paper](https://arxiv.org/abs/2412.00001)] [[code](https://github.com/o/tool)]\n"
    assert rules_of(run_rules(paper, head=head, cfg="sections: [Related Works]\n")) == [("section", "error")]


def test_subsections_of_a_named_section_count():
    text = "### Reward models\n- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    assert run_rules(text) == []


def with_contributing(into: PaperList) -> PaperList:
    return PaperList(into.name, into.body + "\n## Contributing\n\nOpen a pull request.\n\n", into.head)


def at_end(into: PaperList) -> int:
    return len(with_contributing(into).body.splitlines()) + 1


CASES = [
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "This entry is under “Contributing”, which does not hold papers: move it under “Related Works”.",
        None,
        with_contributing(NUMBERED),
        at_end(NUMBERED),
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing",
        "error",
        "This entry is under “Contributing”",
        None,
        with_contributing(SUBITEMS),
        at_end(SUBITEMS),
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "This entry is under “Contributing”",
        None,
        with_contributing(NAMED),
        at_end(NAMED),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found("section")


@pytest.mark.parametrize("into", [NUMBERED, SUBITEMS, NAMED], ids=lambda v: v.name)
def test_a_link_that_is_no_paper_is_no_misplaced_entry(into):
    """A tool or a blog post under Contributing is not a paper in the wrong place, whatever the format."""
    assert (
        added(
            "- [The bot](https://github.com/o/bot) checks each pull request",
            at_end(into),
            into=with_contributing(into),
        )
        == []
    )
