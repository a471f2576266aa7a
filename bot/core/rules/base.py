"""What a rule sees (Context) and what it says (Hit); the judge turns hits into Findings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from ..arxiv_id import ArxivRef, parse_ref
from ..config import Config
from ..document import Document, Item
from ..entry import Entry
from ..grammar import Grammar, Tag
from ..model import ArxivLookup, Edit
from ..titles import normalize


@dataclass(frozen=True)
class Hit:
    message: str
    edits: tuple[Edit, ...] = ()
    minor: bool = False  # capped at warning whatever the rule's severity
    notice: bool = False  # always a notice (e.g. "not verified"): never a verdict against anyone


@dataclass
class Context:
    """Everything a rule may consult; built once per file, indexes computed on first use."""

    doc: Document
    config: Config
    grammar: Grammar
    checked: frozenset[int] | None  # lines under review; None = the whole file
    arxiv: ArxivLookup | None = None  # None: offline
    today: dt.date = field(default_factory=dt.date.today)
    memo: dict = field(default_factory=dict)  # per-file computations a rule shares across items

    def option(self, rule: str, name: str):
        return self.config.option(rule, name)

    def is_checked(self, line: int) -> bool:
        return self.checked is None or line in self.checked

    @cached_property
    def by_id(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.doc.entries:
            for ref in arxiv_refs(e):
                if ref.valid:
                    out[ref.id].append(e)
        return out

    @cached_property
    def by_title(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.doc.entries:
            key = normalize(e.title)
            if key:
                out[key].append(e)
        return out


def arxiv_refs(entry: Entry) -> tuple[ArxivRef, ...]:
    return tuple(r for link in entry.links if (r := parse_ref(link.url)))


def paper_ref(entry: Entry, grammar: Grammar) -> ArxivRef | None:
    """The arXiv reference of the entry's paper link (or of any link when the paper link is elsewhere)."""
    refs = [parse_ref(link.url) for link in entry.links if link.label.casefold() in grammar.paper_labels]
    return next((r for r in refs if r), None) or next(iter(arxiv_refs(entry)), None)


def tag_of(entry: Entry, grammar: Grammar) -> Tag | None:
    return grammar.read_tag(entry.tag)


def entry_in_scope(item: Item) -> Entry | None:
    """The entry on an item that the entry rules judge: parsed, and under a configured section."""
    return item.entry if item.in_scope else None
