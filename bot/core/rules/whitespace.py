"""whitespace: trailing spaces, tabs, doubled spaces in an entry's lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from .base import Context, Hit, Rule, Severity

RULE = Rule(
    "whitespace",
    Severity.NOTICE,
    "Trailing spaces (but for a line break inside an entry), tabs, doubled spaces.",
    example=Example(
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)] ",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
)

_DOUBLE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)|\t")
# In a table row, spaces beside a cell's `|` are padding (an aligned table), not doubled spaces.
_DOUBLE_CELL = re.compile(r"(?<=[^\s|])[ \t]{2,}(?=[^\s|])|\t")


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    text = item.text
    if "  " not in text and "\t" not in text and " \n" not in text and text[-1:] != " ":
        return
    rows = text.split("\n")
    double = _DOUBLE_CELL if text.lstrip().startswith("|") else _DOUBLE
    problems: list[str] = []
    fixed_rows = []
    for i, row in enumerate(rows):
        body = row.rstrip(" \t")
        last = i == len(rows) - 1
        if len(body) < len(row) and (last or len(row) - len(body) == 1 or "\t" in row[len(body) :]):
            _add(problems, "trailing spaces")  # two or more before the next line: a line break
            row = body
        lead = len(body) - len(body.lstrip(" "))  # indentation is not ours to judge
        if "\t" in body[lead:]:
            _add(problems, "tabs")
        if double.search(body, lead) and "  " in body[lead:].rstrip():
            _add(problems, "doubled spaces")
        fixed_rows.append(
            row[:lead] + double.sub(" ", row[lead:].rstrip(" \t")) + row[len(row.rstrip(" \t")) :]
        )
    if not problems:
        return
    fixed = "\n".join(fixed_rows)
    yield Hit(
        f"Remove the {' and '.join(problems)} from this entry.", (Edit(text, fixed),) if fixed != text else ()
    )


def _add(problems: list[str], what: str) -> None:
    if what not in problems:
        problems.append(what)
