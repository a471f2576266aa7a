"""A GitHub 5xx storm costs the contributor about a minute, not several (issue 10, item 12): the
queue retries soon at first (5 s, 10 s, 20 s ...; the job re-reads what exists, so that is safe),
keeps its cap and its total budget, and waits 30 s after a write that timed out."""

from __future__ import annotations

import datetime as dt
import time

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.service.connections import Connections
from bot.service.events import ReviewJob
from bot.service.queue import ReviewQueue, Tuning
from tests.fakes.github_server import Fault
from tests.fakes.scenario import BAD, REPO, job, open_pr, with_lines

PR = rf"/repos/{REPO}/pulls/1"


def run_with_clock(queue: ReviewQueue, until) -> list[float]:
    """Run the job and its retries, each as soon as it is due; returns the waits the queue chose."""
    waits: list[float] = []
    while not until():
        task = queue.huey.dequeue()
        if task is None:
            later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
            (task,) = queue.huey.read_schedule(later)
            waits.append(round(task.eta.replace(tzinfo=dt.UTC).timestamp() - time.time()))
            task.eta = None
        queue.huey.execute(task)
    return waits


def queue_for(settings, **tuning) -> ReviewQueue:
    connections = Connections(settings, tuning=Tuning(recover_grace=0, **tuning))
    options = ClientOptions(sleep=lambda s: None, timeout=1)
    connections.github = lambda installation: GitHubAdapter(settings, options=options)  # type: ignore[method-assign]
    return connections.queue


def test_a_5xx_storm_on_the_review_and_summary_posts_the_review_within_a_minute(job_env) -> None:
    """502 x3 on POST reviews, then 503 x2 on POST comments. Was: 30 + 60 + 120 s before the review."""
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(BAD))
    gh.script("POST", rf"{PR}/reviews", *[Fault.bad_gateway()] * 3)
    gh.script("POST", rf"/repos/{REPO}/issues/1/comments", *[Fault.status_code(503)] * 2)
    queue = queue_for(settings)
    queue.submit(ReviewJob.from_dict(job(1, head)))
    waits = run_with_clock(queue, lambda: bool(gh.repo(REPO).reviews))
    assert sum(waits) <= 60, waits  # the review, within a minute of the storm's start
    waits += run_with_clock(queue, lambda: queue.record("d-1")["state"] == "done")
    assert waits == [5, 10, 20, 40, 80]
    assert len(gh.repo(REPO).reviews) == 1 and len(gh.repo(REPO).issue_comments) == 1


def test_the_cap_and_the_total_budget_stay() -> None:
    tuning = Tuning()
    waits = [tuning.backoff(n) for n in range(tuning.max_attempts - 1)]
    assert waits[:4] == [5, 10, 20, 40] and max(waits) <= tuning.backoff_cap
    assert sum(waits) >= 3600  # an outage of an hour still ends in a review, as before


def test_a_write_that_timed_out_is_looked_at_again_after_30_s(job_env) -> None:
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(BAD))
    gh.script("POST", rf"{PR}/reviews", Fault.slow(1.5))  # GitHub does it, after the client gave up
    queue = queue_for(settings)
    queue.submit(ReviewJob.from_dict(job(1, head)))
    waits = run_with_clock(queue, lambda: queue.record("d-1")["state"] == "done")
    assert waits == [30]
    assert len(gh.repo(REPO).reviews) == 1  # the next run found the review GitHub finished
