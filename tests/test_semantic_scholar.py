"""The Semantic Scholar client and its cache over real HTTP against the local fake: one POST per batch
of 500, null for unknown ids, 429 with Retry-After, 5xx, timeouts, malformed bodies, and the cache."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.adapters.cache import DAY, SqliteCache
from bot.adapters.gate import FileGate
from bot.adapters.records import CachedRecords, load_record, make_records
from bot.adapters.semantic_scholar import FIELDS, INVALID, ScholarClient
from bot.core.model import Record, Venue
from bot.settings import Settings
from tests.fakes.arxiv_server import FakeClock, Scripted
from tests.fakes.scholar_server import FakeScholar, paper

SPIN, SELF_REWARDING, SERL = "ARXIV:2401.01335", "ARXIV:2401.10020", "ARXIV:2411.00418"
S2ORC = "ACL:2020.acl-main.447"
UNKNOWN = "ARXIV:2401.99999"


def _client(server: FakeScholar, clock: FakeClock, **kw) -> ScholarClient:
    return ScholarClient(server.url, clock=clock, sleep=clock.sleep, min_interval=0, **kw)


def test_one_post_for_a_batch_with_the_documented_shape(scholar_server: FakeScholar, fake_clock) -> None:
    result = _client(scholar_server, fake_clock, api_key="k-123").lookup(
        [SPIN, S2ORC, "DOI:10.1145/2959100.2959190"]
    )
    assert len(scholar_server.requests) == 1
    req = scholar_server.requests[0]
    assert req.path == "/graph/v1/paper/batch" and req.query["fields"] == [FIELDS]
    assert req.ids == [SPIN, S2ORC, "DOI:10.1145/2959100.2959190"] and req.api_key == "k-123"
    spin = result.papers[SPIN]
    assert spin.title.startswith("Self-Play Fine-Tuning") and spin.dblp == "conf/icml/ChenDYJG24"
    assert spin.publication_venue is not None and "ICML" in spin.publication_venue.alternate_names
    assert result.papers[S2ORC].acl == "2020.acl-main.447" and result.papers[S2ORC].year == 2020
    assert not result.missing and not result.unverified


def test_no_key_no_header(scholar_server: FakeScholar, fake_clock) -> None:
    _client(scholar_server, fake_clock).lookup([SPIN])
    assert scholar_server.requests[0].api_key is None


def test_a_partial_null_is_missing_not_unverified(scholar_server: FakeScholar, fake_clock) -> None:
    result = _client(scholar_server, fake_clock).lookup([SPIN, UNKNOWN, "DOI:10.9999/nothing"])
    assert set(result.papers) == {SPIN}
    assert result.missing == {UNKNOWN, "DOI:10.9999/nothing"} and not result.unverified


def test_more_than_500_ids_go_in_batches_of_500(scholar_server_factory, fake_clock) -> None:
    papers = [paper(f"p{k}", f"Paper {k}", arxiv=f"2501.{k + 1:05d}") for k in range(1001)]
    server = scholar_server_factory(papers)
    ids = [f"ARXIV:2501.{k + 1:05d}" for k in range(1001)]
    result = _client(server, fake_clock, batch_size=9999).lookup(ids)  # capped at the API's 500
    assert [len(r.ids) for r in server.requests] == [500, 500, 1]
    assert len(result.papers) == 1001


def test_429_with_retry_after_waits_then_answers(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(Scripted(429, {"Retry-After": "7"}))
    result = _client(scholar_server, fake_clock).lookup([SPIN])
    assert len(scholar_server.requests) == 2 and SPIN in result.papers
    assert fake_clock.sleeps == [7.0]  # the server's hint, not the 1 s backoff


def test_500_is_retried_and_a_lasting_500_is_not_verified(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(Scripted(500))
    assert SPIN in _client(scholar_server, fake_clock).lookup([SPIN]).papers
    scholar_server.requests.clear()
    scholar_server.script(*[Scripted(500)] * 5)
    result = _client(scholar_server, fake_clock, max_retries=4).lookup([SPIN, S2ORC])
    assert len(scholar_server.requests) == 5
    assert result.unverified == dict.fromkeys([SPIN, S2ORC], "Semantic Scholar answered 500")
    assert not result.papers and not result.missing


def test_an_outage_spares_the_later_batches(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(*[Scripted(503)] * 2)
    result = _client(scholar_server, fake_clock, batch_size=1, max_retries=1).lookup([SPIN, S2ORC, SERL])
    assert len(scholar_server.requests) == 2  # the first batch's two tries; the others are not sent
    assert set(result.unverified) == {SPIN, S2ORC, SERL}


def test_a_timeout_is_not_verified(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(Scripted(delay=1.5), Scripted(delay=1.5))
    result = _client(scholar_server, fake_clock, timeout=0.5, max_retries=1).lookup([SPIN])
    assert result.unverified == {SPIN: "Semantic Scholar did not answer within 0.5 s"}


@pytest.mark.parametrize(
    "body",
    [b"<html>Service Unavailable</html>", b'{"data": []}', b"[null, null, null]", b'[{"title": 3}]'],
    ids=["html", "object", "wrong-length", "wrong-type"],
)
def test_a_malformed_body_is_retried_then_not_verified(
    scholar_server: FakeScholar, fake_clock, body: bytes
) -> None:
    scholar_server.script(Scripted(200, body=body), Scripted(200, body=body))
    result = _client(scholar_server, fake_clock, max_retries=1).lookup([SPIN])
    assert len(scholar_server.requests) == 2
    assert result.unverified == {SPIN: "Semantic Scholar sent a malformed response"}


def test_a_cut_short_answer_is_retried(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(Scripted(truncate=5))
    result = _client(scholar_server, fake_clock).lookup([SPIN])
    assert SPIN in result.papers and len(scholar_server.requests) == 2


def test_a_400_names_the_error_and_spares_the_next_batch(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(
        Scripted(400, body=json.dumps({"error": "Unrecognized or unsupported fields: [x]"}).encode())
    )
    result = _client(scholar_server, fake_clock, batch_size=1).lookup([SPIN, S2ORC])
    assert result.unverified == {
        SPIN: "Semantic Scholar rejected the request (400: Unrecognized or unsupported fields: [x])"
    }
    assert S2ORC in result.papers


def test_a_bad_key_is_named(scholar_server: FakeScholar, fake_clock) -> None:
    scholar_server.script(Scripted(403, body=b'{"message": "Forbidden"}'))
    result = _client(scholar_server, fake_clock, api_key="wrong").lookup([SPIN])
    assert result.unverified[SPIN].endswith("(403): check SEMANTIC_SCHOLAR_API_KEY")
    assert len(scholar_server.requests) == 1


def test_undocumented_ids_are_never_sent(scholar_server: FakeScholar, fake_clock) -> None:
    result = _client(scholar_server, fake_clock).lookup(["2401.01335", "URL:https://x.org/a b", SPIN])
    assert result.unverified == {"2401.01335": INVALID, "URL:https://x.org/a b": INVALID}
    assert scholar_server.requests[0].ids == [SPIN]


def test_requests_keep_the_gate_interval(scholar_server: FakeScholar, fake_clock, tmp_path: Path) -> None:
    gate = FileGate(tmp_path / "s2.lock", clock=fake_clock, sleep=fake_clock.sleep)
    client = ScholarClient(
        scholar_server.url,
        batch_size=1,
        min_interval=1.0,
        gate=gate,
        clock=fake_clock,
        sleep=fake_clock.sleep,
    )
    client.lookup([SPIN, S2ORC, SERL])
    assert fake_clock.sleeps == [1.0, 1.0]


def _cached(server: FakeScholar, clock: FakeClock, path: Path) -> CachedRecords:
    cache = SqliteCache(path, table="records", schema="v1", load=load_record)
    return CachedRecords(_client(server, clock), cache, clock=clock)


def test_cache_found_7_days_unknown_1_day_outage_never(
    scholar_server: FakeScholar, fake_clock, tmp_path: Path
) -> None:
    path = tmp_path / "records.sqlite3"
    first = _cached(scholar_server, fake_clock, path).lookup([SPIN, UNKNOWN])
    again = _cached(scholar_server, fake_clock, path).lookup([SPIN, UNKNOWN])  # another process
    assert len(scholar_server.requests) == 1 and again == first
    fake_clock.advance(DAY + 1)  # the unknown id is asked again, the record is not
    _cached(scholar_server, fake_clock, path).lookup([SPIN, UNKNOWN])
    assert scholar_server.requests[-1].ids == [UNKNOWN]
    fake_clock.advance(7 * DAY)
    scholar_server.script(*[Scripted(503)] * 5)
    out = _cached(scholar_server, fake_clock, path).lookup([SPIN])
    assert SPIN in out.unverified
    _cached(scholar_server, fake_clock, path).lookup([SPIN])  # the outage was not kept
    assert scholar_server.requests[-1].status == 200


def test_records_round_trip_through_the_cache() -> None:
    rec = Record(
        "T", "v", Venue("N", "conference", ("A", "B")), 2024, "2024-01-02", "conf/x/Y24", "1", "d", "a", "j"
    )
    from bot.adapters.cache import dump

    assert load_record(dump(rec)) == rec and load_record(dump(None)) is None
    with pytest.raises(ValueError):
        load_record('{"nope": 1}')


OFF = {"enabled": False}


def test_make_records_from_config_and_environment(scholar_server: FakeScholar, tmp_path: Path) -> None:
    assert make_records({"semantic_scholar": OFF, "openreview": OFF}, Settings(data_dir=tmp_path)) is None
    settings = Settings(semantic_scholar_api_url=scholar_server.url, data_dir=tmp_path)
    s2 = {"api_url": "http://127.0.0.1:9/nothing", "min_interval_seconds": 0}
    records = make_records({"semantic_scholar": s2, "openreview": OFF}, settings)
    assert records is not None and SPIN in records.lookup([SPIN]).papers  # the environment wins
    assert (tmp_path / "records-cache.sqlite3").exists()
    with pytest.raises(ValueError, match=r"semantic_scholar\.batch_size"):
        make_records({"semantic_scholar": {"batch_size": 501}}, settings)


@pytest.mark.redis
def test_make_records_with_redis(redis_url: str, scholar_server: FakeScholar, tmp_path: Path) -> None:
    import redis

    from bot.adapters.cache import RedisCache
    from bot.adapters.gate import RedisGate

    redis.Redis.from_url(redis_url).delete(f"awesome-review:semantic-scholar:v1:{SPIN}")
    settings = Settings(semantic_scholar_api_url=scholar_server.url, redis_url=redis_url, data_dir=tmp_path)
    cfg = {"semantic_scholar": {"min_interval_seconds": 0}, "openreview": OFF}
    records = make_records(cfg, settings)
    assert records is not None and records.scholar is not None
    assert isinstance(records.scholar.client.gate, RedisGate) and isinstance(
        records.scholar.cache, RedisCache
    )
    records.lookup([SPIN])
    again = make_records(cfg, settings)  # another worker, on another machine
    assert again is not None and SPIN in again.lookup([SPIN]).papers
    assert len(scholar_server.requests) == 1
    assert list(tmp_path.iterdir()) == []  # nothing on disk when Redis holds it all
