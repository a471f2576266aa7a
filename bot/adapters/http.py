"""What every request to an outside service (GitHub, arXiv, Semantic Scholar, OpenReview) goes
through, for three bounds requests and urllib3 do not give:

- **A total deadline per request**, from connecting to the last byte of the answer. requests'
  ``timeout`` bounds each read of the socket, so a server dripping a byte every few seconds held a job,
  and the gate that spaces requests to that service for every worker, for as long as it liked. Here
  the ``timeout`` a request is sent with is its deadline: a watchdog shuts the connection down when it
  passes, whatever the server is sending, and the request fails with :class:`DeadlineExceeded` (a
  ``ReadTimeout``, so callers treat it as they treat a timeout). Each attempt of urllib3's retries has
  its own deadline; the waits between attempts are the retry policy's business.
- **A cap on an answer's bytes**, counted after decompression while it is read: a larger answer is
  refused with :class:`AnswerTooLarge` before it is held in memory.
- **No credentials to another host**: a redirect is followed only to the same origin (or from http to
  https on the same host); any other is refused with :class:`RedirectRefused`, so a header such as
  ``x-api-key`` or ``Authorization`` never reaches a host it was not meant for.

Answers are always read whole inside the deadline, even when the caller asked to stream.
"""

from __future__ import annotations

import contextlib
import contextvars
import socket
import threading
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

DEFAULT_SECONDS = 30.0  # a request sent without a timeout still gets a deadline
DEFAULT_MAX_BYTES = 16 * 2**20
_CHUNK = 64 * 1024


class DeadlineExceeded(requests.exceptions.ReadTimeout):
    """No complete answer within the request's deadline."""


class AnswerTooLarge(requests.exceptions.RequestException):
    """The answer was longer than the cap; it was not read further."""


class RedirectRefused(requests.exceptions.RequestException):
    """A redirect to another origin: not followed, so no credential goes there."""


class _Watch:
    """The deadline of one ``send``: each connection attempt inside it arms a timer that shuts the
    connection's socket down when the attempt's time is up."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._timers: list[threading.Timer] = []
        self._lock = threading.Lock()

    def arm(self, conn: HTTPConnection) -> None:
        timer = threading.Timer(self.seconds, self._expire, (conn,))
        timer.daemon = True
        with self._lock:
            self._timers.append(timer)
        timer.start()

    def _expire(self, conn: HTTPConnection) -> None:
        self.expired = True
        sock = conn.sock
        # SHUT_RDWR: a blocked recv returns at once, plain or TLS. OSError: closed meanwhile, or not
        # connected yet (connecting has its own timeout, the same number of seconds).
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        with self._lock:
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()


_WATCH: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("bot_http_watch", default=None)


class _Watched:
    """Arms the current send's watch at every request sent on this connection."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        watch = _WATCH.get()
        if watch is not None:
            watch.arm(self)  # type: ignore[arg-type]
        return super().request(*args, **kwargs)  # type: ignore[misc]


class _HTTPConnection(_Watched, HTTPConnection):
    pass


class _HTTPSConnection(_Watched, HTTPSConnection):
    pass


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _watched(manager: Any) -> Any:
    manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
    return manager


class BoundedAdapter(HTTPAdapter):
    """An HTTPAdapter whose ``timeout`` is a total deadline per attempt and whose answers are capped
    at ``max_bytes`` (mount it on any requests session; PyGithub's too, see :func:`bound_pygithub`)."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES, **kwargs: Any) -> None:
        self.max_bytes = max_bytes
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watched(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        return _watched(super().proxy_manager_for(proxy, **kwargs))

    def send(
        self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None, **kwargs: Any
    ):
        watch = _Watch(_seconds(timeout))
        token = _WATCH.set(watch)
        try:
            response = super().send(request, stream=True, timeout=timeout, **kwargs)
            _refuse_another_origin(response)
            _read(response, self.max_bytes)
            return response
        except requests.exceptions.RequestException as exc:
            if watch.expired and not isinstance(exc, AnswerTooLarge | RedirectRefused):
                raise DeadlineExceeded(
                    f"no complete answer from {urlsplit(request.url or '').hostname} within {watch.seconds:g} s",
                    request=request,
                ) from exc
            raise
        finally:
            watch.stop()
            _WATCH.reset(token)


def _seconds(timeout: Any) -> float:
    """The deadline a request's ``timeout`` stands for: a number, or the larger of (connect, read)."""
    if isinstance(timeout, tuple):
        timeout = max((t for t in timeout if t is not None), default=None)
    return DEFAULT_SECONDS if timeout is None else float(timeout)


def _read(response: requests.Response, max_bytes: int) -> None:
    """Read the whole answer now, refusing it past ``max_bytes`` (decompressed) or a Content-Length
    that says it is larger."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        response.close()
        raise AnswerTooLarge(_too_large(response, max_bytes), response=response)
    chunks, size = [], 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise AnswerTooLarge(_too_large(response, max_bytes), response=response)
        chunks.append(chunk)
    # What Response.content does once read: the answer is kept, the connection goes back to the pool.
    response._content = b"".join(chunks)
    response._content_consumed = True


def _too_large(response: requests.Response, max_bytes: int) -> str:
    return f"the answer of {urlsplit(response.url or '').hostname} is over {max_bytes:,} bytes"


def _refuse_another_origin(response: requests.Response) -> None:
    """A redirect to another origin is refused here, below every client (PyGithub follows some
    redirects itself): nothing is sent there, credentials least of all."""
    location = response.headers.get("Location")
    if not response.is_redirect or not location:
        return
    target = urljoin(response.url, location)
    if not same_origin(response.url, target):
        response.close()
        raise RedirectRefused(
            f"{urlsplit(response.url).hostname} redirected to another host ({urlsplit(target).hostname}): "
            "not followed",
            response=response,
        )


class BoundedSession(requests.Session):
    """A session with :class:`BoundedAdapter` on http and https, and at most 5 redirects."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        super().__init__()
        self.max_redirects = 5
        for prefix in ("http://", "https://"):
            self.mount(prefix, BoundedAdapter(max_bytes))


def same_origin(old: str, new: str) -> bool:
    """Same scheme, host and port; or http to https on the same host (default ports)."""
    a, b = urlsplit(old), urlsplit(new)
    if a.hostname != b.hostname:
        return False
    if (a.scheme, b.scheme) == ("http", "https"):
        return a.port in (None, 80) and b.port in (None, 443)
    return a.scheme == b.scheme and (a.port or _PORTS.get(a.scheme)) == (b.port or _PORTS.get(b.scheme))


_PORTS = {"http": 80, "https": 443}


def bound_pygithub(requester: Any, max_bytes: int) -> None:
    """Give one PyGithub ``Requester`` the deadline and the cap: its connections then send through a
    :class:`BoundedAdapter` (with PyGithub's own retry policy). PyGithub's public hook for this,
    ``Requester.injectConnectionClasses``, is process-wide and turns off connection reuse, so the
    requester's own connection class is replaced instead; ``tests/test_outside_bounds.py`` fails
    should PyGithub rename it."""
    base = requester._Requester__connectionClass

    class Bounded(base):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            adapter = BoundedAdapter(
                max_bytes,
                max_retries=self.retry,
                pool_connections=self.pool_size,
                pool_maxsize=self.pool_size,
            )
            self.session.mount(f"{self.protocol}://", adapter)

    requester._Requester__connectionClass = Bounded
