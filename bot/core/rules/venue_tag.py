"""venue-tag: a malformed tag, an impossible year or month, or a venue the list does not know."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Item
from ..grammar import Tag, lenient_tag
from ..model import Edit
from .base import Context, Hit, entry_in_scope

ID = "venue-tag"
DEFAULT = "error"

_ACCEPTED = re.compile(
    r"\b(?:accepted|to appear|published|appears?)\b[^.;]{0,40}?\b(?:at|by|in|to)\s+(?:the\s+)?"
    r"(?P<venue>[A-Z][A-Za-z&\-]{1,20})\s*'?(?P<year>20\d\d|\d\d)?",
    re.IGNORECASE,
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    g = ctx.grammar
    written = f"(*{entry.tag}*)"
    tag = g.read_tag(entry.tag)
    if tag is None:
        loose = lenient_tag(entry.tag)
        if loose is None:
            yield Hit(f"The venue tag `{written}` is not in this list's style: write {g.example}.")
            return
        fixed = f"(*{g.render(loose)}*)"
        yield Hit(
            f"Write the venue tag `{written}` as `{fixed}`, in this list's style.", (Edit(written, fixed),)
        )
        tag = loose
    yield from _dates(tag, ctx)
    if tag.kind == "venue":
        yield from _venue(tag, written, ctx)
    elif ctx.arxiv is not None:
        yield from _accepted(item, tag, written, ctx)


def _dates(tag: Tag, ctx: Context) -> Iterator[Hit]:
    if tag.month is not None and not 1 <= tag.month <= 12:
        yield Hit(f"The month {tag.month} in the venue tag does not exist: use 01 to 12.")
    today = ctx.today
    if tag.year > today.year or (tag.month and tag.year == today.year and tag.month > today.month):
        when = f"{tag.year}.{tag.month:02d}" if tag.month else str(tag.year)
        yield Hit(f"The venue tag says {when}, which is in the future: use the date the paper appeared.")
    min_year = ctx.option(ID, "min_year")
    if tag.year < min_year:
        yield Hit(f"The venue tag says {tag.year}: this list takes papers from {min_year} on.")


def _venue(tag: Tag, written: str, ctx: Context) -> Iterator[Hit]:
    venues = ctx.option(ID, "venues")
    if not venues:
        return
    known = ctx.memo.get(ID) or ctx.memo.setdefault(ID, {v.casefold(): v for v in venues})
    name = known.get(tag.venue.casefold())
    if name is None:
        yield Hit(
            f"`{tag.venue}` is not a venue this list knows ({', '.join(venues[:8])}, …): check the spelling, "
            "or ask a maintainer to add it to config.yml.",
            minor=True,
        )
    elif name != tag.venue:
        fixed = f"(*{ctx.grammar.render(Tag('venue', tag.year, None, name, tag.qualifier))}*)"
        yield Hit(f"Write the venue as `{name}`: `{fixed}`.", (Edit(written, fixed),), minor=True)


def _accepted(item: Item, tag: Tag, written: str, ctx: Context) -> Iterator[Hit]:
    """A preprint tag on a paper whose arXiv comment says where it was accepted."""

    ref = ctx.paper(item.entry)
    paper = ctx.arxiv.papers.get(ref.id) if ref and ctx.arxiv else None
    if not paper:
        return
    venues = {v.casefold(): v for v in ctx.option(ID, "venues")}
    for text in (paper.journal_ref, paper.comment):
        m = _ACCEPTED.search(text or "")
        if m and m["venue"].casefold() in venues:
            year = int(m["year"]) if m["year"] else tag.year
            year = year if year > 999 else 2000 + year
            fixed = f"(*{ctx.grammar.render(Tag('venue', year, None, venues[m['venue'].casefold()]))}*)"
            yield Hit(
                f"arXiv says this paper was accepted (“{' '.join(text.split())[:120]}”): "
                f"tag it `{fixed}` instead of `{written}`.",
                (Edit(written, fixed),),
                notice=True,
                unsafe=True,  # read from a free-text comment: a guess
            )
            return
