"""arxiv-date: the (*Arxiv YYYY.MM*) tag disagrees with the month of the paper's arXiv id."""

from __future__ import annotations

from collections.abc import Iterator

from ..arxiv_id import id_month
from ..document import Item
from ..grammar import Tag
from ..model import Edit
from .base import Context, Hit, entry_in_scope
from .format import v1_month

ID = "arxiv-date"
DEFAULT = "warning"


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    tag = ctx.tag(entry)
    ref = ctx.paper(entry)
    if not (tag and tag.kind == "preprint" and ref and ref.valid):
        return
    month = id_month(ref.id)
    if month is None:
        return
    accepted = {month, _before(month)}
    paper = ctx.arxiv.papers.get(ref.id) if ctx.arxiv else None
    if paper:
        accepted.add(v1_month(paper))
    if (tag.year, tag.month) in accepted:
        return
    fixed = f"(*{ctx.grammar.render(Tag('preprint', *month))}*)"
    yield Hit(
        f"The tag says {tag.year}.{tag.month:02d}, but arXiv id {ref.id} was announced in "
        f"{month[0]}.{month[1]:02d}: write `{fixed}`.",
        (Edit(f"(*{entry.tag}*)", fixed),),
    )


def _before(month: tuple[int, int]) -> tuple[int, int]:
    y, m = month
    return (y - 1, 12) if m == 1 else (y, m - 1)
