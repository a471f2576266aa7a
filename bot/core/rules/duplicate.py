"""duplicate: the same paper is already in the list (same arXiv id in any URL form, or same title)."""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Example, Option
from ..read.document import Item
from ..read.entry import Entry
from ..titles import normalize
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

SAME_ID = Kind("same-id", "Another entry links the same arXiv id (in any URL form).")
SAME_TITLE = Kind("same-title", "Another entry has the same title, up to case and punctuation.")
ARXIV_TITLE = Kind(
    "arxiv-title",
    "Another entry's title is arXiv's title for this one's id, or the other way round.",
    fact=True,
)

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
    kinds=(SAME_ID, SAME_TITLE, ARXIV_TITLE),
)
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    if ctx.arxiv is None and _alone(entry, ctx):
        return
    same_section = ctx.option(ID, "scope") == "section"
    for other, kind, why in _candidates(entry, ctx):
        if other.line == entry.line or (same_section and other.section != entry.section):
            continue
        # Report the later of two entries under review, the new one against an old one.
        if other.line > entry.line and ctx.is_checked(other.line):
            continue
        yield Hit(
            kind,
            f"This paper is already in the list at line {other.line} ({why}): “{other.title[:100]}”.",
            delete=True,
            unsafe=True,  # a deletion: `check --fix` leaves it to --unsafe-fixes
        )
        return


def _alone(entry: Entry, ctx: Context) -> bool:
    """No other entry has its arXiv ids or its title (offline: nothing else makes a duplicate). The
    indexes hold the entry itself, so one entry under a key is this one."""
    by_id, by_title = ctx.by_id, ctx.by_title
    return all(len(by_id.get(r.id, ())) <= 1 for r in ctx.refs(entry) if r.valid) and (
        len(by_title.get(ctx.title_key(entry), ())) <= 1
    )


def _candidates(entry: Entry, ctx: Context) -> Iterator[tuple[Entry, Kind, str]]:
    for ref in ctx.refs(entry):
        if ref.valid:
            for other in ctx.by_id.get(ref.id, ()):
                yield other, SAME_ID, f"same arXiv id {ref.id}"
    for other in ctx.by_title.get(ctx.title_key(entry), ()):
        yield other, SAME_TITLE, "same title"
    if ctx.arxiv:
        # The same paper under another title: its arXiv title matches another entry's title.
        for ref in ctx.refs(entry):
            paper = ctx.arxiv.papers.get(ref.id)
            if paper:
                for other in ctx.by_title.get(normalize(paper.title), ()):
                    yield other, ARXIV_TITLE, f"arXiv's title for {ref.id}"
        # The other way round: this entry's title is arXiv's title for another entry's paper (a
        # whole-file check judges the later line, which may be the one without the arXiv link).
        for other, ref_id in _by_arxiv_title(ctx).get(ctx.title_key(entry), ()):
            yield other, ARXIV_TITLE, f"arXiv's title for {ref_id}"


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
