"""entry-syntax: an item in a paper section that does not follow the list's entry format."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from ..read.entry import MAX_LINE
from .base import Context, Hit, Rule, Severity

RULE = Rule(
    "entry-syntax",
    Severity.ERROR,
    "An item in a paper section that does not follow the list's entry format; says which field is "
    "missing or malformed and gives the fix in the list's own format.",
    example=Example(
        "* (Arxiv 2025.02) S2R: Teaching LLMs to Self-verify [paper](https://arxiv.org/abs/2502.12853)",
        "- (*Arxiv 2025.02*) S2R: Teaching LLMs to Self-verify [[paper](https://arxiv.org/abs/2502.12853)]",
    ),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    bad = ctx.doc.bad_bytes
    if bad and any(n in bad for n in range(item.line, item.end + 1)):
        yield Hit("This line holds bytes that are not valid UTF-8 (shown as �): save the file as UTF-8.")
    entry = item.entry
    if entry is None:
        longest = max(len(r) for r in item.text.split("\n"))
        if longest > MAX_LINE:
            yield Hit(f"This line is {longest:,} characters long; an entry is one short line.")
        return
    found = item.problems
    if not found:
        return
    example = ctx.grammar.example_of(entry.template or ctx.grammar.closest(entry.shape))
    built = None if item.fixed else _from_bare_link(entry, ctx)  # a title and a date from arXiv: a guess
    suggestion = item.fixed or built
    if item.fixed:
        message = f"Almost right: {'; '.join(found)}."
    else:
        message = f"{'; '.join(found)}. An entry looks like `{example}`."
        message = message[0].upper() + message[1:]
    yield Hit(message, (Edit(item.text, suggestion),) if suggestion else (), unsafe=bool(built))


def _from_bare_link(entry, ctx: Context) -> str | None:
    """`- https://arxiv.org/abs/ID`, `- arXiv:ID` or a table row holding only the link: build the whole
    entry from arXiv's metadata."""
    from ..arxiv_id import ABS, parse_ref
    from ..read.compose import facts, write

    text = entry.text.strip()
    if entry.marker == "|":  # a table row whose only cell is the link
        body = " ".join(c.strip() for c in text.strip("|").split("|")).strip().strip("<>")
    else:
        body = text[len(entry.marker) :].strip().strip("<>") if text.startswith(entry.marker) else text
    ref = parse_ref(body)
    if not (ref and ref.valid and ctx.arxiv and ref.id in ctx.arxiv.papers):
        return None
    found = facts(ABS + ref.id, ctx.arxiv.papers[ref.id], None, ctx.aliases)
    return write(found, ctx.grammar, entry.marker, details=False) if found else None
