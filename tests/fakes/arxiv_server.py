"""A local arXiv API over real HTTP on loopback, in either response generation, with fault injection.

It answers `/api/query?id_list=...&max_results=N` the way arXiv does: results in its own order (not
the request's), at most `max_results` of them (default 10, as arXiv), missing ids simply absent, and
HTTP 400 with an `Error` entry for the first malformed id. The XML is written in the shape of the
recorded answers in shared/fixtures/arxiv: `format="current"` (titles on one line) or `"legacy"`
(titles, comments and abstracts folded at 79 columns). Every request is recorded; `script()` queues
canned answers (status, headers, body, delay, truncated body) served before the normal ones.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlsplit
from xml.sax.saxutils import escape, quoteattr

from bot.core.model import Paper
from tests.fakes import arxiv_papers

_ID = re.compile(r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z\-]{1,15}(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?")
OS = 'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/"'
AX = 'xmlns:arxiv="http://arxiv.org/schemas/atom"'
SCHEME = 'scheme="http://arxiv.org/schemas/atom"'
SELF = 'rel="self" type="application/atom+xml"'
ALT = 'rel="alternate" type="text/html"'


@dataclass
class Scripted:
    """One canned answer. body=None with status 200 serves the normal feed for the request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    truncate: int | None = None  # send only this many body bytes, then drop the connection


@dataclass
class RecordedRequest:
    path: str
    query: dict[str, list[str]]
    raw_query: str
    started: float  # time.monotonic() at arrival
    finished: float = 0.0
    status: int = 0

    @property
    def ids(self) -> list[str]:
        return [i for i in ",".join(self.query.get("id_list", [])).split(",") if i]


def feed_id(search_query: str, id_list: str, start: int, max_results: int) -> str:
    """arXiv's feed <id>: base64(sha1(canonical query)) without padding (checked on real answers)."""
    canonical = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
    return base64.b64encode(hashlib.sha1(canonical.encode()).digest()).decode().rstrip("=")


def fold(text: str, label: str) -> str:
    """Legacy folding: as in arXiv's metadata files ("Title: ..." at 79 columns, "\\n  " continuation)."""
    lines = textwrap.wrap(
        f"{label}: {text}", 79, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )
    if not lines:
        return text
    lines[0] = lines[0][len(label) + 2 :]
    return "\n".join(lines)


def fold_summary(text: str) -> str:
    lead = text[: len(text) - len(text.lstrip())]
    lines = textwrap.wrap(
        text.strip(), 79, initial_indent=lead, break_long_words=False, break_on_hyphens=False
    )
    return "\n".join(lines)


class FakeClock:
    """An injectable clock whose sleep() advances time instantly and records how long it was asked."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        self.now += seconds


class FakeArxiv:
    """The server; use as a context manager or start()/stop(). `url` is the query endpoint."""

    def __init__(
        self,
        papers: Mapping[str, Paper] | None = None,
        *,
        format: str = "current",
        categories: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        if format not in ("current", "legacy"):
            raise ValueError(f"format must be 'current' or 'legacy', not {format!r}")
        self.papers = dict(arxiv_papers.PAPERS if papers is None else papers)
        self.categories = dict(arxiv_papers.CATEGORIES if categories is None else categories)
        self.format = format
        self.requests: list[RecordedRequest] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_concurrent = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- control ---------------------------------------------------------------------------------

    def start(self) -> FakeArxiv:
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="fake-arxiv", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self) -> FakeArxiv:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.base + "/api/query"

    def script(self, *answers: Scripted) -> None:
        """Queue canned answers; each request takes the next one until the queue is empty."""
        with self._lock:
            self._script.extend(answers)

    @property
    def pending_script(self) -> int:
        return len(self._script)

    # -- answers ---------------------------------------------------------------------------------

    def answer(self, query: dict[str, list[str]]) -> tuple[int, bytes]:
        """(status, body) for a query, as arXiv would answer it."""
        id_list = query.get("id_list", [""])[-1]
        search = query.get("search_query", [""])[-1]
        try:
            start = int(query.get("start", ["0"])[-1])
        except ValueError:
            return 400, self.error_body(
                "start_must_be_an_integer", "start must be an integer", search, id_list
            )
        try:
            max_results = int(query.get("max_results", ["10"])[-1])
        except ValueError:
            msg = "max_results must be an integer"
            return 400, self.error_body("max_results_must_be_an_integer", msg, search, id_list)
        ids = [i.strip() for i in id_list.split(",") if i.strip()]
        for raw in ids:
            if not _ID.fullmatch(raw):
                return 400, self.error_body(
                    f"incorrect_id_format_for_{raw}", f"incorrect id format for {raw}", search, id_list
                )
        wanted = {m["id"] for m in map(_ID.fullmatch, ids) if m}
        found = [p for i, p in self.papers.items() if i in wanted]
        found.sort(key=lambda p: (p.published, p.id), reverse=True)  # arXiv's order, not the request's
        page = found[start : start + max_results]
        return 200, self.feed(page, search, id_list, start, max_results, total=len(found))

    def feed(
        self, papers: list[Paper], search: str, id_list: str, start: int, max_results: int, total: int
    ) -> bytes:
        fid = feed_id(search, id_list, start, max_results)
        query = f"search_query={search}&id_list={id_list}&start={start}&max_results={max_results}"
        if self.format == "current":
            link = f"https://arxiv.org/api/query?search_query={search}&start={start}&max_results={max_results}&id_list={id_list}"
            head = [
                "<?xml version='1.0' encoding='UTF-8'?>",
                f'<feed {OS} {AX} xmlns="http://www.w3.org/2005/Atom">',
                f"  <id>https://arxiv.org/api/{fid}</id>",
                f"  <title>arXiv Query: {escape(query)}</title>",
                f"  <updated>{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}</updated>",
                f'  <link href={quoteattr(link)} type="application/atom+xml"/>',
                f"  <opensearch:itemsPerPage>{max_results}</opensearch:itemsPerPage>",
                f"  <opensearch:totalResults>{total}</opensearch:totalResults>",
                f"  <opensearch:startIndex>{start}</opensearch:startIndex>",
            ]
            entries = [self._current_entry(p) for p in papers]
        else:
            head = [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<feed xmlns="http://www.w3.org/2005/Atom">',
                f'  <link href="http://arxiv.org/api/query?{quote(query, safe="")}" {SELF}/>',
                f'  <title type="html">ArXiv Query: {escape(query)}</title>',
                f"  <id>http://arxiv.org/api/{fid}</id>",
                f"  <updated>{time.strftime('%Y-%m-%d', time.gmtime())}T00:00:00-04:00</updated>",
                # legacy quirk: an empty answer still says totalResults=1
                f"  <opensearch:totalResults {OS}>{total or 1}</opensearch:totalResults>",
                f"  <opensearch:startIndex {OS}>{start}</opensearch:startIndex>",
                f"  <opensearch:itemsPerPage {OS}>{max_results}</opensearch:itemsPerPage>",
            ]
            entries = [self._legacy_entry(p) for p in papers]
        return ("\n".join([*head, *entries, "</feed>"]) + "\n").encode("utf-8")

    def _cats(self, p: Paper) -> tuple[str, ...]:
        return self.categories.get(p.id, ("cs.CL",))

    def _current_entry(self, p: Paper) -> str:
        v = f"{p.id}v{p.version}"
        out = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{v}</id>",
            f"    <title>{escape(p.title)}</title>",
            f"    <updated>{p.updated}</updated>",
            f'    <link href="https://arxiv.org/abs/{v}" rel="alternate" type="text/html"/>',
            f'    <link href="https://arxiv.org/pdf/{v}" rel="related" type="application/pdf" title="pdf"/>',
            f"    <summary>{escape(arxiv_papers.abstract(p))}</summary>",
            *(f'    <category term="{c}" {SCHEME}/>' for c in self._cats(p)),
            f"    <published>{p.published}</published>",
        ]
        if p.comment:
            out.append(f"    <arxiv:comment>{escape(p.comment)}</arxiv:comment>")
        out.append(f'    <arxiv:primary_category term="{self._cats(p)[0]}"/>')
        if p.journal_ref:
            out.append(f"    <arxiv:journal_ref>{escape(p.journal_ref)}</arxiv:journal_ref>")
        for a in p.authors:
            out += ["    <author>", f"      <name>{escape(a)}</name>", "    </author>"]
        if p.doi:
            out.append(f"    <arxiv:doi>{escape(p.doi)}</arxiv:doi>")
            out.append(f'    <link rel="related" href="https://doi.org/{escape(p.doi)}" title="doi"/>')
        out.append("  </entry>")
        return "\n".join(out)

    def _legacy_entry(self, p: Paper) -> str:
        v = f"{p.id}v{p.version}"
        out = [
            "  <entry>",
            f"    <id>http://arxiv.org/abs/{v}</id>",
            f"    <updated>{p.updated}</updated>",
            f"    <published>{p.published}</published>",
            f"    <title>{escape(fold(p.title, 'Title'))}</title>",
            f"    <summary>{escape(fold_summary(arxiv_papers.abstract(p)))}</summary>",
        ]
        for a in p.authors:
            out += ["    <author>", f"      <name>{escape(a)}</name>", "    </author>"]
        if p.doi:
            out.append(f"    <arxiv:doi {AX}>{escape(p.doi)}</arxiv:doi>")
            out.append(f'    <link title="doi" href="http://dx.doi.org/{escape(p.doi)}" rel="related"/>')
        if p.comment:
            out.append(f"    <arxiv:comment {AX}>{escape(fold(p.comment, 'Comments'))}</arxiv:comment>")
        if p.journal_ref:
            ref = escape(fold(p.journal_ref, "Journal-ref"))
            out.append(f"    <arxiv:journal_ref {AX}>{ref}</arxiv:journal_ref>")
        cats = self._cats(p)
        out += [
            f'    <link href="http://arxiv.org/abs/{v}" rel="alternate" type="text/html"/>',
            f'    <link title="pdf" href="http://arxiv.org/pdf/{v}" rel="related" type="application/pdf"/>',
            f'    <arxiv:primary_category {AX} term="{cats[0]}" {SCHEME}/>',
            *(f'    <category term="{c}" {SCHEME}/>' for c in cats),
            "  </entry>",
        ]
        return "\n".join(out)

    def error_body(self, anchor: str, message: str, search: str = "", id_list: str = "") -> bytes:
        """arXiv's 400 answer: a feed whose only entry is titled `Error`."""
        if self.format == "current":
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            lines = [
                "<?xml version='1.0' encoding='UTF-8'?>",
                f'<feed {OS} {AX} xmlns="http://www.w3.org/2005/Atom">',
                "  <id>https://arxiv.org/</id>",
                "  <title>arXiv Search Results</title>",
                f"  <updated>{now}</updated>",
                "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>",
                "  <opensearch:totalResults>1</opensearch:totalResults>",
                "  <opensearch:startIndex>0</opensearch:startIndex>",
                "  <entry>",
                f"    <id>https://arxiv.org/api/errors#{escape(anchor)}</id>",
                "    <title>Error</title>",
                f"    <updated>{now}</updated>",
                f"    <link href={quoteattr('https://arxiv.org/api/errors#' + anchor)} {ALT}/>",
                f"    <summary>{escape(message)}</summary>",
                "    <author>",
                "      <name>arXiv api core</name>",
                "    </author>",
                "  </entry>",
                "</feed>",
            ]
        else:
            query = f"search_query={search}&id_list={id_list}"
            now = time.strftime("%Y-%m-%d", time.gmtime()) + "T00:00:00-04:00"
            lines = [
                '<?xml version="1.0" encoding="UTF-8"?>',
                '<feed xmlns="http://www.w3.org/2005/Atom">',
                f'  <link href="http://arxiv.org/api/query?{quote(query, safe="")}" {SELF}/>',
                f'  <title type="html">ArXiv Query: {escape(query)}</title>',
                f"  <id>http://arxiv.org/api/{feed_id(search, id_list, 0, 10)}</id>",
                f"  <updated>{now}</updated>",
                f"  <opensearch:totalResults {OS}>1</opensearch:totalResults>",
                f"  <opensearch:startIndex {OS}>0</opensearch:startIndex>",
                f"  <opensearch:itemsPerPage {OS}>1</opensearch:itemsPerPage>",
                "  <entry>",
                f"    <id>http://arxiv.org/api/errors#{escape(anchor)}</id>",
                "    <title>Error</title>",
                f"    <summary>{escape(message)}</summary>",
                f"    <updated>{now}</updated>",
                f"    <link href={quoteattr('http://arxiv.org/api/errors#' + anchor)} {ALT}/>",
                "    <author>",
                "      <name>arXiv api core</name>",
                "    </author>",
                "  </entry>",
                "</feed>",
            ]
        return ("\n".join(lines) + "\n").encode("utf-8")

    # -- bookkeeping used by the handler ---------------------------------------------------------

    def _next_script(self) -> Scripted | None:
        with self._lock:
            return self._script.popleft() if self._script else None

    def _enter(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)
            self._in_flight += 1
            self.max_concurrent = max(self.max_concurrent, self._in_flight)

    def _leave(self, rec: RecordedRequest, status: int) -> None:
        with self._lock:
            self._in_flight -= 1
            rec.finished, rec.status = time.monotonic(), status


class _Handler(BaseHTTPRequestHandler):
    fake: FakeArxiv
    server_version = "FakeArxiv/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        rec = RecordedRequest(
            path=parts.path,
            query=parse_qs(parts.query, keep_blank_values=True),
            raw_query=parts.query,
            started=time.monotonic(),
        )
        self.fake._enter(rec)
        status = 0
        try:
            status = self._serve(parts.path, rec)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer
        finally:
            self.fake._leave(rec, status)

    def _serve(self, path: str, rec: RecordedRequest) -> int:
        canned = self.fake._next_script()
        if canned is not None and canned.delay:
            time.sleep(canned.delay)
        if path != "/api/query":
            status, body = 404, b"not found\n"
        elif canned is not None and canned.body is not None:
            status, body = canned.status, canned.body
        elif canned is not None and canned.status != 200:
            status, body = canned.status, f"<html><body>{canned.status}</body></html>\n".encode()
        else:
            status, body = self.fake.answer(rec.query)
        rec.status = status  # before the answer leaves: a test may read it as soon as the client has it
        self.send_response(status)
        headers = {"Content-Type": "application/atom+xml; charset=utf-8", "Content-Length": str(len(body))}
        headers.update(canned.headers if canned is not None else {})
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if canned is not None and canned.truncate is not None:
            self.wfile.write(body[: canned.truncate])
            self.wfile.flush()
            self.close_connection = True
            return status
        self.wfile.write(body)
        return status
