"""Publication records: the id a paper link is known by to Semantic Scholar, and what a record says
about where the paper appeared. The venue rules and the pipeline read records only through here.

Ids are those the API documents: `ARXIV:<id>`, `DOI:<doi>` (doi.org links, and ACM's, whose path is
the DOI), `ACL:<id>` (ACL Anthology), and `URL:<url>` for the hosts it lists (semanticscholar.org,
arxiv.org, aclweb.org, acm.org, biorxiv.org). openreview.net is not among them: its links are
`OPENREVIEW:<note id>`, asked of OpenReview's own API. Other hosts (the NeurIPS proceedings, CVF,
PMLR...) have no documented id and are not looked up.

A venue is read from what a record is sure of, never from its free text: the DBLP key
(`conf/nips/Smith24`: the venue's stream and the year) first, else `publicationVenue` (a name and
its alternate names, matched against the venue aliases of config.yml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from .arxiv_id import parse_ref
from .model import Record, Venue

SCHOLAR_PREFIXES = ("ARXIV:", "DOI:", "ACL:", "URL:")  # Semantic Scholar's
OPENREVIEW = "OPENREVIEW:"  # OpenReview's note ids
ID_PREFIXES = (*SCHOLAR_PREFIXES, OPENREVIEW)
URL_HOSTS = ("semanticscholar.org", "arxiv.org", "aclweb.org", "acm.org", "biorxiv.org")
PREPRINT_NAMES = frozenset(
    {"arxiv", "arxiv.org", "corr", "biorxiv", "medrxiv", "ssrn", "techrxiv", "chemrxiv", "research square"}
)

_ACL = re.compile(
    r"https?://(?:www\.)?(?:aclanthology\.org|aclweb\.org/anthology)/(?:[A-Z]/[A-Z]\d{2}/)?"
    r"(?P<id>\d{4}\.[a-z0-9]+(?:-[a-z0-9]+)*\.\d{1,4}|[A-Z]\d{2}-\d{4})(?:\.pdf)?/?(?:[?#].*)?",
)
_DOI = re.compile(r"https?://(?:dx\.)?doi\.org/(?P<doi>10\.\d{4,9}/[^?#\s]+)", re.IGNORECASE)
_ACM = re.compile(
    r"https?://dl\.acm\.org/doi/(?:abs/|pdf/|full/|fullHtml/|epdf/|book/)?(?P<doi>10\.\d{4,9}/[^?#\s]+)",
    re.IGNORECASE,
)
_OPENREVIEW = re.compile(
    r"https?://(?:www\.)?openreview\.net/(?:forum|pdf)\?(?:[^#]*&)?id=(?P<id>[A-Za-z0-9_\-]{5,40})"
)
_DBLP = re.compile(r"(?P<stream>(?:conf|journals)/[a-z0-9]+)/[^/\s]+?(?P<yy>\d\d)?[a-z]?")
_SAFE = re.compile(r"[\w/.\-]{1,80}")


def valid_id(key: str) -> bool:
    """An id the API documents, safe to send in a batch (one malformed id must not fail it)."""
    return key.startswith(ID_PREFIXES) and len(key) <= 600 and key.isprintable() and " " not in key


@lru_cache(maxsize=65536)
def record_id(url: str) -> str | None:
    """The record id of a paper link, or None when the API documents none for its host."""
    ref = parse_ref(url)
    if ref is not None:
        return f"ARXIV:{ref.id}" if ref.valid else None
    if m := _OPENREVIEW.match(url):
        return OPENREVIEW + m["id"]
    if m := _ACL.fullmatch(url):
        return f"ACL:{m['id']}"
    if m := _DOI.match(url) or _ACM.match(url):
        key = "DOI:" + unquote(m["doi"]).rstrip("/.")
        return key if valid_id(key) else None
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if url.startswith("https://") and any(host == h or host.endswith("." + h) for h in URL_HOSTS):
        key = f"URL:{url}"
        return key if valid_id(key) else None
    return None


def source_of(key: str) -> str:
    """The source a record id is asked of, as messages name it."""
    return "OpenReview" if key.startswith(OPENREVIEW) else "Semantic Scholar"


class Aliases:
    """The venue alias table: every name (case and spacing aside) and DBLP stream → the list's name."""

    def __init__(self, lines: list[str] | tuple[str, ...]) -> None:
        self.names: dict[str, str] = {}
        self.streams: dict[str, str] = {}
        for line in lines:
            parts = [p.strip() for p in line.split(" = ") if p.strip()]
            if not parts:
                continue
            for p in parts:
                if _DBLP_STREAM.fullmatch(p):
                    self.streams.setdefault(p.lower(), parts[0])
                else:
                    self.names.setdefault(_fold(p), parts[0])

    def canonical(self, name: str) -> str | None:
        return self.names.get(_fold(name))


_DBLP_STREAM = re.compile(r"(?:conf|journals)/[a-z0-9]+", re.IGNORECASE)


def _fold(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split()).strip(" .")


@dataclass(frozen=True)
class Published:
    """Where a record says the paper appeared."""

    venue: str  # as the list's tags write it (the first name of its alias line)
    year: int | None
    source: str  # for messages: "DBLP `conf/nips/Smith24`", "the record's venue “…”"
    dblp: bool  # venue and year from the DBLP key: sure of both

    @property
    def when(self) -> str:
        return f"{self.venue} {self.year}" if self.year else self.venue


def published(record: Record, aliases: Aliases) -> Published | None:
    """The venue (and year) a record is sure of; None when it names none, or none the table knows."""
    m = _DBLP.fullmatch(record.dblp) if record.dblp else None
    if m and m["stream"] != "journals/corr":
        name = aliases.streams.get(m["stream"].lower())
        if name is not None:
            year = _dblp_year(m["yy"]) if m["yy"] else record.year
            shown = f"DBLP `{record.dblp}`" if _SAFE.fullmatch(record.dblp) else "DBLP"
            return Published(name, year, shown, m["yy"] is not None)
    pv = record.publication_venue
    if pv is not None and not _preprint(pv):
        for n in (pv.name, *pv.alternate_names):
            if (name := aliases.canonical(n)) is not None:
                return Published(name, record.year, "the record's publication venue", False)
    return None


def preprint_only(record: Record) -> bool:
    """The record knows the paper only as a preprint: DBLP has it in CoRR or the record's venue is a
    preprint server, and nothing in it names another venue."""
    m = _DBLP.fullmatch(record.dblp) if record.dblp else None
    dblp_corr = m is not None and m["stream"] == "journals/corr"
    pv = record.publication_venue
    if m is not None and not dblp_corr:
        return False
    if pv is not None and not _preprint(pv):
        return False
    if not (dblp_corr or pv is not None):
        return False
    return all(not t or _fold(t) in PREPRINT_NAMES for t in (record.venue, record.journal))


def _preprint(pv: Venue) -> bool:
    return any(_fold(n) in PREPRINT_NAMES for n in (pv.name, *pv.alternate_names[:1]))


def _dblp_year(yy: str) -> int:
    n = int(yy)
    return 2000 + n if n < 70 else 1900 + n
