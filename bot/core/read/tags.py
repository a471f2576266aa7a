"""Venue tags and dates: what a tag claims (a Tag) and how the list writes it (a template).

A template is the tag with its parts replaced by placeholders: `{venue} {yy}'` for `NeurIPS 24'`,
`arXiv {yyyy}.{mm}` for `arXiv 2024.07`, `{yyyy}/{mm}` for a date `2023/05`. `read_any` reads a tag
written in any common style and says which template it follows; a list's own templates read its
tags exactly (`TagStyle.read`) and write the fix (`TagStyle.render`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .markup import TAG_QUOTES

PREPRINT_SERVERS = ("arxiv", "preprint", "biorxiv", "medrxiv", "ssrn", "techrxiv", "corr", "chemrxiv")


@dataclass(frozen=True)
class Tag:
    """What a tag claims: a preprint (server, year, month?), a venue (name, year), or a bare date."""

    kind: str  # "preprint" | "venue" | "date"
    year: int | None
    month: int | None = None
    venue: str = ""  # the venue's name; for a preprint, the server as written (`arXiv`)
    qualifier: str = ""  # `findings`, `Datasets & Benchmarks`, `Oral`


_YEAR = r"(?:19|20)\d\d"
_SERVER = r"(?P<server>arxiv|preprint|biorxiv|medrxiv|ssrn|techrxiv|corr|chemrxiv)"
_QUAL = r"(?:(?P<qsep> ?[–—-] ?| |, ?|(?=\())(?P<qualifier>[A-Za-z][\w&.+/\- ]{0,40}|\(\w[\w ]{0,20}\)))?"
# The tag patterns read a whole tag (fullmatch): anchored, so no search ever runs them from every position.
_DATE = re.compile(r"\A(?P<yyyy>" + _YEAR + r")(?P<sep>[./\-])(?P<mm>\d{1,2})(?:(?P=sep)\d{1,2})?")
_PREPRINT_MONTH = re.compile(
    r"\A" + _SERVER + r"(?P<sep1>[ ,:']{0,3})(?P<yyyy>" + _YEAR + r")(?P<sep2>[./\-]?)(?P<mm>\d{1,2})",
    re.IGNORECASE,
)
_PREPRINT_YEAR = re.compile(
    r"\A" + _SERVER + r"(?:(?P<sep>[ ,:]{1,3}|')(?P<year>" + _YEAR + r"|\d\d)(?P<post>')?)?", re.IGNORECASE
)
_WORD = r"[^\W\d_](?:[\w&.+/\-]{0,29}[^\W\d])?"
_VENUE_YEAR = re.compile(
    r"\A(?P<venue>" + _WORD + r"(?: " + _WORD + r"){0,5}?)"
    r"(?P<sep> ?'|, ?| |)(?P<year>" + _YEAR + r"|\d\d)(?P<post>')?" + _QUAL
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")  # fmt: skip
# `Jan. 2024`, `(Jan., 2024)`, `16 Oct 2023`, `January 2024`: a date with the month's name.
_NAMED_DATE = re.compile(
    r"\A(?:(?P<day>\d{1,2}) )?(?P<mon>[A-Za-z]{3,9})(?P<dot>\.?)(?P<sep>,? )(?P<yyyy>" + _YEAR + r")"
)
_VENUE_DATE = re.compile(
    r"\A(?P<venue>" + _WORD + r"(?: " + _WORD + r"){0,5}?)(?P<sep>,? )(?P<mon>[A-Za-z]{3,9})(?P<dot>\.?)"
    r"(?P<sep2>,? )(?P<yyyy>" + _YEAR + r")"
)
_SHORT_DATE = re.compile(r"\A(?P<yy>[1-3]\d)(?P<sep>[./])(?P<mm>0[1-9]|1[0-2])")
_SERVER_PREFIX = re.compile(_SERVER, re.IGNORECASE)
_VENUE_ONLY = re.compile(r"\A(?P<venue>[A-Z][\w&.+/\-]{1,20})" + _QUAL)


@lru_cache(maxsize=8192)
def read_any(text: str) -> tuple[Tag, str] | None:
    """A tag written in any common style, and its template; None when it is no tag at all."""
    t = " ".join(text.split()).strip(" .,;")
    if not t or len(t) > 120:  # a long text is no tag: told before its quotes are read
        return None
    t = t.translate(TAG_QUOTES)  # one character for one, none of them a space or stripped
    if m := _DATE.fullmatch(t):
        mm = m["mm"]
        month = int(mm)
        return Tag("date", int(m["yyyy"]), month), f"{{yyyy}}{m['sep']}{_mm(mm)}"
    if m := _SHORT_DATE.fullmatch(t):  # `23.07`: a date column's year and month
        return Tag("date", 2000 + int(m["yy"]), int(m["mm"])), f"{{yy}}{m['sep']}{{mm}}"
    if (m := _NAMED_DATE.fullmatch(t)) and (named := _month(m["mon"])):
        month, form = named
        day = "{d} " if m["day"] else ""
        return Tag("date", int(m["yyyy"]), month), f"{day}{form}{m['sep']}{{yyyy}}"
    if (m := _VENUE_DATE.fullmatch(t)) and (named := _month(m["mon"])):
        month, form = named  # `CVPR, June 2025`, `arXiv, Sept 2022`
        if (server := _SERVER_PREFIX.fullmatch(m["venue"])) is not None:
            tmpl = f"{server[0]}{m['sep']}{form}{m['sep2']}{{yyyy}}"
            return Tag("preprint", int(m["yyyy"]), month, server[0]), tmpl
        tmpl = f"{{venue}}{m['sep']}{form}{m['sep2']}{{yyyy}}"
        return Tag("venue", int(m["yyyy"]), month, m["venue"]), tmpl
    if m := _PREPRINT_MONTH.fullmatch(t):
        mm = m["mm"]
        if m["sep2"] or len(mm) == 2:
            tmpl = f"{m['server']}{m['sep1']}{{yyyy}}{m['sep2']}{_mm(mm)}"
            return Tag("preprint", int(m["yyyy"]), int(mm), m["server"]), tmpl
    if m := _PREPRINT_YEAR.fullmatch(t):
        if m["year"] is None:
            return Tag("preprint", None, None, m["server"]), m["server"]
        y, tmpl_y = _year(m["year"])
        return Tag("preprint", y, None, m["server"]), f"{m['server']}{m['sep']}{tmpl_y}{m['post'] or ''}"
    if m := _VENUE_YEAR.fullmatch(t):
        if m["venue"].casefold().startswith(PREPRINT_SERVERS) and m["qualifier"]:
            return None
        y, tmpl_y = _year(m["year"])
        if len(m["year"]) == 2 and not (m["sep"].strip() or m["post"]):
            return None  # `GPT4` or `Llama 2` are names, not tags
        qual = _qualifier(m)
        tmpl = f"{{venue}}{m['sep']}{tmpl_y}{m['post'] or ''}"
        return Tag("venue", y, None, m["venue"].strip(), qual), tmpl
    return None


def read_venue_only(text: str) -> Tag | None:
    """A venue named without a year (`NeurIPS`, `ACL Findings`): some lists put the year elsewhere."""
    m = _VENUE_ONLY.fullmatch(" ".join(text.split()).strip(" .,;"))
    return Tag("venue", None, None, m["venue"], _qualifier(m)) if m else None


def _month(name: str) -> tuple[int, str] | None:
    """A month's number, and its placeholder `{Mon}`: any way of naming it (Jan, Jan., Sept, January)."""
    low = name.casefold()
    if low in _MONTH_NAMES:
        return _MONTH_NAMES.index(low) + 1, "{Mon}"
    if low[:3] in _MONTHS and len(low) <= 4 and _MONTH_NAMES[_MONTHS.index(low[:3])].startswith(low):
        return _MONTHS.index(low[:3]) + 1, "{Mon}"
    return None


def _mm(mm: str) -> str:
    return "{m}" if len(mm) == 1 else "{mm}"


def _year(y: str) -> tuple[int, str]:
    return (int(y), "{yyyy}") if len(y) == 4 else (2000 + int(y), "{yy}")


def _qualifier(m: re.Match[str]) -> str:
    q = m["qualifier"] or ""
    return q.strip("() ")


_PLACEHOLDERS = {
    "{yyyy}": r"(?P<yyyy>(?:19|20)\d\d)",
    "{yy}": r"(?P<yy>\d\d)",
    "{mm}": r"(?P<mm>\d\d)",
    "{m}": r"(?P<m>\d{1,2})",
    "{Mon}": r"(?P<mon>[A-Za-z]{3,9})\.?",
    "{d}": r"\d{1,2}",
    # In a list's own tag style a venue may be long (`International Conference on … (CBMI), 2022`).
    "{venue}": r"(?P<venue>[^\W_][^\n]{0,150}?)",
}
_QUALIFIER_RE = r"(?:(?: ?[–—-] ?| )(?P<qualifier>[\w&.+/\- ]{1,40})| ?\((?P<paren>[\w&.+/\- ]{1,40})\))?"


@dataclass(frozen=True)
class TagStyle:
    """One template of a list's tags, compiled once: reads the exact form, writes the fix."""

    template: str
    qualifier: bool = True

    @cached_property
    def kind(self) -> str:
        if "{venue}" in self.template:
            return "venue"
        head = self.template.split("{", 1)[0].strip(" ,:'").casefold()
        return "preprint" if head.startswith(PREPRINT_SERVERS) else "date"

    @cached_property
    def server(self) -> str:
        return self.template.split("{", 1)[0].strip(" ,:'") if self.kind == "preprint" else ""

    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.template, self.qualifier and self.kind == "venue")

    def read(self, text: str) -> Tag | None:
        m = self.pattern().fullmatch(text)
        if m is None and self.kind == "preprint":
            # Another preprint server in a list whose tags name one (`bioRxiv 2024.03`, `Arxiv` lists).
            server = _SERVER_PREFIX.match(text)
            if server and server[0].casefold() != self.server.casefold():
                m = self.pattern().fullmatch(self.server + text[server.end() :])
                if m and (tag := self._tag(m)):
                    return Tag(tag.kind, tag.year, tag.month, server[0])
        if m is None:
            return None
        return self._tag(m)

    def _tag(self, m: re.Match[str]) -> Tag | None:
        d = m.groupdict()
        year = int(d["yyyy"]) if d.get("yyyy") else 2000 + int(d["yy"]) if d.get("yy") else None
        month = d.get("mm") or d.get("m")
        month = int(month) if month else None
        if d.get("mon"):
            named = _month(d["mon"])
            if named is None:
                return None
            month = named[0]
        if self.kind == "venue":
            qualifier = d.get("qualifier") or d.get("paren") or ""  # `ICLR 2024 Oral`, `NIPS2022(Workshop)`
            return Tag("venue", year, None, d["venue"].strip(), qualifier.strip())
        return Tag(self.kind, year, month, self.server)

    def render(self, tag: Tag) -> str:
        year = tag.year or 0
        out = (
            self.template.replace("{yyyy}", f"{year:04d}")
            .replace("{yy}", f"{year % 100:02d}")
            .replace("{mm}", f"{tag.month or 0:02d}")
            .replace("{m}", str(tag.month or 0))
            .replace("{Mon}", _MONTH_NAMES[(tag.month or 1) - 1][:3].title())
            .replace("{venue}", tag.venue)
        )
        return f"{out} {tag.qualifier}" if tag.qualifier and self.kind == "venue" else out

    def fits(self, tag: Tag) -> bool:
        """This template can write the tag: same kind, and the parts it needs are known."""
        if tag.kind != self.kind and not (self.kind == "date" and tag.kind == "preprint"):
            return False
        needs_month = any(p in self.template for p in ("{mm}", "{m}", "{Mon}"))
        if "{d}" in self.template:  # a day a tag never knows
            return False
        return tag.year is not None and (tag.month is not None or not needs_month)


@lru_cache(maxsize=64)
def _compiled(template: str, qualifier: bool) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    body = "".join(_PLACEHOLDERS.get(p, re.escape(p)) for p in parts)
    return re.compile(r"\A" + body + (_QUALIFIER_RE if qualifier else ""))  # used with fullmatch
