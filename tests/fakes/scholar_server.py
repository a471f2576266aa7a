"""A local Semantic Scholar Academic Graph API over real HTTP on loopback, with fault injection.

It answers `POST /graph/v1/paper/batch?fields=...` with a body `{"ids": [...]}` as the documented
API does (api-docs/graph, "Get details for multiple papers at once"): a JSON list in the order of
the ids, `null` for an id it does not know, each paper holding `paperId` and the requested fields
only (FullPaper's shapes: `externalIds` an object, `publicationVenue` an object with `id`, `name`,
`type`, `alternate_names`, `url`; `journal` an object with `name`, `volume`, `pages`); more than 500
ids, an unknown field or a body without `ids` get 400 with `{"error": "..."}`. Ids are resolved by
their documented prefixes: `ARXIV:`, `DOI:` (case-insensitive), `ACL:`, `URL:` (from the papers'
`urls`) and a bare paperId. Every request is recorded (ids, the `x-api-key` header); `script()`
queues canned answers (status, headers, body, delay, truncated body) served before the normal ones.
"""

from __future__ import annotations

import json
import time
import zlib
from dataclasses import dataclass
from typing import Any

from tests.fakes.json_api import FakeJSONAPI

FIELDS = frozenset(
    {"paperId", "corpusId", "externalIds", "url", "title", "abstract", "venue", "publicationVenue", "year"}
    | {"referenceCount", "citationCount", "isOpenAccess", "publicationTypes", "publicationDate", "journal"}
    | {"authors", "fieldsOfStudy"}
)
MAX_IDS = 500


def paper(
    paper_id: str,
    title: str,
    *,
    year: int | None = None,
    venue: str = "",
    publication_venue: dict[str, Any] | None = None,
    date: str | None = None,
    arxiv: str | None = None,
    doi: str | None = None,
    acl: str | None = None,
    dblp: str | None = None,
    journal: str | None = None,
    urls: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One paper in FullPaper's shape (fields the API leaves out are null or absent, as it does)."""
    ext: dict[str, Any] = {"CorpusId": zlib.crc32(paper_id.encode())}
    for k, v in (("ArXiv", arxiv), ("DOI", doi), ("ACL", acl), ("DBLP", dblp)):
        if v:
            ext[k] = v
    return {
        "paperId": paper_id,
        "externalIds": ext,
        "url": f"https://www.semanticscholar.org/paper/{paper_id}",
        "title": title,
        "venue": venue,
        "publicationVenue": publication_venue,
        "year": year,
        "publicationDate": date,
        "journal": {"name": journal, "volume": None, "pages": None} if journal else None,
        "_urls": list(urls),
    }


def venue(name: str, *alternate: str, kind: str = "conference") -> dict[str, Any]:
    return {
        "id": f"venue-{zlib.crc32(name.encode()):08x}",
        "name": name,
        "type": kind,
        "alternate_names": list(alternate),
        "url": None,
    }


ARXIV_ORG = venue("arXiv.org", "ArXiv", kind="repository")


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    ids: list[Any]
    started: float
    api_key: str | None = None
    status: int = 0


class FakeScholar(FakeJSONAPI):
    """The server; `url` is the API's base (…/graph/v1)."""

    name = "fake-s2"

    def __init__(self, papers: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.papers = list(papers or [])

    @property
    def url(self) -> str:
        return self.base + "/graph/v1"

    @property
    def asked(self) -> list[str]:
        """Every id asked, request after request."""
        return [i for r in self.requests for i in r.ids]

    def record(self, path: str, query: dict[str, list[str]], body: bytes) -> Request:
        try:
            ids = json.loads(body).get("ids", [])
        except (ValueError, AttributeError):
            ids = []
        return Request(path, query, ids if isinstance(ids, list) else [], time.monotonic())

    def find(self, key: str) -> dict[str, Any] | None:
        kind, _, value = key.partition(":")
        for p in self.papers:
            ext = p["externalIds"]
            if (
                (kind == "ARXIV" and ext.get("ArXiv") == value)
                or (kind == "DOI" and str(ext.get("DOI", "")).casefold() == value.casefold())
                or (kind == "ACL" and ext.get("ACL") == value)
                or (kind == "URL" and value in p["_urls"])
                or (not value and p["paperId"] == key)
            ):
                return p
        return None

    def answer(self, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        if path != "/graph/v1/paper/batch":
            return 404, {"error": "Not found"}
        fields = [f for f in ",".join(query.get("fields", ["title"])).split(",") if f]
        unknown = [f for f in fields if f not in FIELDS]
        if unknown:
            return 400, {"error": f"Unrecognized or unsupported fields: [{', '.join(unknown)}]"}
        try:
            ids = json.loads(body or b"null")["ids"]
        except (ValueError, TypeError, KeyError):
            return 400, {"error": "Body must be a JSON object with a list of ids"}
        if not isinstance(ids, list):
            return 400, {"error": "ids must be a list"}
        if len(ids) > MAX_IDS:
            return 400, {"error": f"Too many ids: {len(ids)}, at most {MAX_IDS}"}
        out: list[Any] = []
        for key in ids:
            p = self.find(key) if isinstance(key, str) else None
            out.append(None if p is None else {"paperId": p["paperId"], **{f: p.get(f) for f in fields}})
        return 200, out
