"""A table of bad and good lines per rule, judged in the seed list's context with the shipped config."""

from __future__ import annotations

import pytest
from conftest import rules_of, run_rules

from bot.core.model import ArxivLookup, Paper

SEED = """\
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*NeurIPS 24'*) Self-playing Adversarial Language Game Enhances LLM Reasoning [[paper](https://arxiv.org/abs/2404.10642)] [[code](https://github.com/Linear95/SPAG)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game [[paper](https://arxiv.org/abs/2311.08045)] [[code](https://github.com/Linear95/APO)]
"""


def added(line: str, at: int = 1, cfg: str | None = None, arxiv: ArxivLookup | None = None):
    """Insert `line` before SEED line `at` and judge it as the only added line."""
    rows = SEED.splitlines()
    rows.insert(at - 1, line)
    return run_rules("\n".join(rows) + "\n", checked={at}, cfg=cfg, arxiv=arxiv)


GOOD = [
    "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    "- (*Arxiv 2024.12*) A New Paper [[Paper](https://arxiv.org/abs/2412.00001)][[code](https://github.com/o/r)]",
    "- (*Arxiv 2024.12*) A New Paper [[pdf](https://arxiv.org/abs/2412.00001)] [[Code](https://gitlab.com/g/r)]",
    "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)] [[code](https://huggingface.co/o/m)]",
    "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2501.00001)]",  # id month after the tag month
]


@pytest.mark.parametrize("line", GOOD)
def test_good_lines_pass(line):
    assert added(line) == []


CASES = [
    # rule, line, severity, words in the message, suggestion (None: no mechanical fix)
    (
        "entry-syntax",
        "- (*Arxiv 2024.12*) A New Paper [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "double brackets",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "entry-syntax",
        "- (Arxiv 2024.12) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "italics",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "entry-syntax",
        "* (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "`- `",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "entry-syntax",
        "- (**NeurIPS 24'**) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "not bold",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (  # read as what it looks like: a notice with the fix, not a syntax error
        "lookalike",
        "- （*Arxiv 2024.12*） A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "notice",
        "full-width",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "entry-syntax",
        "- A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "venue tag is missing",
        None,
    ),
    ("entry-syntax", "- (*Arxiv 2024.12*) A New Paper", "error", "paper link is missing", None),
    (
        "entry-syntax",
        "- (*Arxiv 2024.12*) [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "title is missing",
        None,
    ),
    (
        "entry-syntax",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "bracket",
        None,
    ),
    (
        "venue-tag",
        "- (*NeurIPS 2024*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "(*NeurIPS 24'*)",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "venue-tag",
        "- (*Arxiv 2024.13*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "month 13",
        None,
    ),
    (
        "venue-tag",
        "- (*Arxiv 2027.01*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "future",
        None,
    ),
    (
        "venue-tag",
        "- (*ICML 12'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "from 2015",
        None,
    ),
    (
        "venue-tag",
        "- (*FooConf 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "not a venue",
        None,
    ),
    (
        "venue-tag",
        "- (*neurips 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "`NeurIPS`",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    ("venue-tag", "- (*Summer edition*) A New Paper [[paper](https://x.org/p)]", "error", "style", None),
    (
        "links",
        "- (*Arxiv 2024.12*) A New Paper [[code](https://github.com/o/r)]",
        "error",
        "paper link is missing",
        None,
    ),
    (
        "links",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[slides](https://x.org/s)]",
        "warning",  # the labels were learnt from the list, not set by a maintainer: error in config
        "`slides`",
        None,
    ),
    ("links", "- (*ICLR 25'*) A New Paper [[paper](ftp://x.org/p.pdf)]", "error", "not a web address", None),
    ("links", "- (*ICLR 25'*) A New Paper [[paper]()]", "error", "empty", None),
    (
        "links",
        "- (*ICLR 25'*) A New Paper [[paper](http://openreview.net/forum?id=x)]",
        "warning",
        "https",
        "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)]",
    ),
    (
        "links",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[code](https://sites.google.com/x)]",
        "warning",  # labels learnt from the list: lists call project pages "code" too; error in config
        "repository",
        None,
    ),
    (
        "links",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] [[code](https://github.com/owner)]",
        "warning",  # labels learnt from the list: lists call project pages "code" too; error in config
        "repository",
        None,
    ),
    (
        "arxiv-link",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.O0001)]",
        "error",
        "not a valid arXiv id",
        None,
    ),
    (
        "arxiv-link",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001v2.pdf)]",
        "warning",
        "pdf",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "arxiv-link",
        "- (*Arxiv 2024.12*) A New Paper [[paper](http://export.arxiv.org/abs/2412.00001)]",
        "warning",
        "https",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    (
        "arxiv-date",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        "warning",
        "2024.10",
        "- (*Arxiv 2024.10*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
    ),
    (
        "duplicate",
        "- (*Arxiv 2024.12*) Another Title [[paper](https://arxiv.org/pdf/2408.02666v2)]",
        "error",
        "line 6",
        "",
    ),  # file line: 3 heading lines + SEED line 3; "": the suggestion removes the line
    (
        "duplicate",
        "- (*Arxiv 2024.12*) Self-taught evaluators! [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "same title",
        "",
    ),
    (
        "order",
        "- (*Arxiv 2023.01*) A New Paper [[paper](https://arxiv.org/abs/2301.00001)]",
        "warning",
        "belongs below line 9",
        None,
    ),
    (
        "whitespace",
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)] ",
        "notice",
        "trailing spaces and doubled spaces",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
]


@pytest.mark.parametrize(
    "rule, line, severity, words, suggestion", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_bad_lines_are_found_with_their_fix(rule, line, severity, words, suggestion):
    found = [f for f in added(line) if f.rule == rule]
    assert found, f"{rule} missed: {line}"
    f = found[0]
    assert f.severity == severity
    assert words in f.message, f.message
    assert f.line == 1
    assert f.suggestion == suggestion


def test_order_names_where_the_entry_belongs():
    (f,) = [
        f
        for f in added("- (*Arxiv 2024.02*) X [[paper](https://arxiv.org/abs/2402.00001)]", at=1)
        if f.rule == "order"
    ]
    # body lines after insertion: 2=2024.11, 3=2024.08, 4=2404 (NeurIPS), 5=2401, 6=2311; file = body + 3
    assert "between line 7 and line 8" in f.message


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


def test_duplicate_scope_section_allows_cross_listing():
    body = (
        "### A\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
        "### B\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    )
    assert rules_of(run_rules(body)) == [("duplicate", "error")]
    assert run_rules(body, cfg="rules:\n  duplicate:\n    scope: section\n") == []


def test_two_added_duplicates_are_reported_once_on_the_later_line():
    body = SEED + "- (*Arxiv 2024.12*) Twin [[paper](https://arxiv.org/abs/2412.00001)]\n" * 2
    found = [f for f in run_rules(body, checked={6, 7}) if f.rule == "duplicate"]
    assert [(f.line, "line 9" in f.message) for f in found] == [(7, True)]


def test_audit_of_whole_file_reports_one_out_of_order_entry_not_its_neighbours():
    rows = SEED.splitlines()
    rows.insert(1, "- (*Arxiv 2023.01*) Old [[paper](https://arxiv.org/abs/2301.00001)]")
    found = [f for f in run_rules("\n".join(rows) + "\n") if f.rule == "order"]
    assert [f.line for f in found] == [2]


def test_severity_is_configurable_and_off_means_off():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001)]"
    assert rules_of(added(line, cfg="rules:\n  arxiv-link: notice\n")) == [("arxiv-link", "notice")]
    assert added(line, cfg="rules:\n  arxiv-link: off\n") == []
    assert added(line, cfg="rules:\n  arxiv-link: 'off'\n") == []


def test_minor_findings_never_exceed_warning_but_follow_lower_levels():
    line = "- (*FooConf 24'*) A New Paper [[paper](https://x.org/p)]"
    assert rules_of(added(line)) == [("venue-tag", "warning")]
    assert rules_of(added(line, cfg="rules:\n  venue-tag: notice\n")) == [("venue-tag", "notice")]


PAPER = Paper("2412.00001", "A New Paper: With a Subtitle", ("A. Author",), "2024-12-01T00:00:00Z", version=1)


def test_arxiv_rules_need_metadata_and_stay_silent_offline():
    line = "- (*Arxiv 2024.12*) Something Else Entirely [[paper](https://arxiv.org/abs/2412.00001)]"
    assert added(line) == []  # offline: no arXiv metadata, no arxiv-title verdict
    found = added(line, arxiv=ArxivLookup(papers={PAPER.id: PAPER}))
    assert rules_of(found) == [("arxiv-title", "error")]
    assert (
        found[0].suggestion
        == "- (*Arxiv 2024.12*) A New Paper: With a Subtitle [[paper](https://arxiv.org/abs/2412.00001)]"
    )


@pytest.mark.parametrize(
    "title",
    [
        "A New Paper: With a Subtitle",
        "A new paper - with a subtitle",
        "A New Paper",
        "A New Paper: With a Subtitle.",
    ],
)
def test_harmless_title_variants_pass(title):
    line = f"- (*Arxiv 2024.12*) {title} [[paper](https://arxiv.org/abs/2412.00001)]"
    assert added(line, arxiv=ArxivLookup(papers={PAPER.id: PAPER})) == []


def test_missing_and_unverified_ids():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    assert rules_of(added(line, arxiv=ArxivLookup(missing={"2412.00001"}))) == [("arxiv-exists", "error")]
    found = added(line, arxiv=ArxivLookup(unverified={"2412.00001": "arXiv answered 503"}))
    assert rules_of(found) == [("arxiv-exists", "notice")]
    assert "503" in found[0].message


def test_bare_arxiv_link_gets_the_whole_entry_from_arxivs_metadata():
    found = added("- https://arxiv.org/abs/2412.00001", arxiv=ArxivLookup(papers={PAPER.id: PAPER}))
    (f,) = [f for f in found if f.rule == "entry-syntax"]
    assert (
        f.suggestion
        == "- (*Arxiv 2024.12*) A New Paper: With a Subtitle [[paper](https://arxiv.org/abs/2412.00001)]"
    )
    assert added("- https://arxiv.org/abs/2412.00001")[0].suggestion is None  # offline: no metadata


def test_preprint_accepted_at_a_venue_gets_a_notice_with_the_tag():
    accepted = Paper(
        "2412.00001", "A New Paper", (), "2024-12-01T00:00:00Z", comment="Accepted by NeurIPS 2024"
    )
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    (f,) = added(line, arxiv=ArxivLookup(papers={accepted.id: accepted}))
    assert (f.rule, f.severity) == ("venue-tag", "notice")
    assert f.suggestion == "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
