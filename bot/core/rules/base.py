"""What a rule sees (Context) and what it says (Hit); the judge turns hits into Findings."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from ..arxiv_id import ArxivRef, parse_ref
from ..model import ArxivLookup, Edit, Record, RecordLookup
from ..options import Kind, Rule, Severity
from ..read.document import Document, Item
from ..read.entry import Entry, remembered
from ..read.grammar import Grammar
from ..read.labels import is_paper_url, label_words
from ..read.slots import Link
from ..read.tags import Tag, TagStyle, read_any
from ..records import Aliases, record_id
from ..titles import normalize

__all__ = ["Calibration", "Context", "Hit", "Kind", "Rule", "Severity", "entry_in_scope", "label_in"]


class ConfigView(Protocol):
    """What a rule reads of the config (bot.core.config.config.Config is one). Named by what it offers,
    not imported: the config reads the rules' declarations, so the rules never import the config back."""

    @property
    def inferred(self) -> tuple[str, ...]: ...

    def __getitem__(self, key: str) -> Any: ...

    def option(self, rule: str, name: str) -> Any: ...

    @property
    def forced(self) -> frozenset[str]: ...


# A line that heads a part of a section: a heading, `<summary>`, or bold alone (in a bullet, a tag).
# Anchored: used with match.
_PLACE = re.compile(
    r"\A[ \t]*+(?:#|<summary|(?:[-*+][ \t]++)?(?:<[^<>\n]{0,200}+>[ \t]*+)*+\*\*[^*\n]{1,200}+\*\*[ \t:]*+(?:</[^<>\n]{0,50}+>[ \t]*+)*+$)"
)


@dataclass(frozen=True)
class Hit:
    kind: Kind  # the problem, as its rule declares it
    message: str
    edits: tuple[Edit, ...] = ()
    minor: bool = False  # capped at warning whatever the rule's severity
    notice: bool = False  # always a notice (e.g. "not verified"): never a verdict against anyone
    unsafe: bool = False  # the fix deletes the line or is a guess: `check --fix` needs --unsafe-fixes
    unverified: str = ""  # the source that could not be asked ("arXiv"): no verdict yet, asked again later
    delete: bool = False  # the fix removes the line (an empty suggestion)
    detail: str = ""  # what within the kind (a field and its markup): calibrated on its own
    also: tuple[tuple[Kind, str], ...] = ()  # the other kinds and details the one message says

    @property
    def kinds(self) -> tuple[tuple[Kind, str], ...]:
        return ((self.kind, self.detail), *self.also)


Key = tuple[str, str, str]  # (rule id, kind id, detail): what calibration counts


@dataclass(frozen=True)
class Calibration:
    """What a list's accepted entries say about it (bot.core.verdict.calibration computes it): the
    kinds of finding that are its style, and whether its learnt format explains it."""

    items: int  # the paper items of the base
    explained: int  # those its format's templates explain
    fired: dict[Key, int] = field(default_factory=dict, compare=False)  # items each kind fires on
    judged: dict[str, int] = field(default_factory=dict, compare=False)  # items each rule judges
    style: frozenset[Key] = frozenset()  # kinds that are the list's style: not reported on it
    withheld: str = ""  # why format advice is withheld on this list ("" when it is given)

    def share(self, key: Key) -> float:
        return self.fired.get(key, 0) / max(1, self.judged.get(key[0], 0))

    def reports(self, rule: str, kind: Kind, detail: str, forced: bool) -> bool:
        """Is this kind said on this list? Not where it is the list's style (unless config.yml sets the
        rule's severity), nor, where the learnt format does not explain the list, advice in it."""
        if kind.format and self.withheld:
            return False
        return forced or kind.fact or (rule, kind.id, detail) not in self.style


_UNREAD: Any = object()  # not asked yet (None is an answer)


@dataclass
class Context:
    """Everything a rule may consult; built once per file, indexes computed on first use."""

    doc: Document
    config: ConfigView
    grammar: Grammar
    checked: frozenset[int] | None  # lines under review; None = the whole file
    today: dt.date  # passed in: the core reads no clock
    arxiv: ArxivLookup | None = None  # None: offline
    # Code repositories by lower-case "owner/name": "ok" | "missing" | "archived"; None: not looked up.
    repos: dict[str, str] | None = None
    records: RecordLookup | None = None  # publication records by record id; None: not looked up
    calibration: Calibration | None = None  # what the list's accepted entries say; None: not known yet
    memo: dict = field(default_factory=dict)  # per-file computations a rule shares across items
    memo_urls: dict[str, ArxivRef | None] = field(default_factory=dict)  # URL → its arXiv ref

    def option(self, rule: str, name: str):
        return self.config.option(rule, name)

    def reports(self, rule: str, kind: Kind, detail: str = "") -> bool:
        """Whether `rule` says this kind on this list (see Calibration.reports); a rule whose one message
        says several asks for each, and leaves out those it does not."""
        cal = self.calibration
        return cal is None or cal.reports(rule, kind, detail, rule in self.config.forced)

    def is_checked(self, line: int) -> bool:
        return self.checked is None or line in self.checked

    def ref(self, url: str) -> ArxivRef | None:
        """The arXiv reference in a URL, once per URL and file (several rules ask, for every entry)."""
        ref = self.memo_urls.get(url, _UNREAD)
        if ref is _UNREAD:
            ref = self.memo_urls[url] = parse_ref(url)
        return ref

    def place(self, entry: Entry) -> tuple[str, int]:
        """The part of the file the entry stands in: its section, and how many lines that head a part
        stand above it (a heading: `### Papers` under each topic is a part of its own, whatever its
        name; a line of bold alone, `**In web scenarios**` or a group item `* **Applications**`; a
        `<summary>`). Entries in one part are listed together: ordered together, a copy there twice."""
        marks = self.memo.get("places")
        if marks is None:  # once per file; an entry written `- **Title**` heads nothing
            items = {n for i in self.doc.items if i.entry for n in range(i.line, i.end + 1)}
            marks = self.memo["places"] = [0]
            for n, line in enumerate(self.doc.lines, 1):
                marks.append(marks[-1] + (n not in items and bool(_PLACE.match(line))))
        return entry.section, marks[entry.line]

    # Several rules ask these of every entry: each is kept in the entry's memo (bot.core.read.entry),
    # worked out once per entry however many reviews read it again.

    def refs(self, entry: Entry) -> tuple[ArxivRef, ...]:
        """Every arXiv reference in the entry's links."""
        refs = entry.memo.refs
        if refs is None:
            refs = entry.memo.refs = tuple(r for k in entry.links if (r := self.ref(k.url)))
        return refs

    def title_key(self, entry: Entry) -> str:
        key = entry.memo.title
        if key is None:
            key = entry.memo.title = normalize(entry.title)
        return key

    def paper_link(self, entry: Entry) -> Link | None:
        at = remembered(entry, "paper_link", self.grammar, _paper_link_at)
        return entry.links[at] if at >= 0 else None

    def record(self, entry: Entry) -> tuple[str, Record] | None:
        """The publication record of the entry's paper (its id and the record), when one was found."""
        key = entry_record_id(entry, self.grammar)
        record = self.records.papers.get(key) if key and self.records is not None else None
        return (key, record) if key and record else None

    @cached_property
    def aliases(self) -> Aliases:
        return Aliases(self.config["venues"]["aliases"])

    def paper(self, entry: Entry) -> ArxivRef | None:
        """The arXiv reference of the paper link (or of any link when the paper link is elsewhere)."""
        refs = self.refs(entry)
        if not refs:
            return None
        link = self.paper_link(entry)
        if link and (r := self.ref(link.url)):
            return r
        return refs[0]

    def tag(self, entry: Entry) -> Tag | None:
        """What the tag claims, read in the list's style first, else in any style."""
        if not entry.tag:
            return None
        return self.grammar.read_tag(entry.tag) or entry.claimed()

    @cached_property
    def styled(self) -> bool:
        """The list's tags have a style: learnt from its tags, or set in config. A list whose format
        holds no tag has none, nor has a list whose format is not learnt (format advice withheld): a
        tag a contributor adds to it is judged by what it claims, in the style it is written in, never
        held to the seed's."""
        if self.calibration is not None and self.calibration.withheld:
            return False
        written = self.config["grammar"]
        if any(written.get(k) not in (None, "auto", []) for k in ("preprint_tag", "venue_tag", "date")):
            return True
        g = self.grammar
        return any(s.role in ("tag", "date") for t in g.entry + g.details for s in t.slots)

    def tag_style(self, tag: Tag, words: str) -> TagStyle | None:
        """The style to write `tag` in, where the tag was written as `words`: the list's (None when
        it has none that fits), or, in a list without a style, the one `words` follow."""
        if self.styled:
            return self.grammar.style_for(tag)
        got = read_any(words)
        return TagStyle(got[1], self.grammar.qualifier) if got else None

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
            key = self.title_key(e)
            if key:
                out[key].append(e)
        return out


_OWNER = re.compile(r"(?<!\s)\s*\([^()]{1,60}\)\s*$")  # from the start of a run of spaces only


def label_in(label: str, labels: tuple[str, ...] | list[str]) -> bool:
    """The link label is one of the list's `labels`: by its words (`📝 Paper` is `paper`), as written,
    or without a trailing `(owner)` naming whose implementation it links (`PyTorch (lucidrains)`)."""
    if label_words(label) in labels or label.casefold() in labels:
        return True
    bare = _OWNER.sub("", label)
    return bare != label and label_words(bare) in labels


def paper_link(entry: Entry, grammar: Grammar) -> Link | None:
    """The link to the paper: the title when it is a link, a link labelled as the paper, or a link to
    a paper host."""
    labels = grammar.paper_labels
    for link in entry.links:
        if link.style == "title" and not (
            link.url.startswith("#") and len(link.url) > 1
        ):  # `(#)`: a placeholder
            return link
    for link in entry.links:
        if label_in(link.label, labels):
            return link
    return next((k for k in entry.links if is_paper_url(k.url)), None)


def _paper_link_at(entry: Entry, grammar: Grammar) -> int:
    """Where the paper link is in the entry's links (-1: none): an index holds for its moved copies."""
    link = paper_link(entry, grammar)
    return -1 if link is None else entry.links.index(link)  # an equal link is the same link


def entry_record_id(entry: Entry, grammar: Grammar) -> str | None:
    """The record id the venue rules read for an entry: its paper link's, else its first arXiv id's."""
    link = paper_link(entry, grammar)
    if link is not None and (key := record_id(link.url)):
        return key
    return next((f"ARXIV:{r.id}" for r in arxiv_refs(entry) if r.valid), None)


def arxiv_refs(entry: Entry) -> tuple[ArxivRef, ...]:
    return tuple(r for link in entry.links if (r := parse_ref(link.url)))


def entry_in_scope(item: Item) -> Entry | None:
    """The entry on an item that the entry rules judge: read, and under a paper section."""
    return item.entry if item.in_scope else None
