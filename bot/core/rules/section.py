"""section: an entry added outside the sections that hold papers."""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Example
from ..read.document import Item
from ..read.labels import is_code_url, is_paper_url, label_words
from .base import Context, Hit, Kind, Rule, Severity

OUTSIDE = Kind(
    "not-a-paper-section",
    "An entry in the list's format, linking a paper, under a section that holds no papers.",
)

RULE = Rule(
    "section",
    Severity.ERROR,
    "An entry added outside the sections that hold papers.",
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        section="Contributing",
        fixed_at=0,
    ),
    kinds=(OUTSIDE,),
    outside=True,
)


def _a_paper(entry, ctx: Context) -> bool:
    """It links to a paper: an arXiv or paper-host URL, or a link labelled as the paper (a blog post
    or a tool in a Resources section is no misplaced paper, nor is a tool whose first link is its code)."""
    labels = ctx.grammar.paper_labels
    if entry.links and is_code_url(entry.links[0].url):
        return False  # a tool that leads with its code, and has a paper too: in a Tools section on purpose
    return any(
        ctx.ref(k.url) or is_paper_url(k.url) or (k.style != "title" and label_words(k.label) in labels)
        for k in entry.links
    )


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    e = item.entry
    # Only an entry in the list's own format: a news item that mentions a paper is no misplaced entry.
    if e is None or item.in_scope or not e.follows_format or not _a_paper(e, ctx):
        return
    where = f"“{item.section}”" if item.section else "the top of the file"
    sections = (
        [s for s in ctx.config["sections"] if s != "*"] if isinstance(ctx.config["sections"], list) else []
    )
    names = " or ".join(f"“{s}”" for s in sections[:6]) or "a section that holds papers"
    yield Hit(OUTSIDE, f"This entry is under {where}, which does not hold papers: move it under {names}.")
