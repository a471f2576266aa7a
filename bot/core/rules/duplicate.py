"""duplicate: the same paper is already in the list (same arXiv id in any URL form, or same title)."""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Example, Option
from ..read.document import Item
from ..read.entry import Entry
from ..titles import normalize
from .base import Context, Hit, Rule, Severity, entry_in_scope

RULE = Rule(
    "duplicate",
    Severity.ERROR,
    "The same paper is already in the list (same arXiv id in any URL form, same normalised title, or "
    "arXiv's title); names the other line.",
    (
        Option(
            "scope",
            "auto",
            "file: anywhere in the file; section: only within one section (a list that cross-lists on "
            "purpose); auto: section when the list already lists papers in two sections.",
            "str",
            choices=("file", "section"),
            auto=True,
        ),
    ),
    example=Example(
        "- (*Arxiv 2024.08*) Another Title [[paper](https://arxiv.org/pdf/2408.02666v2)]", None, at=1
    ),
)
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    same_section = ctx.option(ID, "scope") == "section"
    for other, why in _candidates(entry, ctx):
        if other.line == entry.line or (same_section and other.section != entry.section):
            continue
        # Report the later of two entries under review, the new one against an old one.
        if other.line > entry.line and ctx.is_checked(other.line):
            continue
        yield Hit(
            f"This paper is already in the list at line {other.line} ({why}): “{other.title[:100]}”.",
            delete=True,
            unsafe=True,  # a deletion: `check --fix` leaves it to --unsafe-fixes
        )
        return


def _candidates(entry: Entry, ctx: Context) -> Iterator[tuple[Entry, str]]:
    for ref in ctx.refs(entry):
        if ref.valid:
            for other in ctx.by_id.get(ref.id, ()):
                yield other, f"same arXiv id {ref.id}"
    for other in ctx.by_title.get(ctx.title_key(entry), ()):
        yield other, "same title"
    if ctx.arxiv:
        # The same paper under another title: its arXiv title matches another entry's title.
        for ref in ctx.refs(entry):
            paper = ctx.arxiv.papers.get(ref.id)
            if paper:
                for other in ctx.by_title.get(normalize(paper.title), ()):
                    yield other, f"arXiv's title for {ref.id}"
        # The other way round: this entry's title is arXiv's title for another entry's paper (a
        # whole-file check judges the later line, which may be the one without the arXiv link).
        for other, ref_id in _by_arxiv_title(ctx).get(ctx.title_key(entry), ()):
            yield other, f"arXiv's title for {ref_id}"


def _by_arxiv_title(ctx: Context) -> dict[str, list[tuple[Entry, str]]]:
    """arXiv's normalised title → the entries whose link names that paper (once per file)."""
    index = ctx.memo.get("duplicate:arxiv-titles")
    if index is None:
        index = ctx.memo["duplicate:arxiv-titles"] = {}
        for e in ctx.doc.entries:
            for ref in ctx.refs(e):
                paper = ctx.arxiv.papers.get(ref.id) if ctx.arxiv else None
                if paper:
                    index.setdefault(normalize(paper.title), []).append((e, ref.id))
    return index
