"""entry-syntax: a list line in an entry section that is not an entry."""

from __future__ import annotations

from collections.abc import Iterator

from ..document import Item
from ..entry import diagnose
from ..model import Edit
from .base import Context, Hit

ID = "entry-syntax"
DEFAULT = "error"


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    if item.line in ctx.doc.bad_bytes:
        yield Hit("This line holds bytes that are not valid UTF-8 (shown as �): save the file as UTF-8.")
    if item.entry and item.fixed is None:
        return
    problem = diagnose(item.line, item.text, ctx.grammar, item.section)
    if problem.suggestion:
        yield Hit(problem.message, (Edit(item.text, problem.suggestion),))
        return
    built = _from_bare_link(item.text, ctx)  # a title and a date taken from arXiv: a guess
    yield Hit(problem.message, (Edit(item.text, built),) if built else (), unsafe=bool(built))


def _from_bare_link(text: str, ctx: Context) -> str | None:
    """`- https://arxiv.org/abs/ID` or `- arXiv:ID`: build the whole entry from arXiv's metadata."""
    from ..arxiv_id import parse_ref
    from .format import format_entry

    body = text[2:].strip().strip("<>")
    ref = parse_ref(body)
    if not (ref and ref.valid and ctx.arxiv and ref.id in ctx.arxiv.papers):
        return None
    return format_entry(ctx.arxiv.papers[ref.id], ctx.grammar)
