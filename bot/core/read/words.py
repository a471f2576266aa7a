"""What plain words of an entry are: a `Key:`, the authors, a citation, a venue's name, a tag at their end.

Both steps of the line reader ask (tokens into pieces: is this a key, a citation; pieces into fields:
whose names, which venue), so the answers live in one place and a word reads the same in each.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .tags import PREPRINT_SERVERS, read_any

KEY_PREFIX = re.compile(r"(?P<key>[A-Za-z][\w ]{0,20}?)\s?:(?:\s|$)")
AUTHORS = re.compile(r",|\bet al\b|\band\b", re.IGNORECASE)
VENUE_NAME = re.compile(  # anchored: used with fullmatch
    r"\A[A-Z][\w&-]*(?: (?:[A-Z][\w&-]*|of|on|and|for|in|the)){1,6}"
)  # a name in Title Case
# `3DV, 2022` too; anchored (used with fullmatch), and a letter looked for within the name's length
LONG_VENUE = re.compile(r"\A(?=[^,;]{0,156}[A-Za-z])[A-Z0-9][^,;]{1,150}?,? (?:19|20)\d\d")
PARTS = re.compile(r"[.,;] ")
CITED = re.compile(r"(?P<authors>[^\W\d_][^()\[\]]{2,600}?)[.,] (?P<year>(?:19|20)\d\d)[a-z]?")
# A run of spaces tried from its start only, and never given back (quadratic on a long run).
_NAME_PARTS = re.compile(r",\s*+(?:and\s+)?|(?<!\s)\s++(?:and|&)\s+")


def is_key(text: str) -> bool:
    """`Paper:`, `Code:`: a key before its value (no colon, no key: most words are told at once)."""
    return ":" in text and KEY_PREFIX.fullmatch(text) is not None


@lru_cache(maxsize=16384)
def tag_role(text: str) -> str | None:
    got = read_any(text)
    if got:
        return "date" if got[0].kind == "date" else "tag"
    return None


def trailing_tag(words: str) -> str | None:
    """The tag at the end of plain words: `…, ICLR 2024`, or a long venue and its year. A venue is
    named with a capital or a digit (`3DV`); words of a sentence (`trained on 2024 data`) are no tag."""
    if LONG_VENUE.fullmatch(words):
        return words
    cuts = [m.end() for m in PARTS.finditer(words)]
    for n in (1, 2):
        if len(cuts) >= n:
            tail = words[cuts[-n] :]
            named = tail[:1].isupper() or tail[:1].isdigit() or tail.casefold().startswith(PREPRINT_SERVERS)
            if named and tag_role(PARTS.sub(", ", tail)):
                return tail
    return None


def people(words: str) -> bool:
    """A list of names (`Ada Lovelace, A. Turing and Grace Hopper et al.`), not a sentence with
    commas in it (`it proposes a method, trained on …`): most parts are capitalised words."""
    parts = [p for p in _NAME_PARTS.split(words.replace("et al", "")) if p.strip(" .")]
    if not parts:
        return True
    named = sum(
        1
        for p in parts
        if len(p.split()) <= 5
        and any(w[:1].isalpha() for w in p.split())
        and all(w[:1].isupper() or not w[:1].isalpha() for w in p.split())
    )
    return named >= 0.6 * len(parts)


def cites(text: str) -> bool:
    m = CITED.fullmatch(text.strip(" .,;:|-–—"))
    return m is not None and _names(m["authors"])


def _names(words: str) -> bool:
    """Words that name people: `A, B and C`, `A et al`, or two or more capitalised names."""
    return bool(AUTHORS.search(words)) or (
        1 < len(words.split()) <= 6 and all(w[:1].isupper() for w in words.split())
    )
