"""Run the rules over a document: the items under review, with the whole file as context."""

from __future__ import annotations

import datetime as dt

from ..config.config import Config
from ..model import RANK, ArxivLookup, Finding, RecordLookup
from ..read.document import Document, Item
from ..read.suppress import Trust, apply
from ..rules import RULES
from ..rules.base import Context


def is_checked(item: Item, checked: frozenset[int] | None) -> bool:
    """An item is under review when the diff touches any of its lines."""
    if checked is None:
        return True
    if item.end == item.line:
        return item.line in checked
    return any(n in checked for n in range(item.line, item.end + 1))


def judge(
    doc: Document,
    config: Config,
    path: str,
    *,
    today: dt.date,
    checked: frozenset[int] | None = None,
    arxiv: ArxivLookup | None = None,
    repos: dict[str, str] | None = None,
    records: RecordLookup | None = None,
    trust: Trust | None = None,
) -> list[Finding]:
    """Findings for the checked items (None: every item), in line order, less those an inline
    suppression silences (`trust`: on a pull request, which comments count; None: all)."""
    ctx = Context(doc, config, doc.grammar, checked, today, arxiv, repos=repos, records=records)
    active = [
        (rule, config.severity(rule.RULE.id)) for rule in RULES if config.severity(rule.RULE.id) != "off"
    ]
    findings: list[Finding] = []
    for item in doc.items:
        if not is_checked(item, checked):
            continue
        hits = [(rule.RULE.id, severity, hit) for rule, severity in active for hit in rule.check(item, ctx)]
        if not hits:
            continue
        # An item the format could repair: every other rule's fix applies to the repaired item, and
        # the syntax fix carries all of them.
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
                    item.end,
                    unsafe=hit.unsafe,
                    unverified=hit.unverified,
                )
            )
    if doc.suppressions:
        findings = apply(
            findings,
            doc.suppressions,
            path=path,
            lines=doc.lines,
            checked=checked,
            trust=trust,
            active={rule.RULE.id: config.severity(rule.RULE.id) for rule in RULES},
            items=[i.line for i in doc.items],
            judged={i.line for i in doc.items if is_checked(i, checked)},
        )
    return findings


def apply_edits(line: str, edits) -> str:
    """Compose the fixes of several rules on one item; an edit whose text is gone is skipped."""
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
