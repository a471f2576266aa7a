"""Crash test, short variant: SIGKILL `python -m bot serve` at random points while 30 deliveries
are processed, on both queue backends; after restarts every accepted delivery is reviewed, with no
duplicate review, summary comment or check run. The engine, and its 200-delivery variant, is
bench/crash.py; the seed is fixed so a failure names a reproducible schedule of kills.
"""

from __future__ import annotations

import logging

import pytest

from bench.crash import run_crash

pytestmark = pytest.mark.faults


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request: pytest.FixtureRequest) -> tuple[str, str | None]:
    if request.param == "sqlite":
        return "sqlite", None
    return "redis", request.getfixturevalue("queue_redis_url")  # flushed by run_crash


def test_sigkill_loses_nothing_and_duplicates_nothing(backend: tuple[str, str | None], tmp_path) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    name, redis_url = backend
    report = run_crash(
        name,
        deliveries=30,
        kills=3,
        gap=(0.8, 2.0),
        seed=20251127,
        redis_url=redis_url,
        workdir=tmp_path,
        deadline=150.0,
    )
    detail = f"{report.line()}\nlost={report.lost} open={report.open_records}\n{report.log}"
    assert report.kills >= 2, detail  # the kills really interrupted work in progress
    assert report.accepted == 30, detail
    assert report.lost == [] and report.reviewed == report.accepted, detail
    assert report.duplicate_reviews == 0, detail
    assert report.duplicate_summaries == 0, detail
    assert report.duplicate_checks == 0, detail
    assert report.wrong_reviews == 0, detail  # one review per PR that needs one, none on clean PRs
    assert report.open_records == [], detail  # the journal agrees: every delivery is done
