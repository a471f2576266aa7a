"""One list item → an Entry: its fields read from all of its lines, and the template it follows.

An entry is judged by its fields, whatever the format: the rules ask for the title, the tag, the
date, the links; the syntax rule asks whether the shape of its first line is one the list uses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar

from .fields import read_line
from .grammar import Grammar
from .markup import fold, lookalikes
from .slots import Badge, Line, Link, Slot
from .tags import Tag, read_any
from .templates import Template, key_of, marker_kind

T = TypeVar("T")
MAX_LINE = 10_000
_new = tuple.__new__  # a Link from all its values, without NamedTuple's keyword handling  # longer lines are never entries: judged without parsing


class Memo:
    """What the rules and the format work out from an entry's content (bot.core.rules.base.Context,
    bot.core.verdict.pipeline.prepare), for one grammar object: a slot each (a dict of them costs about
    200 bytes more an entry)."""

    __slots__ = ("grammar", "order", "paper_link", "problems", "refs", "repair", "title")

    def __init__(self) -> None:
        self.grammar = _NO_GRAMMAR  # what it holds (refs, title) holds for any grammar
        self.refs = self.title = None  # every slot set: asking for an unset one raises, and costs
        self.order = self.paper_link = self.problems = self.repair = _UNSET


_UNSET: Any = object()
_NO_GRAMMAR: Any = object()


@dataclass(slots=True)
class Entry:
    line: int  # its first line in the file
    text: str  # its lines as the file holds them, joined by "\n"
    tag: str  # the tag's words (`NeurIPS 24'`), "" when it has none
    title: str
    links: tuple[Link, ...]
    section: str = ""
    end: int = 0  # its last line
    marker: str = "-"  # the item marker as written (`-`, `*`, `12.`, `|`)
    tag_raw: str = ""  # the tag as written, with its markup: `(*NeurIPS 24'*)`
    tag_form: str = ""  # its markup: `(*{}*)`
    date: str = ""  # a date field's words (`2023/05`), "" when none
    date_raw: str = ""
    authors: str = ""
    badges: tuple[Badge, ...] = ()
    lines: tuple[Line, ...] = ()  # the fields of each logical line, the first line first
    shape: tuple[str, ...] = ()  # the first line's shape
    template: Template | None = None  # the list's template it follows; None: none
    wrapped: bool = False  # its first line is split over several lines of the file, by mistake
    head_rows: int = 1  # lines of the file its first line takes
    lookalikes: tuple[tuple[int, str], ...] = ()  # (line offset, character) read as ASCII
    # What the rules work out from the entry's content alone (never its line numbers): shared by the
    # copies of one entry read again further down a file (`moved`), so each works it out once.
    memo: Memo = field(default_factory=Memo, init=False, compare=False, repr=False)

    @property
    def head(self) -> Line:
        return self.lines[0] if self.lines else Line()

    @property
    def follows_format(self) -> bool:
        return self.template is not None and not self.wrapped

    def claimed(self) -> Tag | None:
        """What the tag claims, read in any style (`read_tag` is the list's exact style)."""
        got = read_any(self.tag) if self.tag else None
        return got[0] if got else None

    def claimed_date(self) -> Tag | None:
        got = read_any(self.date) if self.date else None
        return got[0] if got else None


def moved(entry: Entry, by: int) -> Entry:
    """The same entry `by` lines further down the file (its links' lines too), sharing its memo."""
    out = Entry(*_values(entry))  # dataclasses.replace costs eight times as much
    out.line, out.end, out.memo = entry.line + by, entry.end + by, entry.memo
    out.links = tuple([_new(Link, (k[0], k[1], k[2], k[3], k[4] + by)) for k in entry.links])
    return out


_values = attrgetter(*(f.name for f in fields(Entry) if f.init))  # an entry's values, in order


def remembered(entry: Entry, name: str, grammar: Any, work: Callable[[Entry, Any], T]) -> T:
    """`work(entry, grammar)`, worked out once per entry and grammar and kept in its memo's slot
    `name`: the memo holds the answers for one grammar object, and starts again for another."""
    memo = entry.memo
    if memo.grammar is not grammar:
        if memo.grammar is not _NO_GRAMMAR:  # answers for another grammar: start again
            memo = entry.memo = Memo()
        memo.grammar = grammar
    else:
        got = getattr(memo, name)
        if got is not _UNSET:
            return got
    value = work(entry, grammar)
    setattr(memo, name, value)
    return value


def read(
    line: int,
    end: int,
    raw: str,
    marker: str,
    rows: list[tuple[int, str, int, str]],
    grammar: Grammar,
    section: str = "",
) -> Entry | None:
    """The entry in an item's logical lines (`rows`, the first is the item's own first line)."""
    if not rows or any(len(r[1]) > MAX_LINE for r in rows):
        return None
    parsed: list[Line] = []
    looks: list[tuple[int, str]] = []
    for i, (n, text, _, _) in enumerate(rows):
        folded = fold(text)
        if folded is not text:
            looks.extend((n - line, ch) for _, ch in lookalikes(text))
        parsed.append(read_line(folded.strip().removesuffix("\\").rstrip(), head=i == 0))
    return build(line, end, raw, marker, rows, parsed, grammar, section, tuple(looks))


def build(
    line: int,
    end: int,
    raw: str,
    marker: str,
    rows: list[tuple[int, str, int, str]],
    parsed: list[Line],
    grammar: Grammar,
    section: str,
    looks: tuple[tuple[int, str], ...] = (),
) -> Entry:
    head = parsed[0]
    shape = key_of(head.slots)
    marked = marker_kind(marker) in grammar.markers
    template = grammar.match(shape) if marked else None
    wrapped = False
    head_rows = 1
    soft = _soft(rows, parsed)
    if soft and (template is None or grammar.wrapped or not grammar.details):
        # Its first line continues on the next ones: read it whole; unless the list wraps its
        # entries, that is a mistake whose fix is the joined line.
        text = " ".join(r[1].strip() for r in rows[: soft + 1])
        joined = read_line(fold(text), head=True)
        t = grammar.match(key_of(joined.slots)) if marked else None
        if t is not None or grammar.wrapped or template is None:
            rows = [(rows[0][0], text, 0, rows[0][3]), *rows[soft + 1 :]]
            parsed = [joined, *parsed[soft + 1 :]]
            head, shape, template, wrapped = joined, key_of(joined.slots), t, not grammar.wrapped
            head_rows = soft + 1
    first: dict[str, tuple[Slot, int]] = {}  # each role's first slot, and the line it is on
    links: list[Link] = []
    badges: list[Badge] = []
    for i, ((n, _, _, _), ln) in enumerate(zip(rows, parsed, strict=True)):
        for s in ln.slots:
            if s[0] not in first:
                first[s[0]] = (s, i)
        links.extend([_new(Link, (k[0], k[1], k[2], k[3], n)) for k in ln.links])
        badges.extend(ln.badges)
    title, tag, date, authors = first.get("title"), first.get("tag"), first.get("date"), first.get("authors")
    return Entry(
        line,
        raw,
        tag[0].value if tag else "",
        title[0].value if title else "",
        tuple(links),
        section,
        end,
        marker,
        _raw(rows, tag),
        tag[0].form if tag else "",
        date[0].value if date else "",
        _raw(rows, date),
        authors[0].value if authors else "",
        tuple(badges),
        tuple(parsed),
        shape,
        template,
        wrapped,
        head_rows,
        looks,
    )


def _soft(rows: list[tuple[int, str, int, str]], parsed: list[Line] | None = None) -> int:
    """How many lines after the first continue its paragraph without a hard break. A line of badges
    or links alone (`&nbsp; [![stars](…)](…)`) is a line of its own, not the rest of the first."""
    n = 0
    for i, r in enumerate(rows[1:], 1):
        if not r[2] or r[3]:
            break
        if parsed is not None and not any(s.role not in ("links", "badges") for s in parsed[i].slots):
            break
        n += 1
    return n


def _raw(rows: list[tuple[int, str, int, str]], found: tuple[Slot, int] | None) -> str:
    if not found:
        return ""
    slot, i = found
    text = rows[i][1].strip()
    return text[slot.start : slot.end]
