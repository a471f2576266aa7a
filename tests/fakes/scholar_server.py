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
import threading
import time
import zlib
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.arxiv_server import Scripted

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
    api_key: str | None
    started: float
    status: int = 0


@dataclass
class FakeScholar:
    """The server; use as a context manager or start()/stop(). `url` is the API's base (…/graph/v1)."""

    papers: list[dict[str, Any]] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def start(self) -> FakeScholar:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="fake-s2", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeScholar:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/graph/v1"

    def script(self, *answers: Scripted) -> None:
        with self._lock:
            self._script.extend(answers)

    @property
    def asked(self) -> list[str]:
        """Every id asked, request after request."""
        return [i for r in self.requests for i in r.ids]

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

    def answer(self, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
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

    def _next(self) -> Scripted | None:
        with self._lock:
            return self._script.popleft() if self._script else None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeScholar
    server_version = "FakeScholar/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            ids = json.loads(body).get("ids", [])
        except (ValueError, AttributeError):
            ids = []
        rec = Request(
            parts.path, parse_qs(parts.query), ids if isinstance(ids, list) else [], self.headers.get("x-api-key"),
            time.monotonic(),
        )  # fmt: skip
        with self.fake._lock:
            self.fake.requests.append(rec)
        canned = self.fake._next()
        if canned is not None and canned.delay:
            time.sleep(canned.delay)
        if parts.path != "/graph/v1/paper/batch":
            status, data = 404, json.dumps({"error": "Not found"}).encode()
        elif canned is not None and canned.body is not None:
            status, data = canned.status, canned.body
        elif canned is not None and canned.status != 200:
            status, data = canned.status, json.dumps({"message": "Too Many Requests"}).encode()
        else:
            status, payload = self.fake.answer(parse_qs(parts.query), body)
            data = json.dumps(payload).encode()
        rec.status = status
        try:
            self.send_response(status)
            headers = {"Content-Type": "application/json", "Content-Length": str(len(data))}
            headers.update(canned.headers if canned is not None else {})
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data[: canned.truncate] if canned is not None and canned.truncate else data)
        except (BrokenPipeError, ConnectionResetError):
            pass
