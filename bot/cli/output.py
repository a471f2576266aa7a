"""Findings as text (for people), JSON (for tools), GitHub workflow commands (for Actions), SARIF
(for code scanning) or per-rule counts (--statistics)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ..core.model import Finding
from ..core.verdict.fix import LineFix

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "notice": "\033[36m"}
_RESET, _DIM = "\033[0m", "\033[2m"
_GH_LEVEL = {"error": "error", "warning": "warning", "notice": "notice"}


def text(findings: list[Finding], summary: dict, colour: bool) -> str:
    out = []
    for f in findings:
        sev = f"{_COLOURS[f.severity]}{f.severity}{_RESET}" if colour else f.severity
        out.append(f"{f.path}:{f.line}: {sev} {f.rule}: {f.message}")
        if f.suggestion is not None:
            hint = f"    suggestion{' (unsafe: --fix applies it with --unsafe-fixes)' if f.unsafe else ''}: "
            hint += f.suggestion or "remove the line"
            out.append(f"{_DIM}{hint}{_RESET}" if colour else hint)
    out.append(_tally(summary))
    return "\n".join(out) + "\n"


Fixed = list[tuple[str, LineFix]]  # (path, what --fix changed there)


def as_json(findings: list[Finding], summary: dict, fixed: Fixed | None = None) -> str:
    out: dict = {"findings": [f.to_json() for f in findings], "summary": summary}
    if fixed is not None:
        out["fixed"] = [
            {"path": p, "line": c.line, "rules": list(c.rules), "old": c.old, "new": c.new} for p, c in fixed
        ]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def fixes(fixed: Fixed | None) -> str:
    """What `--fix` changed, by the line numbers the files had before; "" without --fix."""
    if fixed is None:
        return ""
    out = [
        f"{path}:{c.line}: {'removed the line' if c.new is None else 'fixed'} ({', '.join(c.rules)})"
        for path, c in fixed
    ]
    n = len(fixed)
    out.append(
        f"fixed {n} line{'s' if n != 1 else ''}; what remains:" if n else "nothing to fix; what remains:"
    )
    return "\n".join(out) + "\n"


def github(findings: Iterable[Finding], summary: dict) -> str:
    lines = []
    for f in findings:
        msg = f.message
        if f.suggestion is not None:
            msg += (
                f"\nSuggested line:\n{f.suggestion}" if f.suggestion else "\nSuggested fix: remove the line."
            )
        props = f"file={_prop(f.path)},line={f.line},title={_prop(f.rule)}"
        lines.append(f"::{_GH_LEVEL[f.severity]} {props}::{_data(msg)}")
    lines.append(_tally(summary))
    return "\n".join(lines) + "\n"


def statistics(findings: list[Finding], *, as_json: bool = False) -> str:
    """Findings counted per rule and severity, the most frequent first (`--statistics`)."""
    count = Counter((f.rule, f.severity) for f in findings)
    fixable = Counter((f.rule, f.severity) for f in findings if f.suggestion is not None and not f.unsafe)
    rows = sorted(count.items(), key=lambda kv: (-kv[1], kv[0]))
    if as_json:
        data = [{"rule": r, "severity": s, "count": n, "fixable": fixable[r, s]} for (r, s), n in rows]
        return json.dumps(data, indent=2) + "\n"
    if not rows:
        return "no findings\n"
    width = max(len(str(n)) for _, n in rows)
    rule_width = max(len(r) for (r, _), _ in rows)
    out = []
    for (rule, severity), n in rows:
        note = f"  ({fixable[rule, severity]} fixable with --fix)" if fixable[rule, severity] else ""
        out.append(f"{n:>{width}}  {rule:<{rule_width}}  {severity}{note}".rstrip())
    return "\n".join(out) + "\n"


SARIF_LEVEL = {"error": "error", "warning": "warning", "notice": "note"}


def sarif(findings: list[Finding], version: str) -> str:
    """SARIF 2.1.0, as ruff writes it, for GitHub code scanning: one run, the rules' descriptors from
    their declarations, a result per finding (with its suggestion as a fix)."""
    from ..core.config.config import rules

    declared = list(rules())
    index = {r.id: n for n, r in enumerate(declared)}
    results = []
    for f in findings:
        uri = _uri(f.path)
        end = max(f.end_line, f.line)
        result: dict = {
            "ruleId": f.rule,
            "ruleIndex": index[f.rule],
            "level": SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri},
                        "region": {"startLine": f.line, "endLine": end},
                    }
                }
            ],
        }
        if f.suggestion is not None:
            region = (
                {"startLine": f.line, "startColumn": 1, "endLine": end + 1, "endColumn": 1}
                if f.suggestion == ""
                else {"startLine": f.line, "endLine": end}
            )
            result["fixes"] = [
                {
                    "description": {
                        "text": "remove the line" if f.suggestion == "" else "the suggested line"
                    },
                    "artifactChanges": [
                        {
                            "artifactLocation": {"uri": uri},
                            "replacements": [
                                {"deletedRegion": region, "insertedContent": {"text": f.suggestion}}
                            ],
                        }
                    ],
                }
            ]
        results.append(result)
    descriptors = [
        {
            "id": r.id,
            "name": r.id,
            "shortDescription": {"text": r.doc},
            "fullDescription": {"text": r.doc},
            "help": {"text": f"{r.doc} `awesome-review rule {r.id}` shows an example and its fix."},
            "defaultConfiguration": {"level": SARIF_LEVEL.get(r.severity.value, "none")},
            "properties": {"id": r.id, "problem.severity": r.severity.value},
        }
        for r in declared
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "awesome-review",
                        "version": version,
                        "rules": descriptors,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _uri(path: str) -> str:
    p = Path(path)
    return p.absolute().as_uri() if p.is_absolute() else p.as_posix()


def _tally(summary: dict) -> str:
    parts = [f"{summary[k]} {k}{'s' if summary[k] != 1 else ''}" for k in ("error", "warning", "notice")]
    items = summary.get("items", summary["entries"])
    odd = items - summary["entries"]
    tail = f" ({odd} not in the list's format)" if odd else ""
    return f"{', '.join(parts)} in {items} entries checked{tail}"


def _data(s: str) -> str:
    """Escape a workflow-command message (GitHub's rules: %, CR, LF)."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(s: str) -> str:
    return _data(s).replace(":", "%3A").replace(",", "%2C")
