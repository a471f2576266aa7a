"""Every rule's declared example (what `awesome-review rule ID`, the README's table and SARIF show)
really is one: the bad entry gets the rule's finding, on the lines it was added at; the fixed entry
gets none; and where the finding carries a suggestion, applying it gives the fixed list."""

from __future__ import annotations

import pytest

from bot.core.rules import RULES
from bot.core.verdict import examples

DECLARED = [m.RULE for m in RULES]


def test_every_rule_declares_an_example():
    assert [r.id for r in DECLARED if r.example is None] == []


@pytest.mark.parametrize("rule", DECLARED, ids=[r.id for r in DECLARED])
def test_the_bad_entry_gets_the_finding_and_the_fixed_one_does_not(rule):
    bad = examples.run(rule)
    placed = examples.place(rule.example)
    assert bad, f"{rule.id}: its example's bad entry gets no finding"
    assert {f.line for f in bad} <= placed.lines, [(f.line, f.message) for f in bad]
    assert examples.run(rule, fixed=True) == [], f"{rule.id}: its fixed entry still gets a finding"
    for f in bad:
        if f.suggestion is None:
            continue
        rows = placed.text.split("\n")
        rows[f.line - 1 : max(f.end_line, f.line)] = f.suggestion.split("\n") if f.suggestion else []
        fixed = examples.place(rule.example, fixed=True).text
        assert "\n".join(rows) == fixed, f"{rule.id}: the suggestion is not the declared fix"
