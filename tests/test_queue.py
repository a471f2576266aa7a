"""The durable queue on SQLite and on Redis: retries with backoff, recovery, and a real SIGKILL.

Needs the ``tests.fakes.redis_plugin`` plugin (queue_settings, queue_name, queue_redis_url).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.core.verdict.applied import ApplyResult
from bot.core.verdict.plan import ReviewPlan
from bot.errors import RetryLater
from bot.service.errors import QueueUnavailable
from bot.service.events import ReviewJob
from bot.service.outcome import JobOutcome, Reviewed, Skip, Skipped
from bot.service.queue import ReviewQueue, Tuning, make_queue
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def job(delivery: str, number: int = 1, sha: str = "a" * 40) -> ReviewJob:
    return ReviewJob(delivery, "octo/list", number, sha, "main", 7, "opened", False)


def drain(queue: ReviewQueue, scheduled_too: bool = False) -> int:
    """Run queued tasks through Huey's own execute path; optionally pull every scheduled retry
    forward (as if its time had come)."""
    ran = 0
    while True:
        if scheduled_too:
            later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
            for task in queue.huey.read_schedule(later):
                task.eta = None  # its time has come (execute() puts a task due later back)
                queue.huey.enqueue(task)
        task = queue.huey.dequeue()
        if task is None:
            return ran
        queue.huey.execute(task)
        ran += 1


def etas(queue: ReviewQueue) -> list[dt.datetime]:
    """When the waiting tasks are due (Huey moves a task to the schedule only once dequeued)."""
    messages = queue.huey.storage.enqueued_items() + queue.huey.storage.scheduled_items()
    return [queue.huey.deserialize_task(data).eta for data in messages]


class Recorder:
    """A runner that fails on demand: ``script`` lists what each call does in turn."""

    def __init__(self, *script: BaseException | None) -> None:
        self.script = list(script)
        self.calls: list[dict[str, Any]] = []

    def __call__(self, job: dict[str, Any], settings: Settings) -> None:
        self.calls.append(job)
        outcome = self.script.pop(0) if self.script else None
        if outcome is not None:
            raise outcome


@pytest.fixture
def make(queue_settings: Settings, queue_name: str) -> Callable[..., ReviewQueue]:
    made: list[ReviewQueue] = []

    def build(runner: Callable[..., None], **tuning: Any) -> ReviewQueue:
        queue = make_queue(queue_settings, runner, name=queue_name, tuning=Tuning(**tuning))
        made.append(queue)
        return queue

    yield build
    for queue in made:
        queue.huey.storage.flush_all()


def test_submit_dedupes_and_runs_once(make: Callable[..., ReviewQueue]) -> None:
    runner = Recorder()
    queue = make(runner)
    assert queue.submit(job("d1")) is True
    assert queue.submit(job("d1")) is False
    assert queue.depth() == {"queued": 1, "scheduled": 0}
    assert drain(queue) == 1
    assert [c["delivery_id"] for c in runner.calls] == ["d1"]
    assert queue.record("d1")["state"] == "done"


def test_retry_later_backs_off_then_succeeds(make: Callable[..., ReviewQueue]) -> None:
    runner = Recorder(RetryLater("GitHub 502"), RetryLater("rate limited", delay=120), None)
    queue = make(runner, backoff_base=30)
    queue.submit(job("d-retry"))
    before = time.time()
    drain(queue)
    rec = queue.record("d-retry")
    assert (rec["state"], rec["attempt"]) == ("retrying", 1)
    [eta] = etas(queue)
    waited = eta.replace(tzinfo=dt.UTC).timestamp() - before
    assert 29 <= waited <= 32  # backoff_base * 2**0
    # the retry's own delay (Retry-After) wins over the backoff
    for task in queue.huey.read_schedule(eta + dt.timedelta(seconds=1)):
        task.eta = None
        queue.huey.execute(task)
    [eta2] = etas(queue)
    assert 118 <= eta2.replace(tzinfo=dt.UTC).timestamp() - time.time() <= 122
    drain(queue, scheduled_too=True)
    assert queue.record("d-retry")["state"] == "done"
    assert len(runner.calls) == 3


def test_backoff_grows_and_is_capped() -> None:
    tuning = Tuning(backoff_base=30, backoff_cap=600, probe_for=0)
    assert [tuning.backoff(n) for n in range(6)] == [30, 60, 120, 240, 480, 600]


def test_gives_up_after_max_attempts(make: Callable[..., ReviewQueue]) -> None:
    runner = Recorder(*[RetryLater("down")] * 10)
    queue = make(runner, max_attempts=3, backoff_base=0)
    queue.submit(job("d-down"))
    drain(queue, scheduled_too=True)
    assert len(runner.calls) == 3
    rec = queue.record("d-down")
    assert rec["state"] == "failed" and "down" in rec["error"]


def test_unexpected_error_is_retried_a_few_times_only(make: Callable[..., ReviewQueue]) -> None:
    runner = Recorder(*[KeyError("bug")] * 10)
    queue = make(runner, max_error_attempts=2, backoff_base=0)
    queue.submit(job("d-bug"))
    drain(queue, scheduled_too=True)
    assert len(runner.calls) == 2
    assert queue.record("d-bug")["state"] == "failed"


def test_each_job_is_told_what_its_pr_had_reviewed_last(make: Callable[..., ReviewQueue]) -> None:
    """The queue cannot tell which of two heads is newer (a redelivery of an old one comes last):
    each job reads the PR itself, told what was reviewed last, and says when it was superseded."""
    calls: list[tuple[str, str | None]] = []

    def runner(job: dict[str, Any], settings: Settings) -> JobOutcome:
        calls.append((job["delivery_id"], job["reviewed"]))
        if job["reviewed"] == "b:base":  # GitHub's head is b, reviewed already
            return Skipped(Skip.SUPERSEDED)
        head = job["head_sha"]
        return Reviewed(ReviewPlan(head, None, ""), ApplyResult(head), f"{head[0]}:base")

    queue = make(runner)
    queue.submit(job("d-b", sha="b" * 40))
    queue.submit(job("d-other-pr", number=2, sha="a" * 40))
    queue.submit(job("d-a", sha="a" * 40))  # an old head, redelivered after the new one
    drain(queue)
    assert calls == [("d-b", None), ("d-other-pr", None), ("d-a", "b:base")]
    assert [queue.record(d)["state"] for d in ("d-b", "d-other-pr", "d-a")] == ["done", "done", "superseded"]
    assert queue.last_reviewed("octo/list", 1) == "b:base"


def test_a_dequeued_task_lost_with_its_worker_is_recovered(make: Callable[..., ReviewQueue]) -> None:
    """What SIGKILL does to plain Huey: the task left the queue and nobody runs it."""
    runner = Recorder()
    queue = make(runner, recover_grace=5)
    queue.submit(job("d-lost"))
    assert queue.huey.dequeue() is not None  # dequeued, then the "worker" dies
    assert queue.depth()["queued"] == 0
    assert queue.recover() == []  # too fresh: its enqueue might still be in flight
    assert queue.recover(now=time.time() + 6) == ["d-lost"]
    assert queue.recover(now=time.time() + 6) == []  # now waiting in the queue again
    drain(queue)
    assert [c["delivery_id"] for c in runner.calls] == ["d-lost"]
    assert queue.recover(now=time.time() + 60) == []  # done is final


def test_a_lost_retry_keeps_its_backoff(make: Callable[..., ReviewQueue]) -> None:
    queue = make(Recorder(RetryLater("GitHub 503", delay=300)), recover_grace=0)
    queue.submit(job("d-r"))
    drain(queue)
    assert len(etas(queue)) == 1
    queue.huey.read_schedule(dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1))  # lost
    assert etas(queue) == []
    assert queue.recover(now=time.time() + 1) == ["d-r"]
    [eta] = etas(queue)
    assert 295 <= eta.replace(tzinfo=dt.UTC).timestamp() - time.time() <= 301


def test_running_jobs_are_recovered_only_from_dead_workers(make: Callable[..., ReviewQueue]) -> None:
    queue = make(Recorder(), stale_after=30)
    for delivery in ("d-dead", "d-alive", "d-silent"):
        queue.submit(job(delivery, number=len(delivery)))
    while queue.huey.dequeue() is not None:
        pass
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    live_pid = os.getppid()  # alive, and not us
    workers = {
        "d-dead": f"{os.uname().nodename}:{dead.pid}:aaaa",
        "d-alive": f"{os.uname().nodename}:{live_pid}:bbbb",
        "d-silent": f"elsewhere:{live_pid}:cccc",
    }
    old = time.time() - 120
    for delivery, worker in workers.items():
        rec = queue.record(delivery)
        queue._save(delivery, {**rec, "state": "running", "worker": worker, "updated": old})
    queue.huey.storage.put_data(f"worker:{workers['d-alive']}", str(time.time()).encode())
    queue.huey.storage.put_data(f"worker:{workers['d-silent']}", str(old).encode())
    assert sorted(queue.recover()) == ["d-dead", "d-silent"]


def test_submit_raises_queue_unavailable(tmp_path: Path, queue_name: str) -> None:
    queue = make_queue(Settings(data_dir=tmp_path / "q"), Recorder(), name=queue_name)
    (tmp_path / "q" / "queue.db").unlink()
    (tmp_path / "q").rmdir()
    with pytest.raises(QueueUnavailable):
        queue.submit(job("d-x"))
    with pytest.raises(QueueUnavailable):
        queue.depth()


# -- a real worker process, killed with SIGKILL mid-job ---------------------------------------------

WORKER = textwrap.dedent(
    """
    import os, sqlite3, sys, time
    from pathlib import Path
    from bot.settings import Settings
    from bot.service.queue import Tuning, make_queue
    from bot.service.serve import configure_logging, run_consumer

    events_db, data_dir, redis_url, name = sys.argv[1:5]

    def runner(job, settings):
        # Stands in for bot.service.job.run: "posted" is the side effect that must not repeat.
        con = sqlite3.connect(events_db, timeout=10, isolation_level=None)
        con.execute("insert into events values ('started', ?, ?)", (job["delivery_id"], os.getpid()))
        time.sleep(float(os.environ.get("JOB_SECONDS", "0.5")))
        con.execute("insert into events values ('posted', ?, ?)", (job["delivery_id"], os.getpid()))
        con.close()

    settings = Settings(data_dir=Path(data_dir), redis_url=redis_url or None)
    tuning = Tuning(heartbeat_every=0.5, stale_after=5, recover_grace=1)
    configure_logging()
    run_consumer(make_queue(settings, runner, name=name, tuning=tuning), workers=1, max_delay=0.2)
    """
)


class Events:
    def __init__(self, path: Path) -> None:
        self.path = path
        with sqlite3.connect(path) as con:
            con.execute("create table events (kind text, delivery text, pid integer)")

    def rows(self, kind: str) -> list[tuple[str, int]]:
        with sqlite3.connect(self.path, timeout=10) as con:
            return con.execute(
                "select delivery, pid from events where kind = ? order by rowid", (kind,)
            ).fetchall()

    def wait(self, predicate: Callable[[], bool], what: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"timed out waiting for {what}: {self.rows('started')} {self.rows('posted')}"
                )
            time.sleep(0.02)


@pytest.mark.faults
def test_sigkill_mid_job_loses_nothing_and_repeats_nothing_done(
    queue_settings: Settings, queue_name: str, tmp_path: Path
) -> None:
    events = Events(tmp_path / "events.db")
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    queue = make_queue(queue_settings, runner=Recorder(), name=queue_name)  # producer side only
    deliveries = [f"d-{n}" for n in range(5)]
    for n, delivery in enumerate(deliveries):
        assert queue.submit(job(delivery, number=n + 1))

    args = [sys.executable, str(script), str(events.path), str(queue_settings.data_dir)]
    args += [queue_settings.redis_url or "", queue_name]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JOB_SECONDS": "0.5"}

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(args, env=env, cwd=ROOT, stderr=subprocess.PIPE)

    first = start()
    try:
        # two jobs posted, the third started and still sleeping: kill the worker right there
        events.wait(lambda: len(events.rows("posted")) >= 2 and len(events.rows("started")) >= 3, "3rd job")
        os.kill(first.pid, signal.SIGKILL)
    finally:
        first.kill()
        first.wait()  # reaped: the pid is really gone
        log_first = first.stderr.read().decode() if first.stderr else ""
    killed = events.rows("started")[-1][0]
    assert killed not in [d for d, _ in events.rows("posted")]
    # Huey itself lost the task of the killed job: it is in neither queue nor schedule ...
    waiting = queue._delivery_ids(queue.huey.storage.enqueued_items() + queue.huey.storage.scheduled_items())
    assert killed not in waiting
    # ... but the journal still knows it was running
    assert queue.record(killed)["state"] == "running"

    second = start()
    try:
        events.wait(lambda: len(events.rows("posted")) >= len(deliveries), "all jobs posted")
    finally:
        second.send_signal(signal.SIGINT)  # graceful stop
        try:
            second.wait(timeout=15)
        finally:
            second.kill()
            log_second = second.stderr.read().decode() if second.stderr else ""
    posted = [d for d, _ in events.rows("posted")]
    assert sorted(posted) == sorted(deliveries), (log_first, log_second)  # each posted exactly once
    started = [d for d, _ in events.rows("started")]
    assert started.count(killed) == 2  # ran again after the restart
    assert all(started.count(d) == 1 for d in deliveries if d != killed)
    assert all(queue.record(d)["state"] == "done" for d in deliveries)
    assert "recovered lost job" in log_second
    queue.huey.storage.flush_all()


def test_recovery_keeps_only_the_newest_review_summaries(tmp_path: Path) -> None:
    """Jobs only write their summary; the periodic recovery trims the list to history.KEEP."""
    from bot.service import history

    queue = make_queue(Settings(data_dir=tmp_path / "data"), lambda job, settings: None)
    for i in range(history.KEEP + 5):
        queue.huey.storage.put_data(f"{history.PREFIX}{i:017.6f}:d{i}", b'{"delivery": "d"}')
    queue.recover()
    left = sorted(k.decode() if isinstance(k, bytes) else k for k in queue.huey.storage.result_items())
    reviews = [k for k in left if k.startswith(history.PREFIX)]
    assert len(reviews) == history.KEEP
    assert reviews[0] == f"{history.PREFIX}{5:017.6f}:d5"  # the five oldest went
