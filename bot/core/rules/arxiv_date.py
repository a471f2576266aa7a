"""arxiv-date: the date an entry claims (a preprint tag, a date field) disagrees with its arXiv id."""

from __future__ import annotations

from collections.abc import Iterator

from ..arxiv_id import id_month
from ..model import Edit
from ..options import Example
from ..read.compose import v1_month
from ..read.document import Item
from ..read.tags import Tag
from .base import Context, Hit, Rule, Severity, entry_in_scope

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
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    ref = ctx.paper(entry)
    if not (ref and ref.valid):
        return
    month = id_month(ref.id)
    if month is None:
        return
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
    paper = ctx.arxiv.papers.get(ref.id) if ctx.arxiv else None
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
            f"The entry says {when}, but arXiv id {ref.id} was announced in {month[0]}.{month[1]:02d}{write}.",
            (Edit(words, fixed),) if fixed else (),
        )
        return


def _before(month: tuple[int, int]) -> tuple[int, int]:
    y, m = month
    return (y - 1, 12) if m == 1 else (y, m - 1)
