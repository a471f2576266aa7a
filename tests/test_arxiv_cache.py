"""The metadata cache in front of the client: no request on a hit, TTLs, never caching an outage."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from bot.adapters.arxiv_cache import (
    DAY,
    CachedArxiv,
    RedisCache,
    SqliteCache,
    dump_entry,
    load_entry,
    make_arxiv,
)
from bot.adapters.arxiv_client import INVALID_ID, ArxivClient, FileGate, RedisGate
from bot.settings import Settings
from tests.fakes.arxiv_papers import PAPERS
from tests.fakes.arxiv_server import FakeArxiv, FakeClock, Scripted

pytest_plugins = ["tests.fakes.plugin"]

TEN = sorted(PAPERS)[:10]


def _cached(server: FakeArxiv, clock: FakeClock, cache, **kw) -> CachedArxiv:
    client = ArxivClient(server.url, clock=clock, sleep=clock.sleep, **kw)
    return CachedArxiv(client, cache, ttl_seconds=7 * DAY, negative_ttl_seconds=DAY, clock=clock)


@pytest.fixture
def sqlite_cache(tmp_path: Path) -> SqliteCache:
    return SqliteCache(tmp_path / "arxiv-cache.sqlite3")


def test_second_lookup_makes_no_request(arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache) -> None:
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache)
    first = arxiv.lookup([*TEN, "2401.99999"])
    assert len(arxiv_server.requests) == 1
    second = arxiv.lookup([*TEN, "2401.99999"])
    assert len(arxiv_server.requests) == 1
    assert second == first
    assert second.papers == {i: PAPERS[i] for i in TEN} and second.missing == {"2401.99999"}


def test_cache_persists_across_instances(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, tmp_path: Path
) -> None:
    path = tmp_path / "c.sqlite3"
    _cached(arxiv_server, fake_clock, SqliteCache(path)).lookup(TEN)
    again = _cached(arxiv_server, fake_clock, SqliteCache(path)).lookup(TEN)  # a new process, same file
    assert len(arxiv_server.requests) == 1 and len(again.papers) == 10
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_only_misses_are_asked(arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache) -> None:
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache)
    arxiv.lookup(TEN[:4])
    result = arxiv.lookup(TEN)
    assert sorted(arxiv_server.requests[1].ids) == sorted(TEN[4:])
    assert arxiv_server.requests[1].query["max_results"] == ["6"]
    assert set(result.papers) == set(TEN)


def test_missing_expires_after_a_day_found_after_a_week(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache
) -> None:
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache)
    arxiv.lookup(["2401.01335", "2401.99999"])
    fake_clock.advance(DAY + 1)
    arxiv.lookup(["2401.01335", "2401.99999"])
    assert arxiv_server.requests[1].ids == ["2401.99999"]  # the "no such id" answer expired
    fake_clock.advance(6 * DAY)
    arxiv.lookup(["2401.01335"])
    assert arxiv_server.requests[2].ids == ["2401.01335"]  # the paper expired after 7 days
    assert len(arxiv_server.requests) == 3


def test_unverified_is_not_cached(arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache) -> None:
    arxiv_server.script(*[Scripted(status=503)] * 5)
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache, max_retries=4)
    down = arxiv.lookup(TEN)
    assert down.unverified == dict.fromkeys(TEN, "arXiv answered 503")
    up = arxiv.lookup(TEN)  # arXiv is back: asked again, not served the outage from cache
    assert len(arxiv_server.requests) == 6
    assert len(up.papers) == 10 and not up.unverified


def test_invalid_ids_are_reported_and_not_cached(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache
) -> None:
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache)
    for _ in range(2):
        result = arxiv.lookup(["abc", "2401.01335"])
        assert result.unverified == {"abc": INVALID_ID}
    assert len(arxiv_server.requests) == 1


def test_progress_counts_hits_and_ends_at_total(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, sqlite_cache
) -> None:
    arxiv = _cached(arxiv_server, fake_clock, sqlite_cache, batch_size=3)
    arxiv.lookup(TEN[:4])
    seen: list[tuple[int, int]] = []
    arxiv.lookup(TEN, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (4, 10) and seen[-1] == (10, 10)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_corrupt_row_is_a_miss(arxiv_server: FakeArxiv, fake_clock: FakeClock, tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    arxiv = _cached(arxiv_server, fake_clock, SqliteCache(path))
    arxiv.lookup(["2401.01335"])
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE arxiv_meta SET json = '{\"nope\": 1}'")
    assert arxiv.lookup(["2401.01335"]).papers["2401.01335"] == PAPERS["2401.01335"]
    assert len(arxiv_server.requests) == 2


def test_a_broken_cache_costs_speed_not_the_review(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    arxiv = _cached(arxiv_server, fake_clock, SqliteCache(blocker / "c.sqlite3"))
    assert len(arxiv.lookup(TEN).papers) == 10
    assert len(arxiv.lookup(TEN).papers) == 10
    assert len(arxiv_server.requests) == 2


def test_entry_serialisation_round_trips() -> None:
    for paper in PAPERS.values():
        assert load_entry(dump_entry(paper)) == paper
    assert load_entry(dump_entry(None)) is None
    with pytest.raises(ValueError):
        load_entry('{"id": "x"}')  # a row from an older Paper shape


@pytest.mark.redis
def test_redis_cache_hit_and_ttls(redis_url: str, arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    import redis

    conn = redis.Redis.from_url(redis_url)
    prefix = f"test-{time.time_ns()}"
    arxiv = _cached(arxiv_server, fake_clock, RedisCache(conn, prefix))
    first = arxiv.lookup(["2401.01335", "2401.99999"])
    second = _cached(arxiv_server, fake_clock, RedisCache(conn, prefix)).lookup(["2401.01335", "2401.99999"])
    assert len(arxiv_server.requests) == 1 and second == first
    keys = {k.decode(): conn.ttl(k) for k in conn.keys(prefix + ":*")}
    assert len(keys) == 2
    ttl_found = next(t for k, t in keys.items() if k.endswith("2401.01335"))
    ttl_missing = next(t for k, t in keys.items() if k.endswith("2401.99999"))
    assert 7 * DAY - 60 <= ttl_found <= 7 * DAY and DAY - 60 <= ttl_missing <= DAY


# -- the factory ------------------------------------------------------------------------------------


def test_make_arxiv_uses_env_url_data_dir_and_config(arxiv_server: FakeArxiv, tmp_path: Path) -> None:
    settings = Settings(arxiv_api_url=arxiv_server.url, data_dir=tmp_path / "data")
    cfg = {
        "api_url": "http://127.0.0.1:9/never",
        "batch_size": 4,
        "min_interval_seconds": 0,
        "cache_ttl_days": 2,
    }
    arxiv = make_arxiv(cfg, settings)
    assert isinstance(arxiv.client.gate, FileGate) and isinstance(arxiv.cache, SqliteCache)
    assert arxiv.client.api_url == arxiv_server.url
    assert (arxiv.ttl_seconds, arxiv.negative_ttl_seconds) == (2 * DAY, DAY)
    assert len(arxiv.lookup(TEN).papers) == 10
    assert len(arxiv_server.requests) == 3  # batches of 4
    assert len(arxiv.lookup(TEN).papers) == 10 and len(arxiv_server.requests) == 3
    assert (tmp_path / "data" / "arxiv-cache.sqlite3").exists()
    assert (tmp_path / "data" / "arxiv-gate.lock").exists()


def test_make_arxiv_defaults() -> None:
    arxiv = make_arxiv(None, Settings(data_dir=Path("/nonexistent/not-created-until-used")))
    c = arxiv.client
    assert c.api_url == "https://export.arxiv.org/api/query"
    assert (c.batch_size, c.min_interval, c.timeout, c.max_retries, c.max_total_seconds) == (
        100,
        3.0,
        10.0,
        4,
        60.0,
    )
    assert (arxiv.ttl_seconds, arxiv.negative_ttl_seconds) == (7 * DAY, DAY)
    assert not Path("/nonexistent").exists()  # no work until the first lookup


@pytest.mark.parametrize(
    ("cfg", "key"), [({"batch_size": "many"}, "arxiv.batch_size"), ({"timeout_seconds": -1}, "arxiv.timeout")]
)
def test_make_arxiv_names_the_bad_key(cfg: dict, key: str) -> None:
    with pytest.raises(ValueError, match=key):
        make_arxiv(cfg, Settings())


@pytest.mark.redis
def test_make_arxiv_with_redis(redis_url: str, arxiv_server: FakeArxiv, tmp_path: Path) -> None:
    import redis

    redis.Redis.from_url(redis_url).delete(*[f"awesome-review:arxiv:v1:{i}" for i in PAPERS])
    settings = Settings(arxiv_api_url=arxiv_server.url, redis_url=redis_url, data_dir=tmp_path)
    arxiv = make_arxiv({"min_interval_seconds": 0}, settings)
    assert isinstance(arxiv.client.gate, RedisGate) and isinstance(arxiv.cache, RedisCache)
    ids = ["2404.10642", "2404.12253"]
    arxiv.lookup(ids)
    result = make_arxiv({"min_interval_seconds": 0}, settings).lookup(ids)  # another worker
    assert (
        len(arxiv_server.requests) == 1 and result.papers["2404.10642"].comment == "Accepted by NeurIPS 2024"
    )
    assert list(tmp_path.iterdir()) == []  # nothing on disk when Redis holds it all
