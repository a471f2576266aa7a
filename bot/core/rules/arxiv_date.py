"""arxiv-date: the date an entry claims (a preprint tag, a date field) disagrees with its arXiv id."""

from __future__ import annotations

from collections.abc import Iterator

from ..arxiv_id import id_month
from ..model import Edit, Paper
from ..options import Example
from ..read.compose import v1_month
from ..read.document import Item
from ..read.entry import Entry
from ..read.tags import Tag
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

MISMATCH = Kind("date-mismatch", "A preprint tag or date that disagrees with the arXiv id's month.")
RULE = Rule(
    "arxiv-date",
    Severity.WARNING,
    "A preprint tag or date (`Arxiv YYYY.MM`, `[2024/12]`) that disagrees with the arXiv id's month "
    "(the month before, or arXiv's v1 month, is accepted).",
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        "- (*Arxiv 2024.10*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        at=1,
    ),
    kinds=(MISMATCH,),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or not (entry.tag or entry.date):
        return
    ref = ctx.paper(entry)
    if not (ref and ref.valid):
        return
    month = id_month(ref.id)
    if month is None:
        return
    paper = ctx.arxiv.papers.get(ref.id) if ctx.arxiv else None
    # Whether the entry's words agree with its id's month follows from them alone: once per distinct
    # month, tag and date (a hit names the id, so only agreement is remembered).
    agreed = ctx.memo.setdefault(_AGREED, set())
    key = (month, entry.tag, entry.date, v1_month(paper) if paper else None)
    if key in agreed:
        return
    hits = list(_claims(entry, ctx, ref.id, month, paper))
    if not hits:
        agreed.add(key)
    yield from hits


_AGREED = "arxiv-date:agreed"


def _claims(
    entry: Entry, ctx: Context, arxiv_id: str, month: tuple[int, int], paper: Paper | None
) -> Iterator[Hit]:
    claims = []
    tag = ctx.tag(entry)
    if tag and tag.kind == "preprint" and tag.year:
        claims.append((tag, entry.tag, ctx.tag_style(tag, entry.tag)))
    date = entry.claimed_date()
    if date and date.year:
        claims.append((date, entry.date, ctx.tag_style(date, entry.date)))
    if not claims:
        return
    accepted = {month, _before(month)}
    if paper:
        accepted.add(v1_month(paper))
    for claim, words, style in claims:
        if claim.month is None:
            if claim.year in {y for y, _ in accepted}:
                continue
        elif (claim.year, claim.month) in accepted:
            continue
        fixed_tag = Tag(claim.kind, month[0], month[1] if claim.month is not None else None, claim.venue)
        fixed = style.render(fixed_tag) if style else None
        when = f"{claim.year}.{claim.month:02d}" if claim.month else str(claim.year)
        write = f": write `{fixed}`" if fixed else ""
        yield Hit(
            MISMATCH,
            f"The entry says {when}, but arXiv id {arxiv_id} was announced in {month[0]}.{month[1]:02d}{write}.",
            (Edit(words, fixed),) if fixed else (),
        )
        return


def _before(month: tuple[int, int]) -> tuple[int, int]:
    y, m = month
    return (y - 1, 12) if m == 1 else (y, m - 1)
