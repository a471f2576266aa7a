"""Batched, polite arXiv API client: ids in, `ArxivLookup` out, never an exception for network trouble.

arXiv asks for one request at a time and at least 3 s between them, across everything we run; a
`Gate` (bot.adapters.gate) enforces that; the retry loop is bot.adapters.batches'. Failures never
turn into a verdict: after bounded retries the ids of a batch are reported as unverified, with a
short reason a contributor can read.

Ids are validated locally before anything is sent, because one malformed id makes arXiv fail the
whole batch with HTTP 400. Invalid ids are reported in `unverified` with the reason
"not a valid arXiv id" (they are never sent). Ids must be canonical: no version suffix.
"""

from __future__ import annotations

import time
from urllib.parse import quote

import requests

from bot import tally
from bot.adapters.arxiv_atom import ArxivApiError, ArxivFeedError, parse_feed
from bot.adapters.batches import USER_AGENT, BatchClient, Failure, Progress
from bot.adapters.gate import Clock, FileGate, Gate, GateError, LocalGate, RedisGate, Sleep
from bot.adapters.retry_after import retry_after_seconds
from bot.core.arxiv_id import is_valid_id
from bot.core.model import ArxivLookup, Paper

__all__ = [
    "INVALID_ID",
    "ArxivClient",
    "FileGate",
    "Gate",
    "GateError",
    "LocalGate",
    "Progress",
    "RedisGate",
    "retry_after_seconds",
]

INVALID_ID = "not a valid arXiv id"


class ArxivClient(BatchClient):
    """Look up arXiv metadata in batches of `batch_size` ids, one GET per batch.

    `max_total_seconds` bounds the time spent on one batch, retries and waits included. When a
    batch gives up because arXiv is unreachable or failing, the remaining batches of the same
    lookup are reported unverified with the same reason instead of hammering a service that is down.
    """

    source = "arXiv"
    result = ArxivLookup

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
        super().__init__(
            batch_size=batch_size,
            min_interval=min_interval,
            timeout=timeout,
            max_retries=max_retries,
            max_total_seconds=max_total_seconds,
            backoff_base=backoff_base,
            session=session,
            clock=clock,
            sleep=sleep,
            gate=gate,
        )
        self.api_url = api_url

    def count(self, ok: bool) -> None:
        tally.arxiv_call(ok=ok)

    def invalid(self, key: str) -> str | None:
        return None if is_valid_id(key) else INVALID_ID

    def url_for(self, batch: list[str]) -> str:
        """`?id_list=a,b,c&max_results=N`: max_results always set, as arXiv's default is 10."""
        sep = "&" if "?" in self.api_url else "?"
        return f"{self.api_url}{sep}id_list={quote(','.join(batch), safe=',/')}&max_results={len(batch)}"

    def lookup(self, ids, progress: Progress | None = None) -> ArxivLookup:
        return super().lookup(ids, progress)  # type: ignore[return-value]

    def send(self, batch: list[str], timeout: float) -> requests.Response:
        return self.session.get(
            self.url_for(batch),
            timeout=timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/atom+xml"},
        )

    def read(self, batch: list[str], status: int, body: bytes) -> dict[str, Paper]:
        if status == 400:
            try:
                parse_feed(body)
                detail = ""
            except ArxivApiError as exc:
                detail = f": {exc.message}"
            except ArxivFeedError:
                detail = ""
            raise Failure(f"arXiv rejected the request (400{detail})", retryable=False, batch_only=True)
        if status != 200:
            raise Failure(f"arXiv answered {status}", retryable=False)
        try:
            return parse_feed(body)
        except ArxivApiError as exc:
            raise Failure(
                f"arXiv reported an error: {exc.message}", retryable=False, batch_only=True
            ) from exc
        except ArxivFeedError as exc:
            raise Failure("arXiv sent a malformed response") from exc
