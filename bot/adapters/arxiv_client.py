"""Batched, polite arXiv API client: ids in, `ArxivLookup` out, never an exception for network trouble.

arXiv asks for one request at a time and at least 3 s between them, across everything we run; a
`Gate` enforces that (in-process, a lock file under the data directory, or Redis). Failures never
turn into a verdict: after bounded retries the ids of a batch are reported as unverified, with a
short reason a contributor can read.

Ids are validated locally before anything is sent, because one malformed id makes arXiv fail the
whole batch with HTTP 400. Invalid ids are reported in `unverified` with the reason
"not a valid arXiv id" (they are never sent). Ids must be canonical: no version suffix.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

import requests

from bot import tally
from bot.adapters.arxiv_atom import ArxivApiError, ArxivFeedError, parse_feed
from bot.adapters.retry_after import retry_after_seconds
from bot.core.arxiv_id import is_valid_id
from bot.core.model import ArxivLookup

log = logging.getLogger(__name__)

INVALID_ID = "not a valid arXiv id"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "awesome-review-bot/0.1 (reviews contributions to curated paper lists)"

Clock = Callable[[], float]
Sleep = Callable[[float], None]
Progress = Callable[[int, int], None]


class GateError(Exception):
    """The shared request slot could not be taken (lock store unreachable)."""


class Gate(Protocol):
    """One request at a time, and `min_interval` seconds between the starts of two requests."""

    def acquire(self, min_interval: float) -> None:
        """Block until this caller may start a request now; record the start time."""

    def release(self) -> None:
        """Let the next caller in (its start is still spaced from ours by acquire)."""


@contextlib.contextmanager
def holding(gate: Gate, min_interval: float) -> Iterator[None]:
    gate.acquire(min_interval)
    try:
        yield
    finally:
        gate.release()


class LocalGate:
    """Spacing and mutual exclusion inside one process (threads), with an injectable clock."""

    def __init__(self, clock: Clock = time.monotonic, sleep: Sleep = time.sleep) -> None:
        self._lock = threading.Lock()
        self._last: float | None = None
        self._clock, self._sleep = clock, sleep

    def acquire(self, min_interval: float) -> None:
        self._lock.acquire()
        if self._last is not None:
            wait = self._last + min_interval - self._clock()
            if wait > 0:
                self._sleep(wait)
        self._last = self._clock()

    def release(self) -> None:
        self._lock.release()


class FileGate:
    """Spacing across processes sharing a data directory: flock on a file holding the last start.

    Wall-clock time (not monotonic) because the stamp is read by other processes; the lock is
    held for the whole request so two workers never talk to arXiv at once.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        clock: Clock = time.time,
        sleep: Sleep = time.sleep,
        *,
        wait_timeout: float = 300.0,
    ) -> None:
        self.path = Path(path)
        self.wait_timeout = wait_timeout
        self._clock, self._sleep = clock, sleep
        self._local = threading.local()

    def acquire(self, min_interval: float) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise GateError(f"cannot open {self.path}: {exc}") from exc
        if not _flock(fd, self.wait_timeout):
            os.close(fd)
            raise GateError(f"timed out after {self.wait_timeout:g} s waiting for {self.path}")
        try:
            self._wait_and_stamp(fd, min_interval)
        except BaseException as exc:  # disk full, I/O error ...: never keep the lock we cannot use
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
            if isinstance(exc, OSError):
                raise GateError(f"cannot write {self.path}: {exc.strerror or exc}") from exc
            raise
        self._local.fd = fd

    def _wait_and_stamp(self, fd: int, min_interval: float) -> None:
        try:
            raw = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
            last = float(raw) if raw else None
        except ValueError:
            last = None
        now = self._clock()
        if last is not None and last <= now + 3600:  # ignore a stamp from a clock gone wrong
            wait = last + min_interval - now
            if wait > 0:
                self._sleep(wait)
        stamp = f"{self._clock():.6f}".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp, 0)

    def release(self) -> None:
        fd = getattr(self._local, "fd", None)
        if fd is None:
            return
        self._local.fd = None
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _flock(fd: int, wait_timeout: float) -> bool:
    """Take an exclusive flock, polling so a stuck holder costs a bounded wait, not a hang."""
    deadline = time.monotonic() + wait_timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.01)


class RedisGate:
    """Spacing across machines sharing a Redis: a Redis lock plus a key with the last start time.

    Times come from the Redis server's clock by default, so machines with skewed clocks agree.
    """

    def __init__(
        self,
        client: Any,
        key: str = "awesome-review:arxiv-gate",
        *,
        lock_timeout: float = 120.0,
        wait_timeout: float = 300.0,
        clock: Clock | None = None,
        sleep: Sleep = time.sleep,
    ) -> None:
        self._redis = client
        self._key = key
        self._lock_timeout, self._wait_timeout = lock_timeout, wait_timeout
        self._clock = clock or self._server_time
        self._sleep = sleep
        self._local = threading.local()

    def _server_time(self) -> float:
        seconds, micros = self._redis.time()
        return seconds + micros / 1e6

    def acquire(self, min_interval: float) -> None:
        import redis  # only the Redis adapter needs it

        lock = self._redis.lock(
            self._key + ":lock", timeout=self._lock_timeout, blocking_timeout=self._wait_timeout
        )
        try:
            if not lock.acquire():
                raise GateError("timed out waiting for the arXiv request slot in Redis")
            raw = self._redis.get(self._key + ":last")
            last = float(raw) if raw else None
            now = self._clock()
            if last is not None:
                wait = last + min_interval - now
                if wait > 0:
                    self._sleep(wait)
            self._redis.set(self._key + ":last", f"{self._clock():.6f}", ex=max(60, int(min_interval * 10)))
        except redis.RedisError as exc:
            with contextlib.suppress(redis.RedisError):
                if lock.owned():
                    lock.release()
            raise GateError(f"Redis unavailable ({exc.__class__.__name__})") from exc
        self._local.lock = lock

    def release(self) -> None:
        import redis

        lock = getattr(self._local, "lock", None)
        self._local.lock = None
        if lock is not None:
            with contextlib.suppress(redis.RedisError):
                lock.release()


def _unresolved(exc: BaseException) -> bool:
    """Whether the cause of ``exc`` is a name that does not resolve (socket.gaierror somewhere in the
    chain urllib3 and requests wrap it in)."""
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, socket.gaierror) or type(e).__name__ == "NameResolutionError":
            return True
        stack += [e.__cause__, e.__context__, *(a for a in e.args if isinstance(a, BaseException))]
        reason = getattr(e, "reason", None)
        if isinstance(reason, BaseException):
            stack.append(reason)
    return False


class _Failure(Exception):
    """One attempt failed; `retry_after` is the server's hint, if it gave one."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        batch_only: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason, self.retryable, self.retry_after = reason, retryable, retry_after
        self.batch_only = batch_only  # the batch itself was refused (400): the next batch may be fine


class ArxivClient:
    """Look up arXiv metadata in batches of `batch_size` ids, one GET per batch.

    `max_total_seconds` bounds the time spent on one batch, retries and waits included. When a
    batch gives up because arXiv is unreachable or failing, the remaining batches of the same
    lookup are reported unverified with the same reason instead of hammering a service that is down.
    """

    def __init__(
        self,
        api_url: str,
        *,
        batch_size: int = 25,
        min_interval: float = 3.0,
        timeout: float = 10.0,
        max_retries: int = 4,
        max_total_seconds: float = 60.0,
        backoff_base: float = 1.0,
        session: requests.Session | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        gate: Gate | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.api_url = api_url
        self.batch_size = batch_size
        self.min_interval = min_interval
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_total_seconds = max_total_seconds
        self.backoff_base = backoff_base
        self.session = session or requests.Session()
        self.clock, self.sleep = clock, sleep
        self.gate: Gate = gate or LocalGate(clock, sleep)

    def url_for(self, batch: list[str]) -> str:
        """`?id_list=a,b,c&max_results=N`: max_results always set, as arXiv's default is 10."""
        sep = "&" if "?" in self.api_url else "?"
        return f"{self.api_url}{sep}id_list={quote(','.join(batch), safe=',/')}&max_results={len(batch)}"

    def lookup(self, ids: Iterable[str], progress: Progress | None = None) -> ArxivLookup:
        """What arXiv says about `ids`; network trouble ends up in `unverified`, never raised."""
        result = ArxivLookup()
        wanted: list[str] = []
        for i in dict.fromkeys(ids):
            if isinstance(i, str) and is_valid_id(i):
                wanted.append(i)
            else:
                result.unverified[i] = INVALID_ID
        total, done = len(wanted), 0
        outage: str | None = None
        for start in range(0, total, self.batch_size):
            batch = wanted[start : start + self.batch_size]
            if outage is not None:
                result.unverified.update(dict.fromkeys(batch, outage))
            else:
                part, outage = self._lookup_batch(batch)
                result.merge(part)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return result

    def _lookup_batch(self, batch: list[str]) -> tuple[ArxivLookup, str | None]:
        """One batch with retries; returns the lookup and, when arXiv seems down, the reason."""
        deadline = self.clock() + self.max_total_seconds
        url = self.url_for(batch)
        attempt = 0
        while True:
            try:
                papers = self._attempt(url, deadline)
            except _Failure as failure:
                tally.arxiv_call(ok=False)
                delay = self.backoff_base * 2**attempt
                if failure.retry_after is not None:
                    delay = max(delay, failure.retry_after)
                attempt += 1
                give_up = (
                    not failure.retryable or attempt > self.max_retries or self.clock() + delay >= deadline
                )
                log.warning("arXiv batch of %d ids: %s (attempt %d)", len(batch), failure.reason, attempt)
                if give_up:
                    lookup = ArxivLookup(unverified=dict.fromkeys(batch, failure.reason))
                    return lookup, (None if failure.batch_only else failure.reason)
                self.sleep(delay)
                continue
            tally.arxiv_call(ok=True)
            found = {i: papers[i] for i in batch if i in papers}
            return ArxivLookup(papers=found, missing=set(batch) - found.keys()), None

    def _attempt(self, url: str, deadline: float) -> dict:
        timeout = max(0.5, min(self.timeout, deadline - self.clock()))
        try:
            with holding(self.gate, self.min_interval):
                response = self.session.get(
                    url, timeout=timeout, headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml"}
                )
                body = response.content
        except GateError as exc:
            raise _Failure(f"could not take the arXiv request slot: {exc}") from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise _Failure("arXiv's answer was cut short") from exc
        except requests.Timeout as exc:
            raise _Failure(f"arXiv did not answer within {_seconds(timeout)} s") from exc
        except (requests.RequestException, OSError) as exc:
            if _unresolved(exc):  # no DNS answer for the host: retrying in seconds will not help
                host = urlsplit(url).hostname or url
                raise _Failure(f"could not reach arXiv ({host} does not resolve)", retryable=False) from exc
            raise _Failure(f"could not reach arXiv ({_short(exc)})") from exc
        status = response.status_code
        if status in RETRY_STATUSES or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise _Failure(f"arXiv answered {status}", retry_after=wait)
        if status == 400:
            try:
                parse_feed(body)
                detail = ""
            except ArxivApiError as exc:
                detail = f": {exc.message}"
            except ArxivFeedError:
                detail = ""
            raise _Failure(f"arXiv rejected the request (400{detail})", retryable=False, batch_only=True)
        if status != 200:
            raise _Failure(f"arXiv answered {status}", retryable=False)
        try:
            return parse_feed(body)
        except ArxivApiError as exc:
            raise _Failure(
                f"arXiv reported an error: {exc.message}", retryable=False, batch_only=True
            ) from exc
        except ArxivFeedError as exc:
            raise _Failure("arXiv sent a malformed response") from exc


def _seconds(value: float) -> str:
    return f"{round(value, 1):g}"


def _short(exc: BaseException) -> str:
    """A few human words for the root cause, without the URL noise requests puts in its messages."""
    inner = exc
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    name, text = type(inner).__name__, str(inner).lower()
    if "refused" in text or name == "ConnectionRefusedError":
        return "connection refused"
    if name == "gaierror" or "name or service not known" in text or "name resolution" in text:
        return "host name not found"
    if "reset" in text or name == "ConnectionResetError":
        return "connection reset"
    if "timed out" in text:
        return "connection timed out"
    return name
