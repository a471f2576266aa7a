"""The fields of one line as values (slots, links, badges) and the line's *shape*.

The shape is the sequence of a line's fields with their markup (`(*{tag}*) {title} {links}`): a
list's format is the shapes its entries share, so inference counts shapes and matching compares them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import unquote

_BADGE_PATH = re.compile(r"img\.shields\.io/badge/(?P<body>[^?#]{1,200})")


class Slot(NamedTuple):
    role: str  # tag date title name authors links badges note lit
    form: str  # the markup around the value: `(*{}*)`, `**{}**`, `[{}]({paper})`, `{}`
    value: str  # the field's text (a title without its markup; a literal's words)
    start: int
    end: int


class Link(NamedTuple):
    label: str
    url: str
    start: int  # column of the link in its line
    style: str = "[[{label}]({url})]"  # how it is written: [[l](u)] [[l]](u) [l](u) <url> title
    line: int = 0  # the file line it is on (set by the entry reader)

    @property
    def text(self) -> str:
        if self.style == "title":
            return self.url
        return self.style.replace("{label}", self.label).replace("{url}", self.url)


class Badge(NamedTuple):
    alt: str
    image: str
    target: str
    start: int

    @property
    def words(self) -> str:
        """What a shields.io badge says (`ICML2023--Oral-orange` → `ICML2023-Oral`)."""
        m = _BADGE_PATH.search(self.image)
        if not m:
            return self.alt
        body = unquote(m["body"]).replace("--", "\0").replace("__", "\1")
        parts = body.split("-")
        if len(parts) > 1:
            parts = parts[:-1]  # the colour
        text = " ".join(parts).replace("_", " ").replace("\0", "-").replace("\1", "_")
        return " ".join(text.split())


@dataclass(slots=True)
class Line:
    """The fields of one logical line, in order, and the links and badges it holds."""

    slots: list[Slot] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    badges: list[Badge] = field(default_factory=list)
    text: str = ""  # what was read (folded, stripped): the slots' columns are columns of it

    @property
    def key(self) -> tuple[str, ...]:
        return shape_key(self.slots)

    def first(self, role: str) -> Slot | None:
        return next((s for s in self.slots if s.role == role), None)


def shape_key(slots: list[Slot]) -> tuple[str, ...]:
    """What two lines must share to be written alike: the fields in order, with their markup.

    Punctuation between fields and the exact link markup are not part of it (a link style of its
    own is checked by the format); neither is the number of links or badges."""
    out: list[str] = []
    for s in slots:
        k = s.role if s.role in ("links", "badges") else f"{s.role}:{s.form}"
        if s.role == "lit":
            k = f"lit:{s.value}"
        if not out or out[-1] != k or s.role not in ("links", "badges"):
            out.append(k)
    return tuple(out)
