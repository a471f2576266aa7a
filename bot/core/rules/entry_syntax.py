"""entry-syntax: an item in a paper section that does not follow the list's entry format."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from ..read.entry import MAX_LINE
from ..read.render import ANGLE, BOLD, CLOSE, LINK, OPEN, TANGLED, residues
from .base import Context, Hit, Kind, Rule, Severity

# What keeps an entry from the list's format (bot.core.format.syntax finds them; one message says them all).
WRAPPED = Kind("wrapped", "The entry's first line is split over several lines of the file.", format=True)
MARKER = Kind("marker", "The item marker is not one the list uses (`*` where it writes `-`).", format=True)
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
# What GitHub shows as text of markup that did not render (bot.core.read.render), and how to mend it.
SHOWN = {
    OPEN: Kind("stray-open", "GitHub shows a `[` that is never closed (`[[paper](URL)` without its `]`)."),
    CLOSE: Kind("stray-close", "GitHub shows a `]` that closes nothing."),
    LINK: Kind("link-unrendered", "A link that does not render: GitHub shows its `](` (a space, a bad URL)."),
    BOLD: Kind("bold-unclosed", "GitHub shows a `**`: bold text is not closed."),
    ANGLE: Kind("stray-angle", "GitHub shows a `<` that opens no HTML tag."),
    TANGLED: Kind("url-markup", "A link's URL is markup (`((URL))`, or a link inside its `(…)`)."),
}
SHOWN_SAYS = {
    SHOWN[
        OPEN
    ]: "GitHub shows a stray `[`: a bracket is never closed (each link is `[label](URL)` inside the "
    "list's brackets)",
    SHOWN[
        CLOSE
    ]: "GitHub shows a stray `]`: a bracket closes nothing (each link is `[label](URL)` inside the "
    "list's brackets)",
    SHOWN[LINK]: "a link does not render, GitHub shows its `](`: write `[label](URL)`, with no space before "
    "`(` and none in the URL",
    SHOWN[BOLD]: "GitHub shows a `**`: bold text is not closed",
    SHOWN[ANGLE]: "GitHub shows a `<`: it opens no HTML tag (write `&lt;` for the character)",
    SHOWN[TANGLED]: "a link's URL is markup (`((URL))`, or a link inside its `(…)`): GitHub links to it as "
    "written; keep the bare URL",
}

RULE = Rule(
    "entry-syntax",
    Severity.ERROR,
    "An item in a paper section that does not follow the list's entry format, or whose markup GitHub "
    "shows as text where the list's accepted entries do not; says which field is missing or malformed "
    "and gives the entry rewritten in the list's own format (a warning where none can be built).",
    example=Example(
        "* (Arxiv 2025.02) S2R: Teaching LLMs to Self-verify [paper](https://arxiv.org/abs/2502.12853)",
        "- (*Arxiv 2025.02*) S2R: Teaching LLMs to Self-verify [[paper](https://arxiv.org/abs/2502.12853)]",
    ),
    kinds=(WRAPPED, MARKER, *SHOWN.values(), MISSING, MARKUP, EXTRA, ORDER, LINK_MARKUP, LINK_SQUARE,
           NO_LINK, BAD_BYTES, TOO_LONG),
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
    # Where markup did not render, the fields read from it are no guide: say what GitHub shows. The
    # format's problems are still told (as kinds, not in words), so that calibration counts them all.
    shown = [(SHOWN[m], "", SHOWN_SAYS[SHOWN[m]]) for m in sorted(_broken(item, ctx))]
    shown = [t for t in shown if ctx.reports(ID, t[0], t[1])]
    problems = [(p.kind, p.detail, p.message) for p in item.problems if ctx.reports(ID, p.kind, p.detail)]
    found = shown + problems
    if not found:
        return
    said = "; ".join(says for _, _, says in (shown or problems))
    fixed = item.fixed
    if fixed is not None and _renders_wrong(fixed, ctx):
        fixed = None  # a rewrite that GitHub would show worse is no fix
    built = None if fixed else _from_bare_link(entry, ctx)  # a title and a date from arXiv: a guess
    suggestion = fixed or built
    if fixed:
        message = f"Almost right: {said}."
    else:
        # The list's own entry of the closest shape; none is quoted where the list has none to quote.
        example = ctx.grammar.example_of(entry.template or ctx.grammar.closest(entry.shape, entry.marker))
        message = f"{said}. An entry looks like `{example}`." if example else f"{said}."
        message = message[0].upper() + message[1:]
    # Advice is a rewrite: an error carries the whole entry in the list's format, from its own
    # fields; where none can be built (a field to add, one with no place), it is a warning.
    yield Hit(
        found[0][0],
        message,
        (Edit(item.text, suggestion),) if suggestion else (),
        # A line split by mistake renders as one (a soft break): tidy, not wrong.
        minor=not suggestion or all(kind is WRAPPED for kind, _, _ in found),
        unsafe=bool(built),
        detail=found[0][1],
        also=tuple((kind, detail) for kind, detail, _ in found[1:]),
    )


STYLE_SHARE = 0.05  # markup left unrendered on one in twenty accepted entries is how the list writes
STYLE_MIN = 3
_MARKER = re.compile(r"\A[ \t]*+(?:[-*+]|\d{1,9}[.)])[ \t]++")


def _broken(item: Item, ctx: Context) -> frozenset[str]:
    """The markup of the entry's lines that GitHub shows as text, less what the list's
    accepted entries show alike (its style: `[[paper]](URL)` in brackets, say)."""
    marks = _rendered(ctx).get(item.line, frozenset())
    return marks - _style(ctx) if marks else marks


def _rendered(ctx: Context) -> dict[int, frozenset[str]]:
    """First line → the marks of unrendered markup in any of the entry's lines (its authors' and
    links' lines too: `[[Project(URL)]` under a paragraph's title), for each entry in the paper
    sections; rendered once per file, in one batch."""
    got = ctx.memo.get("entry-syntax:rendered")
    if got is None:
        items = [i for i in ctx.doc.items if i.in_scope and i.entry is not None]
        texts = [[ln.text for ln in i.entry.lines] or [i.entry.head.text] for i in items]
        flat = residues([t for ts in texts for t in ts])
        got, at = {}, 0
        for item, ts in zip(items, texts, strict=True):
            marks = frozenset().union(*flat[at : at + len(ts)])
            at += len(ts)
            if marks:
                got[item.line] = marks
        ctx.memo["entry-syntax:rendered"] = got
    return got


def _style(ctx: Context) -> frozenset[str]:
    """The marks common among the accepted entries (those not under review; in a whole-file check,
    every entry): they render so on purpose."""
    got = ctx.memo.get("entry-syntax:style")
    if got is None:
        accepted = [i for i in ctx.doc.items if i.in_scope and i.entry is not None and not _reviewed(i, ctx)]
        rendered = _rendered(ctx)
        counts = Counter(m for i in accepted for m in rendered.get(i.line, ()))
        floor = max(STYLE_MIN, STYLE_SHARE * len(accepted))
        got = ctx.memo["entry-syntax:style"] = frozenset(m for m, n in counts.items() if n >= floor)
    return got


def _reviewed(item: Item, ctx: Context) -> bool:
    return ctx.checked is not None and any(ctx.is_checked(n) for n in range(item.line, item.end + 1))


def _renders_wrong(fixed: str, ctx: Context) -> bool:
    """Would GitHub show markup of the rewritten first line as text, where the list's entries do not?"""
    head = fixed.split("\n", 1)[0]
    body = head.strip() if head.lstrip().startswith("|") else _MARKER.sub("", head, count=1).strip()
    (marks,) = residues([body])
    return bool(marks - _style(ctx))


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
