"""section: an entry that links to a paper, added outside the sections that hold papers; says which
sections do."""

from __future__ import annotations

from tests.conftest import rules_of, run_rules


def test_section_rule_flags_entries_outside_paper_sections():
    text = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    found = run_rules(text, head="# List\n\n## Contributing\n", cfg="sections: [Related Works]\n")
    assert rules_of(found) == [("section", "error")]
    assert "“Contributing”" in found[0].message and "Related Works" in found[0].message
    # With no config, a heading that never holds papers is still no place for one.
    assert rules_of(run_rules(text, head="# List\n\n## Contributing\n")) == [("section", "error")]


def test_subsections_of_a_named_section_count():
    text = "### Reward models\n- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    assert run_rules(text) == []
