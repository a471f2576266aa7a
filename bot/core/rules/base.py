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
    unsafe: bool = False  # the fix deletes the line or is a guess: `check --fix` needs --unsafe-fixes
    unverified: bool = False  # arXiv could not be asked: no verdict yet, the bot checks again
    delete: bool = False  # the fix removes the line (an empty suggestion)


@dataclass
class Context:
    """Everything a rule may consult; built once per file, indexes computed on first use."""

    doc: Document
    config: Config
    grammar: Grammar
    checked: frozenset[int] | None  # lines under review; None = the whole file
    arxiv: ArxivLookup | None = None  # None: offline
    # Code repositories by lower-case "owner/name": "ok" | "missing" | "archived"; None: not looked up.
    repos: dict[str, str] | None = None
    today: dt.date = field(default_factory=dt.date.today)
    memo: dict = field(default_factory=dict)  # per-file computations a rule shares across items
    memo_refs: dict[int, tuple[ArxivRef, ...]] = field(default_factory=dict)  # line → arXiv refs

    def option(self, rule: str, name: str):
        return self.config.option(rule, name)

    def is_checked(self, line: int) -> bool:
        return self.checked is None or line in self.checked

    def refs(self, entry: Entry) -> tuple[ArxivRef, ...]:
        """Every arXiv reference in the entry's links (memoised: several rules ask)."""
        refs = self.memo_refs.get(entry.line)
        if refs is None:
            refs = self.memo_refs[entry.line] = arxiv_refs(entry)
        return refs

    def paper(self, entry: Entry) -> ArxivRef | None:
        """The arXiv reference of the paper link (or of any link when the paper link is elsewhere)."""
        refs = self.refs(entry)
        if not refs:
            return None
        labels = self.grammar.paper_labels
        for link in entry.links:
            if link.label.casefold() in labels and (r := parse_ref(link.url)):
                return r
        return refs[0]

    def tag(self, entry: Entry) -> Tag | None:
        return self.grammar.read_tag(entry.tag)

    @cached_property
    def by_id(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = defaultdict(list)
        for e in self.doc.entries:
            for ref in self.refs(e):
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


def entry_in_scope(item: Item) -> Entry | None:
    """The entry on an item that the entry rules judge: parsed, and under a configured section."""
    return item.entry if item.in_scope else None
