"""The papers an issue names: every paper link in its text (arXiv in any form, OpenReview, the ACL
Anthology, a DOI, the hosts Semantic Scholar documents) and the code link given beside one.

Links are read from the text a contributor wrote, never fetched: each becomes the id its source
documents (bot.core.records.record_id), and a code link a validated ``owner/repo``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..arxiv_id import ABS, parse_ref
from ..lines import split_lines
from ..records import record_id
from ..repo_name import parse_github_repo

MAX_PAPERS = 20  # per issue: one batch per source, whatever an issue holds
MAX_TEXT = 65536  # GitHub's own limit on an issue body
_URL = re.compile(r"https?://[^\s<>()\[\]{}\"'`|\\]{1,500}", re.IGNORECASE)
_ARXIV_TEXT = re.compile(
    r"\barxiv:\s?(\d{4}\.\d{4,5}|[a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})(v\d{1,3})?", re.I
)
_DOI_TEXT = re.compile(r"\bdoi:\s?(10\.\d{4,9}/[^\s<>()\[\]{}\"'`|\\]{1,200})", re.IGNORECASE)
_TRAILING = ".,;:!?*_~"


@dataclass(frozen=True)
class PaperLink:
    """One paper an issue names."""

    url: str  # the link to write in the entry: arXiv's abstract page, else the link as given
    key: str  # its record id: `ARXIV:2401.01335`, `DOI:…`, `ACL:…`, `OPENREVIEW:…`, `URL:…`
    written: str  # as the issue wrote it (for the comment, escaped there)
    line: int  # the line it is on (a code link on the same line is its code)
    code: str | None = None  # https://github.com/owner/repo given beside it

    @property
    def arxiv(self) -> str | None:
        return self.key.removeprefix("ARXIV:") if self.key.startswith("ARXIV:") else None


@dataclass(frozen=True)
class Found:
    papers: tuple[PaperLink, ...]
    dropped: int = 0  # papers past MAX_PAPERS, left out


def find(text: str, limit: int = MAX_PAPERS) -> Found:
    """The distinct papers ``text`` links to, in order, at most ``limit``; each with the code link on its
    own line, or, when the issue names one paper, the first code link anywhere."""
    papers: dict[str, PaperLink] = {}
    codes: list[tuple[int, str]] = []
    for n, line in enumerate(split_lines(text[:MAX_TEXT]), 1):
        for written in _mentions(line):
            key = record_id(_as_url(written))
            if key is None:
                repo = parse_github_repo(written)
                if repo is not None:
                    codes.append((n, f"https://github.com/{repo[0]}/{repo[1]}"))
                continue
            if key not in papers:
                url = ABS + key[6:] if key.startswith("ARXIV:") else _as_url(written)
                papers[key] = PaperLink(url, key, written, n)
    found = list(papers.values())
    kept = found[:limit]
    paired = []
    for p in kept:
        code = next((c for n, c in codes if n == p.line), None)
        if code is None and len(found) == 1 and codes:
            code = codes[0][1]
        paired.append(PaperLink(p.url, p.key, p.written, p.line, code))
    return Found(tuple(paired), len(found) - len(kept))


def _mentions(line: str) -> list[str]:
    """URLs, `arXiv:ID` and `doi:10.…` in one line, in the order they appear."""
    hits = [(m.start(), _strip(m[0])) for m in _URL.finditer(line)]
    hits += [(m.start(), f"arXiv:{m[1]}") for m in _ARXIV_TEXT.finditer(line)]
    hits += [(m.start(), f"https://doi.org/{_strip(m[1])}") for m in _DOI_TEXT.finditer(line)]
    return [h for _, h in sorted(hits)]


def _strip(url: str) -> str:
    """A URL as the sentence around it ends it: no closing punctuation."""
    return url.rstrip(_TRAILING)


def _as_url(written: str) -> str:
    ref = parse_ref(written)
    return ref.canonical_url if ref is not None and ref.valid else written
