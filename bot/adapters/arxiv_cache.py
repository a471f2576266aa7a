"""Persistent arXiv metadata cache, so a re-review of the same list asks arXiv nothing.

Found papers are kept `ttl_seconds` (default 7 days), "no such id" answers `negative_ttl_seconds`
(1 day: a new id may appear tomorrow); unverified results are never cached, so an outage is
retried on the next review. Storage: SQLite under the data directory, or Redis when REDIS_URL is
set. A cache that fails (disk full, Redis down) degrades to asking arXiv, never to an error.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from bot import tally
from bot.adapters.arxiv_client import ArxivClient, FileGate, Gate, Progress, RedisGate
from bot.core.model import ArxivLookup, Paper
from bot.settings import Settings

log = logging.getLogger(__name__)

DAY = 86400.0
DEFAULT_API_URL = "https://export.arxiv.org/api/query"
SCHEMA = "v1"  # bump when Paper's shape changes: old rows are then simply not found

Entry = Paper | None  # None: arXiv said there is no such id


class MetadataCache(Protocol):
    """Key-value store of arXiv answers with expiry; absent key = unknown, None = known missing."""

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Entry]: ...

    def put_many(self, items: Mapping[str, Entry], ttl_seconds: float, now: float) -> None: ...


def dump_entry(entry: Entry) -> str:
    return "null" if entry is None else json.dumps(dataclasses.asdict(entry), ensure_ascii=False)


def load_entry(raw: str | bytes) -> Entry:
    """Inverse of dump_entry; raises ValueError for a row that no longer fits Paper."""
    data = json.loads(raw)
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ValueError("cached value is not an object")
    try:
        return Paper(**{**data, "authors": tuple(data.get("authors") or ())})
    except TypeError as exc:
        raise ValueError(str(exc)) from exc


class SqliteCache:
    """One table (id, json, expires) in a WAL-mode SQLite file; one connection per call (thread-safe)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        if not self._ready:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS arxiv_meta"
                " (id TEXT PRIMARY KEY, json TEXT NOT NULL, expires REAL NOT NULL)"
            )
            self._ready = True
        return conn

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Entry]:
        keys = [f"{SCHEMA}:{i}" for i in ids]
        found: dict[str, Entry] = {}
        conn = self._connect()
        try:
            for start in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT id, json FROM arxiv_meta WHERE id IN ({marks}) AND expires > ?", (*chunk, now)
                )
                for key, raw in rows:
                    try:
                        found[key.split(":", 1)[1]] = load_entry(raw)
                    except ValueError:
                        continue
        finally:
            conn.close()
        return found

    def put_many(self, items: Mapping[str, Entry], ttl_seconds: float, now: float) -> None:
        if not items:
            return
        conn = self._connect()
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    "INSERT OR REPLACE INTO arxiv_meta (id, json, expires) VALUES (?, ?, ?)",
                    [(f"{SCHEMA}:{i}", dump_entry(e), now + ttl_seconds) for i, e in items.items()],
                )
                conn.execute("DELETE FROM arxiv_meta WHERE expires <= ?", (now,))
        finally:
            conn.close()


class RedisCache:
    """Keys `<prefix>:<schema>:<id>` with a native Redis TTL; `now` is not needed."""

    def __init__(self, client: Any, prefix: str = "awesome-review:arxiv") -> None:
        self._redis = client
        self._prefix = f"{prefix}:{SCHEMA}:"

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Entry]:
        if not ids:
            return {}
        found: dict[str, Entry] = {}
        for i, raw in zip(ids, self._redis.mget([self._prefix + i for i in ids]), strict=True):
            if raw is None:
                continue
            try:
                found[i] = load_entry(raw)
            except ValueError:
                continue
        return found

    def put_many(self, items: Mapping[str, Entry], ttl_seconds: float, now: float) -> None:
        ttl = max(1, math.ceil(ttl_seconds))
        pipe = self._redis.pipeline(transaction=False)
        for i, entry in items.items():
            pipe.set(self._prefix + i, dump_entry(entry), ex=ttl)
        pipe.execute()


class CachedArxiv:
    """`ArxivClient.lookup` with a cache in front: a second lookup of the same ids sends nothing."""

    def __init__(
        self,
        client: ArxivClient,
        cache: MetadataCache,
        ttl_seconds: float = 7 * DAY,
        negative_ttl_seconds: float = 1 * DAY,
        clock: Any = time.time,
    ) -> None:
        self.client, self.cache = client, cache
        self.ttl_seconds, self.negative_ttl_seconds = ttl_seconds, negative_ttl_seconds
        self.clock = clock

    def lookup(
        self, ids: Iterable[str], progress: Progress | None = None, *, again: bool = False
    ) -> ArxivLookup:
        """``again``: a maintainer's /recheck; ids cached as "no such id" are asked of arXiv anew."""
        wanted = list(dict.fromkeys(ids))
        result = ArxivLookup()
        try:
            hits = self.cache.get_many(wanted, self.clock())
        except Exception as exc:  # a broken cache must cost speed, never the review
            log.warning("arXiv cache unreadable, asking arXiv: %s", exc)
            hits = {}
        if again:
            hits = {i: entry for i, entry in hits.items() if entry is not None}
        for i, entry in hits.items():
            if entry is None:
                result.missing.add(i)
            else:
                result.papers[i] = entry
        misses = [i for i in wanted if i not in hits]
        tally.arxiv_cache(hits=len(hits), misses=len(misses))
        total, cached = len(wanted), len(hits)
        if progress is not None:
            progress(cached, total)
        if misses:
            inner = None if progress is None else (lambda done, _n: progress(cached + done, total))
            fresh = self.client.lookup(misses, progress=inner)
            if progress is not None:
                progress(total, total)  # invalid ids are settled without a request
            result.merge(fresh)
            self._store(fresh)
        return result

    def _store(self, fresh: ArxivLookup) -> None:
        now = self.clock()
        try:
            self.cache.put_many(fresh.papers, self.ttl_seconds, now)
            self.cache.put_many(dict.fromkeys(fresh.missing), self.negative_ttl_seconds, now)
        except Exception as exc:
            log.warning("arXiv cache not writable, results not kept: %s", exc)


def _number(cfg: Mapping[str, Any], key: str, default: float, kind: type = float) -> Any:
    value = cfg.get(key, default)
    if value is None:
        value = default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"arxiv.{key}: expected a number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"arxiv.{key}: must not be negative, got {value!r}")
    return number


def make_arxiv(arxiv_cfg: Mapping[str, Any] | None, settings: Settings) -> CachedArxiv:
    """Build the cached client from config.yml's `arxiv:` section and the environment.

    ARXIV_API_URL (settings.arxiv_api_url) wins over arxiv.api_url; with REDIS_URL both the
    politeness gate and the cache live in Redis (shared by every worker), otherwise in data_dir.
    """
    cfg = dict(arxiv_cfg or {})
    api_url = settings.arxiv_api_url or cfg.get("api_url") or DEFAULT_API_URL
    batch_size = _number(cfg, "batch_size", 25, int)
    if batch_size < 1:
        raise ValueError(f"arxiv.batch_size: must be at least 1, got {batch_size!r}")
    gate: Gate
    cache: MetadataCache
    if settings.redis_url:
        import redis

        conn = redis.Redis.from_url(settings.redis_url, socket_timeout=10, socket_connect_timeout=5)
        gate, cache = RedisGate(conn), RedisCache(conn)
    else:
        data_dir = Path(settings.data_dir)
        gate, cache = FileGate(data_dir / "arxiv-gate.lock"), SqliteCache(data_dir / "arxiv-cache.sqlite3")
    client = ArxivClient(
        str(api_url),
        batch_size=batch_size,
        min_interval=_number(cfg, "min_interval_seconds", 3.0),
        timeout=_number(cfg, "timeout_seconds", 10.0),
        max_retries=_number(cfg, "max_retries", 4, int),
        max_total_seconds=_number(cfg, "max_total_seconds", 60.0),
        gate=gate,
    )
    return CachedArxiv(
        client,
        cache,
        ttl_seconds=_number(cfg, "cache_ttl_days", 7.0) * DAY,
        negative_ttl_seconds=_number(cfg, "negative_ttl_days", 1.0) * DAY,
    )
