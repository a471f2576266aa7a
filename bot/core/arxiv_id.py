"""arXiv identifiers: recognise every URL form contributors write, validate, canonicalise."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

ABS = "https://arxiv.org/abs/"

_NEW = re.compile(r"(\d{2})(\d{2})\.(\d{4,5})")
_OLD = re.compile(r"([a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?)/(\d{2})(\d{2})(\d{3})")
_ID = r"[A-Za-z0-9.\-/]{1,40}?"
_URL = re.compile(
    r"(?P<scheme>https?)://(?P<host>(?:www\.|export\.)?arxiv\.org)/(?P<kind>abs|pdf|html|format)/"
    r"(?P<id>" + _ID + r")(?:v(?P<v>\d{1,3}))?(?P<ext>\.pdf)?/?(?:[?#].{0,200})?",
    re.IGNORECASE,
)
_MIRROR = re.compile(
    r"https?://(?:www\.)?(?P<host>alphaxiv\.org/abs|huggingface\.co/papers)/(?P<id>" + _ID + r")"
    r"(?:v(?P<v>\d{1,3}))?/?(?:[?#].{0,200})?",
    re.IGNORECASE,
)
_DOI = re.compile(
    r"(?:https?://(?:dx\.)?doi\.org/)?10\.48550/arxiv\.(?P<id>" + _ID + r")(?:v(?P<v>\d{1,3}))?",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"arxiv:\s?(?P<id>" + _ID + r")(?:v(?P<v>\d{1,3}))?", re.IGNORECASE)


def is_valid_id(s: str) -> bool:
    """A real arXiv id without version: YYMM.NNNN (2007-2014), YYMM.NNNNN (2015-), archive/YYMMNNN."""
    m = _NEW.fullmatch(s)
    if m:
        yy, mm, num = int(m[1]), int(m[2]), m[3]
        if not 1 <= mm <= 12 or yy < 7 or (yy, mm) < (7, 4):
            return False
        return len(num) == (5 if yy >= 15 else 4)
    m = _OLD.fullmatch(s)
    if m:
        yy, mm = int(m[2]), int(m[3])
        return 1 <= mm <= 12 and (yy >= 91 or yy <= 7)
    return False


@lru_cache(maxsize=65536)
def id_month(arxiv_id: str) -> tuple[int, int] | None:
    """(year, month) encoded in the id: the month of first announcement."""
    m = _NEW.fullmatch(arxiv_id) or _OLD.fullmatch(arxiv_id)
    if not m:
        return None
    yy, mm = (int(m[1]), int(m[2])) if m.re is _NEW else (int(m[2]), int(m[3]))
    return (2000 + yy if yy < 91 else 1900 + yy), mm


class Stray(NamedTuple):
    """One way a link strays from the canonical abstract page: a code (the arxiv-link rule's kind of
    problem) and the words that say it."""

    code: str  # pdf-link, versioned, http, host, html-page, extra, mirror, doi, prefix
    words: str


class ArxivRef(NamedTuple):
    """An arXiv reference found in a link: the id as written, and how the link strays from canonical.
    (A tuple: every link of a list gets one, and a frozen dataclass costs five times as much to build.)"""

    url: str
    id: str  # without version
    version: int | None
    valid: bool
    problems: tuple[Stray, ...]  # why the URL is not the canonical abs form; empty when canonical

    @property
    def canonical_url(self) -> str:
        return ABS + self.id


@lru_cache(maxsize=65536)
def parse_ref(url: str) -> ArxivRef | None:
    """The arXiv reference in one link target, or None when it is not an arXiv link."""
    url = url.strip()
    if len(url) > 300:
        return None
    if url.startswith(ABS) and _NEW.fullmatch(url, len(ABS)):  # the canonical form: most links
        rid = url[len(ABS) :]
        return ArxivRef(url, rid, None, is_valid_id(rid), ())
    if m := _URL.fullmatch(url):
        problems = []
        if m["scheme"].lower() == "http":
            problems.append(Stray("http", "uses http instead of https"))
        if m["host"].lower() != "arxiv.org":
            problems.append(Stray("host", f"goes through {m['host'].lower()} instead of arxiv.org"))
        if m["kind"].lower() != "abs":
            page = m["kind"].lower()
            problems.append(
                Stray(
                    "pdf-link" if page == "pdf" else "html-page",
                    f"points to the {page} page instead of the abstract page",
                )
            )
        if m["ext"]:
            problems.append(Stray("pdf-link", "ends in .pdf"))
        if m["v"]:
            problems.append(Stray("versioned", f"pins version v{m['v']}"))
        if url.endswith("/") or "?" in url or "#" in url:
            problems.append(Stray("extra", "carries extra characters after the id"))
        return _ref(url, m, problems)
    if m := _MIRROR.fullmatch(url):
        mirror = m["host"].split("/")[0].lower()
        return _ref(url, m, [Stray("mirror", f"points to the mirror {mirror} instead of arxiv.org")])
    if m := _DOI.fullmatch(url):
        return _ref(url, m, [Stray("doi", "is a DOI instead of the arXiv abstract page")])
    if m := _PREFIX.fullmatch(url):
        return _ref(url, m, [Stray("prefix", "is an arXiv: identifier instead of a link")])
    return None


def _ref(url: str, m: re.Match[str], problems: list[Stray]) -> ArxivRef:
    raw = m["id"]
    version = int(m["v"]) if m["v"] else None
    if version is not None and m.re is not _URL and not any(p.code == "versioned" for p in problems):
        problems.append(Stray("versioned", f"pins version v{version}"))
    return ArxivRef(url, raw, version, is_valid_id(raw), tuple(problems))


_BARE = re.compile(
    r"(?:https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/|arxiv:\s?)"
    r"(\d{4}\.\d{4,5}|[a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)


def find_ids(text: str) -> list[str]:
    """Every well-formed arXiv id mentioned anywhere in a text (bare links, `arXiv:` prefixes)."""
    return [m[1] for m in _BARE.finditer(text) if is_valid_id(m[1])]
