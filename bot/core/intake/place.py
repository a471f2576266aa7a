"""Where a new entry goes inside its section, in the list's own order, and the list with it inserted.

The order is the one the list keeps (learnt as `rules.order.direction`): newest first, oldest first,
or none (the entry goes last). Entries are compared by the same key the `order` rule reads (the
arXiv id's month, else the tag's or the date's year and month), so an entry the bot places is one
the `order` rule finds in its place.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..lines import split_lines
from ..read.document import Document, Item
from ..rules import order
from ..rules.base import Context

Key = tuple[int, int]


@dataclass(frozen=True)
class Spot:
    """Where the entry goes: after ``after`` (an entry, by its last line) or, first in its section,
    before ``before``. ``line``: the line the new entry starts at in the list as it is now (it is
    inserted above that line)."""

    section: str
    after: Item | None
    before: Item | None
    line: int
    blank: bool = False  # the section separates its entries by a blank line


def spot(doc: Document, ctx: Context, section: str, key: Key | None) -> Spot | None:
    """The place of an entry keyed ``key`` in ``section`` (None: no entry of the list is there)."""
    items = [i for i in doc.items if i.in_scope and i.entry and i.section == section]
    if not items:
        return None
    direction = ctx.option(order.ID, "direction")
    at = len(items)  # last, where the list keeps no order or the key is unknown
    if key is not None and direction in ("newest-first", "oldest-first"):
        newest_first = direction == "newest-first"
        for n, item in enumerate(items):
            theirs = order.key(item.entry, ctx)
            if theirs is None:
                continue
            if order.newer(key, theirs) if newest_first else order.newer(theirs, key):
                at = n
                break
    blank = _separated(doc, items)
    if at == 0:
        return Spot(section, None, items[0], items[0].line, blank)
    after = items[at - 1]
    return Spot(section, after, items[at] if at < len(items) else None, after.end + 1, blank)


def _separated(doc: Document, items: list[Item]) -> bool:
    """The section's entries stand apart, a blank line between each (a loose list)."""
    pairs = list(itertools.pairwise(items))
    loose = sum(b.line - a.end == 2 and not doc.lines[a.end].strip() for a, b in pairs)
    return bool(pairs) and loose * 2 > len(pairs)


def insert(text: str, placed: list[tuple[Spot, str]]) -> str:
    """``text`` with each entry inserted at its spot (line endings and the final newline kept)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = split_lines(text)
    ends = text.endswith(("\n", "\r"))
    order_ = sorted(
        enumerate(placed), key=lambda p: (-p[1][0].line, -p[0])
    )  # bottom up: the lines above stay
    for _, (where, entry) in order_:
        new = entry.split("\n")
        if where.blank:
            new = [*new, ""] if where.after is None else ["", *new]
        at = min(where.line - 1, len(lines))
        lines[at:at] = new
    return newline.join(lines) + (newline if ends else "")
