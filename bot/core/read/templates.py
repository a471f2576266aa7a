"""A format's templates: one accepted shape of a line each, and how two shapes compare.

A template is an entry written with placeholders (`- (*{tag}*) {title} {links}`), read by the same
field reader as the entries, so an entry follows a template when their shapes (`key_of`) agree, and
the template nearest to an entry's shape is the one its fix is written into.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .cells import read_row
from .fields import read_line
from .slots import Slot, shape_key

_MARKER = re.compile(r"( {0,12})([-*+]|\d{1,9}[.)]|#{1,6})( +)")  # `###`: an entry written as a heading
OPTIONAL = frozenset({"links", "badges"})  # never part of a shape: how many there are is free


def marker_kind(marker: str) -> str:
    """`1.` for any number with a dot, `1)` with a parenthesis; bullets as they are."""
    if marker[:1].isdigit():
        return "1" + marker[-1]
    return marker


@dataclass(frozen=True)
class Template:
    """One accepted shape of a line: its text, its marker and the fields it holds, in order."""

    text: str
    marker: str  # "-", "*", "+", "1.", "1)", "|" (a table row), "" (a line under an entry)
    indent: str
    body: str  # the text after the marker
    slots: tuple[Slot, ...]
    key: tuple[str, ...]

    @classmethod
    def parse(cls, text: str) -> Template:
        m = _MARKER.match(text)
        marker, indent, body = ("", "", text.strip()) if not m else (marker_kind(m[2]), m[1], text[m.end() :])
        if not m and text.lstrip().startswith("|"):
            marker, indent, body = "|", "", text.strip()
        if not m and not marker:
            indent = text[: len(text) - len(text.lstrip())]
        line = read_row(body) if marker == "|" else read_line(body)
        return cls(text, marker, indent, body, tuple(line.slots), key_of(line.slots))

    @property
    def roles(self) -> tuple[str, ...]:
        return tuple(s.role for s in self.slots)


def key_of(slots: list[Slot] | tuple[Slot, ...]) -> tuple[str, ...]:
    """A line's shape without the parts every format leaves free (links, badges, a title's dot):
    `shape_key` less its links and badges, each field's part written once per distinct field."""
    out = []
    for s in slots:
        role = s[0]
        if role in OPTIONAL:
            continue
        pair = (role, s[2] if role == "lit" else s[1])
        k = _PARTS.get(pair)
        if k is None:
            if len(_PARTS) > 4096:  # `Key:` literals are the list's own words: keep the memo small
                _PARTS.clear()
            k = _PARTS[pair] = shape_key([s])[0].replace(".", "").replace("_{}_", "*{}*")
        out.append(k)
    return tuple(out)


_PARTS: dict[tuple[str, str], str] = {}


def lacks_only(full: tuple[str, ...], key: tuple[str, ...], roles: tuple[str, ...]) -> bool:
    """`key` is the shape `full` with some of its fields of `roles` left out."""
    if len(key) >= len(full):
        return False
    it = iter(full)
    for k in key:
        for f in it:
            if f == k:
                break
            if f.split(":", 1)[0] not in roles:
                return False
        else:
            return False
    return all(f.split(":", 1)[0] in roles for f in it)


METADATA = ("note", "authors")  # what an entry of a shape may leave out (an affiliation, the authors)


@lru_cache(maxsize=4096)
def shape_roles(key: tuple[str, ...]) -> Counter[str]:
    """The fields of a shape, each as often as it holds one."""
    return Counter(k.split(":", 1)[0] for k in key)


def shape_distance(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """Edit distance between two shapes, where a field written with other markup costs 1."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            same = 0 if x == y else 1 if x.split(":", 1)[0] == y.split(":", 1)[0] else 2
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + same))
        prev = cur
    return prev[-1]
