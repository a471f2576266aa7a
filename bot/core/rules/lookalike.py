"""lookalike: characters that look like the list's markup but are not it (a no-break space in a
label, full-width brackets, a curly quote in a tag). The entry is read as it looks; this says so."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from ..read.markup import TAG_QUOTES, fold
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

LOOKALIKE = Kind(
    "lookalike", "A character that only looks like the list's markup (a no-break space, a curly quote)."
)

RULE = Rule(
    "lookalike",
    Severity.NOTICE,
    "Characters that only look like the list's markup: no-break or narrow spaces, full-width brackets, "
    "a curly quote in a tag.",
    example=Example(
        "- (*NeurIPS 24’*) Self-Consistency Preference Optimization [[paper](https://arxiv.org/abs/2411.04109)]",
        "- (*NeurIPS 24'*) Self-Consistency Preference Optimization [[paper](https://arxiv.org/abs/2411.04109)]",
    ),
    kinds=(LOOKALIKE,),
)

NAMES = {
    "\u00a0": "a no-break space (U+00A0)",
    "\u2007": "a figure space (U+2007)",
    "\u202f": "a narrow no-break space (U+202F)",
    "\u2009": "a thin space (U+2009)",
    "\u3000": "an ideographic space (U+3000)",
    "\uff08": "a full-width `（`",
    "\uff09": "a full-width `）`",
    "\uff3b": "a full-width `［`",
    "\uff3d": "a full-width `］`",
    "\uff0a": "a full-width `＊`",
}


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    tag = entry.tag
    curly = bool(tag) and not tag.isascii() and tag.translate(TAG_QUOTES) != tag and "`" not in tag
    if not entry.lookalikes and not curly:  # TAG_QUOTES' quotes but "`" are outside ASCII
        return
    found = [NAMES[ch] for _, ch in entry.lookalikes if ch in NAMES]
    fixed = fold(item.text)
    if curly:
        found.append("a curly quote in the tag")
        fixed = fixed.replace(tag, tag.translate(TAG_QUOTES), 1)
    if not found:
        return
    names = list(dict.fromkeys(found))
    yield Hit(
        LOOKALIKE,
        f"This entry holds {', '.join(names)}: it reads as intended, but write the plain ASCII character.",
        (Edit(item.text, fixed),) if fixed != item.text else (),
    )
