"""One job per pull request at a time, across workers and machines, through a lease in the queue
store (SQLite and Redis): deliveries in any order end with the PR's current head reviewed; two
deliveries at once post one review, one summary, one status; a job whose journal write fails comes
back when its lease runs out, whoever owned it (issue 10, items 2-4). Real job, real queue, the
local GitHub and arXiv over HTTP; two ReviewQueue objects on one store stand for two workers."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from bot.adapters.github import GitHubAdapter
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service.connections import Connections
from bot.service.events import ReviewJob
from bot.service.queue import ReviewQueue, Tuning, make_queue
from bot.settings import Settings
from tests.fakes.github_server import Fault
from tests.fakes.scenario import BAD, FIXED, GOOD, REPO, open_pr, push, with_lines
from tests.test_faults import RedisProcess, wait_until


def delivery(delivery_id: str, head: str, action: str = "synchronize") -> ReviewJob:
    return ReviewJob(delivery_id, REPO, 1, head, "" if action == "recheck" else "main", None, action, False)


def run_one(queue: ReviewQueue) -> bool:
    task = queue.huey.dequeue()
    if task is not None:
        queue.huey.execute(task)
    return task is not None


def drain(queue: ReviewQueue) -> None:
    """Every task, scheduled ones too (their time has come), until none is left."""
    import datetime as dt

    while True:
        for task in queue.huey.read_schedule(
            dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
        ):
            task.eta = None
            queue.huey.enqueue(task)
        if not run_one(queue):
            return


@pytest.fixture
def world(job_env, queue_settings: Settings, queue_name: str):
    """The local GitHub and arXiv, and `worker(machine)`: a queue on the shared store whose worker id
    names another machine (so liveness is judged by heartbeat, as across machines), beating."""
    gh, ax, settings = job_env
    settings = dataclasses.replace(
        settings, data_dir=queue_settings.data_dir, redis_url=queue_settings.redis_url
    )
    beats: list[threading.Event] = []

    def worker(machine: str = "machine-a", beating: bool = True, **tuning: float) -> ReviewQueue:
        tuned = Tuning(lease_wait=0.2, heartbeat_every=0.2, **tuning)
        queue = Connections(settings, name=queue_name, tuning=tuned).queue  # the real job as its runner
        queue.worker_id = f"{machine}:1:{len(beats):04d}"
        beats.append(queue.start_heartbeat() if beating else threading.Event())
        return queue

    yield gh, ax, worker
    for stop in beats:
        stop.set()
    make_queue(settings, name=queue_name).huey.storage.flush_all()


def slow_github(gh) -> None:
    """GitHub takes 1.5 s to create the first job's review: long enough for a second job to read
    what exists (no review yet) and post its own, as happened when arXiv was slow."""
    gh.script("POST", rf"/repos/{REPO}/pulls/1/reviews", Fault.slow(1.5))


def started(gh) -> bool:
    return len(gh.calls("POST", rf"/repos/{REPO}/pulls/1/reviews")) >= 1


def summaries(gh) -> list[dict]:
    return [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def test_deliveries_out_of_order_end_with_the_current_head_reviewed(world) -> None:
    """Was: the redelivered old head overwrote the "newest head" key, so the new head's job was
    skipped as superseded and the old head's as "head moved": nothing was posted."""
    gh, _, worker = world
    old = open_pr(gh, 1, with_lines(BAD))
    new = push(gh, 1, with_lines(FIXED), "h2")
    queue = worker()
    queue.submit(delivery("d-new", new))
    queue.submit(delivery("d-old", old, "opened"))  # a redelivery of the first head, received last
    drain(queue)
    (summary,) = summaries(gh)
    assert f"`{new[:7]}`" in summary["body"]
    assert "review: passed" in gh.labels_of(REPO, 1)
    assert [s["_sha"] for s in gh.repo(REPO).statuses] == [new]
    assert (queue.record("d-new")["state"], queue.record("d-old")["state"]) == ("done", "superseded")
    assert queue.last_reviewed(REPO, 1).startswith(f"{new}:")


@pytest.mark.parametrize("second", ["recheck", "replay"])
def test_two_deliveries_at_once_post_one_review_one_summary_one_status(world, second: str) -> None:
    """`opened`, then a maintainer's /recheck (or the captured body replayed under a new delivery id)
    on another worker while arXiv is slow. Was: two reviews, two summaries, two statuses."""
    gh, _, worker = world
    head = open_pr(gh, 1, with_lines(BAD))
    slow_github(gh)  # GitHub (or arXiv) answers the first job slowly
    first, other = worker("machine-a"), worker("machine-b")  # two workers, two machines, one store
    first.submit(delivery("d-open", head, "opened"))
    busy = threading.Thread(target=run_one, args=(first,))
    busy.start()
    wait_until(lambda: started(gh), 10, "the first job to post its review")
    other.submit(
        delivery("d-2", "" if second == "recheck" else head, second if second == "recheck" else "opened")
    )
    run_one(other)  # the lease is taken: it waits instead of reviewing beside the first job
    busy.join(timeout=30)
    drain(other)
    repo = gh.repo(REPO)
    assert (len(repo.reviews), len(summaries(gh)), len(repo.statuses)) == (1, 1, 1)
    assert first.record("d-open")["state"] == "done" and other.record("d-2")["state"] == "done"


def test_a_job_waiting_for_the_lease_reviews_the_head_pushed_meanwhile(world) -> None:
    gh, _, worker = world
    head = open_pr(gh, 1, with_lines(BAD))
    slow_github(gh)
    first, other = worker("machine-a"), worker("machine-b")
    first.submit(delivery("d-open", head, "opened"))
    busy = threading.Thread(target=run_one, args=(first,))
    busy.start()
    wait_until(lambda: started(gh), 10, "the first job to post its review")
    new = push(gh, 1, with_lines(GOOD, FIXED), "h2")
    other.submit(delivery("d-push", new))
    run_one(other)
    busy.join(timeout=30)
    drain(other)
    (summary,) = summaries(gh)
    assert f"`{new[:7]}`" in summary["body"] and gh.repo(REPO).statuses[-1]["_sha"] == new


@pytest.mark.faults
def test_a_journal_write_failing_in_the_retry_path_comes_back_when_the_lease_runs_out(
    job_env, queue_settings: Settings, queue_name: str, tmp_path: Path
) -> None:
    """The store fails just when the job records its retry (Redis down; SQLite locked by another
    writer past the busy timeout). Was: the record stayed `running` under the live worker's id and
    recover() skipped it for good. Now it is not running once its lease has run out."""
    gh, _, settings = job_env
    (tmp_path / "redis").mkdir()
    server = RedisProcess(tmp_path / "redis") if queue_settings.redis_url else None
    settings = dataclasses.replace(
        settings, data_dir=queue_settings.data_dir, redis_url=server.url if server else None
    )
    calls: list[str] = []
    locker: list[sqlite3.Connection] = []

    def outage_then_ok(job: dict, _settings: Settings) -> None:
        calls.append(job["delivery_id"])
        if len(calls) > 1:
            return
        if server is not None:
            server.stop()
            threading.Timer(1.0, server.start).start()
        else:
            con = sqlite3.connect(settings.data_dir / "queue.db", isolation_level=None)
            con.execute("begin exclusive")  # another writer holds the database
            locker.append(con)
        from bot.service.errors import RetryLater

        raise RetryLater("arXiv is down")

    queue = make_queue(
        settings, outage_then_ok, name=queue_name, tuning=Tuning(stale_after=1.0, recover_grace=0)
    )
    try:
        queue.submit(delivery("d-1", open_pr(gh, 1, with_lines(BAD)), "opened"))
        with contextlib.suppress(Exception):  # Huey's own bookkeeping fails too (the consumer logs it)
            run_one(queue)  # the retry's journal write fails: the task ends with the record `running`
        for con in locker:
            con.rollback()
            con.close()
        wait_until(lambda: _readable(queue), 15, "the store to be back")
        rec = queue.record("d-1")
        assert rec["state"] == "running" and rec["worker"] == queue.worker_id
        time.sleep(1.2)  # the lease runs out: nobody renews it
        assert queue.recover(now=time.time() + 1) == ["d-1"]
        drain(queue)
        assert calls == ["d-1", "d-1"] and queue.record("d-1")["state"] == "done"
    finally:
        if server is not None:
            server.stop()


def _readable(queue: ReviewQueue) -> bool:
    try:
        return queue.record("d-1") is not None
    except Exception:
        return False


def test_a_rate_limit_one_worker_meets_makes_every_worker_wait(world) -> None:
    """GitHub's budget is the installation's (here: the token's), not a process's (issue 10, item 13).
    Worker A meets a primary rate limit resetting in an hour; worker B's job for another PR then sends
    GitHub nothing and waits for the reset, instead of spending requests into the same limit."""
    gh, _, worker = world
    first = open_pr(gh, 1, with_lines(BAD))
    second = open_pr(gh, 2, with_lines(BAD))
    gh.script("GET", rf"/repos/{REPO}/pulls/1", Fault.primary_rate_limit(int(time.time()) + 3600))
    a, b = worker("machine-a"), worker("machine-b")
    a.submit(delivery("d-1", first, "opened"))
    run_one(a)
    assert a.record("d-1")["state"] == "retrying"
    before = len(gh.requests)
    b.submit(ReviewJob("d-2", REPO, 2, second, "main", None, "opened", False))
    while run_one(b):  # d-1's retry, due in an hour, goes to the schedule; then d-2 runs
        pass
    assert len(gh.requests) == before  # not one request on the exhausted budget
    rec = b.record("d-2")
    assert rec["state"] == "retrying" and "rate limit" in rec["error"] and rec["attempt"] == 0
    assert 3500 < rec["retry_at"] - time.time() <= 3602


def test_a_job_whose_lease_was_taken_over_writes_nothing(world) -> None:
    """Every write is fenced by the lease its job holds (issue 19, item 4). Worker A has read what
    exists on the PR (nothing) when worker B judges it dead (its heartbeat is missing, as when A's
    clock ran 45 s behind B's, or A was paused), takes the PR's lease over and posts the review. Was:
    A then posted a second review and a second summary from what it had read; now A's first write
    finds the lease gone (LeaseLost) and the delivery waits its turn."""
    gh, _, worker = world
    head = open_pr(gh, 1, with_lines(BAD))
    statuses = rf"/repos/{REPO}/statuses/{head}"
    gh.script("GET", statuses, Fault.slow(1.5))  # A's last read before it writes
    a, b = worker("machine-a", beating=False), worker("machine-b")
    a.submit(delivery("d-a", head, "opened"))
    busy = threading.Thread(target=run_one, args=(a,))
    busy.start()
    wait_until(lambda: len(gh.calls("GET", statuses)) >= 1, 10, "worker A to read what exists")
    b.submit(delivery("d-b", head, "opened"))  # the same head under another delivery id
    run_one(b)  # B finds A dead, takes the lease over, reviews and posts
    busy.join(timeout=30)
    repo = gh.repo(REPO)
    assert (len(repo.reviews), len(summaries(gh)), len(repo.statuses)) == (1, 1, 1)
    rec = a.record("d-a")
    assert rec["state"] == "retrying" and "another worker" in rec["error"], rec
    drain(a)
    assert (len(repo.reviews), len(summaries(gh)), len(repo.statuses)) == (1, 1, 1)
    assert a.record("d-a")["state"] in ("done", "superseded")


def test_a_push_landing_while_the_job_reads_the_pr_is_reviewed_with_its_own_files(job_env) -> None:
    """The head and the changed files are two requests. Was: the files were read first (PyGithub's
    lazy pull), so a push landing between them paired the new head with the old files: the new head
    was judged on the old lines, "passed", and recorded as reviewed (bench/race.py: a head-2 review
    missing). Now the head is read before the files and again after them."""
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(GOOD))
    gh.script("GET", rf"/repos/{REPO}/pulls/1", Fault.slow(1.0))  # the push lands meanwhile
    pushed: list[str] = []
    threading.Timer(0.3, lambda: pushed.append(push(gh, 1, with_lines(GOOD, BAD), "h2"))).start()
    out = Connections(settings).review(
        {**delivery("d-1", head, "opened").to_dict()}, github=GitHubAdapter(settings)
    )
    assert pushed and out.plan.head_sha == pushed[0]
    (review,) = gh.repo(REPO).reviews
    assert review["commit_id"] == pushed[0] and review["state"] == "CHANGES_REQUESTED"
    assert "review: needs changes" in gh.labels_of(REPO, 1)
