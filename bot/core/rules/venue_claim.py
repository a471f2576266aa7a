"""venue-claim: a venue tag that the paper's publication record contradicts."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example, Option
from ..read.document import Item
from ..read.tags import Tag
from ..records import preprint_only, published
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope
from .venue_published import RULE as PUBLISHED
from .venue_tag import render, written

OTHER = Kind("record-disagrees", "The record names another venue or year.", fact=True)
PREPRINT = Kind("only-preprint", "The record knows the paper only as a preprint.", fact=True)
RULE = Rule(
    "venue-claim",
    Severity.WARNING,
    "A venue tag whose venue or year the paper's publication record contradicts (only what the record is "
    "sure of: its DBLP key or publication venue, never free text), or a venue claimed for a paper the "
    "record knows only as a preprint.",
    (
        Option(
            "settle_years",
            1,
            "Years after the claimed year before a record that shows no venue counts against the claim "
            "(records lag behind conferences).",
            "int",
            minimum=0,
        ),
    ),
    example=Example(
        "- (*ICML 24'*) SimPO: Simple Preference Optimization with a Reference-Free Reward "
        "[[paper](https://arxiv.org/abs/2405.14734)]",
        "- (*NeurIPS 24'*) SimPO: Simple Preference Optimization with a Reference-Free Reward "
        "[[paper](https://arxiv.org/abs/2405.14734)]",
        at=2,
        records=PUBLISHED.example.records,  # the same paper's record
    ),
    needs=("records",),
    kinds=(OTHER, PREPRINT),
)
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or not entry.tag or ctx.records is None:
        return
    tag = ctx.tag(entry)
    if tag is None or tag.kind != "venue" or "workshop" in tag.qualifier.casefold():
        return
    found = ctx.record(entry)
    if found is None:
        return
    _, record = found
    claimed = ctx.aliases.canonical(tag.venue)
    said = f"{tag.venue} {tag.year}" if tag.year else tag.venue
    pub = published(record, ctx.aliases)
    if pub is not None:
        other_venue = claimed is not None and claimed != pub.venue
        other_year = pub.dblp and tag.year is not None and pub.year is not None and tag.year != pub.year
        if not (other_venue or other_year) or pub.year is None:
            return
        fixed = render(Tag("venue", pub.year, None, pub.venue, tag.qualifier), entry.tag, ctx)
        yield Hit(
            OTHER,
            f"The tag says {said}, but the paper's record ({pub.source}) says {pub.when}: "
            f"tag it `{written(entry, fixed)}`, or check the link.",
            (Edit(entry.tag, fixed),),
            unsafe=True,  # which of the two is wrong, the tag or the link, only a person can tell
        )
    elif (
        claimed is not None
        and tag.year is not None
        and tag.year + ctx.option(ID, "settle_years") < ctx.today.year
        and preprint_only(record)
    ):
        yield Hit(
            PREPRINT,
            f"The tag says {said}, but the paper's record shows no venue, only a preprint: "
            "check where it was published, or tag it as a preprint.",
        )
