"""venue-published: an entry tagged as a preprint whose publication record says it appeared at a venue."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit, Record
from ..options import Example
from ..read.document import Item
from ..read.tags import Tag
from ..records import published
from . import paper_title
from .arxiv_title import similarity
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope
from .venue_tag import render, written

PUBLISHED = Kind("published", "A preprint tag on a paper its record says was published.", fact=True)
RULE = Rule(
    "venue-published",
    Severity.NOTICE,
    "A preprint tag on a paper whose publication record (Semantic Scholar: its DBLP key, else its "
    "publication venue) says it appeared at a venue; suggests the tag in the list's style.",
    example=Example(
        "- (*Arxiv 2024.05*) SimPO: Simple Preference Optimization with a Reference-Free Reward "
        "[[paper](https://arxiv.org/abs/2405.14734)]",
        "- (*NeurIPS 24'*) SimPO: Simple Preference Optimization with a Reference-Free Reward "
        "[[paper](https://arxiv.org/abs/2405.14734)]",
        at=2,
        records=(
            (
                "ARXIV:2405.14734",
                Record(
                    "SimPO: Simple Preference Optimization with a Reference-Free Reward",
                    year=2024,
                    dblp="conf/nips/MengXC24",
                ),
            ),
        ),
    ),
    needs=("records",),
    kinds=(PUBLISHED,),
)
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or not entry.tag or ctx.records is None:
        return
    tag = ctx.tag(entry)
    found = ctx.record(entry) if tag is not None and tag.kind == "preprint" else None
    if found is None:
        return
    _, record = found
    pub = published(record, ctx.aliases)
    if pub is None or pub.year is None:
        return
    fixed = render(Tag("venue", pub.year, None, pub.venue), f"{pub.venue} {pub.year}", ctx)
    # Safe for `check --fix` only when the record is sure of venue and year (its DBLP key) and is
    # the entry's paper (the titles agree); otherwise a guess, applied with --unsafe-fixes.
    same_paper = similarity(entry.title, record.title) >= ctx.option(paper_title.ID, "accept_at")
    yield Hit(
        PUBLISHED,
        f"Published at {pub.when} ({pub.source}): tag it `{written(entry, fixed)}` instead of "
        f"`{written(entry, entry.tag)}`.",
        (Edit(entry.tag, fixed),),
        notice=True,
        unsafe=not (pub.dblp and same_paper),
    )
