"""Publication records from the sources that know them: OpenReview for `OPENREVIEW:` ids (papers
linked on openreview.net), Semantic Scholar for every other id. `make_records` builds both, each with
its own gate and cache, from config.yml's `semantic_scholar:` and `openreview:` sections and the
environment; the rules see one `RecordLookup`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from bot import tally
from bot.adapters import cache, openreview, semantic_scholar
from bot.adapters.batches import BatchClient, Progress
from bot.adapters.gate import FileGate, Gate, RedisGate
from bot.core.model import Record, RecordLookup, Venue
from bot.core.records import OPENREVIEW
from bot.settings import Settings

SCHEMA = "v1"  # bump when Record's shape changes: old rows are then simply not found


def _load(data: dict[str, Any]) -> Record:
    pv = data.get("publication_venue")
    venue = Venue(**{**pv, "alternate_names": tuple(pv.get("alternate_names") or ())}) if pv else None
    return Record(**{**data, "publication_venue": venue})


load_record = cache.loader(_load)


class CachedRecords(cache.Cached):
    """One source's records with the cache in front: found ones kept 7 days, unknown ids 1 day."""

    def count(self, hits: int, misses: int) -> None:
        tally.records_cache(hits=hits, misses=misses)

    def lookup(self, ids: Iterable[str], progress: Progress | None = None, **kw: Any) -> RecordLookup:
        return super().lookup(ids, progress, **kw)  # type: ignore[return-value]


class RecordSources:
    """Each id to the source that knows it; either source may be off (None: its ids stay unknown,
    which is no verdict)."""

    def __init__(self, scholar: CachedRecords | None, openreview: CachedRecords | None) -> None:
        self.scholar, self.openreview = scholar, openreview

    def lookup(
        self, ids: Iterable[str], progress: Progress | None = None, *, again: bool = False
    ) -> RecordLookup:
        return self._route(ids, lambda source, mine: source.lookup(mine, progress, again=again))

    def for_review(self, *, again: bool = False) -> Callable[[Iterable[str]], RecordLookup]:
        """One review's lookup: each source asked about at most its ``max_ids_per_review`` ids."""
        asks = {id(s): s.for_review(again=again) for s in (self.scholar, self.openreview) if s is not None}
        return lambda ids: self._route(ids, lambda source, mine: asks[id(source)](mine))

    def _route(
        self, ids: Iterable[str], ask: Callable[[CachedRecords, list[str]], RecordLookup]
    ) -> RecordLookup:
        wanted = list(dict.fromkeys(ids))
        out = RecordLookup()
        for source, mine in (
            (self.openreview, [i for i in wanted if i.startswith(OPENREVIEW)]),
            (self.scholar, [i for i in wanted if not i.startswith(OPENREVIEW)]),
        ):
            if source is not None and mine:
                out.merge(ask(source, mine))
        return out


def make_records(config: Mapping[str, Any], settings: Settings) -> RecordSources | None:
    """Both sources from the config's `semantic_scholar` and `openreview` sections; None when both are
    off. The environment's address wins over `api_url`; with REDIS_URL the gates and caches live in
    Redis, otherwise in the data directory (beside arXiv's)."""
    s2_cfg = dict(config.get("semantic_scholar") or {})
    or_cfg = dict(config.get("openreview") or {})
    scholar = None
    if s2_cfg.get("enabled") is not False:
        url = settings.semantic_scholar_api_url or s2_cfg.get("api_url") or semantic_scholar.DEFAULT_API_URL
        client = semantic_scholar.ScholarClient(str(url), api_key=settings.semantic_scholar_api_key)
        scholar = _cached(client, "semantic_scholar", "semantic-scholar", "records", s2_cfg, settings)
    reviews = None
    if or_cfg.get("enabled") is not False:
        url = settings.openreview_api_url or or_cfg.get("api_url") or openreview.DEFAULT_API_URL
        reviews = _cached(
            openreview.OpenReviewClient(str(url)), "openreview", "openreview", "openreview", or_cfg, settings
        )
    return None if scholar is None and reviews is None else RecordSources(scholar, reviews)


def _cached(
    client: BatchClient, group: str, name: str, table: str, cfg: dict[str, Any], settings: Settings
) -> CachedRecords:
    """`client` set from its config group, behind its own gate and cache (file or Redis)."""

    def num(key: str, default: float, kind: type = float) -> Any:
        return cache.number(cfg, group, key, default, kind)

    most = client.batch_size  # the API's own bound
    batch_size = num("batch_size", most, int)
    if not 1 <= batch_size <= most:
        raise ValueError(f"{group}.batch_size: must be 1 to {most}, got {batch_size!r}")
    gate: Gate
    store: cache.MetadataCache
    if settings.redis_url:
        import redis

        conn = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
        gate = RedisGate(conn, key=f"awesome-review:{name}-gate")
        store = cache.RedisCache(conn, f"awesome-review:{name}", schema=SCHEMA, load=load_record)
    else:
        data_dir = Path(settings.data_dir)
        gate = FileGate(data_dir / f"{name}-gate.lock")
        store = cache.SqliteCache(
            data_dir / "records-cache.sqlite3", table=table, schema=SCHEMA, load=load_record
        )
    client.batch_size = batch_size
    client.min_interval = num("min_interval_seconds", 1.0)
    client.timeout = num("timeout_seconds", 10.0)
    client.max_retries = num("max_retries", 4, int)
    client.max_total_seconds = num("max_total_seconds", 60.0)
    client.gate = gate
    return CachedRecords(
        client,
        store,
        ttl_seconds=num("cache_ttl_days", 7.0) * cache.DAY,
        negative_ttl_seconds=num("negative_ttl_days", 1.0) * cache.DAY,
        per_review=num("max_ids_per_review", 200, int),
    )
