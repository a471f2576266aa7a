"""duplicate: the same paper is already in the list (same arXiv id in any URL form, or same title);
one arXiv id under two titles is a link to the wrong paper, told on the line that has it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..options import Example, Option
from ..read.document import Item
from ..read.entry import Entry
from ..titles import normalize
from .arxiv_title import similarity
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

SAME_ID = Kind("same-id", "Another entry links the same arXiv id (in any URL form).")
SAME_TITLE = Kind("same-title", "Another entry has the same title, up to case and punctuation.")
ARXIV_TITLE = Kind(
    "arxiv-title",
    "Another entry's title is arXiv's title for this one's id, or the other way round.",
    fact=True,
)
WRONG_LINK = Kind(
    "wrong-link", "The entry links the arXiv id of another listed paper, by arXiv's title.", fact=True
)
OTHER_WRONG = Kind(
    "other-links-this", "Another line links this paper's arXiv id under its own title.", fact=True
)
CROSS_LISTED = Kind(
    "cross-listed",
    "The same paper under another heading: written alike, or in a list that cross-lists (often on purpose).",
)
SHARED_ID = Kind(
    "shared-id", "Two entries with different titles link one arXiv id (offline: which is wrong?)."
)

RULE = Rule(
    "duplicate",
    Severity.ERROR,
    "The same paper is already in the list (same arXiv id in any URL form, same normalised title, or "
    "arXiv's title); names the other line. One arXiv id under two titles is a wrong link, not a "
    "duplicate: says which line links it wrong (by arXiv's title; offline, the newer line). The same "
    "paper under another heading is a warning (lists file a paper under two topics on purpose); one "
    "title on two different arXiv papers is two works.",
    (
        Option(
            "scope",
            "auto",
            "file: a copy anywhere in the file is a duplicate; section: a copy under another heading "
            "is allowed (a list that cross-lists on purpose); auto: a copy under another heading is a "
            "warning.",
            "str",
            choices=("file", "section"),
            auto=True,
        ),
    ),
    example=Example(
        "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/pdf/2408.02666v2)]", None, at=1
    ),
    kinds=(SAME_ID, SAME_TITLE, ARXIV_TITLE, WRONG_LINK, OTHER_WRONG, SHARED_ID, CROSS_LISTED),
)
ID = RULE.id


ALIKE = 80  # title similarity (as arxiv-title measures it) at which two entries name one paper


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    if ctx.arxiv is None and _alone(entry, ctx):
        return
    # A maintainer's scope is their word: `section` allows a copy under another heading, `file` makes
    # it a duplicate. Learnt or left to auto, a copy elsewhere is a warning: lists file a paper under
    # two topics on purpose as often as by mistake, and only the maintainer knows which.
    scope = ctx.option(ID, "scope")
    written = scope in ("file", "section") and f"rules.{ID}.scope" not in ctx.config.inferred
    allowed, strict = written and scope == "section", written and scope == "file"
    judged: set[int] = set()  # an entry that shares an id is judged by the titles, once
    found = list(_candidates(entry, ctx))
    found.sort(key=lambda c: ctx.place(c[0]) != ctx.place(entry))  # a copy in its own section comes first
    for other, kind, why, shared in found:
        if (
            other.line == entry.line
            or other.line in judged
            or (allowed and ctx.place(other) != ctx.place(entry))
        ):
            continue
        later = other.line > entry.line and ctx.is_checked(other.line)  # both under review: the later says it
        if shared and not _alike(entry.title, other.title):
            # One arXiv id under two titles: two papers, one of them linked wrong. Never a deletion.
            judged.add(other.line)
            hit = _shared_id(entry, other, shared, ctx, later)
            if hit is not None:
                yield hit
                return
            continue
        if later or (kind is SAME_TITLE and _other_papers(entry, other, ctx)):
            continue
        if ctx.place(other) != ctx.place(entry) and (not strict or _copy(entry, other)):
            # Under another heading: most often listed there on purpose when written alike, or in a
            # list that lists papers under several headings. Worth a word, never a deletion.
            alike = ", written alike" if _copy(entry, other) else ""
            yield Hit(
                CROSS_LISTED,
                f"This paper is also listed under “{other.section[:60]}” at line {other.line}{alike}: "
                "if it belongs under one heading only, remove the other copy.",
                minor=True,
            )
            return
        yield Hit(
            kind,
            f"This paper is already in the list at line {other.line} ({why}): “{other.title[:100]}”.",
            delete=True,
            unsafe=True,  # a deletion: `check --fix` leaves it to --unsafe-fixes
        )
        return


def _other_papers(entry: Entry, other: Entry, ctx: Context) -> bool:
    """Two entries of one title that link different arXiv papers, or whose authors share no name:
    two works that share a title (`Point Transformer`, `Neural Machine Translation`), not one listed
    twice."""
    mine = {r.id for r in ctx.refs(entry) if r.valid}
    theirs = {r.id for r in ctx.refs(other) if r.valid}
    if mine and theirs and not mine & theirs:
        return True
    names, others = _names(entry.authors), _names(other.authors)
    return bool(names and others) and not names & others


_NAME = re.compile(r"[^\W\d_]{3,}")
_NOT_NAMES = frozenset({"and", "et", "al", "others"})


def _names(authors: str) -> frozenset[str]:
    """The words of an authors field that may be names (`Philipp Koehn` → philipp, koehn)."""
    return frozenset(w.casefold() for w in _NAME.findall(authors)) - _NOT_NAMES


def _copy(entry: Entry, other: Entry) -> bool:
    """The same entry, written alike (its text, less the item marker and spacing)."""
    return " ".join(entry.head.text.split()) == " ".join(other.head.text.split())


def _alike(a: str, b: str) -> bool:
    """Two entries' titles name one paper (or one of them has none to tell by)."""
    return not a or not b or max(similarity(a, b), similarity(b, a)) >= ALIKE


def _shared_id(entry: Entry, other: Entry, arxiv_id: str, ctx: Context, later: bool) -> Hit | None:
    """Which of two entries that link one arXiv id under different titles links it wrong: the one
    whose title is not arXiv's (online); offline, the one under review, or the later of two."""
    paper = ctx.arxiv.papers.get(arxiv_id) if ctx.arxiv else None
    mine = paper is not None and similarity(entry.title, paper.title) >= ALIKE
    theirs = paper is not None and similarity(other.title, paper.title) >= ALIKE
    other_title = f"“{other.title[:100]}”"
    if theirs and not mine:
        return Hit(
            WRONG_LINK,
            f"arXiv {arxiv_id} is {other_title}, which line {other.line} lists: this entry links that "
            "paper, not its own; link this paper's own arXiv page.",
        )
    if mine and not theirs:
        if ctx.is_checked(other.line):
            return None  # that line is under review too: it is told its link is wrong
        return Hit(
            OTHER_WRONG,
            f"Line {other.line} ({other_title}) links this paper's arXiv id {arxiv_id} under another title: "
            "that line's link is wrong, not this entry.",
            notice=True,
        )
    if later:
        return None
    return Hit(
        SHARED_ID,
        f"Line {other.line} links the same arXiv id {arxiv_id} under another title ({other_title}): two "
        "papers cannot share an id; check that this entry links its own paper.",
        minor=True,
    )


def _alone(entry: Entry, ctx: Context) -> bool:
    """No other entry has its arXiv ids or its title (offline: nothing else makes a duplicate). The
    indexes hold the entry itself, so one entry under a key is this one."""
    by_id, by_title = ctx.by_id, ctx.by_title
    return all(len(by_id.get(r.id, ())) <= 1 for r in ctx.refs(entry) if r.valid) and (
        len(by_title.get(ctx.title_key(entry), ())) <= 1
    )


def _candidates(entry: Entry, ctx: Context) -> Iterator[tuple[Entry, Kind, str, str]]:
    """Other entries of the same paper: the kind, why, and the arXiv id they share ("" when not the id)."""
    for ref in ctx.refs(entry):
        if ref.valid:
            for other in ctx.by_id.get(ref.id, ()):
                yield other, SAME_ID, f"same arXiv id {ref.id}", ref.id
    for other in ctx.by_title.get(ctx.title_key(entry), ()):
        yield other, SAME_TITLE, "same title", ""
    if ctx.arxiv:
        # The same paper under another title: its arXiv title matches another entry's title.
        for ref in ctx.refs(entry):
            paper = ctx.arxiv.papers.get(ref.id)
            if paper:
                for other in ctx.by_title.get(normalize(paper.title), ()):
                    yield other, ARXIV_TITLE, f"arXiv's title for {ref.id}", ""
        # The other way round: this entry's title is arXiv's title for another entry's paper (a
        # whole-file check judges the later line, which may be the one without the arXiv link).
        for other, ref_id in _by_arxiv_title(ctx).get(ctx.title_key(entry), ()):
            yield other, ARXIV_TITLE, f"arXiv's title for {ref_id}", ""


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
