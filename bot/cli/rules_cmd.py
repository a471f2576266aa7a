"""`rules` (the table of rules) and `rule ID` / `--explain ID` (one rule: doc, options, its example run
through the rule), written from the rules' declarations, as the README's table is."""

from __future__ import annotations

import difflib
import sys
import textwrap
from typing import TextIO

from ..core.config.config import rules
from ..core.config.shipped import yaml_value
from ..core.verdict import examples

WIDTH = 100


def table(stdout: TextIO = sys.stdout) -> int:
    declared = rules()
    width = max(len(r.id) for r in declared)
    out = [f"{'rule':<{width}}  {'default':<8}  what it finds"]
    for r in declared:
        doc = textwrap.wrap(r.doc, WIDTH - width - 12) or [""]
        out.append(f"{r.id:<{width}}  {r.severity.value:<8}  {doc[0]}")
        out += [" " * (width + 12) + more for more in doc[1:]]
    out.append("")
    out.append("`awesome-review rule ID` explains one, with an example; config.yml sets each under `rules:`.")
    stdout.write("\n".join(out) + "\n")
    return 0


def explain(rule_id: str, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    declared = {r.id: r for r in rules()}
    rule = declared.get(rule_id)
    if rule is None:
        close = difflib.get_close_matches(rule_id, list(declared), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        stderr.write(f"error: {rule_id!r} is not a rule ({hint}`awesome-review rules` lists them)\n")
        return 2
    out = [f"{rule.id} (default: {rule.severity.value})", ""]
    out += textwrap.wrap(rule.doc, WIDTH)
    if rule.options:
        out += ["", f"Options (config.yml: `rules: {{{rule.id}: {{severity: ..., OPTION: VALUE}}}}`):"]
        for o in rule.options:
            out.append(f"  {o.name}: {yaml_value(o.default)}")
            out += textwrap.wrap(o.doc, WIDTH, initial_indent="      ", subsequent_indent="      ")
    out += ["", "What it finds, by kind (a finding's `kind`; calibrated on the list's accepted entries):"]
    for k in rule.kinds:
        said = " (format advice)" if k.format else " (a fact: never calibrated)" if k.fact else ""
        out += textwrap.wrap(f"{k.id}: {k.doc}{said}", WIDTH, initial_indent="  ", subsequent_indent="      ")
    out += ["", *_example(rule)]
    stdout.write("\n".join(out) + "\n")
    return 0


def _example(rule) -> list[str]:
    ex = rule.example
    bad = examples.place(ex)
    where = f"under `## {ex.section}`" if ex.section else "to a list in the seed list's format"
    out = [f"Example: a pull request adds {where}:", ""]
    out += [f"  {examples.PATH}:{n}: {line}" for n, line in _lines(bad)]
    facts = _facts(ex)
    if facts:
        out += ["", "where", *(f"  {f}" for f in facts)]
    out += ["", "and awesome-review says:", ""]
    for f in examples.run(rule):
        out.append(f"  {f.path}:{f.line}: {f.severity} {f.rule}: {f.message}")
        if f.suggestion is not None:
            out.append(f"    suggestion: {f.suggestion or 'remove the line'}")
    fixed = examples.place(ex, fixed=True)
    if ex.fixed is None:
        out += ["", "Fixed: the line removed; the list then has no finding of this rule."]
    else:
        out += ["", "Fixed (no finding of this rule):", ""]
        out += [f"  {examples.PATH}:{n}: {line}" for n, line in _lines(fixed)]
    return out


def _lines(placed: examples.Placed) -> list[tuple[int, str]]:
    rows = placed.text.split("\n")
    return [(n, rows[n - 1]) for n in sorted(placed.lines)]


def _facts(ex) -> list[str]:
    out = [f"arXiv has {p.id}: “{p.title}”" for p in ex.papers]
    out += [f"arXiv has no paper {i}" for i in ex.missing]
    for key, record in ex.records:
        said = f", DBLP {record.dblp}" if record.dblp else ""
        out.append(f"the publication record of {key} is “{record.title}”{said}")
    names = {"missing": "does not exist", "archived": "is archived", "ok": "exists"}
    out += [f"GitHub's repository {name} {names.get(status, status)}" for name, status in ex.repos]
    return out
