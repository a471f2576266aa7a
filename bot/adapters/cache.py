"""A persistent cache in front of a batched lookup (arXiv, Semantic Scholar), so a re-review of the
same list asks nothing.

Found records are kept `ttl_seconds` (default 7 days), "no such id" answers `negative_ttl_seconds`
(1 day: a new id may appear tomorrow); unverified results are never cached, so an outage is
retried on the next review. Storage: SQLite under the data directory (a table per source), or Redis
when REDIS_URL is set (a key prefix per source). A cache that fails (disk full, Redis down)
degrades to asking the source, never to an error.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from bot.adapters.batches import BatchClient, Progress
from bot.core.model import Lookup

log = logging.getLogger(__name__)

DAY = 86400.0

Load = Callable[[str | bytes], Any]  # a stored value back to a record (None: known missing)


class MetadataCache(Protocol):
    """Key-value store of answers with expiry; absent key = unknown, None = known missing."""

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Any]: ...

    def put_many(self, items: Mapping[str, Any], ttl_seconds: float, now: float) -> None: ...


def dump(entry: Any) -> str:
    return "null" if entry is None else json.dumps(dataclasses.asdict(entry), ensure_ascii=False)


def loader(make: Callable[[dict[str, Any]], Any]) -> Load:
    """The inverse of `dump` for one record type; raises ValueError for a row that no longer fits."""

    def load(raw: str | bytes) -> Any:
        data = json.loads(raw)
        if data is None:
            return None
        if not isinstance(data, dict):
            raise ValueError("cached value is not an object")
        try:
            return make(data)
        except (TypeError, AttributeError) as exc:
            raise ValueError(str(exc)) from exc

    return load


class SqliteCache:
    """One table (id, json, expires) in a WAL-mode SQLite file; one connection per call (thread-safe)."""

    def __init__(self, path: str | Path, *, table: str, schema: str, load: Load) -> None:
        self.path = Path(path)
        self.table, self.schema, self.load = table, schema, load
        self._ready = False

    def _connect(self) -> sqlite3.Connection:
        if not self._ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
        if not self._ready:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table}"
                " (id TEXT PRIMARY KEY, json TEXT NOT NULL, expires REAL NOT NULL)"
            )
            self._ready = True
        return conn

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Any]:
        keys = [f"{self.schema}:{i}" for i in ids]
        found: dict[str, Any] = {}
        conn = self._connect()
        try:
            for start in range(0, len(keys), 500):  # stay under SQLite's bound-variable limit
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    f"SELECT id, json FROM {self.table} WHERE id IN ({marks}) AND expires > ?", (*chunk, now)
                )
                for key, raw in rows:
                    try:
                        found[key.split(":", 1)[1]] = self.load(raw)
                    except ValueError:
                        continue
        finally:
            conn.close()
        return found

    def put_many(self, items: Mapping[str, Any], ttl_seconds: float, now: float) -> None:
        if not items:
            return
        conn = self._connect()
        try:
            with conn:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    f"INSERT OR REPLACE INTO {self.table} (id, json, expires) VALUES (?, ?, ?)",
                    [(f"{self.schema}:{i}", dump(e), now + ttl_seconds) for i, e in items.items()],
                )
                conn.execute(f"DELETE FROM {self.table} WHERE expires <= ?", (now,))
        finally:
            conn.close()


class RedisCache:
    """Keys `<prefix>:<schema>:<id>` with a native Redis TTL; `now` is not needed."""

    def __init__(self, client: Any, prefix: str, *, schema: str, load: Load) -> None:
        self._redis = client
        self._prefix = f"{prefix}:{schema}:"
        self.load = load

    def get_many(self, ids: Sequence[str], now: float) -> dict[str, Any]:
        if not ids:
            return {}
        found: dict[str, Any] = {}
        for i, raw in zip(ids, self._redis.mget([self._prefix + i for i in ids]), strict=True):
            if raw is None:
                continue
            try:
                found[i] = self.load(raw)
            except ValueError:
                continue
        return found

    def put_many(self, items: Mapping[str, Any], ttl_seconds: float, now: float) -> None:
        ttl = max(1, math.ceil(ttl_seconds))
        pipe = self._redis.pipeline(transaction=False)
        for i, entry in items.items():
            pipe.set(self._prefix + i, dump(entry), ex=ttl)
        pipe.execute()


class Allowance:
    """How many more ids one review may ask a source (the cache answers the others for free)."""

    def __init__(self, most: int) -> None:
        self.most = self.left = most

    def take(self, ids: list[str]) -> tuple[list[str], list[str]]:
        """The ids to ask now, and those over the allowance."""
        taken, over = ids[: self.left], ids[self.left :]
        self.left -= len(taken)
        return taken, over


class Cached:
    """`client.lookup` with a cache in front: a second lookup of the same ids sends nothing."""

    def __init__(
        self,
        client: BatchClient,
        cache: MetadataCache,
        ttl_seconds: float = 7 * DAY,
        negative_ttl_seconds: float = 1 * DAY,
        clock: Any = time.time,
        per_review: int | None = None,
    ) -> None:
        self.client, self.cache = client, cache
        self.ttl_seconds, self.negative_ttl_seconds = ttl_seconds, negative_ttl_seconds
        self.clock = clock
        self.per_review = per_review  # most ids one review asks (None: no bound, as `check` audits)

    def for_review(self, *, again: bool = False) -> Callable[[Iterable[str]], Lookup]:
        """The lookup one review uses: it asks the source about at most ``per_review`` ids in all, and
        marks the rest not verified, as an outage does (a later run asks them). ``again``: /recheck."""
        allowance = None if self.per_review is None else Allowance(self.per_review)
        return lambda ids: self.lookup(ids, again=again, allowance=allowance)

    def count(self, hits: int, misses: int) -> None:
        """Count cache hits and misses for the metrics (bot.tally)."""

    def lookup(
        self,
        ids: Iterable[str],
        progress: Progress | None = None,
        *,
        again: bool = False,
        allowance: Allowance | None = None,
    ) -> Lookup:
        """``again``: a maintainer's /recheck; ids cached as "no such id" are asked of the source anew.
        ``allowance``: the ids a review may still ask (the rest are not verified)."""
        wanted = list(dict.fromkeys(ids))
        result = self.client.result()
        try:
            hits = self.cache.get_many(wanted, self.clock())
        except Exception as exc:  # a broken cache must cost speed, never the review
            log.warning("%s cache unreadable, asking %s: %s", self.client.source, self.client.source, exc)
            hits = {}
        if again:
            hits = {i: entry for i, entry in hits.items() if entry is not None}
        for i, entry in hits.items():
            if entry is None:
                result.missing.add(i)
            else:
                result.papers[i] = entry
        misses = [i for i in wanted if i not in hits]
        if allowance is not None:
            misses, over = allowance.take(misses)
            why = f"not asked: one review asks {self.client.source} about at most {allowance.most} ids"
            result.unverified.update(dict.fromkeys(over, why))
        self.count(hits=len(hits), misses=len(misses))
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

    def _store(self, fresh: Lookup) -> None:
        now = self.clock()
        try:
            self.cache.put_many(fresh.papers, self.ttl_seconds, now)
            self.cache.put_many(dict.fromkeys(fresh.missing), self.negative_ttl_seconds, now)
        except Exception as exc:
            log.warning("%s cache not writable, results not kept: %s", self.client.source, exc)


def number(cfg: Mapping[str, Any], group: str, key: str, default: float, kind: type = float) -> Any:
    """A number from a config group, with an error naming `group.key`."""
    value = cfg.get(key, default)
    if value is None:
        value = default
    try:
        out = kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"{group}.{key}: expected a number, got {value!r}") from None
    if out < 0:
        raise ValueError(f"{group}.{key}: must not be negative, got {value!r}")
    return out
