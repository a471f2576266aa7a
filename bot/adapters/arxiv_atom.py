"""Parse arXiv API Atom feeds into `Paper`s: pure, no I/O, both response generations.

The current API (2025-) writes each title on one line; the legacy one folds titles, comments and
journal references at 79 columns with "\\n  ". Both are read the same way here: by local element
names (one legacy capture even lost the Atom xmlns), with every text field's whitespace unfolded.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from bot.core.model import MAX_ABSTRACT, Paper

ATOM = "http://www.w3.org/2005/Atom"
ARXIV = "http://arxiv.org/schemas/atom"

# http://arxiv.org/abs/2401.01335v3, https://arxiv.org/abs/astro-ph/0601001v1, math.AG/0601001v2
_ENTRY_ID = re.compile(
    r"https?://(?:www\.|export\.)?arxiv\.org/abs/"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d{1,4}))?"
)
# An entry whose <id> points into /api/errors is arXiv's way to report a bad request.
_ERROR_ID = re.compile(r"https?://arxiv\.org/api/errors(?:#|$)")
# arXiv never sends a DTD; refusing one closes the door on entity expansion bombs and external
# entities without adding a dependency (defusedxml does the same, and more than we need).
_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


class ArxivFeedError(Exception):
    """Base of every error in reading an arXiv answer."""


class ArxivApiError(ArxivFeedError):
    """arXiv answered with its `Error` entry (e.g. "incorrect id format for abc")."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MalformedFeedError(ArxivFeedError):
    """The body is not an arXiv Atom feed: truncated, not XML, or not shaped like one."""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(el: ET.Element, name: str) -> Iterator[ET.Element]:
    return (c for c in el if _local(c.tag) == name)


def _text(el: ET.Element, name: str) -> str | None:
    """The unfolded text of the first child called `name`, or None when there is none."""
    for child in _children(el, name):
        return unfold(child.text or "")
    return None


def unfold(text: str) -> str:
    """Join a legacy folded field ("...Strong Language\\n  Models") back into one spaced line."""
    return " ".join(text.split())


def split_entry_id(url: str) -> tuple[str, int]:
    """("2401.01335", 3) from "http://arxiv.org/abs/2401.01335v3"; MalformedFeedError otherwise."""
    m = _ENTRY_ID.fullmatch(url.strip())
    if not m:
        raise MalformedFeedError(f"unexpected entry id {url.strip()[:120]!r}")
    return m["id"], int(m["v"] or 1)


def _paper(entry: ET.Element) -> Paper:
    arxiv_id, version = split_entry_id(_text(entry, "id") or "")
    title = _text(entry, "title")
    if title is None:
        raise MalformedFeedError(f"entry {arxiv_id} has no title")
    authors = tuple(name for a in _children(entry, "author") if (name := _text(a, "name")))
    return Paper(
        id=arxiv_id,
        title=title,
        authors=authors,
        published=_text(entry, "published") or "",
        updated=_text(entry, "updated") or "",
        version=version,
        comment=_text(entry, "comment") or None,
        journal_ref=_text(entry, "journal_ref") or None,
        doi=_text(entry, "doi") or None,
        abstract=unfold(_text(entry, "summary") or "")[:MAX_ABSTRACT],
    )


def _is_error(entry: ET.Element) -> bool:
    return bool(_ERROR_ID.match(_text(entry, "id") or "")) and _text(entry, "title") == "Error"


def parse_feed(data: bytes | str) -> dict[str, Paper]:
    """Every paper in one API answer, by canonical id (without version).

    Raises ArxivApiError for arXiv's `Error` entry and MalformedFeedError for anything that is not
    a well-formed feed; nothing else escapes, whatever the bytes.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if _DOCTYPE.search(raw):
        raise MalformedFeedError("the answer declares a DTD, which arXiv never sends")
    try:
        root = ET.fromstring(raw)
    except (ET.ParseError, ValueError) as exc:
        raise MalformedFeedError(f"not well-formed XML ({exc})") from exc
    if _local(root.tag) != "feed":
        raise MalformedFeedError(f"root element is <{_local(root.tag)}>, not <feed>")
    papers: dict[str, Paper] = {}
    for entry in _children(root, "entry"):
        if _is_error(entry):
            raise ArxivApiError(_text(entry, "summary") or "arXiv reported an error")
        paper = _paper(entry)
        seen = papers.get(paper.id)
        if seen is None or paper.version > seen.version:
            papers[paper.id] = paper
    return papers
