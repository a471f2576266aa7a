"""arXiv's metadata cache (bot.adapters.cache, arXiv's table and keys), and `make_arxiv`, which builds
the cached client from config.yml's `arxiv:` section and the environment."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot import tally
from bot.adapters import cache
from bot.adapters.arxiv_client import ArxivClient, FileGate, Gate, Progress, RedisGate
from bot.adapters.cache import DAY, MetadataCache, dump, loader, number
from bot.core.model import ArxivLookup, Paper
from bot.settings import Settings

__all__ = ["DAY", "CachedArxiv", "MetadataCache", "RedisCache", "SqliteCache", "make_arxiv"]

DEFAULT_API_URL = "https://export.arxiv.org/api/query"
SCHEMA = "v1"  # bump when Paper's shape changes: old rows are then simply not found

Entry = Paper | None  # None: arXiv said there is no such id

dump_entry = dump
load_entry = loader(lambda data: Paper(**{**data, "authors": tuple(data.get("authors") or ())}))


class SqliteCache(cache.SqliteCache):
    """arXiv's table in the cache file."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path, table="arxiv_meta", schema=SCHEMA, load=load_entry)


class RedisCache(cache.RedisCache):
    """arXiv's keys in Redis."""

    def __init__(self, client: Any, prefix: str = "awesome-review:arxiv") -> None:
        super().__init__(client, prefix, schema=SCHEMA, load=load_entry)


class CachedArxiv(cache.Cached):
    """`ArxivClient.lookup` with a cache in front: a second lookup of the same ids sends nothing."""

    client: ArxivClient

    def count(self, hits: int, misses: int) -> None:
        tally.arxiv_cache(hits=hits, misses=misses)

    def lookup(self, ids, progress: Progress | None = None, **kw: Any) -> ArxivLookup:
        return super().lookup(ids, progress, **kw)  # type: ignore[return-value]


def _number(cfg: Mapping[str, Any], key: str, default: float, kind: type = float) -> Any:
    return number(cfg, "arxiv", key, default, kind)


def make_arxiv(arxiv_cfg: Mapping[str, Any] | None, settings: Settings) -> CachedArxiv | None:
    """Build the cached client from config.yml's `arxiv:` section and the environment; None when the
    section turns arXiv off (`enabled: false`: the arXiv metadata rules skip, as offline).

    ARXIV_API_URL (settings.arxiv_api_url) wins over arxiv.api_url; with REDIS_URL both the
    politeness gate and the cache live in Redis (shared by every worker), otherwise in data_dir.
    """
    cfg = dict(arxiv_cfg or {})
    if cfg.get("enabled") is False:
        return None
    api_url = settings.arxiv_api_url or cfg.get("api_url") or DEFAULT_API_URL
    batch_size = _number(cfg, "batch_size", ArxivClient.default_batch, int)
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
        per_review=_number(cfg, "max_ids_per_review", 200, int),
    )
