"""Run the rules over a document: the items under review, with the whole file as context."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..budget import UNLIMITED, Budget
from ..config.config import Config
from ..model import PROGRESS_EVERY, RANK, ArxivLookup, Finding, Progress, RecordLookup
from ..read.document import Document, Item
from ..read.suppress import Trust, apply
from ..rules import RULES, entry_syntax
from ..rules.base import Context, Hit
from .calibration import Said, calibrate, gate


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
    budget: Budget = UNLIMITED,
    progress: Progress | None = None,
) -> list[Finding]:
    """Findings for the checked items (None: every item), in line order, less what the list's accepted
    entries say is its style (`config.calibration`, learnt from the base) and those an inline
    suppression silences (`trust`: on a pull request, which comments count; None: all); `progress` is
    told how many items have been judged, now and then. A whole file
    with no calibration is its own base: it is calibrated on what the rules say here, and `doc.config`
    then carries that calibration."""
    ctx = Context(
        doc, config, doc.grammar, checked, today, arxiv, repos=repos, records=records,
        calibration=config.calibration or gate(doc, config),  # never judged in a format not learnt
        memo_urls=doc.urls,
    )  # fmt: skip
    said = hits(doc, ctx, budget, progress)
    if config.calibration is None and checked is None:
        ctx.calibration = calibrate(doc, config, said)
        doc.config = replace(config, calibration=ctx.calibration)
    findings: list[Finding] = []
    for item, raw in said:
        kept = _reported(item, raw, ctx)
        if not any(rule is entry_syntax for rule, _, _ in kept):
            item.fixed = None  # no format advice on it: the other fixes apply to the entry as written
        findings.extend(_findings(item, kept, path))
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


def hits(
    doc: Document, ctx: Context, budget: Budget = UNLIMITED, progress: Progress | None = None
) -> list[tuple[Item, list[Said]]]:
    """What every rule that is on says on each item under review (those it says nothing on left out).
    A rule that reads an outside source (`needs`) is not run without it: it would have nothing to say."""
    config = ctx.config
    sources = {"arxiv": ctx.arxiv, "records": ctx.records, "repos": ctx.repos}
    active = [
        (rule, config.severity(rule.RULE.id))
        for rule in RULES
        if config.severity(rule.RULE.id) != "off" and all(sources[s] is not None for s in rule.RULE.needs)
    ]
    out: list[tuple[Item, list[Said]]] = []
    total = len(doc.items)
    for k, item in enumerate(doc.items):
        if progress is not None and k % PROGRESS_EVERY == 0:
            progress(k, total)
        if is_checked(item, ctx.checked):
            budget.check(item.line)
            said = [(rule, severity, hit) for rule, severity in active for hit in rule.check(item, ctx)]
            if said:
                out.append((item, said))
    if progress is not None:
        progress(total, total)
    return out


def _reported(item: Item, said: list[Said], ctx: Context) -> list[Said]:
    """What is said on this list: a hit whose kinds are all reported. A rule whose one message says
    some kinds that are the list's style and some that are not is asked again, now that the
    calibration is known, and says only the rest."""
    out: list[Said] = []
    for rule, severity in dict.fromkeys((r, s) for r, s, _ in said):
        rid = rule.RULE.id
        mine = [h for r, _, h in said if r is rule]
        told = [[ctx.reports(rid, k, d) for k, d in h.kinds] for h in mine]
        if any(any(t) and not all(t) for t in told):
            mine = list(rule.check(item, ctx))
            told = [[ctx.reports(rid, k, d) for k, d in h.kinds] for h in mine]
        out.extend((rule, severity, h) for h, t in zip(mine, told, strict=True) if all(t))
    return out


def _findings(item: Item, said: list[Said], path: str) -> list[Finding]:
    # An item the format could repair: every other rule's fix applies to the repaired item, and
    # the syntax fix carries all of them.
    base = item.fixed or item.text
    everything = apply_edits(base, [e for r, _, h in said if r is not entry_syntax for e in h.edits])
    out = []
    for rule, severity, hit in said:
        level = level_of(severity, hit)
        if hit.delete:
            suggestion = ""  # an empty suggestion removes the line
        elif rule is entry_syntax and item.fixed is not None:
            suggestion = everything
        else:
            suggestion = apply_edits(base, hit.edits) if hit.edits else None
        if suggestion == item.text:
            suggestion = None
        out.append(
            Finding(
                rule.RULE.id,
                level,
                path,
                item.line,
                hit.message,
                suggestion,
                hit.edits,
                item.end,
                unsafe=hit.unsafe,
                unverified=hit.unverified,
                kind=hit.kind.id,
            )
        )
    return out


def apply_edits(line: str, edits) -> str:
    """Compose the fixes of several rules on one item; an edit whose text is gone is skipped."""
    for edit in edits:
        line = edit.apply(line)
    return line


def level_of(severity: str, hit: Hit) -> str:
    """The severity a hit is reported at: its rule's, capped for a minor one, a notice for a notice."""
    return "notice" if hit.notice else _cap(severity, "warning") if hit.minor else severity


def _cap(severity: str, cap: str) -> str:
    return severity if RANK[severity] <= RANK[cap] else cap


def summary(findings: list[Finding]) -> dict[str, int]:
    out = {s: 0 for s in ("error", "warning", "notice")}
    for f in findings:
        out[f.severity] += 1
    return out
