"""section: an entry added outside the sections that hold papers."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Item
from .base import Context, Hit

ID = "section"
DEFAULT = "error"


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if item.entry is None or item.in_scope:
        return
    where = f"“{item.section}”" if item.section else "the top of the file"
    names = " or ".join(f"“{s}”" for s in ctx.config["sections"])
    yield Hit(f"This entry is under {where}, which does not hold papers: move it under {names}.")
