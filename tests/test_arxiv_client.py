"""The batched arXiv client over real HTTP against the local fake: batching, politeness, retries, outages."""

from __future__ import annotations

import email.utils
import fcntl
import itertools
import multiprocessing
import os
import socket
import time
from pathlib import Path

import pytest
import requests

from bot.adapters.arxiv_client import (
    INVALID_ID,
    ArxivClient,
    FileGate,
    LocalGate,
    RedisGate,
    retry_after_seconds,
)
from tests.fakes.arxiv_papers import PAPERS
from tests.fakes.arxiv_server import FakeArxiv, FakeClock, Scripted

pytest_plugins = ["tests.fakes.plugin"]

TEN = [
    "2411.00418",
    "2411.16646",
    "2408.02666",
    "2407.19594",
    "2404.10642",
    "2404.12253",
    "2401.10020",
    "2401.01335",
    "2311.08045",
    "2502.12853",
]


def _client(server: FakeArxiv, clock: FakeClock, **kw) -> ArxivClient:
    """A client on the fake server whose waiting is all done on the fake clock."""
    return ArxivClient(server.url, clock=clock, sleep=clock.sleep, **kw)


def _request_starts(client: ArxivClient, clock: FakeClock) -> list[float]:
    """Record the fake time at which each request is sent (the clock does not move during it)."""
    starts: list[float] = []
    client.session.hooks["response"].append(lambda r, *a, **k: starts.append(clock.now))
    return starts


def test_ten_new_ids_make_one_request(any_arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    result = _client(any_arxiv_server, fake_clock).lookup(TEN)
    assert len(any_arxiv_server.requests) == 1
    req = any_arxiv_server.requests[0]
    assert req.path == "/api/query"
    assert req.query["max_results"] == ["10"]
    assert sorted(req.ids) == sorted(TEN)
    assert "id_list=" + ",".join(TEN) in req.raw_query  # readable: commas are not escaped
    assert result.papers == {i: PAPERS[i] for i in TEN}
    assert not result.missing and not result.unverified


def test_both_formats_give_the_same_lookup(arxiv_server_factory, fake_clock: FakeClock) -> None:
    ids = [*PAPERS, "2401.99999"]
    results = [_client(arxiv_server_factory(format=f), fake_clock).lookup(ids) for f in ("current", "legacy")]
    assert results[0] == results[1]
    assert results[0].missing == {"2401.99999"}


def test_batches_of_batch_size_each_with_max_results(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    ids = list(PAPERS)  # 13 ids, old-style ones included
    result = _client(arxiv_server, fake_clock, batch_size=5, min_interval=0).lookup(ids)
    assert [len(r.ids) for r in arxiv_server.requests] == [5, 5, 3]
    assert [r.query["max_results"] for r in arxiv_server.requests] == [["5"], ["5"], ["3"]]
    assert "astro-ph/0601001" in arxiv_server.requests[2].raw_query  # slash sent as is
    assert result.papers == PAPERS


def test_duplicates_are_asked_once(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    result = _client(arxiv_server, fake_clock).lookup(["2401.01335", "2401.01335", "2404.10642"])
    assert arxiv_server.requests[0].ids.count("2401.01335") == 1
    assert set(result.papers) == {"2401.01335", "2404.10642"}


def test_invalid_ids_are_never_sent(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    bad = ["2401.O1335", "abc", "https://arxiv.org/abs/2402.13284", "2401.01335v2", "", "1313.00001"]
    result = _client(arxiv_server, fake_clock).lookup([*bad, "2401.01335", "2401.99999"])
    assert [r.status for r in arxiv_server.requests] == [200]  # no 400 from arXiv
    assert arxiv_server.requests[0].ids == ["2401.01335", "2401.99999"]
    assert result.unverified == dict.fromkeys(bad, INVALID_ID)
    assert set(result.papers) == {"2401.01335"} and result.missing == {"2401.99999"}


def test_only_invalid_ids_make_no_request(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    result = _client(arxiv_server, fake_clock).lookup(["abc"])
    assert arxiv_server.requests == [] and result.unverified == {"abc": INVALID_ID}


def test_a_400_naming_an_id_costs_only_that_id(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    """One id arXiv cannot read fails its whole batch (400); the batch is asked again without it."""
    bad = TEN[2]
    error = arxiv_server.error_body(f"incorrect_id_format_for_{bad}", f"incorrect id format for {bad}")
    arxiv_server.script(Scripted(status=400, body=error))
    result = _client(arxiv_server, fake_clock, batch_size=5).lookup(TEN)
    assert [(r.status, len(r.ids)) for r in arxiv_server.requests] == [(400, 5), (200, 4), (200, 5)]
    assert bad not in arxiv_server.requests[1].ids
    assert result.unverified == {bad: f"arXiv rejected the request (400: incorrect id format for {bad})"}
    assert set(result.papers) == set(TEN) - {bad}


def test_a_400_naming_no_id_of_the_batch_halves_it_down_to_the_one_id(
    arxiv_server: FakeArxiv, fake_clock: FakeClock
) -> None:
    error = arxiv_server.error_body("incorrect_id_format_for_x", "incorrect id format for x")
    arxiv_server.script(*[Scripted(status=400, body=error)] * 3)  # the batch, its first half, its first id
    result = _client(arxiv_server, fake_clock, batch_size=5).lookup(TEN)
    sizes = [(r.status, len(r.ids)) for r in arxiv_server.requests]
    assert sizes == [(400, 5), (400, 2), (400, 1), (200, 1), (200, 3), (200, 5)]  # never retried as is
    assert result.unverified == {TEN[0]: "arXiv rejected the request (400: incorrect id format for x)"}
    assert set(result.papers) == set(TEN[1:])


def test_a_hundred_ids_a_request_by_default(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    ids = [f"2501.{k:05d}" for k in range(1, 251)]
    result = _client(arxiv_server, fake_clock, min_interval=0).lookup(ids)
    assert [len(r.ids) for r in arxiv_server.requests] == [100, 100, 50]
    assert [r.query["max_results"] for r in arxiv_server.requests] == [["100"], ["100"], ["50"]]
    assert result.missing == set(ids)
    capped = ArxivClient(arxiv_server.url, batch_size=5000)
    assert capped.batch_size == 2000  # the most arXiv serves a request


def test_requests_are_spaced_by_min_interval_on_the_injected_clock(
    arxiv_server: FakeArxiv, fake_clock: FakeClock
) -> None:
    client = _client(arxiv_server, fake_clock, batch_size=4, min_interval=3.0)
    starts = _request_starts(client, fake_clock)
    wall = time.monotonic()
    client.lookup(list(PAPERS))  # 13 ids: 4 requests
    client.lookup(["2401.99999"])  # a later lookup is spaced from the previous one too
    assert len(starts) == 5
    assert all(b - a >= 3.0 for a, b in itertools.pairwise(starts))
    assert sum(fake_clock.sleeps) == pytest.approx(12.0)
    assert time.monotonic() - wall < 3.0  # nothing really slept


def test_retry_after_seconds_is_honoured(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    arxiv_server.script(Scripted(status=503, headers={"Retry-After": "7"}))
    client = _client(arxiv_server, fake_clock, min_interval=3.0)
    starts = _request_starts(client, fake_clock)
    result = client.lookup(TEN)
    assert [r.status for r in arxiv_server.requests] == [503, 200]
    assert starts[1] - starts[0] >= 7.0
    assert max(fake_clock.sleeps) >= 7.0
    assert len(result.papers) == 10 and not result.unverified


def test_retry_after_http_date_is_honoured(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    arxiv_server.script(Scripted(status=429, headers={"Retry-After": when}))
    result = _client(arxiv_server, fake_clock, min_interval=0).lookup(TEN)
    assert [r.status for r in arxiv_server.requests] == [429, 200]
    assert 18.0 <= fake_clock.sleeps[0] <= 20.0
    assert len(result.papers) == 10


def test_retry_after_parsing() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now_wall=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now_wall=1445412490.0) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_exponential_backoff_then_success(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    arxiv_server.script(Scripted(status=502), Scripted(status=500), Scripted(status=504))
    result = _client(arxiv_server, fake_clock, min_interval=0, backoff_base=1.0).lookup(TEN)
    assert fake_clock.sleeps == [1.0, 2.0, 4.0]
    assert len(arxiv_server.requests) == 4 and len(result.papers) == 10


def test_outage_gives_unverified_with_reason_and_skips_later_batches(
    arxiv_server: FakeArxiv, fake_clock: FakeClock
) -> None:
    arxiv_server.script(*[Scripted(status=503)] * 20)
    result = _client(arxiv_server, fake_clock, batch_size=5, max_retries=4).lookup(TEN)
    assert len(arxiv_server.requests) == 5  # 1 + 4 retries for the first batch, none for the second
    assert result.unverified == dict.fromkeys(TEN, "arXiv answered 503")
    assert not result.papers and not result.missing


def test_total_time_is_bounded(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    arxiv_server.script(*[Scripted(status=503, headers={"Retry-After": "30"})] * 10)
    t0 = fake_clock.now
    result = _client(arxiv_server, fake_clock, max_total_seconds=60.0, max_retries=10).lookup(TEN)
    assert fake_clock.now - t0 <= 60.0
    assert len(arxiv_server.requests) == 2  # waited 30 s once; a second wait would pass the bound
    assert set(result.unverified) == set(TEN)


def test_timeout_becomes_unverified(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    arxiv_server.script(Scripted(delay=1.0), Scripted(delay=1.0))
    result = _client(arxiv_server, fake_clock, timeout=0.5, max_retries=1).lookup(TEN[:2])
    assert result.unverified == dict.fromkeys(TEN[:2], "arXiv did not answer within 0.5 s")


def test_connection_refused_becomes_unverified(fake_clock: FakeClock) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = ArxivClient(f"http://127.0.0.1:{port}/api/query", clock=fake_clock, sleep=fake_clock.sleep)
    result = client.lookup(TEN)
    assert set(result.unverified) == set(TEN)
    assert result.unverified[TEN[0]].startswith("could not reach arXiv")


def test_malformed_and_truncated_answers_are_retried(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    arxiv_server.script(Scripted(body=b"<feed><entry>"), Scripted(truncate=200))
    result = _client(arxiv_server, fake_clock).lookup(TEN)
    assert len(arxiv_server.requests) == 3 and len(result.papers) == 10


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (Scripted(body=b"<html>maintenance</html>"), "arXiv sent a malformed response"),
        (Scripted(truncate=300), "arXiv's answer was cut short"),
        (Scripted(status=404), "arXiv answered 404"),
    ],
)
def test_persistent_bad_answers_give_a_short_reason(
    arxiv_server: FakeArxiv, fake_clock: FakeClock, answer: Scripted, reason: str
) -> None:
    arxiv_server.script(*[answer] * 5)
    result = _client(arxiv_server, fake_clock, max_retries=2).lookup(TEN[:3])
    assert result.unverified == dict.fromkeys(TEN[:3], reason)


def test_progress_reports_each_batch(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    seen: list[tuple[int, int]] = []
    _client(arxiv_server, fake_clock, batch_size=4).lookup(TEN, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(4, 10), (8, 10), (10, 10)]


# -- gates shared between processes ------------------------------------------------------------------


def test_file_gate_keeps_spacing_across_instances(tmp_path: Path, fake_clock: FakeClock) -> None:
    path = tmp_path / "gate"
    first = FileGate(path, clock=fake_clock, sleep=fake_clock.sleep)
    first.acquire(3.0)
    first.release()
    FileGate(path, clock=fake_clock, sleep=fake_clock.sleep).release()  # a stranger's release is harmless
    fake_clock.advance(1.0)
    second = FileGate(path, clock=fake_clock, sleep=fake_clock.sleep)  # another process, same file
    second.acquire(3.0)
    second.release()
    assert fake_clock.sleeps == [pytest.approx(2.0)]
    assert float(path.read_text()) == pytest.approx(fake_clock.now)


def test_file_gate_held_elsewhere_times_out_into_unverified(
    arxiv_server: FakeArxiv, tmp_path: Path, fake_clock: FakeClock
) -> None:
    path = tmp_path / "gate"
    holder = FileGate(path)
    holder.acquire(0.0)
    try:
        gate = FileGate(path, clock=fake_clock, sleep=fake_clock.sleep, wait_timeout=0.2)
        result = _client(arxiv_server, fake_clock, gate=gate, max_retries=0).lookup(TEN[:2])
    finally:
        holder.release()
    assert arxiv_server.requests == []
    assert all(r.startswith("could not take the arXiv request slot") for r in result.unverified.values())


def test_file_gate_that_cannot_write_its_stamp_lets_go_of_the_lock(
    arxiv_server: FakeArxiv, tmp_path: Path, fake_clock: FakeClock
) -> None:
    """The stamp write fails (here: the path is a FIFO, which cannot be truncated; in production, a
    full disk). Was: the flock stayed held by a leaked descriptor, every later acquire timed out
    until a restart, and the log blamed arXiv ("could not reach arXiv (OSError)")."""
    path = tmp_path / "gate"
    os.mkfifo(path)
    gate = FileGate(path, clock=fake_clock, sleep=fake_clock.sleep, wait_timeout=0.2)
    result = _client(arxiv_server, fake_clock, gate=gate, max_retries=0).lookup(TEN[:2])
    assert all(
        r.startswith(f"could not take the arXiv request slot: cannot write {path}")
        for r in result.unverified.values()
    )
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds it: raises BlockingIOError if leaked
    finally:
        os.close(fd)


def _worker(url: str, gate_path: str, ids: list[str]) -> None:
    client = ArxivClient(url, batch_size=1, min_interval=0.3, gate=FileGate(gate_path))
    result = client.lookup(ids)
    assert len(result.papers) == len(ids)


def test_file_gate_spaces_requests_of_separate_processes(arxiv_server: FakeArxiv, tmp_path: Path) -> None:
    arxiv_server.script(*[Scripted(delay=0.05)] * 6)
    ctx = multiprocessing.get_context("fork")
    gate = str(tmp_path / "arxiv-gate.lock")
    procs = [ctx.Process(target=_worker, args=(arxiv_server.url, gate, TEN[k : k + 3])) for k in (0, 3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0]
    starts = sorted(r.started for r in arxiv_server.requests)
    assert len(starts) == 6
    assert arxiv_server.max_concurrent == 1
    # spacing is stamped when the slot is taken; arrival adds a few ms of connection jitter
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.3 - 0.1


def test_local_gate_default_is_one_request_at_a_time(fake_clock: FakeClock) -> None:
    gate = LocalGate(fake_clock, fake_clock.sleep)
    gate.acquire(3.0)
    gate.release()
    gate.acquire(3.0)
    gate.release()
    assert fake_clock.sleeps == [3.0]


@pytest.mark.redis
def test_redis_gate_spaces_requests(redis_url: str, arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    import redis

    conn = redis.Redis.from_url(redis_url)
    key = f"test-gate-{time.time_ns()}"
    gate = RedisGate(conn, key, clock=fake_clock, sleep=fake_clock.sleep)
    client = _client(arxiv_server, fake_clock, batch_size=5, gate=gate)
    starts = _request_starts(client, fake_clock)
    other = RedisGate(conn, key, clock=fake_clock, sleep=fake_clock.sleep)  # another worker
    result = client.lookup(TEN)
    other.acquire(3.0)
    other.release()
    assert len(result.papers) == 10 and len(starts) == 2
    assert starts[1] - starts[0] >= 3.0
    assert fake_clock.sleeps == [pytest.approx(3.0), pytest.approx(3.0)]
    assert float(conn.get(key + ":last")) == pytest.approx(fake_clock.now)


def test_redis_gate_down_means_unverified_not_an_exception(
    arxiv_server: FakeArxiv, fake_clock: FakeClock
) -> None:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dead = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.2, retry=Retry(NoBackoff(), 0))
    gate = RedisGate(dead, clock=fake_clock, sleep=fake_clock.sleep)
    client = _client(arxiv_server, fake_clock, gate=gate, max_retries=1)
    result = client.lookup(TEN[:2])
    assert arxiv_server.requests == []
    assert all(r.startswith("could not take the arXiv request slot") for r in result.unverified.values())


def test_session_is_used_so_callers_can_configure_it(arxiv_server: FakeArxiv, fake_clock: FakeClock) -> None:
    session = requests.Session()
    session.headers["X-Test"] = "yes"
    seen: list[str] = []
    session.hooks["response"].append(lambda r, *a, **k: seen.append(r.request.headers["X-Test"]))
    _client(arxiv_server, fake_clock, session=session).lookup(TEN[:1])
    assert seen == ["yes"]
