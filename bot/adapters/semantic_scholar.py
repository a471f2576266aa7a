"""Semantic Scholar's Academic Graph API: publication records for `ARXIV:`, `DOI:`, `ACL:` and `URL:`
ids, up to 500 in one `POST /paper/batch`.

The answer is a JSON list in the order of the ids asked, `null` where the API knows no such paper
(documented shapes: https://api.semanticscholar.org/api-docs/graph, FullPaper). A key, when the
deployment has one, goes in the `x-api-key` header; without it requests share the public pool and
a 429 is common: the batch loop (bot.adapters.batches) waits as Retry-After says, then gives up with
"not verified", never a verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

import requests

from bot import tally
from bot.adapters.batches import USER_AGENT, BatchClient, Failure, Progress, detail, text
from bot.core.model import Record, RecordLookup, Venue
from bot.core.records import OPENREVIEW, valid_id

DEFAULT_API_URL = "https://api.semanticscholar.org/graph/v1"
FIELDS = "title,venue,publicationVenue,year,publicationDate,externalIds,journal"
MAX_BATCH = 500  # the API's own bound for /paper/batch
INVALID = "not an id Semantic Scholar documents"


class ScholarClient(BatchClient):
    """Records in batches of `batch_size` ids (at most 500), one POST per batch."""

    source = "Semantic Scholar"
    result = RecordLookup
    default_batch = max_batch = MAX_BATCH
    default_interval = 1.0  # the rate of an API key

    def __init__(self, api_url: str = DEFAULT_API_URL, *, api_key: str | None = None, **kw: Any) -> None:
        super().__init__(api_url, **kw)
        self._key = api_key

    def count(self, ok: bool) -> None:
        tally.records_call(ok=ok)

    def invalid(self, key: str) -> str | None:
        return None if valid_id(key) and not key.startswith(OPENREVIEW) else INVALID

    def lookup(self, ids: Iterable[str], progress: Progress | None = None) -> RecordLookup:
        return super().lookup(ids, progress)  # type: ignore[return-value]

    def send(self, batch: list[str], timeout: float) -> requests.Response:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._key:
            headers["x-api-key"] = self._key
        url = f"{self.api_url.rstrip('/')}/paper/batch?fields={quote(FIELDS, safe=',')}"
        return self.session.post(url, json={"ids": batch}, timeout=timeout, headers=headers)

    def read(self, batch: list[str], status: int, body: bytes) -> dict[str, Record]:
        if status == 400:
            raise Failure(
                f"Semantic Scholar rejected the request (400{detail(body, 'error')})",
                retryable=False,
                batch_only=True,
            )
        if status in (401, 403):
            raise Failure(
                f"Semantic Scholar refused the request ({status}): check SEMANTIC_SCHOLAR_API_KEY",
                retryable=False,
            )
        if status != 200:
            raise Failure(f"Semantic Scholar answered {status}", retryable=False)
        try:
            items = json.loads(body)
            if not isinstance(items, list) or len(items) != len(batch):
                raise ValueError("not one answer per id")
            return {i: parse_record(item) for i, item in zip(batch, items, strict=True) if item is not None}
        except (ValueError, TypeError) as exc:
            raise Failure("Semantic Scholar sent a malformed response") from exc


def parse_record(item: Any) -> Record:
    """One paper of the answer (FullPaper); raises ValueError for anything that is not one."""
    if not isinstance(item, dict):
        raise ValueError("a paper should be an object")
    ext = _dict(item.get("externalIds"))
    pv = _dict(item.get("publicationVenue"))
    names = pv.get("alternate_names")
    venue = (
        Venue(
            text(pv.get("name")),
            text(pv.get("type")),
            tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else (),
        )
        if text(pv.get("name"))
        else None
    )
    year = item.get("year")
    return Record(
        title=text(item.get("title")),
        venue=text(item.get("venue")),
        publication_venue=venue,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        publication_date=text(item.get("publicationDate")),
        dblp=text(ext.get("DBLP")),
        arxiv=text(ext.get("ArXiv")),
        doi=text(ext.get("DOI")),
        acl=text(ext.get("ACL")),
        journal=text(_dict(item.get("journal")).get("name")),
    )


def _dict(v: Any) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise ValueError("expected an object")
    return v
