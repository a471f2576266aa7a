"""arxiv-title: the entry's title is not arXiv's title for the linked id."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Item
from ..model import Edit
from ..options import Option
from ..titles import normalize, short
from .base import Context, Hit, Rule, Severity, entry_in_scope
from .format import clean_title

RULE = Rule(
    "arxiv-title",
    Severity.ERROR,
    "The title is not arXiv's title for the id (a warning between `error_below` and `accept_at` similarity).",
    (
        Option(
            "accept_at",
            95,
            "Similarity (0-100) at or above which a title passes.",
            "number",
            minimum=0,
            maximum=100,
        ),
        Option(
            "error_below",
            80,
            "Similarity below which a different title is an error (above: a warning).",
            "number",
            minimum=0,
            maximum=100,
        ),
    ),
    bad="- (*Arxiv 2024.11*) Self-Generated Critiques … [[paper](https://arxiv.org/abs/2411.00418)]",
    fixed="- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]",
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
    score = similarity(entry.title, paper.title)
    if score >= ctx.option(ID, "accept_at"):
        return
    title = clean_title(paper.title)
    edit = (Edit(entry.title, title),) if entry.title in entry.text else ()
    if score < ctx.option(ID, "error_below"):
        yield Hit(
            f"arXiv {ref.id} is “{title}”, not this title: check that the link points to the right paper, "
            "or use arXiv's title.",
            edit,
            unsafe=True,  # a guess: the link may be the wrong one, not the title
        )
    else:
        yield Hit(
            f"The title differs from arXiv's title for {ref.id}: “{title}”.", edit, minor=True, unsafe=True
        )
