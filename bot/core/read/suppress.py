"""Inline suppression: HTML comments in the list (GitHub does not render them), as markdownlint
writes them:

    <!-- awesome-review-disable-next-line duplicate -->     the line below it
    <!-- awesome-review-disable duplicate order -->         from here ...
    <!-- awesome-review-enable duplicate order -->          ... to here (or to the end of the file)

With no rule ids, every rule. Read with the document (:func:`read`), applied by the judge
(:func:`apply`), which also reports a suppression that suppresses nothing, names no rule, or (on a
pull request) is not honoured.

A pull request cannot silence a rule on its own lines: with a :class:`Trust`, a comment the change adds
is not honoured, a `disable-next-line` never covers an added line, and a `disable` block covers the
lines added inside it only while every suppression comment of the base version still stands (a
change that deletes an `enable` would otherwise stretch a block over its own lines).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Finding
from ..options import Kind

# What the suppression rule says of a comment (rules/suppression.py declares them as its kinds).
ADDED = Kind("added-by-change", "A suppression the pull request adds for its own lines: not honoured.")
UNKNOWN = Kind("unknown-rule", "A suppression naming no rule.")
IDLE = Kind("suppresses-nothing", "A suppression that silences nothing.")

PREFIX = "awesome-review-"
_COMMENT = re.compile(r"<!--\s*awesome-review-(disable-next-line|disable|enable)(?=\s|-->)(.{0,2000}?)-->")
_IDS = re.compile(r"[\w.-]+")
ALL = "*"


@dataclass(frozen=True)
class Suppression:
    """One rule (or ALL) silenced by one comment over a range of lines."""

    line: int  # the comment's line
    rule: str
    first: int
    last: int  # inclusive; a block left open runs to the end of the file
    next_line: bool  # `disable-next-line`

    def covers(self, line: int, rule: str) -> bool:
        return self.first <= line <= self.last and self.rule in (ALL, rule)


@dataclass(frozen=True)
class Trust:
    """Which comments count on a pull request: those that stand in the base branch."""

    added: frozenset[int]  # the lines the change adds
    intact: bool = True  # every suppression comment of the base version is still in the file


def read(comments: Iterable[tuple[int, str]], last_line: int) -> list[Suppression]:
    """The suppressions that one-line HTML comments (line, text) declare, in a file of `last_line` lines."""
    out: list[Suppression] = []
    open_: dict[str, int] = {}  # rule -> the line of the `disable` that opened its block
    for n, text in comments:
        m = _COMMENT.fullmatch(text)
        if m is None:
            continue
        kind, ids = m[1], _IDS.findall(m[2]) or [ALL]
        if kind == "disable-next-line":
            out += [Suppression(n, r, n + 1, n + 1, True) for r in ids]
        elif kind == "disable":
            for r in ids:
                open_.setdefault(r, n)
        else:
            for r in list(open_) if ids == [ALL] else ids:
                if r in open_:
                    start = open_.pop(r)
                    out.append(Suppression(start, r, start + 1, n - 1, False))
    out += [Suppression(start, r, start + 1, last_line, False) for r, start in open_.items()]
    return sorted(out, key=lambda s: (s.line, s.rule))


def is_comment(line: str) -> bool:
    """The line is a suppression comment."""
    return _COMMENT.fullmatch(line.strip()) is not None


def none_removed(removed: Iterable[str]) -> bool:
    """No suppression comment is among the lines a change removes: every one of the base version's
    still stands (:attr:`Trust.intact`)."""
    return not any(is_comment(line) for line in removed)


def all_kept(base: Iterable[str], head: Iterable[str]) -> bool:
    """Every suppression comment of the base version's lines is among the head version's (as often)."""
    from collections import Counter

    want = Counter(line.strip() for line in base if is_comment(line))
    if not want:
        return True
    have = Counter(line.strip() for line in head if is_comment(line))
    return all(have[t] >= n for t, n in want.items())


def apply(
    findings: list[Finding],
    suppressions: list[Suppression],
    *,
    path: str,
    lines: list[str],
    checked: frozenset[int] | None,
    trust: Trust | None,
    active: dict[str, str],
    items: list[int],
    judged: set[int],
) -> list[Finding]:
    """The findings less those a suppression honoured here silences, and a finding of the
    `suppression` rule (at its severity in `active`, absent when off) on each comment under review
    that is not honoured, names an unknown rule, or silences nothing. `active`: every declared rule's
    severity; `items`: the first lines of the file's items; `judged`: those of the items judged (a
    suppression silences nothing only if every item it covers was judged)."""

    def honoured(s: Suppression, line: int) -> bool:
        if trust is None:
            return True
        if s.line in trust.added:
            return False
        if line not in trust.added:
            return True
        return not s.next_line and trust.intact

    used: set[Suppression] = set()
    kept = []
    for f in findings:
        hit = [s for s in suppressions if s.covers(f.line, f.rule) and honoured(s, f.line)]
        used.update(hit)
        if not hit:
            kept.append(f)
    severity = active.get("suppression", "off")
    if severity == "off":
        return kept

    def say(kind: Kind, line: int, message: str, suggestion: str | None = None) -> None:
        kept.append(Finding("suppression", severity, path, line, message, suggestion, kind=kind.id))

    by_comment: dict[int, list[Suppression]] = {}
    for s in suppressions:
        by_comment.setdefault(s.line, []).append(s)
    for line, group in sorted(by_comment.items()):
        if checked is not None and line not in checked:
            continue  # a comment the change does not touch: not its author's to hear about
        if trust is not None and line in trust.added:
            say(
                ADDED,
                line,
                "This suppression is added by this change, so it is not honoured: a pull request cannot "
                "silence a rule on its own lines. A maintainer adds it on the default branch.",
            )
            continue
        unknown = [s.rule for s in group if s.rule != ALL and s.rule not in active]
        idle = [
            s.rule
            for s in group
            if s not in used
            and s.rule not in unknown
            and (s.rule == ALL or active[s.rule] != "off")
            and all(n in judged for n in items if s.first <= n <= s.last)
        ]
        if unknown:
            hints = [difflib.get_close_matches(r, list(active), n=1) for r in unknown]
            named = ", ".join(
                f"`{r}`" + (f" (did you mean `{h[0]}`?)" if h else "")
                for r, h in zip(unknown, hints, strict=True)
            )
            say(UNKNOWN, line, f"No rule is named {named}: nothing is suppressed for it.")
        if idle:
            rest = [s.rule for s in group if s.rule not in idle and s.rule not in unknown]
            text = lines[line - 1] if line <= len(lines) else ""
            names = "every rule" if idle == [ALL] else ", ".join(f"`{r}`" for r in idle)
            if rest:
                say(
                    IDLE,
                    line,
                    f"The suppression of {names} here suppresses nothing: take it out.",
                    _without(text, idle),
                )
            else:
                say(IDLE, line, f"This suppression of {names} suppresses nothing: remove it.", "")
    return sorted(kept, key=lambda f: f.line)


def _without(comment: str, ids: list[str]) -> str:
    """The comment with `ids` taken out of its list."""
    m = _COMMENT.search(comment)
    if m is None:
        return comment
    kept = [r for r in _IDS.findall(m[2]) if r not in ids]
    return comment[: m.start()] + f"<!-- {PREFIX}{m[1]} {' '.join(kept)} -->" + comment[m.end() :]
