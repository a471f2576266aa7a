"""Batched, polite arXiv API client: ids in, `ArxivLookup` out, never an exception for network trouble.

arXiv asks for one request at a time and at least 3 s between them, across everything we run; a
`Gate` (bot.adapters.gate) enforces that; the retry loop is bot.adapters.batches'. Failures never
turn into a verdict: after bounded retries the ids of a batch are reported as unverified, with a
short reason a contributor can read.

Ids are validated locally before anything is sent, because one malformed id makes arXiv fail the
whole batch with HTTP 400. Invalid ids are reported in `unverified` with the reason
"not a valid arXiv id" (they are never sent). Ids must be canonical: no version suffix. Should arXiv
still refuse a batch (400), the id it names is set aside and the rest asked again (the batch is
halved when it names none), so one id arXiv cannot read costs only itself.

A request asks for 100 ids by default, as arXiv's own reference client pages; the API serves up to
2,000 results a request (`max_results`), the most `batch_size` may ask.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import requests

from bot import tally
from bot.adapters.arxiv_atom import ArxivApiError, ArxivFeedError, parse_feed
from bot.adapters.batches import USER_AGENT, BatchClient, Failure, Progress
from bot.adapters.gate import FileGate, Gate, GateError, LocalGate, RedisGate
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
_NAMED = re.compile(r"incorrect id format for (\S+)")  # arXiv's message for an id it cannot read


class ArxivClient(BatchClient):
    """Look up arXiv metadata in batches of `batch_size` ids, one GET per batch.

    `max_total_seconds` bounds the time spent on one batch, retries and waits included. When a
    batch gives up because arXiv is unreachable or failing, the remaining batches of the same
    lookup are reported unverified with the same reason instead of hammering a service that is down.
    """

    source = "arXiv"
    result = ArxivLookup
    default_batch = 100
    max_batch = 2000  # arXiv's largest slice of results a request
    default_interval = 3.0  # arXiv asks for at least 3 s between requests
    split_refused = True

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
            message = ""
            try:
                parse_feed(body)
            except ArxivApiError as exc:
                message = exc.message
            except ArxivFeedError:
                pass
            detail = f": {message}" if message else ""
            named = _NAMED.search(message)
            raise Failure(
                f"arXiv rejected the request (400{detail})",
                retryable=False,
                batch_only=True,
                culprit=named[1] if named else None,
            )
        if status != 200:
            raise Failure(f"arXiv answered {status}", retryable=False)
        try:
            return parse_feed(body)
        except ArxivApiError as exc:
            named = _NAMED.search(exc.message)
            raise Failure(
                f"arXiv reported an error: {exc.message}",
                retryable=False,
                batch_only=True,
                culprit=named[1] if named else None,
            ) from exc
        except ArxivFeedError as exc:
            raise Failure("arXiv sent a malformed response") from exc
