"""paper-title: the title of a paper linked outside arXiv is not its publication record's title."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Record
from ..options import Example
from ..read.document import Item
from ..records import record_id, source_of
from .arxiv_title import compare, thresholds
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

WRONG = Kind("other-paper", "The record's title is another paper's.", fact=True)
DIFFERS = Kind("title-differs", "The title differs a little from the record's (a warning).", fact=True)
UNVERIFIED = Kind(
    "not-verified", "The record could not be asked for (a notice; asked again later).", fact=True
)

RULE = Rule(
    "paper-title",
    Severity.WARNING,
    "The title is not the publication record's title for a paper linked on the ACL Anthology, doi.org, "
    "ACM or another host Semantic Scholar documents, or on OpenReview (compared as arxiv-title compares).",
    thresholds(
        "Similarity below which the title is another paper's (the rule's severity); above: at most a warning."
    ),
    example=Example(
        "- (*ACL 20'*) A Literature Graph [[paper](https://aclanthology.org/2020.acl-main.447/)]",
        "- (*ACL 20'*) S2ORC: The Semantic Scholar Open Research Corpus "
        "[[paper](https://aclanthology.org/2020.acl-main.447/)]",
        at=5,
        records=(
            (
                "ACL:2020.acl-main.447",
                Record(
                    "S2ORC: The Semantic Scholar Open Research Corpus", year=2020, acl="2020.acl-main.447"
                ),
            ),
        ),
    ),
    needs=("records",),
    kinds=(WRONG, DIFFERS, UNVERIFIED),
)
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    link = ctx.paper_link(entry) if entry and entry.title and ctx.records is not None else None
    if link is None or ctx.ref(link.url) is not None:  # arXiv links: arxiv-title
        return
    key = record_id(link.url)
    if key is None:
        return
    if key in ctx.records.unverified:
        source = source_of(key)
        yield Hit(
            UNVERIFIED,
            f"Not verified against {source} ({ctx.records.unverified[key]}); the bot will check again.",
            notice=True,
            unverified=source,
        )
        return
    record = ctx.records.papers.get(key)
    if record is None or not record.title:
        return  # not every paper has a record: no verdict
    yield from compare(
        entry,
        record.title,
        ctx,
        ID,
        "The paper's record is “{title}”, not this title: check that the link points to the right paper, "
        "or use the record's title.",
        "The title differs from the paper's record: “{title}”.",
        (WRONG, DIFFERS),
    )
