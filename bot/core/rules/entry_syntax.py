"""entry-syntax: an item in a paper section that does not follow the list's entry format."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from ..read.entry import MAX_LINE
from .base import Context, Hit, Kind, Rule, Severity

# What keeps an entry from the list's format (bot.core.format.syntax finds them; one message says them all).
WRAPPED = Kind("wrapped", "The entry's first line is split over several lines of the file.", format=True)
MARKER = Kind("marker", "The item marker is not one the list uses (`*` where it writes `-`).", format=True)
BRACKET = Kind("bracket-broken", "A stray bracket outside any link (`[[paper](URL)` without its last `]`).")
MISSING = Kind(
    "field-missing", "A field of the list's format is missing (the title, the venue tag…).", format=True
)
MARKUP = Kind(
    "field-markup", "A field written with other markup than the list's (authors as plain text).", format=True
)
EXTRA = Kind("field-extra", "A field the list's format has no place for there.", format=True)
ORDER = Kind("field-order", "The fields are in another order than the list's.", format=True)
LINK_MARKUP = Kind(
    "link-markup", "Links in other brackets than the list's (`[paper](u)` for `[[paper](u)]`).", format=True
)
LINK_SQUARE = Kind("link-square", "A link with its URL in square brackets (`[[paper][URL]]`): it is no link.")
NO_LINK = Kind("link-missing", "An entry with no link at all, in a list whose entries link their paper.")
BAD_BYTES = Kind("bad-bytes", "Bytes that are not UTF-8 in the entry.")
TOO_LONG = Kind("too-long", "A line too long to be an entry.")

RULE = Rule(
    "entry-syntax",
    Severity.ERROR,
    "An item in a paper section that does not follow the list's entry format; says which field is "
    "missing or malformed and gives the fix in the list's own format.",
    example=Example(
        "* (Arxiv 2025.02) S2R: Teaching LLMs to Self-verify [paper](https://arxiv.org/abs/2502.12853)",
        "- (*Arxiv 2025.02*) S2R: Teaching LLMs to Self-verify [[paper](https://arxiv.org/abs/2502.12853)]",
    ),
    kinds=(WRAPPED, MARKER, BRACKET, MISSING, MARKUP, EXTRA, ORDER, LINK_MARKUP, LINK_SQUARE, NO_LINK,
           BAD_BYTES, TOO_LONG),
)  # fmt: skip
ID = RULE.id


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    bad = ctx.doc.bad_bytes
    if bad and any(n in bad for n in range(item.line, item.end + 1)):
        yield Hit(
            BAD_BYTES, "This line holds bytes that are not valid UTF-8 (shown as �): save the file as UTF-8."
        )
    entry = item.entry
    if entry is None:
        longest = max(len(r) for r in item.text.split("\n"))
        if longest > MAX_LINE:
            yield Hit(TOO_LONG, f"This line is {longest:,} characters long; an entry is one short line.")
        return
    found = [p for p in item.problems if ctx.reports(ID, p.kind, p.detail)]
    if not found:
        return
    said = "; ".join(p.message for p in found)
    built = None if item.fixed else _from_bare_link(entry, ctx)  # a title and a date from arXiv: a guess
    suggestion = item.fixed or built
    if item.fixed:
        message = f"Almost right: {said}."
    else:
        # The list's own entry of the closest shape; none is quoted where the list has none to quote.
        example = ctx.grammar.example_of(entry.template or ctx.grammar.closest(entry.shape))
        message = f"{said}. An entry looks like `{example}`." if example else f"{said}."
        message = message[0].upper() + message[1:]
    yield Hit(
        found[0].kind,
        message,
        (Edit(item.text, suggestion),) if suggestion else (),
        unsafe=bool(built),
        detail=found[0].detail,
        also=tuple((p.kind, p.detail) for p in found[1:]),
    )


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
