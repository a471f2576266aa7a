"""order: an added entry breaks the list's order (newest first by arXiv id month or venue year)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from itertools import accumulate

from ..arxiv_id import id_month
from ..options import Example, Option
from ..read.document import Item
from ..read.entry import Entry, remembered
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

MISPLACED = Kind("misplaced", "An entry out of the section's order.")

RULE = Rule(
    "order",
    Severity.WARNING,
    "An added entry breaks the list's order (by arXiv id month, else the tag's or date's year and "
    "month); says between which lines it belongs.",
    (
        Option(
            "direction",
            "auto",
            "newest-first, oldest-first, none, or auto: the order most neighbours in the list keep.",
            "str",
            choices=("newest-first", "oldest-first", "none"),
            auto=True,
        ),
    ),
    example=Example(
        "- (*Arxiv 2023.01*) An Older Paper [[paper](https://arxiv.org/abs/2301.00001)]",
        "- (*Arxiv 2023.01*) An Older Paper [[paper](https://arxiv.org/abs/2301.00001)]",
        fixed_at=5,
    ),
    kinds=(MISPLACED,),
)
ID = RULE.id

Key = tuple[int, int]  # (year, month); month 0 when only the year is known


def key(entry: Entry, ctx: Context) -> Key | None:
    """Where the entry sorts (kept in its memo: a review keys every entry of the file)."""
    return remembered(entry, ID, ctx.grammar, lambda e, _: _key(e, ctx))


def _key(entry: Entry, ctx: Context) -> Key | None:
    ref = ctx.paper(entry)
    if ref and ref.valid and (m := id_month(ref.id)):
        return m
    for claim in (ctx.tag(entry), entry.claimed_date()):
        if claim and claim.year:
            return claim.year, (claim.month or 0) if claim.kind != "venue" else 0
    return None


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    direction = ctx.option(ID, "direction")
    if not entry or direction in ("none", "auto"):
        return
    placed = ctx.memo.get(ID)
    if placed is None:
        placed = ctx.memo[ID] = _misplaced(ctx, direction == "newest-first")
    where = placed.get(entry.line)
    if where:
        yield Hit(MISPLACED, where)


def _misplaced(ctx: Context, newest_first: bool) -> dict[int, str]:
    """Line → message for entries out of order, per section.

    Entries not under review keep their places; an entry under review is misplaced when it is out of
    order with its nearest neighbours that are not (in an audit: when it is outside the longest ordered run).
    """
    sections: dict[tuple[str, int], list[tuple[Entry, Key]]] = {}
    for e in ctx.doc.entries:
        k = key(e, ctx)
        if k is not None:
            sections.setdefault(ctx.place(e), []).append((e, k))  # each part of a section apart
    out: dict[int, str] = {}
    for rows in sections.values():
        keyed = [(e, k if newest_first else (-k[0], -k[1])) for e, k in rows]
        fixed = (
            _ordered_run(keyed)
            if ctx.checked is None
            else {e.line for e, _ in keyed if not ctx.is_checked(e.line)}
        )
        anchors = [(e, k) for e, k in keyed if e.line in fixed]
        lines = [a[0].line for a in anchors]
        floor = _floor(anchors)
        for e, k in keyed:
            if e.line in fixed or not ctx.is_checked(e.line):
                continue
            at = bisect_right(lines, e.line)
            above = anchors[at - 1] if at else None
            below = anchors[at] if at < len(anchors) else None
            if (above and newer(k, above[1])) or (below and newer(below[1], k)):
                out[e.line] = _belongs(e, k, anchors, floor, newest_first)
    return out


def newer(a: Key, b: Key) -> bool:
    """a is strictly newer than b at the granularity both know (a year-only key matches any month)."""
    if a[0] != b[0]:
        return a[0] > b[0]
    return bool(a[1] and b[1] and a[1] > b[1])


def _ordered_run(rows: list[tuple[Entry, Key]]) -> set[int]:
    """Lines of the longest non-increasing run (patience sorting, O(n log n))."""
    tails: list[tuple[int, int]] = []  # negated keys, so non-increasing becomes non-decreasing
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(rows)
    for i, (_, k) in enumerate(rows):
        nk = (-k[0], -k[1])
        pos = bisect_right(tails, nk)
        prev[i] = tail_idx[pos - 1] if pos else -1
        if pos == len(tails):
            tails.append(nk)
            tail_idx.append(i)
        else:
            tails[pos], tail_idx[pos] = nk, i
    keep, i = set(), tail_idx[-1] if tail_idx else -1
    while i >= 0:
        keep.add(rows[i][0].line)
        i = prev[i]
    return keep


def _rank(k: Key) -> Key:
    """A total order for "older than": a year-only key sorts after every month of its year, so
    ``newer(q, a)`` holds exactly when ``_rank(a) < _query(q)``."""
    return (k[0], k[1] or 13)


def _floor(anchors: list[tuple[Entry, Key]]) -> list[Key]:
    """The running minimum of the anchors' ranks: the oldest anchor up to each index."""
    return list(accumulate((_rank(k) for _, k in anchors), min))


def _query(k: Key) -> Key:
    return (k[0], k[1] or -100)  # a year-only key is newer only than earlier years


def _belongs(e: Entry, k: Key, anchors: list[tuple[Entry, Key]], floor: list[Key], newest_first: bool) -> str:
    """Where the entry goes: before the first anchor it is newer than. ``floor`` is the running
    minimum of the anchors' ranks, non-increasing, so that anchor is found by bisection (O(log n);
    a scan per entry made a whole-file check of 20k entries take seconds)."""
    order = "newest first" if newest_first else "oldest first"
    q = _query(k)
    idx = bisect_left(floor, True, key=lambda r: r < q)
    nxt = anchors[idx] if idx < len(anchors) else None
    prv = anchors[idx - 1] if idx else None
    when = f"{k[0]}.{k[1]:02d}" if k[1] and newest_first else str(abs(k[0]))
    # Below an entry is below its last line: an entry with metadata lines under it keeps them.
    if prv and nxt:
        spot = f"between line {prv[0].end} and line {nxt[0].line}"
    elif nxt:
        spot = f"above line {nxt[0].line}"
    else:
        spot = f"below line {prv[0].end}" if prv else "elsewhere"
    return f"This section is ordered {order}; this entry ({when}) belongs {spot}."
