"""A list file as the rules see it: lines, the section each belongs to, and the list items.

Fenced code blocks, HTML comments and headings are never entries; only items under the
configured sections (and their sub-headings) are held to the entry grammar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .entry import Entry, is_list_item, mechanical_fix, parse
from .grammar import Grammar
from .lines import split_lines

_HEADING = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TOC = re.compile(r"\s{0,8}[-*+] \[[^\]]{0,300}\]\(#[^)]{0,300}\)\s*")
_INLINE_MD = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]{0,200}>")


@dataclass
class Item:
    """A list item outside code: an entry if it parses, else a candidate for `entry-syntax`."""

    line: int
    text: str
    section: str
    in_scope: bool  # under one of the configured sections
    entry: Entry | None  # the entry as written or, when `fixed` is set, as mechanically fixed
    fixed: str | None = (
        None  # the whole line after mechanical fixes, when the line as written is not an entry
    )


@dataclass
class Document:
    lines: list[str]
    items: list[Item] = field(default_factory=list)
    bad_bytes: set[int] = field(default_factory=set)  # lines that held invalid UTF-8

    @property
    def entries(self) -> list[Entry]:
        return [i.entry for i in self.items if i.entry]


def decode(data: bytes) -> tuple[str, set[int]]:
    """Text from bytes without ever failing: invalid UTF-8 becomes U+FFFD, and we note where."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), set()
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        bad = {n for n, line in enumerate(split_lines(text), 1) if "\ufffd" in line}
        return text, bad


def heading_name(text: str) -> str:
    """Heading text without markdown, links, emoji or case: how `sections` names are matched."""
    plain = _INLINE_MD.sub(lambda m: m[1] or "", text)
    return " ".join("".join(c for c in plain if c.isalnum() or c in " &-+/'").split()).casefold()


def read(text: str, grammar: Grammar, sections: list[str] | tuple[str, ...]) -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = split_lines(text)
    doc = Document(lines)
    wanted = {heading_name(s) for s in sections}
    everywhere = "*" in sections
    fence = ""
    in_comment = False
    section, scope_level = "", 0  # scope_level: level of the heading that opened a wanted section
    for n, line in enumerate(lines, 1):
        if fence:
            if line.lstrip(" ").startswith(fence):
                fence = ""
            continue
        if in_comment:
            in_comment = "-->" not in line
            continue
        if (m := _FENCE.match(line)) is not None:
            fence = m[1]
            continue
        if line.lstrip().startswith("<!--") and "-->" not in line:
            in_comment = True
            continue
        if line.startswith(("#", " #", "  #", "   #")) and (h := _HEADING.match(line)):
            level, name = len(h[1]), h[2]
            section = name
            if scope_level and level > scope_level:
                continue
            scope_level = level if (everywhere or heading_name(name) in wanted) else 0
            continue
        if is_list_item(line) and not _TOC.fullmatch(line):
            in_scope = bool(scope_level)
            e = parse(n, line, grammar, section)
            fixed = None
            if e is None and in_scope:
                repaired, fixes = mechanical_fix(line, grammar)
                e = parse(n, repaired, grammar, section) if fixes else None
                fixed = repaired if e else None
            doc.items.append(Item(n, line, section, in_scope, e, fixed))
    return doc
