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
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests

from bot import tally
from bot.adapters import cache
from bot.adapters.batches import USER_AGENT, BatchClient, Failure, Progress
from bot.adapters.gate import Clock, FileGate, Gate, RedisGate, Sleep
from bot.core.model import Record, RecordLookup, Venue
from bot.core.records import valid_id
from bot.settings import Settings

DEFAULT_API_URL = "https://api.semanticscholar.org/graph/v1"
FIELDS = "title,venue,publicationVenue,year,publicationDate,externalIds,journal"
MAX_BATCH = 500  # the API's own bound for /paper/batch
SCHEMA = "v1"  # bump when Record's shape changes
INVALID = "not an id Semantic Scholar documents"


class ScholarClient(BatchClient):
    """Records in batches of `batch_size` ids (at most 500), one POST per batch."""

    source = "Semantic Scholar"
    result = RecordLookup

    def __init__(
        self,
        api_url: str = DEFAULT_API_URL,
        *,
        api_key: str | None = None,
        batch_size: int = MAX_BATCH,
        min_interval: float = 1.0,
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
            batch_size=min(batch_size, MAX_BATCH),
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
        self.api_url = api_url.rstrip("/")
        self._key = api_key

    def count(self, ok: bool) -> None:
        tally.records_call(ok=ok)

    def invalid(self, key: str) -> str | None:
        return None if valid_id(key) else INVALID

    def lookup(self, ids: Iterable[str], progress: Progress | None = None) -> RecordLookup:
        return super().lookup(ids, progress)  # type: ignore[return-value]

    def send(self, batch: list[str], timeout: float) -> requests.Response:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self._key:
            headers["x-api-key"] = self._key
        url = f"{self.api_url}/paper/batch?fields={quote(FIELDS, safe=',')}"
        return self.session.post(url, json={"ids": batch}, timeout=timeout, headers=headers)

    def read(self, batch: list[str], status: int, body: bytes) -> dict[str, Record]:
        if status == 400:
            raise Failure(
                f"Semantic Scholar rejected the request (400{_error(body)})", retryable=False, batch_only=True
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
            _str(pv.get("name")),
            _str(pv.get("type")),
            tuple(n for n in names if isinstance(n, str)) if isinstance(names, list) else (),
        )
        if _str(pv.get("name"))
        else None
    )
    year = item.get("year")
    return Record(
        title=_str(item.get("title")),
        venue=_str(item.get("venue")),
        publication_venue=venue,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        publication_date=_str(item.get("publicationDate")),
        dblp=_str(ext.get("DBLP")),
        arxiv=_str(ext.get("ArXiv")),
        doi=_str(ext.get("DOI")),
        acl=_str(ext.get("ACL")),
        journal=_str(_dict(item.get("journal")).get("name")),
    )


def _dict(v: Any) -> dict[str, Any]:
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise ValueError("expected an object")
    return v


def _str(v: Any) -> str:
    if v is None:
        return ""
    if not isinstance(v, str):
        raise ValueError("expected a string")
    return v


def _error(body: bytes) -> str:
    try:
        msg = json.loads(body).get("error")
    except (ValueError, AttributeError):
        return ""
    return f": {' '.join(str(msg).split())[:200]}" if msg else ""


def _load(data: dict[str, Any]) -> Record:
    pv = data.get("publication_venue")
    venue = Venue(**{**pv, "alternate_names": tuple(pv.get("alternate_names") or ())}) if pv else None
    return Record(**{**data, "publication_venue": venue})


load_record = cache.loader(_load)


class CachedRecords(cache.Cached):
    """Records with the cache in front: found ones kept 7 days, unknown ids 1 day."""

    client: ScholarClient

    def count(self, hits: int, misses: int) -> None:
        tally.records_cache(hits=hits, misses=misses)

    def lookup(
        self, ids: Iterable[str], progress: Progress | None = None, *, again: bool = False
    ) -> RecordLookup:
        return super().lookup(ids, progress, again=again)  # type: ignore[return-value]


def make_records(cfg: Mapping[str, Any] | None, settings: Settings) -> CachedRecords | None:
    """The cached client from config.yml's `semantic_scholar:` section and the environment; None when
    the section turns the source off. SEMANTIC_SCHOLAR_API_URL wins over `api_url`; with REDIS_URL
    the gate and the cache live in Redis, otherwise in the data directory (beside arXiv's)."""
    cfg = dict(cfg or {})
    if cfg.get("enabled") is False:
        return None

    def num(key: str, default: float, kind: type = float) -> Any:
        return cache.number(cfg, "semantic_scholar", key, default, kind)

    batch_size = num("batch_size", MAX_BATCH, int)
    if not 1 <= batch_size <= MAX_BATCH:
        raise ValueError(f"semantic_scholar.batch_size: must be 1 to {MAX_BATCH}, got {batch_size!r}")
    gate: Gate
    store: cache.MetadataCache
    if settings.redis_url:
        import redis

        conn = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
        gate = RedisGate(conn, key="awesome-review:semantic-scholar-gate")
        store = cache.RedisCache(conn, "awesome-review:semantic-scholar", schema=SCHEMA, load=load_record)
    else:
        data_dir = Path(settings.data_dir)
        gate = FileGate(data_dir / "semantic-scholar-gate.lock")
        store = cache.SqliteCache(
            data_dir / "records-cache.sqlite3", table="records", schema=SCHEMA, load=load_record
        )
    client = ScholarClient(
        str(settings.semantic_scholar_api_url or cfg.get("api_url") or DEFAULT_API_URL),
        api_key=settings.semantic_scholar_api_key,
        batch_size=batch_size,
        min_interval=num("min_interval_seconds", 1.0),
        timeout=num("timeout_seconds", 10.0),
        max_retries=num("max_retries", 4, int),
        max_total_seconds=num("max_total_seconds", 60.0),
        gate=gate,
    )
    return CachedRecords(
        client,
        store,
        ttl_seconds=num("cache_ttl_days", 7.0) * cache.DAY,
        negative_ttl_seconds=num("negative_ttl_days", 1.0) * cache.DAY,
    )
