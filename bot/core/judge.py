"""Run the rules over a document: the lines under review, with the whole file as context."""

from __future__ import annotations

import datetime as dt

from .config import Config
from .document import Document
from .grammar import Grammar
from .model import RANK, ArxivLookup, Finding
from .rules import RULES
from .rules.base import Context


def judge(
    doc: Document,
    config: Config,
    path: str,
    *,
    checked: frozenset[int] | None = None,
    arxiv: ArxivLookup | None = None,
    today: dt.date | None = None,
    grammar: Grammar | None = None,
    repos: dict[str, str] | None = None,
) -> list[Finding]:
    """Findings for the checked lines (None: every line), in line order."""
    ctx = Context(doc, config, grammar or Grammar.from_config(config["grammar"]), checked, arxiv, repos=repos)
    if today:
        ctx.today = today
    active = [(rule, config.severity(rule.ID)) for rule in RULES if config.severity(rule.ID) != "off"]
    findings: list[Finding] = []
    for item in doc.items:
        if checked is not None and item.line not in checked:
            continue
        hits = [(rule.ID, severity, hit) for rule, severity in active for hit in rule.check(item, ctx)]
        if not hits:
            continue
        # A line the grammar could repair: the other rules judged the repaired entry, so every
        # suggestion starts from the repaired line, and the syntax fix carries all of them.
        base = item.fixed or item.text
        everything = apply_edits(base, [e for rid, _, h in hits if rid != "entry-syntax" for e in h.edits])
        for rid, severity, hit in hits:
            level = "notice" if hit.notice else _cap(severity, "warning") if hit.minor else severity
            if hit.delete:
                suggestion = ""  # an empty suggestion removes the line
            elif rid == "entry-syntax" and item.fixed is not None:
                suggestion = everything
            else:
                suggestion = apply_edits(base, hit.edits) if hit.edits else None
            if suggestion == item.text:
                suggestion = None
            findings.append(
                Finding(
                    rid,
                    level,
                    path,
                    item.line,
                    hit.message,
                    suggestion,
                    hit.edits,
                    unsafe=hit.unsafe,
                    unverified=hit.unverified,
                )
            )
    return findings


def apply_edits(line: str, edits) -> str:
    """Compose the fixes of several rules on one line; an edit whose text is gone is skipped."""
    for edit in edits:
        line = edit.apply(line)
    return line


def _cap(severity: str, cap: str) -> str:
    return severity if RANK[severity] <= RANK[cap] else cap


def summary(findings: list[Finding]) -> dict[str, int]:
    out = {s: 0 for s in ("error", "warning", "notice")}
    for f in findings:
        out[f.severity] += 1
    return out
