"""arxiv-title: the entry's title is not arXiv's title for the linked id."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit, Paper
from ..options import Example, Option
from ..read.compose import clean_title
from ..read.document import Item
from ..read.entry import Entry
from ..read.markup import literal
from ..titles import normalize, short
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope


def thresholds(error_below: str) -> tuple[Option, Option]:
    """The similarity options every title rule takes (arxiv-title, paper-title)."""
    return (
        Option(
            "accept_at",
            95,
            "Similarity (0-100) at or above which a title passes.",
            "number",
            minimum=0,
            maximum=100,
        ),
        Option("error_below", 80, error_below, "number", minimum=0, maximum=100),
    )


WRONG = Kind("other-paper", "arXiv's title for the id is another paper's (below `error_below`).", fact=True)
DIFFERS = Kind("title-differs", "The title differs a little from arXiv's (a warning).", fact=True)
RULE = Rule(
    "arxiv-title",
    Severity.ERROR,
    "The title is not arXiv's title for the id (a warning between `error_below` and `accept_at` similarity).",
    thresholds("Similarity below which a different title is an error (above: a warning)."),
    example=Example(
        "- (*Arxiv 2024.11*) Critiques Make Better Reward Models [[paper](https://arxiv.org/abs/2411.16646)]",
        "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models "
        "[[paper](https://arxiv.org/abs/2411.16646)]",
        papers=(
            Paper(
                "2411.16646",
                "Self-Generated Critiques Boost Reward Modeling for Language Models",
                published="2024-11-25T00:00:00Z",
            ),
        ),
    ),
    needs=("arxiv",),
    kinds=(WRONG, DIFFERS),
)
ID = RULE.id


def similarity(entry_title: str, arxiv_title: str) -> float:
    """100 for the same title up to harmless differences (or arXiv's short title); else fuzz.ratio.

    A token-set ratio alone would pass a wrong title that shares words with the right one.
    """
    from rapidfuzz import fuzz  # imported on first use: `check --offline` never needs it

    a, b = normalize(entry_title), normalize(arxiv_title)
    if a == b or (a and a == normalize(short(arxiv_title))):
        return 100.0
    return fuzz.ratio(a, b)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    ref = ctx.paper(entry) if entry else None
    paper = ctx.arxiv.papers.get(ref.id) if (ref and ctx.arxiv) else None
    if not paper or not entry.title:
        return
    yield from compare(
        entry,
        paper.title,
        ctx,
        ID,
        f"arXiv {ref.id} is “{{title}}”, not this title: check that the link points to the right paper, "
        "or use arXiv's title.",
        f"The title differs from arXiv's title for {ref.id}: “{{title}}”.",
        (WRONG, DIFFERS),
    )


def compare(
    entry: Entry, theirs: str, ctx: Context, rule: str, wrong: str, differs: str, kinds: tuple[Kind, Kind]
) -> Iterator[Hit]:
    """The entry's title against a source's (`wrong`/`differs` hold `{title}`, `kinds` are the rule's
    for each): the same thresholds, messages and fix for every source. Taking a source's title is a
    guess: the link may be wrong."""
    score = similarity(entry.title, theirs)
    if score >= ctx.option(rule, "accept_at"):
        return
    title = clean_title(theirs)  # quoted in the message (the review escapes it); written escaped
    edit = (Edit(entry.title, literal(title)),) if entry.title in entry.text else ()
    if score < ctx.option(rule, "error_below"):
        yield Hit(kinds[0], wrong.format(title=title), edit, unsafe=True)
    else:
        yield Hit(kinds[1], differs.format(title=title), edit, minor=True, unsafe=True)
