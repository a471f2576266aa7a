"""A table row's cells, each read with the role its column's header gives it.

A cell is read as a line is (bot.core.read.fields), then told by its column where the line alone
cannot say: a date column's `2023`, an authors column's names, a title column's `Title  summary`.
"""

from __future__ import annotations

import re

from .fields import read_line
from .markup import plain
from .slots import Line, Slot
from .tags import read_any, read_venue_only

_SUMMARY = re.compile(r" {2,}")  # `Title  This paper introduces …`: a title, then what it is about
_PIPE = re.compile(r"(?<!\\)\|")  # a cell's end; `\|` is a pipe inside a cell


def read_cell(text: str, role: str) -> Line:
    """A table cell whose column says what it holds (`role` from the header; "" when unknown)."""
    if role == "title" and (gap := _SUMMARY.search(text)) and len(text[gap.end() :].split()) >= 5:
        # `1) Title  This paper introduces …`: the title, then what the paper does.
        line = read_line(text[: gap.start()], head=True)
        if line.first("title"):
            rest = read_line(text[gap.end() :], head=False)
            line.slots.append(Slot("note", "{}", text[gap.end() :], gap.end(), len(text)))
            line.links += [k._replace(start=k.start + gap.end()) for k in rest.links]
            line.badges += rest.badges
            line.text = text
            return line
    line = read_line(text, head=role == "title")
    if role in ("tag", "date") and not any(s.role in ("tag", "date") for s in line.slots):
        words = plain(text)
        got = read_any(words) if words else None
        if got or (words and read_venue_only(words)):
            kind = "date" if got and got[0].kind == "date" else "tag"
            line.slots = [Slot(kind, "{}", words, 0, len(text))]
    if role == "title" and not line.first("title") and line.slots:
        s = next((s for s in line.slots if s.role in ("note", "authors", "name")), None)
        if s:
            line.slots = [Slot("title", s.form, s.value, s.start, s.end) if x is s else x for x in line.slots]
    if role == "authors":
        line.slots = [
            Slot("authors", s.form, s.value, s.start, s.end) if s.role == "note" else s for s in line.slots
        ]
    return line


def read_row(text: str, roles: tuple[str, ...] = ()) -> Line:
    """A table row: each cell read with its column's role (from the header; "" when unknown), the
    slots' columns those of the row itself."""
    out = Line(text=text)
    start = 1 if text.startswith("|") else 0
    n = len(text)
    ends = [m.start() for m in _PIPE.finditer(text, start)]
    if not ends or ends[-1] != n - 1:  # a row that does not end in `|` ends with a last cell
        ends.append(n)
    for col, i in enumerate(ends):
        raw = text[start:i]
        cell = raw.strip()
        if cell:
            offset = start + raw.index(cell)
            got = read_cell(cell, roles[col] if col < len(roles) else "")
            out.slots.extend(s._replace(start=s.start + offset, end=s.end + offset) for s in got.slots)
            out.links.extend(k._replace(start=k.start + offset) for k in got.links)
            out.badges.extend(got.badges)
        start = i + 1
    return out
