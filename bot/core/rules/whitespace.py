"""whitespace: trailing spaces, tabs, doubled spaces in an entry line."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..document import Item
from ..model import Edit
from .base import Context, Hit

ID = "whitespace"
DEFAULT = "notice"

_DOUBLE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)|\t")


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    text = item.text
    if "  " not in text and "\t" not in text and text[-1:] != " ":
        return
    body = text.rstrip(" \t")
    problems: list[str] = []
    if len(body) < len(text):
        problems.append("trailing spaces")
    if "\t" in body:
        problems.append("a tab")
    lead = len(body) - len(body.lstrip(" "))  # indentation is not ours to judge
    if _DOUBLE.search(body, lead) and "  " in body[lead:]:
        problems.append("doubled spaces")
    if not problems:
        return
    fixed = body[:lead] + _DOUBLE.sub(" ", body[lead:])
    yield Hit(f"Remove the {' and '.join(problems)} from this line.", (Edit(text, fixed),))
