"""The politeness gate every outside API's client shares: one request at a time, and at least
`min_interval` seconds between the starts of two requests, across everything that shares the gate.

In one process (`LocalGate`), across processes sharing a data directory (`FileGate`, a lock file
per service), or across machines sharing a Redis (`RedisGate`, a key per service). arXiv and
Semantic Scholar each get their own gate of the same kind: their limits are their own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class GateError(Exception):
    """The shared request slot could not be taken (lock store unreachable)."""


class Gate(Protocol):
    """One request at a time, and `min_interval` seconds between the starts of two requests."""

    def acquire(self, min_interval: float, wait: float | None = None) -> None:
        """Block until this caller may start a request now (at most ``wait`` seconds, else
        GateError); record the start time."""

    def release(self) -> None:
        """Let the next caller in (its start is still spaced from ours by acquire)."""


@contextlib.contextmanager
def holding(gate: Gate, min_interval: float, wait: float | None = None) -> Iterator[None]:
    """The gate for one request; let go when it ends, however it ends (its deadline included: see
    bot.adapters.http), so a hung service costs the other workers one deadline, not a job."""
    gate.acquire(min_interval, wait)
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

    def acquire(self, min_interval: float, wait: float | None = None) -> None:
        if not self._lock.acquire(timeout=-1 if wait is None else max(0.0, wait)):
            raise GateError(f"timed out after {wait:g} s waiting for the request slot")
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

    def acquire(self, min_interval: float, wait: float | None = None) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise GateError(f"cannot open {self.path}: {exc}") from exc
        wait = self.wait_timeout if wait is None else min(wait, self.wait_timeout)
        if not _flock(fd, wait):
            os.close(fd)
            raise GateError(f"timed out after {wait:g} s waiting for {self.path}")
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

    def acquire(self, min_interval: float, wait: float | None = None) -> None:
        import redis  # only the Redis adapter needs it

        wait = self._wait_timeout if wait is None else min(wait, self._wait_timeout)
        lock = self._redis.lock(self._key + ":lock", timeout=self._lock_timeout, blocking_timeout=wait)
        try:
            if not lock.acquire():
                raise GateError(f"timed out waiting for the request slot {self._key} in Redis")
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
