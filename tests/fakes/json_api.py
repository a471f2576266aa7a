"""What the local JSON APIs (Semantic Scholar, OpenReview) share: a threaded HTTP server on loopback,
every request recorded, canned answers (status, headers, body, delay, a body cut short) served before
the normal ones. A subclass says what a request is (`record`) and how the API answers it (`answer`)."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.arxiv_server import Scripted


class FakeJSONAPI:
    """Use as a context manager or start()/stop(); `base` is the server's address."""

    name = "fake-json-api"
    busy = '{"message": "Too Many Requests"}'  # the body of a canned status without one

    def __init__(self) -> None:
        self.requests: list[Any] = []
        self._script: deque[Scripted] = deque()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    def record(self, path: str, query: dict[str, list[str]], body: bytes) -> Any:
        raise NotImplementedError

    def answer(self, path: str, query: dict[str, list[str]], body: bytes) -> tuple[int, Any]:
        raise NotImplementedError

    def start(self):
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name=self.name, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base(self) -> str:
        assert self._httpd is not None, "server not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def script(self, *answers: Scripted) -> None:
        """Queue canned answers; each request takes the next one until the queue is empty."""
        with self._lock:
            self._script.extend(answers)

    def _next(self) -> Scripted | None:
        with self._lock:
            return self._script.popleft() if self._script else None


class _Handler(BaseHTTPRequestHandler):
    fake: FakeJSONAPI
    server_version = "FakeJSONAPI/1.0"

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        rec = self.fake.record(parts.path, query, body)
        rec.api_key = self.headers.get("x-api-key")
        with self.fake._lock:
            self.fake.requests.append(rec)
        canned = self.fake._next()
        if canned is not None and canned.delay:
            time.sleep(canned.delay)
        if canned is not None and canned.body is not None:
            status, data = canned.status, canned.body
        elif canned is not None and canned.status != 200:
            status, data = canned.status, self.fake.busy.encode()
        else:
            status, payload = self.fake.answer(parts.path, query, body)
            data = json.dumps(payload).encode()
        rec.status = status  # before the answer leaves: a test may read it as soon as the client has it
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
            pass  # the client gave up (timeout): nothing to answer
