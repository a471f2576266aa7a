"""A hostile HTTP server on loopback, for the bounds every outside client must keep: it answers
any request, whatever the path, in one of three ways, and records what it was sent.

- ``drip``: a valid status line and headers, then the body one byte every ``interval`` seconds
  (each read of the socket gets a byte well within a per-read timeout; only a total deadline ends it);
- ``huge``: a body of ``size`` bytes (a JSON list that never closes), sent as fast as the client
  reads it, chunked (no Content-Length to refuse it by); ``sent`` says how much left before the
  client hung up;
- ``redirect``: a redirect (``status``: 301, 302, 307 or 308) to ``location`` followed by the path
  asked, as an API that moved elsewhere answers.

Raw sockets rather than http.server: the point is to misbehave mid-answer, which a framework will
not do. ``Recorded`` requests keep their headers, to show that no credential reached a host.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased

    def credentials(self) -> dict[str, str]:
        return {k: v for k, v in self.headers.items() if k in ("authorization", "x-api-key", "cookie")}


@dataclass
class Hostile:
    mode: str = "drip"  # drip | huge | redirect
    interval: float = 0.3
    size: int = 100 * 2**20
    status: int = 307
    location: str = ""
    seen: list[Seen] = field(default_factory=list)
    sent: int = 0  # body bytes of the last answer that left before the client hung up

    def __post_init__(self) -> None:
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._stop = threading.Event()
        threading.Thread(target=self._accept, name="hostile", daemon=True).start()

    @property
    def port(self) -> int:
        return self._sock.getsockname()[1]

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}"

    def close(self) -> None:
        self._stop.set()
        self._sock.close()

    def __enter__(self) -> Hostile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                seen = self._read_request(conn)
                getattr(self, f"_{self.mode}")(conn, seen)
            except OSError:
                pass  # the client hung up: what the bounds are for

    def _read_request(self, conn: socket.socket) -> Seen:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                raise OSError("closed")
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers.get("content-length") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        seen = Seen(method, path, headers)
        self.seen.append(seen)
        return seen

    def _drip(self, conn: socket.socket, seen: Seen) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        end = time.monotonic() + 120
        while not self._stop.is_set() and time.monotonic() < end:
            conn.sendall(b" ")
            time.sleep(self.interval)

    def _huge(self, conn: socket.socket, seen: Seen) -> None:
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        piece = b"[" + b'"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",' * 2000
        self.sent = 0
        while self.sent < self.size and not self._stop.is_set():
            conn.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.sent += len(piece)
        conn.sendall(b"0\r\n\r\n")

    def _redirect(self, conn: socket.socket, seen: Seen) -> None:
        where = self.location + seen.path
        conn.sendall(
            f"HTTP/1.1 {self.status} Moved\r\nLocation: {where}\r\nContent-Length: 0\r\n\r\n".encode()
        )
