"""Entries read before, kept by what they were read from: a review reads the head of a pull request,
which is its base (read when the base was learnt, and by every review of the same base before) plus a
few lines, so all but those lines' entries were read already, and finding one here costs a fraction
of reading it.

Keyed by everything `entry.build` reads (the grammar, the item's marker, table header, section and
text, its rows and their line offsets), never by where it is in the file: an entry found at another
line is handed back moved there (`entry.moved`), so a key can never name a stale entry. Bounded:
emptied when it holds more than KEPT entries before a file is read; a file with more items than that
is not kept (it would only evict itself), nor is a file read once (a whole-file check: `keep`).
"""

from __future__ import annotations

from itertools import count
from typing import Any

from .entry import Entry, moved
from .grammar import Grammar

KEPT = 20_000  # entries of one file at most (about a KiB each, shared with its document); twice that in all
SKIP: Any = object()  # kept for an item that reads as no entry (prose that cites a paper)

_entries: dict[tuple, Any] = {}
_grammars: dict[Grammar, int] = {}  # a grammar's number in the keys: hashing one per item costs more
_numbers = count()  # never one number twice, even across a clearing (a read in another thread)


class Kept:
    """The entries kept for one grammar, while one file is read."""

    __slots__ = ("grammar", "on")

    def __init__(self, grammar: Grammar, items: int, keep: bool = True) -> None:
        self.on = keep and items <= KEPT
        if self.on and len(_entries) > KEPT:
            _entries.clear()
            _grammars.clear()
        number = _grammars.get(grammar) if self.on else -1
        if number is None:
            number = _grammars[grammar] = next(_numbers)
        self.grammar = number

    def get(self, key: tuple | None, line: int) -> Any:
        """The entry kept under `key` (moved to `line`), SKIP, or None when not kept (None: keeps none)."""
        if key is None:
            return None
        got = _entries.get((self.grammar, *key))
        if got is None or got is SKIP or got.line == line:
            return got
        got = _entries[(self.grammar, *key)] = moved(got, line - got.line)  # the next read finds it here
        return got

    def put(self, key: tuple | None, entry: Entry | Any) -> None:
        if key is not None:
            _entries[(self.grammar, *key)] = entry
