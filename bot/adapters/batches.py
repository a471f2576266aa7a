"""Batched, polite lookups against an outside API: ids in, a `Lookup` out, never an exception for
network trouble. arXiv and Semantic Scholar share this loop; each says how to send one batch and how
to read the answer (`send`, `read`).

Each request takes the service's `Gate` (one at a time, `min_interval` apart, across everything we
run). A failed batch is retried with exponential backoff, longer when the server sends Retry-After,
within `max_total_seconds`; after that its ids are reported unverified, with a short reason a
contributor can read, and the later batches of the same lookup get the same reason instead of
hammering a service that is down.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests

from bot.adapters.gate import Clock, Gate, GateError, LocalGate, Sleep, holding
from bot.adapters.http import AnswerTooLarge, BoundedSession, RedirectRefused
from bot.adapters.retry_after import retry_after_seconds
from bot.core.model import Lookup

log = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "awesome-review-bot/0.1 (reviews contributions to curated paper lists)"
# A record is refused (its id not verified), never cached or quoted, when a field is longer than any
# real one: a title or venue of 2,000 characters, or 10,000 authors or names.
MAX_FIELD_CHARS = 2_000
MAX_FIELD_ITEMS = 10_000

Progress = Callable[[int, int], None]


class Failure(Exception):
    """One attempt failed; `retry_after` is the server's hint, if it gave one."""

    def __init__(
        self,
        reason: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        batch_only: bool = False,
        culprit: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason, self.retryable, self.retry_after = reason, retryable, retry_after
        self.batch_only = batch_only  # the batch itself was refused (400): the next batch may be fine
        self.culprit = culprit  # the id the source named as the reason it refused the batch


class BatchClient:
    """The retry loop around `send` (one HTTP request for a batch) and `read` (its answer → found
    records by id, or a Failure). Subclasses set `source` (for messages) and `result` (the Lookup)."""

    source: ClassVar[str] = "the service"
    result: ClassVar[type[Lookup]] = Lookup
    default_batch: ClassVar[int] = 25  # ids per request unless told otherwise
    max_batch: ClassVar[int] = 10_000  # the API's own bound: a larger batch_size is capped to it
    default_interval: ClassVar[float] = 3.0  # seconds between two requests unless told otherwise
    max_answer_bytes: ClassVar[int] = 16 * 2**20  # a larger answer is refused, never held in memory
    # A batch refused as a whole (arXiv's 400 for one id it cannot read) is asked again in parts, so
    # one bad id costs only itself, not the hundred ids sent with it.
    split_refused: ClassVar[bool] = False

    def __init__(
        self,
        api_url: str,
        *,
        batch_size: int | None = None,
        min_interval: float | None = None,
        timeout: float = 10.0,
        max_retries: int = 4,
        max_total_seconds: float = 60.0,
        backoff_base: float = 1.0,
        session: requests.Session | None = None,
        clock: Clock = time.monotonic,
        sleep: Sleep = time.sleep,
        gate: Gate | None = None,
    ) -> None:
        batch_size = self.default_batch if batch_size is None else batch_size
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.api_url = api_url
        self.batch_size = min(batch_size, self.max_batch)
        self.min_interval = self.default_interval if min_interval is None else min_interval
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_total_seconds = max_total_seconds
        self.backoff_base = backoff_base
        self.session = session or BoundedSession(self.max_answer_bytes)
        self.clock, self.sleep = clock, sleep
        self.gate: Gate = gate or LocalGate(clock, sleep)

    def count(self, ok: bool) -> None:
        """Count one request for the metrics (bot.tally)."""

    def invalid(self, key: str) -> str | None:
        """Why this id must not be sent (one bad id can fail a whole batch), or None."""
        return None

    def send(self, batch: list[str], timeout: float) -> requests.Response:
        raise NotImplementedError

    def read(self, batch: list[str], status: int, body: bytes) -> dict[str, Any]:
        """The records found in a non-retryable answer, by id; raises Failure."""
        raise NotImplementedError

    def lookup(self, ids: Iterable[str], progress: Progress | None = None) -> Lookup:
        """What the source says about `ids`; network trouble ends up in `unverified`, never raised."""
        result = self.result()
        wanted: list[str] = []
        for i in dict.fromkeys(ids):
            reason = self.invalid(i) if isinstance(i, str) else "not an id"
            if reason:
                result.unverified[i] = reason
            else:
                wanted.append(i)
        total, done = len(wanted), 0
        outage: str | None = None
        for start in range(0, total, self.batch_size):
            batch = wanted[start : start + self.batch_size]
            if outage is not None:
                result.unverified.update(dict.fromkeys(batch, outage))
            else:
                part, outage = self._batch(batch)
                result.merge(part)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        return result

    def _batch(self, batch: list[str]) -> tuple[Lookup, str | None]:
        """One batch with retries; returns the lookup and, when the source seems down, the reason."""
        deadline = self.clock() + self.max_total_seconds
        attempt = 0
        while True:
            try:
                found = self._attempt(batch, deadline)
            except Failure as failure:
                self.count(False)
                delay = self.backoff_base * 2**attempt
                if failure.retry_after is not None:
                    delay = max(delay, failure.retry_after)
                attempt += 1
                give_up = (
                    not failure.retryable or attempt > self.max_retries or self.clock() + delay >= deadline
                )
                log.warning(
                    "%s batch of %d ids: %s (attempt %d)", self.source, len(batch), failure.reason, attempt
                )
                if give_up:
                    if failure.batch_only and self.split_refused and len(batch) > 1:
                        return self._split(batch, failure)
                    lookup = self.result(unverified=dict.fromkeys(batch, failure.reason))
                    return lookup, (None if failure.batch_only else failure.reason)
                self.sleep(delay)
                continue
            self.count(True)
            papers = {i: found[i] for i in batch if i in found}
            refused = {i: f"{self.source}'s record {why}" for i, p in papers.items() if (why := oversized(p))}
            for i in refused:
                del papers[i]
            return self.result(
                papers=papers, missing=set(batch) - papers.keys() - refused.keys(), unverified=refused
            ), None

    def _split(self, batch: list[str], failure: Failure) -> tuple[Lookup, str | None]:
        """The batch without the id the refusal names (that id alone is not verified), else each half
        on its own: log2(batch) requests more at worst to find one bad id among the batch."""
        result = self.result()
        if failure.culprit in batch:
            result.unverified[failure.culprit] = failure.reason
            parts = [[i for i in batch if i != failure.culprit]]
        else:
            half = len(batch) // 2
            parts = [batch[:half], batch[half:]]
        for n, part in enumerate(parts):
            got, outage = self._batch(part)
            result.merge(got)
            if outage is not None:
                for rest in parts[n + 1 :]:
                    result.unverified.update(dict.fromkeys(rest, outage))
                return result, outage
        return result, None

    def _attempt(self, batch: list[str], deadline: float) -> dict[str, Any]:
        # The request's timeout is its deadline, from connecting to the answer's last byte
        # (bot.adapters.http): the gate is let go by then, whatever the server does.
        timeout = max(0.5, min(self.timeout, deadline - self.clock()))
        name = self.source
        try:
            with holding(self.gate, self.min_interval, wait=max(0.5, deadline - self.clock())):
                response = self.send(batch, timeout)
                body = response.content
        except GateError as exc:
            raise Failure(f"could not take the {name} request slot: {exc}") from exc
        except AnswerTooLarge as exc:
            raise Failure(f"{name}'s answer was too large ({exc})", retryable=False) from exc
        except RedirectRefused as exc:
            raise Failure(
                f"{name} answered with a redirect to another host, not followed", retryable=False
            ) from exc
        except requests.exceptions.ChunkedEncodingError as exc:
            raise Failure(f"{name}'s answer was cut short") from exc
        except requests.Timeout as exc:
            raise Failure(f"{name} did not answer within {_seconds(timeout)} s") from exc
        except (requests.RequestException, OSError) as exc:
            if _unresolved(exc):  # no DNS answer for the host: retrying in seconds will not help
                host = urlsplit(self.api_url).hostname or self.api_url
                raise Failure(f"could not reach {name} ({host} does not resolve)", retryable=False) from exc
            raise Failure(f"could not reach {name} ({_short(exc)})") from exc
        status = response.status_code
        if status in RETRY_STATUSES or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise Failure(f"{name} answered {status}", retry_after=wait)
        return self.read(batch, status, body)


def oversized(record: Any) -> str | None:
    """Why a parsed record is refused (a field longer than any real one), or None."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if dataclasses.is_dataclass(value):
            why = oversized(value)
            if why:
                return why
        values = value if isinstance(value, tuple) else (value,)
        if len(values) > MAX_FIELD_ITEMS:
            return f"has over {MAX_FIELD_ITEMS:,} {f.name}"
        if any(isinstance(v, str) and len(v) > MAX_FIELD_CHARS for v in values):
            return f"has a {f.name} over {MAX_FIELD_CHARS:,} characters"
    return None


def text(v: Any) -> str:
    """A string field of a JSON answer ("" for null); raises ValueError for anything else."""
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ValueError("expected a string")
    return v


def detail(body: bytes, key: str) -> str:
    """`: <message>` from a JSON error body's `key`, for a Failure's reason ("" when it has none)."""
    try:
        msg = json.loads(body).get(key)
    except (ValueError, AttributeError):
        return ""
    return f": {' '.join(str(msg).split())[:200]}" if msg else ""


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
