"""How the GitHub client waits and retries, and the two ways a GitHub call fails.

One mechanism, urllib3's, through PyGithub's ``retry=`` hook (:class:`GithubRetry`, which already
understands GitHub's 403 rate-limit bodies). Our subclass adds:

- 429 is retried, and ``x-ratelimit-remaining: 0`` + ``x-ratelimit-reset`` wins over any backoff
  (measured with an injectable clock); otherwise ``Retry-After``; otherwise the secondary-limit wait
  for 403/429, else exponential backoff.
- Sleeping goes through ``ClientOptions.sleep`` (tests pass a recorder), and a wait longer than
  ``ClientOptions.max_wait`` is not slept at all: it raises :class:`GitHubUnavailable` with the delay,
  so the queue reschedules the job instead of pinning a worker for an hour.
- POST and PATCH are never resent after a 5xx or a read timeout (GitHub may have done the work: a
  second review, duplicated annotations); they are resent only after a rate-limit refusal, which
  GitHub documents as "not processed". The adapter's ``apply`` as a whole is tried again after a
  5xx (``ClientOptions.write_retries``), and the job by the queue, which is safe because each looks
  up what already exists first (bot.core.verdict.reconcile).

``seconds_between_requests``/``seconds_between_writes`` default to None (PyGithub would sleep 0.25 s
per request and 1 s per write); a deployment that posts a lot may set them in :class:`ClientOptions`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from github import GithubException, GithubRetry

from bot import tally
from bot.adapters.retry_after import retry_after_seconds
from bot.errors import RetryLater

log = logging.getLogger(__name__)

_REPLAYABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})  # same effect when sent twice


class GitHubError(Exception):
    """GitHub refused for good (401, 404, 422 that no retry fixes): the job should fail loudly."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class GitHubUnavailable(RetryLater):
    """GitHub failed transiently (5xx, rate limit, timeout): run the job again later, judge no one."""


@dataclass
class ClientOptions:
    """Knobs for the HTTP client; the defaults suit production, tests shrink the waits."""

    timeout: int = 15  # the deadline of one request, from connecting to its answer's last byte
    max_answer_bytes: int = 64 * 2**20  # a larger answer is refused (a list file's blob, base64, fits)
    retries: int = 4
    backoff_factor: float = 0.5
    secondary_rate_wait: float = 60.0  # GitHub: wait at least a minute after a bare secondary limit
    max_wait: float = 120.0  # longer waits are handed to the queue (GitHubUnavailable.delay)
    write_settle: float = 30.0  # after a timed-out request, the queue waits this long before looking again
    write_retries: tuple[float, ...] = (0.5, 2.0)  # waits before applying again after a 5xx, in the job
    # Told how long GitHub asked this client to wait for a rate limit, so that every worker sharing the
    # budget (an installation, a token) waits too: the composition root writes it to the queue store.
    on_rate_limit: Callable[[float], None] | None = None
    # Called before every write; raises when the job may no longer write (the queue's lease fence).
    before_write: Callable[[], None] | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    seconds_between_requests: float | None = None
    seconds_between_writes: float | None = None
    per_page: int = 100
    token_refresh_margin: float = 300.0
    user_agent: str = "awesome-review"


def error_text(e: GithubException) -> str:
    """GitHub's message and its listed errors, in one line."""
    data = e.data if isinstance(e.data, dict) else {}
    parts = [str(data.get("message") or e.message or "")]
    for err in data.get("errors") or []:
        parts.append(err if isinstance(err, str) else str(err.get("message") or err))
    return "; ".join(p for p in parts if p)


def header_wait(headers: Mapping[str, Any] | None, clock: Callable[[], float]) -> float | None:
    """The wait GitHub's headers ask for: until ``x-ratelimit-reset`` when no requests remain, else
    ``Retry-After``; None when they ask for none."""
    h = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    reset = h.get("x-ratelimit-reset", "")
    if h.get("x-ratelimit-remaining") == "0" and reset.isdigit():
        return max(int(reset) - clock(), 0.0) + 1.0
    return retry_after_seconds(h.get("retry-after"), clock())


class _Retry(GithubRetry):
    """GithubRetry with an injectable sleep/clock, 429 support, a wait cap and no blind replays of
    non-idempotent writes (see the module docstring)."""

    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_wait: float = 120.0,
        on_rate_limit: Callable[[float], None] | None = None,
        **kw: Any,
    ) -> None:
        self._sleeper = sleep
        self._clock = clock
        self._max_wait = max_wait
        self._on_rate_limit = on_rate_limit
        super().__init__(**kw)

    def new(self, **kw: Any) -> _Retry:
        kw.update(
            sleep=self._sleeper, clock=self._clock, max_wait=self._max_wait, on_rate_limit=self._on_rate_limit
        )
        kw["status_forcelist"] = sorted(
            set(kw.get("status_forcelist") or self.status_forcelist or []) - {403}
        )
        return super().new(**kw)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        # urllib3 asks this once per response received: the hook that counts GitHub requests.
        tally.github_call(ok=status_code < 500 and status_code not in (403, 429))
        if status_code >= 500 and method.upper() not in _REPLAYABLE:
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kw: Any) -> Any:
        error = kw.get("error") if "error" in kw else (args[1] if len(args) > 1 else None)
        if error is not None:  # no response at all (refused, reset, timeout): a failed request
            tally.github_call(ok=False)
        if error is not None and self._is_read_error(error) and (method or "").upper() not in _REPLAYABLE:
            raise error  # the server may have acted on it: let the job decide, never resend
        return super().increment(method, url, *args, **kw)

    def wait_for(self, response: Any | None) -> float:
        """Seconds to wait before the next attempt, from the response's headers or the backoff."""
        if response is not None:
            wait = header_wait(response.headers, self._clock)
            if wait is not None:
                return wait
            if response.status in (403, 429):
                return max(self.get_backoff_time(), float(self.secondary_rate_wait))
        return self.get_backoff_time()

    def sleep(self, response: Any | None = None) -> None:
        wait = self.wait_for(response)
        if response is not None and response.status in (403, 429) and self._on_rate_limit is not None:
            self._on_rate_limit(wait)
        if wait > self._max_wait:
            raise GitHubUnavailable(f"GitHub asks to wait {wait:.0f}s", delay=wait)
        if wait > 0:
            log.info("github: waiting %.1fs before retrying", wait)
            self._sleeper(wait)

    def sleep_for_retry(self, response: Any) -> bool:  # redirects with Retry-After
        self.sleep(response)
        return True


def make_retry(o: ClientOptions) -> _Retry:
    return _Retry(
        sleep=o.sleep,
        clock=o.clock,
        max_wait=o.max_wait,
        on_rate_limit=o.on_rate_limit,
        secondary_rate_wait=o.secondary_rate_wait,
        total=o.retries,
        backoff_factor=o.backoff_factor,
        status_forcelist=[*range(500, 600), 429],
        raise_on_status=False,  # the last response reaches PyGithub, which raises with its status
    )
