"""`check --fix`: the findings' suggestions applied to the list file's bytes, pass after pass.

Pure: the caller reads and writes the file and supplies `review`, which judges a text (the same
pipeline `check` runs). Only the lines a fix changes are rewritten, byte for byte everything else
stays (a BOM, CRLF or LF endings, the final newline or its absence, bytes that are not UTF-8).
A fix marked unsafe (a deletion, a title taken from arXiv) is applied only when asked for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import Finding
from .judge import apply_edits

BOM = b"\xef\xbb\xbf"
MAX_PASSES = 8  # a fix can expose another (a repaired line is judged again); ruff iterates too

# (text, lines under review or None) -> (the text's lines as the rules saw them, findings,
# lines that held invalid UTF-8)
Review = Callable[[bytes, frozenset[int] | None], tuple[list[str], list[Finding], set[int]]]


@dataclass(frozen=True)
class LineFix:
    line: int  # in the file as it was before --fix
    rules: tuple[str, ...]
    old: str
    new: str | None  # None: the line was removed
    end: int = 0  # an entry over several lines: its last line (`old` and `new` hold "\n")

    @property
    def last(self) -> int:
        return max(self.end, self.line)

    def gone(self) -> set[int]:
        """Lines (of the text judged) that the change removes."""
        kept = 0 if self.new is None else self.new.count("\n") + 1
        return set(range(self.line + kept, self.last + 1))


@dataclass
class Outcome:
    data: bytes  # the fixed file (the input when nothing applied)
    fixed: list[LineFix] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)  # on the fixed file, its line numbers
    checked: frozenset[int] | None = None  # the lines under review, renumbered in the fixed file


def fix(data: bytes, checked: frozenset[int] | None, review: Review, *, unsafe: bool = False) -> Outcome:
    """Apply every allowed suggestion, judge again, until nothing changes (at most MAX_PASSES)."""
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    origin = list(range(1, body.count(b"\n") + 2))  # current line -> line before --fix
    fixed: list[LineFix] = []
    for _ in range(MAX_PASSES):
        lines, findings, bad = review(data, checked)
        body, changes = rewrite(body, plan(findings, lines, unsafe=unsafe, skip=bad))
        if not changes:
            return Outcome(data, sorted(fixed, key=lambda c: c.line), findings, checked)
        data = BOM + body if bom else body
        for c in changes:
            fixed = _merged(fixed, LineFix(origin[c.line - 1], c.rules, c.old, c.new))
        gone = {n for c in changes for n in c.gone()}
        origin = [o for n, o in enumerate(origin, 1) if n not in gone]
        checked = renumber(checked, gone)
    _, findings, _ = review(data, checked)
    return Outcome(data, sorted(fixed, key=lambda c: c.line), findings, checked)


def _merged(fixed: list[LineFix], new: LineFix) -> list[LineFix]:
    """One report per line: a line fixed again in a later pass keeps its first text, every rule."""
    for i, c in enumerate(fixed):
        if c.line == new.line:
            rules = tuple(dict.fromkeys(c.rules + new.rules))
            return [*fixed[:i], LineFix(c.line, rules, c.old, new.new), *fixed[i + 1 :]]
    return [*fixed, new]


def plan(
    findings: list[Finding], lines: list[str], *, unsafe: bool, skip: set[int] = frozenset()
) -> list[LineFix]:
    """One change per line that has fixes allowed; line numbers of the text judged.

    The edits of every allowed finding on a line compose (the syntax repair first, as the judge
    orders them), so a held-back unsafe fix is left out even where the syntax suggestion carries it.
    An empty suggestion removes the line.
    """
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for f in findings:
        if f.suggestion is not None and (unsafe or not f.unsafe) and f.line not in skip:
            by_line[f.line].append(f)
    out: list[LineFix] = []
    for n, found in sorted(by_line.items()):
        end = max((f.end_line for f in found), default=0)
        if not 1 <= n <= len(lines) or end > len(lines):
            continue
        old = "\n".join(lines[n - 1 : max(end, n)])
        if any(f.suggestion == "" for f in found):
            rules = tuple(dict.fromkeys(f.rule for f in found if f.suggestion == ""))
            out.append(LineFix(n, rules, old, None, end))
            continue
        rules = tuple(dict.fromkeys(f.rule for f in found))
        if all(f.edits for f in found):
            new = apply_edits(old, [e for f in found for e in f.edits])
        elif len(found) == 1:
            new = found[0].suggestion  # a whole-entry suggestion with no edits to compose
        else:
            continue
        if new != old and "\r" not in new and new.count("\n") <= max(end, n) - n:
            out.append(LineFix(n, rules, old, new, end))
    return out


def rewrite(body: bytes, changes: list[LineFix]) -> tuple[bytes, list[LineFix]]:
    """Replace or remove whole lines of a file (without its BOM). A replaced line keeps its own
    ending (LF, CRLF, none); a removed line goes with its ending, and a file that did not end with a
    newline still does not. Returns the new bytes and the changes applied (a line that is not the one
    judged is left as it is)."""
    parts = body.split(b"\n")
    lines = [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    by_line = {c.line: c for c in changes}
    out: list[bytes] = []
    applied: list[LineFix] = []
    skip_to = 0
    for n, raw in enumerate(lines, 1):
        if n <= skip_to:
            continue
        content = raw.removesuffix(b"\n")
        ending = raw[len(content.removesuffix(b"\r")) :]
        c = by_line.get(n)
        if c is not None:
            span = [r.removesuffix(b"\n").removesuffix(b"\r") for r in lines[n - 1 : c.last]]
            if b"\n".join(span).decode("utf-8", errors="replace") != c.old:
                c = None
        if c is None:
            out.append(raw)
            continue
        applied.append(c)
        skip_to = c.last
        if c.new is not None:
            out.extend(part.encode("utf-8") + ending for part in c.new.split("\n"))
    if out and lines and not lines[-1].endswith(b"\n"):  # no final newline before: none after
        out[-1] = out[-1].removesuffix(b"\n").removesuffix(b"\r")
    return b"".join(out), applied


def renumber(checked: frozenset[int] | None, removed: set[int]) -> frozenset[int] | None:
    """The lines under review after `removed` lines are gone."""
    if checked is None or not removed:
        return checked
    return frozenset(n - sum(r < n for r in removed) for n in checked if n not in removed)
