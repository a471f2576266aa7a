"""bot.core.verdict.judge (basic): the rules run over the lines under review, with the whole file as context,
and their fixes compose on one line."""

from __future__ import annotations

from bot.core.model import Edit, Finding
from bot.core.verdict import judge
from tests.conftest import rules_of, run_rules
from tests.rules.conftest import added

BAD = "- (*ICML 2024*) Self-Play Fine-Tuning [[paper](https://arxiv.org/pdf/2401.01335v2)]"
GOOD = "- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]"


def test_only_the_lines_under_review_are_judged() -> None:
    body = f"{GOOD}\n{BAD}\n{BAD.replace('Self-Play', 'Other')}\n"
    everything = run_rules(body)
    only_two = run_rules(body, checked={2})

    assert {f.line for f in everything} == {2, 3}
    assert {f.line for f in only_two} == {2}
    assert [f.line for f in everything] == sorted(f.line for f in everything)  # in line order


def test_the_fixes_of_several_rules_make_one_suggestion() -> None:
    found = added(BAD)  # to a list whose format is learnt: a one-line list teaches none
    assert ("venue-tag", "error") in rules_of(found) and ("arxiv-link", "warning") in rules_of(found)
    suggestions = {f.rule: f.suggestion for f in found}
    assert suggestions["venue-tag"] == BAD.replace("ICML 2024", "ICML 24'")
    assert judge.apply_edits(BAD, [Edit("2024*", "24'*"), Edit("pdf/", "abs/"), Edit("gone", "x")]) == (
        BAD.replace("2024*", "24'*").replace("pdf/", "abs/")
    )


def test_a_rule_set_off_says_nothing() -> None:
    assert "venue-tag" not in {f.rule for f in run_rules(f"{BAD}\n", cfg="rules:\n  venue-tag: off\n")}


def test_summary_counts_by_severity() -> None:
    found = [Finding("r", s, "README.md", 1, "m") for s in ("error", "error", "notice")]
    assert judge.summary(found) == {"error": 2, "warning": 0, "notice": 1}
