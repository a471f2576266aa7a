"""whitespace: trailing spaces, tabs, doubled spaces in an entry's lines."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from .base import Context, Hit, Kind, Rule, Severity

TRAILING = Kind("trailing-spaces", "Spaces at the end of a line (but for a line break inside an entry).")
TABS = Kind("tabs", "Tabs inside an entry's line.")
DOUBLED = Kind("doubled-spaces", "Two or more spaces between words.")
NAMES = {TRAILING: "trailing spaces", TABS: "tabs", DOUBLED: "doubled spaces"}

RULE = Rule(
    "whitespace",
    Severity.NOTICE,
    "Trailing spaces (but for a line break inside an entry), tabs, doubled spaces.",
    example=Example(
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)] ",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    kinds=(TRAILING, TABS, DOUBLED),
)
ID = RULE.id

_DOUBLE = re.compile(r"(?<=\S)[ \t]{2,}(?=\S)|\t")
# In a table row, spaces beside a cell's `|` are padding (an aligned table), not doubled spaces.
_DOUBLE_CELL = re.compile(r"(?<=[^\s|])[ \t]{2,}(?=[^\s|])|\t")


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    if not item.in_scope:
        return
    text = item.text
    if "  " not in text and "\t" not in text and " \n" not in text and text[-1:] != " ":
        return
    said = {k: ctx.reports(ID, k) for k in RULE.kinds}  # what is the list's own style is left as it is
    rows = text.split("\n")
    double = _DOUBLE_CELL if text.lstrip().startswith("|") else _DOUBLE
    problems: list[Kind] = []
    fixed_rows = []
    for i, row in enumerate(rows):
        body = row.rstrip(" \t")
        last = i == len(rows) - 1
        trailing = len(body) < len(row) and (last or len(row) - len(body) == 1 or "\t" in row[len(body) :])
        if trailing and said[TRAILING]:  # two or more before the next line: a line break
            _add(problems, TRAILING)
            row = body
        lead = len(body) - len(body.lstrip(" "))  # indentation is not ours to judge
        if "\t" in body[lead:] and said[TABS]:
            _add(problems, TABS)
        doubled = double.search(body, lead) and "  " in body[lead:].rstrip()
        if doubled and said[DOUBLED]:
            _add(problems, DOUBLED)
        if said[TABS] or said[DOUBLED]:
            end = len(row.rstrip(" \t"))
            row = row[:lead] + double.sub(" ", row[lead:end]) + row[end:]
        fixed_rows.append(row)
    if not problems:
        return
    fixed = "\n".join(fixed_rows)
    yield Hit(
        problems[0],
        f"Remove the {' and '.join(NAMES[k] for k in problems)} from this entry.",
        (Edit(text, fixed),) if fixed != text else (),
        also=tuple((k, "") for k in problems[1:]),
    )


def _add(problems: list[Kind], what: Kind) -> None:
    if what not in problems:
        problems.append(what)
