"""arxiv-exists: a well-formed arXiv id that arXiv does not have (and a notice when arXiv could not say)."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Paper
from ..options import Example
from ..read.document import Item
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

MISSING = Kind("no-such-id", "arXiv has no paper with this id.", fact=True)
UNVERIFIED = Kind(
    "not-verified", "arXiv could not be asked about this id (a notice; asked again later).", fact=True
)

RULE = Rule(
    "arxiv-exists",
    Severity.ERROR,
    'A well-formed arXiv id that arXiv does not have; a notice "not verified" when arXiv could not be reached.',
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.99999)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        papers=(Paper("2412.00001", "A New Paper", published="2024-12-01T00:00:00Z"),),
        missing=("2412.99999",),
    ),
    needs=("arxiv",),
    kinds=(MISSING, UNVERIFIED),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or ctx.arxiv is None:
        return
    for ref in ctx.refs(entry):
        if not ref.valid:
            continue
        if ref.id in ctx.arxiv.missing:
            yield Hit(
                MISSING,
                f"arXiv has no paper {ref.id}: check the id in the link (copy it from the paper's arXiv page).",
            )
        elif ref.id in ctx.arxiv.unverified:
            yield Hit(
                UNVERIFIED,
                f"Not verified against arXiv ({ctx.arxiv.unverified[ref.id]}); the bot will check again.",
                notice=True,
                unverified="arXiv",
            )
