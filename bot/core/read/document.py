"""A list file as the rules see it: its items (list items and table rows), the section each is
under, and the entry each holds.

Reading is in two steps. `parse` is the same for every format: the block structure, each item's
logical lines and their fields, and what each item is (an entry, a line of metadata under one, a
group heading such as `* General:`, a table of contents). `read` then holds the items against a
list's format and its paper sections. Inference (bot.core.format.infer) works on the parse alone.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..arxiv_id import ArxivRef, parse_ref
from ..budget import UNLIMITED, Budget
from ..lines import split_lines
from ..model import PROGRESS_EVERY, Progress
from . import blocks as blocks_mod
from . import reuse
from .blocks import Structure
from .cells import read_row
from .entry import MAX_LINE, Entry, build
from .fields import read_line
from .grammar import Grammar
from .labels import PAPER_WORDS, is_paper_url, label_words
from .markup import IMAGE, LINK, fold, lookalikes
from .slots import Line
from .suppress import Suppression
from .suppress import read as read_suppressions
from .templates import key_of

if TYPE_CHECKING:  # the format's problems are found above the reader (bot.core.format.syntax)
    from ..format.syntax import Problem

_IMAGES = re.compile(IMAGE)
_INLINE_MD = re.compile(IMAGE + "|" + LINK + r"|[*_`]|<[^<>]{0,200}>")
Row = tuple[int, str, int, str]  # (file line, text, physical lines joined, marker)

ENTRY, DETAIL, GROUP, TOC, PROSE = "entry", "detail", "group", "toc", "prose"
_UNREAD: Any = object()


@dataclass(slots=True)
class Item:
    """A list item or table row that may hold an entry, with where it is in the file."""

    line: int
    text: str  # its lines as the file holds them, joined by "\n"
    section: str
    in_scope: bool  # under one of the sections that hold papers
    entry: Entry | None  # None: a line too long to read, or nothing an entry could be
    fixed: str | None = None  # the whole item after mechanical fixes, when it does not follow the format
    end: int = 0  # its last line
    problems: tuple[Problem, ...] = ()  # what keeps its entry from the list's format (bot.core.format.syntax)

    def __post_init__(self) -> None:
        if not self.end:
            self.end = self.line


@dataclass
class Parsed:
    """What a file says whatever its format: structure, and each block's lines, fields and role."""

    structure: Structure
    rows: list[list[Row]]
    fields: list[list[Line]]
    roles: list[str]
    ends: list[int]
    # The arXiv reference of each URL, read once per file: inference, the rules and the lookups ask.
    urls: dict[str, ArxivRef | None] = field(default_factory=dict)

    @property
    def lines(self) -> list[str]:
        return self.structure.lines

    def ref(self, url: str) -> ArxivRef | None:
        ref = self.urls.get(url, _UNREAD)
        if ref is _UNREAD:  # each URL once: asking costs less than a KeyError
            ref = self.urls[url] = parse_ref(url)
        return ref

    def section(self, block: int) -> str:
        b = self.structure.blocks[block]
        h = b.heading
        name = self.structure.headings[h].name if h >= 0 else ""
        return b.details or name


@dataclass
class Document:
    lines: list[str]
    items: list[Item] = field(default_factory=list)
    bad_bytes: set[int] = field(default_factory=set)  # lines that held invalid UTF-8
    grammar: Grammar | None = None
    config: Any = None  # the effective Config (format inferred where config.yml left it "auto")
    suppressions: list[Suppression] = field(default_factory=list)  # its inline suppression comments
    urls: dict[str, ArxivRef | None] = field(default_factory=dict)  # the parse's, see Parsed.urls

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
        return text, replaced_lines(text)


def replaced_lines(text: str) -> set[int]:
    """Lines holding U+FFFD, the mark of bytes that were not UTF-8."""
    if "\ufffd" not in text:
        return set()
    return {n for n, line in enumerate(split_lines(text), 1) if "\ufffd" in line}


def heading_name(text: str) -> str:
    """Heading text without markdown, links, emoji or case: how `sections` names are matched."""
    plain = _INLINE_MD.sub(lambda m: m[1] or "", _IMAGES.sub("", text))  # `[![badge](…)](…)` too
    return " ".join("".join(c for c in plain if c.isalnum() or c in " &-+/'").split()).casefold()


# --------------------------------------------------------------------------- parse


def parse(text: str, budget: Budget = UNLIMITED, progress: Progress | None = None) -> Parsed:
    """`progress` is told how many of the file's items have been read, now and then."""
    st = blocks_mod.read(text, budget)
    bl = st.blocks
    n = len(bl)
    own: list[list[Row]] = [[] for _ in range(n)]
    fields: list[list[Line]] = [[] for _ in range(n)]
    for i, b in enumerate(bl):
        budget.check(b.line)
        if progress is not None and i % PROGRESS_EVERY == 0:
            progress(i, n)
        rows = own[i]
        for j, (ln, t, joined) in enumerate(b.lines):
            rows.append((ln, t, joined, b.marker if j == 0 and ln == b.line else ""))
        if b.marker == "|":
            fields[i] = [_row_fields(rows[0][1], b.header)] if rows else []
        else:
            fields[i] = [_fields(t, j == 0 and r[0] == b.line) for j, r in enumerate(rows) for t in (r[1],)]
    paperish = [_paperish(f) for f in fields]
    nested = any(b.parent >= 0 or b.marker == "" for b in bl)  # where a title decides a role
    titled = [nested and bool(f) and f[0].first("title") is not None for f in fields]
    roles = [ENTRY] * n
    _paragraphs(bl, roles, paperish, titled, fields)
    for i, b in enumerate(bl):
        f = fields[i]
        if roles[i] == PROSE:
            continue
        if (f and (_is_toc(f[0]) or _is_index(f[0])) and len(f) == 1) or (
            b.parent >= 0 and roles[b.parent] in (TOC,)
        ):
            roles[i] = TOC
        elif b.parent >= 0 and (not paperish[i] or not titled[i]) and roles[b.parent] in (ENTRY, DETAIL):
            roles[i] = DETAIL  # its metadata: authors, notes, a `Code:` or `Paper:` link
    for i in range(n - 1, -1, -1):  # children are read before their parents here
        kids = bl[i].children
        if (
            roles[i] == ENTRY
            and kids
            and all(roles[c] == TOC for c in kids)
            and not any(f.links for f in fields[i])
        ):
            roles[i] = TOC  # `- Key Venues` over `[Workshops](#workshops)`: a heading of the contents
        elif roles[i] == ENTRY and not paperish[i] and any(roles[c] in (ENTRY, GROUP) for c in kids):
            roles[i] = GROUP
            for c in kids:
                if roles[c] == DETAIL:
                    roles[c] = ENTRY
    # An entry's rows: its own, then those of the metadata items under it (new lists only for those).
    rows_all, fields_all = own, fields
    ends = [b.end for b in bl]
    for i in range(n):
        if roles[i] == ENTRY and bl[i].children and (under := _details(bl, roles, i)):
            rows_all[i] = [*own[i], *(r for c in under for r in own[c])]
            fields_all[i] = [*fields[i], *(_fields(r[1], False) for c in under for r in own[c])]
            ends[i] = max(ends[i], *(ends[c] for c in under))
    if progress is not None:
        progress(n, n)
    return Parsed(st, rows_all, fields_all, roles, ends)


MIN_PARAGRAPHS = 5  # paragraphs with a paper link that make a list of paragraph entries


def _paragraphs(
    bl, roles: list[str], paperish: list[bool], titled: list[bool], fields: list[list[Line]]
) -> None:
    """Paragraphs are entries in a list that writes its papers as paragraphs (more of them link a
    paper than list items or rows do), with those written as they are (a paper on its authors'
    site), and prose everywhere else."""
    paras = [i for i, b in enumerate(bl) if b.marker == ""]
    if not paras:
        return
    own = [
        i
        for i in paras
        if paperish[i] or any(paperish[c] and not titled[c] for c in bl[i].children)  # `- Paper: url`
    ]
    others = sum(1 for i, b in enumerate(bl) if b.marker != "" and paperish[i] and titled[i])
    entries = set(own) if len(own) >= MIN_PARAGRAPHS and len(own) > others else set()
    if entries:
        shapes = Counter(key_of(fields[i][0].slots) for i in own if fields[i])
        common = {
            k for k, n in shapes.items() if n >= MIN_PARAGRAPHS and any(r.startswith("title:") for r in k)
        }
        entries.update(i for i in paras if fields[i] and key_of(fields[i][0].slots) in common)
    for i in paras:
        if i not in entries:
            roles[i] = PROSE


def _details(bl, roles: list[str], i: int) -> list[int]:
    out: list[int] = []
    stack = list(reversed(bl[i].children))
    while stack:
        c = stack.pop()
        if roles[c] == DETAIL:
            out.append(c)
            stack.extend(reversed(bl[c].children))
    return out


# The fields of a line, by its text: a review reads the base's lines again in the head, `check --fix`
# the lines it did not change. Lines are never changed once read, so one object serves every reader.
LINES_KEPT = 32_768


@lru_cache(maxsize=LINES_KEPT)
def _fields(text: str, head: bool) -> Line:
    if len(text) > MAX_LINE:
        return Line()
    return read_line(
        fold(text).strip().removesuffix("\\").rstrip(), head=head
    )  # a trailing `\` is a hard break


_HEADER_ROLES = (
    (("title", "name", "paper", "paper title", "paper name", "method",
      "标题", "论文", "论文 链接", "题目", "名称"), "title"),
    (("venue", "conference", "conf", "publication", "published", "journal", "where", "source",
      "出版信息", "会议", "期刊", "发表", "来源"), "tag"),
    (("date", "year", "time", "month", "published date", "release", "日期", "时间", "年份"), "date"),
    (("authors", "author", "authors & affiliations", "作者"), "authors"),
    (("pdf", "link", "links", "arxiv", "url", "code", "github", "repo", "repository", "project",
      "resources", "resource", "链接", "链接地址", "代码"), "links"),
)  # fmt: skip


def column_role(header: str) -> str:
    words = label_words(header)
    for names, role in _HEADER_ROLES:
        if words in names:
            return role
    return ""


@lru_cache(maxsize=LINES_KEPT)
def _row_fields(row: str, header: tuple[str, ...]) -> Line:
    if len(row) > MAX_LINE:
        return Line()
    return read_row(fold(row).strip(), tuple(column_role(h) for h in header))


def _paperish(lines: list[Line]) -> bool:
    for ln in lines:
        for k in ln.links:
            if k.url.startswith("#"):
                continue
            if is_paper_url(k.url) or (k.style != "title" and label_words(k.label) in PAPER_WORDS):
                return True
    return False


_YEARISH = re.compile(r"(?:19|20)?\d\d|[vV]\d{1,3}")  # anchored: used with fullmatch


def _is_index(line: Line) -> bool:
    """Links by year (`[KDD](u) [2025](u), [2024](u)`): an index of a venue's volumes, not a paper."""
    years = sum(1 for k in line.links if _YEARISH.fullmatch(k.label.strip()))
    return years >= 2 and 2 * years >= len(line.links)


def _is_toc(line: Line) -> bool:
    return (
        bool(line.links)
        and all(k.url.startswith("#") and len(k.url) > 1 for k in line.links)  # `(#)` is a placeholder
        and not any(s.role in ("tag", "date", "authors") for s in line.slots)
    )


# --------------------------------------------------------------------------- read


def read(
    text: str | Parsed,
    grammar: Grammar,
    sections: list[str] | tuple[str, ...],
    ignore: list[str] | tuple[str, ...] = (),
    budget: Budget = UNLIMITED,
    keep: bool = False,
) -> Document:
    """`keep`: keep its entries for a later read to find (bot.core.read.reuse): the file is a review's
    base or head, read again by the next review."""
    parsed = text if isinstance(text, Parsed) else parse(text, budget)
    st = parsed.structure
    doc = Document(
        st.lines,
        grammar=grammar,
        suppressions=read_suppressions(st.comments, len(st.lines)),
        urls=parsed.urls,
    )
    scope = _scope(st, sections, ignore)
    lines = st.lines
    kept = reuse.Kept(grammar, len(st.blocks), keep)
    for i, b in enumerate(st.blocks):
        if parsed.roles[i] != ENTRY:
            continue
        budget.check(b.line)
        rows = parsed.rows[i]
        if not rows:
            continue
        end = parsed.ends[i]
        raw = "\n".join(lines[b.line - 1 : end]) if end > b.line else lines[b.line - 1]
        section = parsed.section(i)
        in_scope = scope(b.heading)
        entry = None
        if all(len(r[1]) <= MAX_LINE for r in rows):
            # What the entry is read from (its fields are its rows': `parse`), wherever it is.
            key = (
                (b.marker, b.header, section, raw, end - b.line, *((r[0] - b.line, *r[1:]) for r in rows))
                if kept.on
                else None
            )
            entry = kept.get(key, b.line)
            if entry is None:
                looks = tuple(
                    (r[0] - b.line, ch) for r in rows if not r[1].isascii() for _, ch in lookalikes(r[1])
                )
                entry = build(b.line, end, raw, b.marker, rows, parsed.fields[i], grammar, section, looks)
                if b.marker == "" and entry.template is None and not _starts_like(entry, grammar):
                    entry = reuse.SKIP
                kept.put(key, entry)
            if entry is reuse.SKIP:
                continue  # prose that cites a paper, not an entry
        doc.items.append(Item(b.line, raw, section, in_scope, entry, None, end))
    return doc


def _starts_like(entry: Entry, grammar: Grammar) -> bool:
    """Its first field is the one the list's entries start with, written as theirs (a linked
    title, a bold one, a tag): prose starts with words."""
    first = _first(entry.head.slots)
    return first is not None and any(_first(t.slots) == first for t in grammar.entry)


def _first(slots) -> tuple[str, str] | None:
    return next(
        ((s.role, s.form.replace(".", "")) for s in slots if s.role not in ("links", "badges", "lit")), None
    )


def _scope(st: Structure, sections, ignore):
    """heading index → is it (or a heading above it) one of `sections`, and none of `ignore`."""
    wanted = {heading_name(s) for s in sections}
    unwanted = {heading_name(s) for s in ignore}
    everywhere = "*" in sections
    memo: dict[int, bool] = {}
    heads = st.headings

    def inside(h: int) -> bool:
        if h in memo:
            return memo[h]
        chain = []
        x = h
        while x >= 0:
            chain.append(heading_name(heads[x].name))
            x = heads[x].parent
        ok = (everywhere or any(c in wanted for c in chain)) and not any(c in unwanted for c in chain)
        if h < 0:
            ok = everywhere and not unwanted & {""}
        memo[h] = ok
        return ok

    return inside
