"""duplicate: the same paper is already in the list (the same arXiv id in any URL form, the same
normalised title, or arXiv's title); names the other line, and the fix removes the new one."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup, Paper
from tests.conftest import rules_of, run_rules

from .conftest import NAMED, NUMBERED, SEED, SUBITEMS, TABLE, Bad

RULE = "duplicate"

CASES = [
    Bad(
        "- (*Arxiv 2024.12*) Self-taught Evaluators [[paper](https://arxiv.org/pdf/2408.02666v2)]",
        "error",
        "line 6",
        "",
    ),  # file line: 3 heading lines + SEED line 3
    Bad(
        "- (*Arxiv 2024.12*) Self-taught evaluators! [[paper](https://openreview.net/forum?id=abc)]",
        "error",
        "same title",
        "",
    ),
    Bad(
        "1. **Self-Taught Evaluators (Extended).** arXiv 2024. [paper](https://arxiv.org/pdf/2408.02666v2)",
        "error",
        "This paper is already in the list at line 5 (same arXiv id 2408.02666): “Self-Taught Evaluators”.",
        "",
        NUMBERED,
        at=3,
    ),
    Bad(
        "1. **Self-taught evaluators!** arXiv 2024. [paper](https://openreview.net/forum?id=x)",
        "error",
        "already in the list at line 5 (same title)",
        "",
        NUMBERED,
        at=3,
    ),
    Bad(  # the whole entry goes, the lines below it too
        "- [Self-Taught Evaluator](https://arxiv.org/abs/2408.02666)\n  - Ada Lovelace, Alan Turing",
        "error",
        "already in the list at line 9 (same arXiv id 2408.02666)",
        "",
        SUBITEMS,
        at=4,
    ),
    Bad(
        "- [Self-Taught Evaluators](https://openreview.net/forum?id=x)\n  - Ada Lovelace, Alan Turing",
        "error",
        "already in the list at line 9 (same title)",
        "",
        SUBITEMS,
        at=4,
    ),
    Bad(
        '* **ST**: "Self Taught Evaluators", arXiv, 2024 (*Meta*). [[Paper](https://arxiv.org/abs/2408.02666)]',
        "error",
        "already in the list at line 5 (same arXiv id 2408.02666)",
        "",
        NAMED,
        at=3,
    ),
    Bad(  # the same title under another short name
        '* **SelfTaught**: "Self-Taught Evaluators", arXiv, 2024 (*Meta*). [[Paper](https://openreview.net/forum?id=x)]',
        "error",
        "already in the list at line 5 (same title)",
        "",
        NAMED,
        at=3,
    ),
    Bad(
        "| Self-Taught Evaluators, v2 | arXiv 2024 | [paper](https://arxiv.org/abs/2408.02666) | |",
        "error",
        "already in the list at line 8 (same arXiv id 2408.02666)",
        "",
        TABLE,
        at=3,
    ),
    Bad(
        "| Self-Taught Evaluators. | arXiv 2024 | [paper](https://openreview.net/forum?id=x) | |",
        "error",
        "already in the list at line 8 (same title)",
        "",
        TABLE,
        at=3,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_duplicate_scope_section_allows_cross_listing():
    body = (
        "### A\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
        "### B\n- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    )
    assert rules_of(run_rules(body)) == [
        ("duplicate", "warning")
    ]  # the same line under another heading: most often on purpose
    assert run_rules(body, cfg="rules:\n  duplicate:\n    scope: section\n") == []


def test_two_added_duplicates_are_reported_once_on_the_later_line():
    body = SEED.body + "- (*Arxiv 2024.12*) Twin [[paper](https://arxiv.org/abs/2412.00001)]\n" * 2
    found = [f for f in run_rules(body, checked={6, 7}) if f.rule == "duplicate"]
    assert [(f.line, "line 9" in f.message) for f in found] == [(7, True)]


def test_a_whole_file_check_finds_the_pair_only_arxivs_title_reveals():
    """Line 1 links a paper under its own title; line 2 carries arXiv's title for it with no arXiv
    link. PR mode found the pair; a whole-file check (pre-commit's) missed it (issue 10, item 18)."""
    body = (
        "- (*Arxiv 2024.08*) My Own Name For It [[paper](https://arxiv.org/abs/2408.02666)]\n"
        "- (*NeurIPS 24'*) Self-Taught Evaluators [[paper](https://openreview.net/forum?id=abc)]\n"
    )
    arxiv = ArxivLookup(papers={"2408.02666": Paper("2408.02666", "Self-Taught Evaluators")})
    found = [f for f in run_rules(body, arxiv=arxiv) if f.rule == "duplicate"]
    assert [(f.line, "line 4 (arXiv's title for 2408.02666)" in f.message) for f in found] == [(2, True)]


# One arXiv id under two titles: two papers, one of them linked wrong. The titles tell which line
# (arXiv's title online; offline, the line under review, or the later of two); neither is deleted.
SHARED = "- (*Arxiv 2024.12*) A Different Paper About Judges [[paper](https://arxiv.org/abs/2408.02666)]"
ST = Paper("2408.02666", "Self-Taught Evaluators")


def _dups(found):
    return [f for f in found if f.rule == RULE]


def test_offline_an_added_entry_sharing_an_id_under_another_title_is_asked_to_check_its_link():
    (f,) = _dups(
        run_rules(SEED.body.replace("- (*Arxiv 2024.01*)", SHARED + "\n- (*Arxiv 2024.01*)"), checked={4})
    )
    assert f.severity == "warning" and f.suggestion is None
    assert "links the same arXiv id 2408.02666 under another title (“Self-Taught Evaluators”)" in f.message


def test_online_the_entry_whose_title_is_not_arxivs_is_told_its_link_is_wrong():
    body = SEED.body.replace("- (*Arxiv 2024.01*)", SHARED + "\n- (*Arxiv 2024.01*)")
    (f,) = _dups(run_rules(body, checked={4}, arxiv=ArxivLookup(papers={ST.id: ST})))
    assert f.severity == "error" and f.suggestion is None
    assert f.message.startswith("arXiv 2408.02666 is “Self-Taught Evaluators”, which line 5 lists")


def test_online_the_entry_that_is_right_is_never_deleted():
    """arXiv's title for the id is the added entry's: the old line links it wrong."""
    mine = Paper("2408.02666", "A Different Paper About Judges")
    body = SEED.body.replace("- (*Arxiv 2024.01*)", SHARED + "\n- (*Arxiv 2024.01*)")
    (f,) = _dups(run_rules(body, checked={4}, arxiv=ArxivLookup(papers={mine.id: mine})))
    assert f.severity == "notice" and f.suggestion is None
    assert "Line 5 (“Self-Taught Evaluators”) links this paper's arXiv id 2408.02666" in f.message


def test_a_whole_file_check_names_the_wrong_line_even_when_it_is_the_earlier():
    """The earlier line carries a copied id; the later one is the paper arXiv has under that id."""
    body = (
        "- (*Arxiv 2024.08*) Some Other Paper On Rewards [[paper](https://arxiv.org/abs/2408.02666)]\n"
        "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]\n"
    )
    found = _dups(run_rules(body, arxiv=ArxivLookup(papers={ST.id: ST})))
    assert [(f.line, f.severity, f.suggestion) for f in found] == [(1, "error", None)]
    # Offline nothing tells them apart: the later line is asked to check its link, none is removed.
    found = _dups(run_rules(body))
    assert [(f.line, f.severity, f.suggestion) for f in found] == [(2, "warning", None)]


def test_one_title_on_two_different_arxiv_papers_is_two_works():
    """`Point Transformer` is two papers (2011.00931, 2012.09164): a title alone does not make the
    second a duplicate when both link arXiv papers and no id is shared."""
    body = (
        "- (*Arxiv 2020.12*) Point Transformer [[paper](https://arxiv.org/abs/2012.09164)]\n"
        "- (*Arxiv 2020.11*) Point Transformer [[paper](https://arxiv.org/abs/2011.00931)]\n"
    )
    assert [f for f in run_rules(body) if f.rule == "duplicate"] == []
    same = body.replace("2011.00931", "2012.09164").replace("2020.11", "2020.12")
    assert rules_of([f for f in run_rules(same) if f.rule == "duplicate"]) == [("duplicate", "error")]


def test_a_copy_under_another_heading_is_a_warning_and_an_error_where_config_says_file():
    copy = "- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    body = "### A\n" + copy + "### B\n" + copy
    (f,) = [f for f in run_rules(body) if f.rule == "duplicate"]
    assert (f.severity, f.kind, f.suggestion) == ("warning", "cross-listed", None) and "“A”" in f.message
    assert "written alike" in f.message
    altered = "### A\n" + copy + "### B\n" + copy.replace("abs/2412.00001", "pdf/2412.00001")
    (f,) = [f for f in run_rules(altered) if f.rule == "duplicate"]
    assert (f.severity, f.kind) == ("warning", "cross-listed") and "written alike" not in f.message
    # Under one heading it is a duplicate; and a maintainer's `scope: file` makes any copy one.
    same = "### A\n" + copy + copy.replace("abs/2412.00001", "pdf/2412.00001")
    assert [(f.severity, f.kind) for f in run_rules(same) if f.rule == "duplicate"] == [("error", "same-id")]
    strict = run_rules(altered, cfg="rules:\n  duplicate:\n    scope: file\n")
    assert [(f.severity, f.kind) for f in strict if f.rule == "duplicate"] == [("error", "same-id")]


def test_in_a_list_that_cross_lists_a_paper_added_under_another_heading_is_a_warning():
    def entry(n: int, title: str) -> str:
        return f"- (*Arxiv 2024.12*) {title} [[paper](https://arxiv.org/abs/2412.{n:05d})]\n"

    # Three papers under both headings of 126 entries: a habit (scope learnt as section), yet rare
    # enough (under calibration's share) that a new copy elsewhere is worth a word.
    shared = "".join(entry(n, f"Shared Paper {n}") for n in range(1, 4))
    body = (
        "### A\n" + shared + "".join(entry(n, f"Paper A{n}") for n in range(10, 70))
        + "### B\n" + shared + "".join(entry(n, f"Paper B{n}") for n in range(70, 130))
    )  # fmt: skip
    rows = body.splitlines()
    at = rows.index("### B") + 2  # the first line of B's entries, counted from 1
    new = entry(10, "Paper A10").rstrip("\n")  # a paper of A, added under B too, written alike or not
    rows.insert(at - 1, new.replace("(*Arxiv 2024.12*)", "(*ICLR 25'*)"))
    text = "\n".join(rows) + "\n"

    learnt = run_rules(text, checked={at})
    assert [(f.rule, f.severity, f.kind) for f in learnt] == [("duplicate", "warning", "cross-listed")]
    assert "also listed under “A”" in learnt[0].message and "written alike" not in learnt[0].message
    # A maintainer who sets the scope says the list cross-lists on purpose: nothing to say.
    assert run_rules(text, checked={at}, cfg="rules:\n  duplicate:\n    scope: section\n") == []


def test_one_title_by_authors_who_share_no_name_is_two_works():
    rows = [
        "* Philipp Koehn. 2017. [Neural Machine Translation](https://arxiv.org/abs/1709.07809).",
        "* Thang Luong, Kyunghyun Cho, and Christopher Manning. 2016. [Neural Machine Translation](https://nlp.stanford.edu/nmt.pdf).",
        "* Kyunghyun Cho et al. 2016. [Neural Machine Translation](https://example.org/nmt.pdf).",
    ]  # fmt: skip
    found = [f for f in run_rules("\n".join(rows) + "\n") if f.rule == "duplicate"]
    # Koehn's survey and the tutorial are two works; the tutorial, listed again by one of its
    # authors' names, is one listed twice.
    assert [(f.line, f.kind) for f in found] == [(3, "same-title")]


def test_subsections_of_one_name_under_two_topics_are_two_places():
    copy = "- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    body = "## Safety\n### Papers\n" + copy + "## Privacy\n### Papers\n" + copy.replace("abs/", "pdf/")
    (f,) = [f for f in run_rules(body) if f.rule == "duplicate"]
    assert (f.severity, f.kind) == ("warning", "cross-listed")
    both = "## Safety\n### Papers\n" + copy + copy.replace("abs/", "pdf/")
    assert [(f.severity, f.kind) for f in run_rules(both) if f.rule == "duplicate"] == [("error", "same-id")]


def test_a_line_of_bold_alone_or_a_group_item_heads_a_place_of_its_own():
    copy = "- (*Arxiv 2024.12*) Same Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    other = copy.replace("abs/", "pdf/")
    for body in (
        "**In web scenarios**\n" + copy + "\n**In life scenarios**\n" + other,
        "* <span id='app'> **Applications** </span>\n  " + copy + "* **Editing**\n  " + other,
    ):
        assert [(f.severity, f.kind) for f in run_rules(body) if f.rule == "duplicate"] == [
            ("warning", "cross-listed")
        ]
    # An entry written as a bold title alone (`- **Title**` over its authors) heads nothing.
    bold = "- **Same Paper**\n  *Ada Lovelace* [[paper](https://arxiv.org/abs/2412.00001)]\n"
    body = bold + "- **Another Paper**\n  *Alan Turing* [[paper](https://arxiv.org/abs/2412.00002)]\n" + bold
    assert [(f.severity, f.kind) for f in run_rules(body) if f.rule == "duplicate"] == [("error", "same-id")]
