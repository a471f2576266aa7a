"""Findings as text (for people), JSON (for tools) or GitHub workflow commands (for Actions)."""

from __future__ import annotations

import json
from collections.abc import Iterable

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


def as_json(findings: list[Finding], summary: dict, fixed: list[LineFix] | None = None) -> str:
    out: dict = {"findings": [f.to_json() for f in findings], "summary": summary}
    if fixed is not None:
        out["fixed"] = [{"line": c.line, "rules": list(c.rules), "old": c.old, "new": c.new} for c in fixed]
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n"


def fixes(path: str, fixed: list[LineFix] | None) -> str:
    """What `--fix` changed, by the line numbers the file had before; "" without --fix."""
    if fixed is None:
        return ""
    out = [
        f"{path}:{c.line}: {'removed the line' if c.new is None else 'fixed'} ({', '.join(c.rules)})"
        for c in fixed
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
