"""Fault injection: GitHub and arXiv misbehave, the queue store goes away; nothing is lost or posted twice.

Everything runs for real: the review job (bot.service.job.run) with a GitHubAdapter whose retries
sleep through a recorder, inside the real queue (make_queue, Huey's own execute path), against the
local GitHub and arXiv servers of the suite with scripted faults. Assertions are on what GitHub
ends up holding: one review per head SHA, one summary comment per PR, one check run per head SHA
and verdict, labels as a set, and no verdict against a contributor when arXiv is down.

The crash half of the issue (SIGKILL mid-job) is tests/test_crash.py; the longer variants are
bench/crash.py and bench/faults.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from bot.adapters.github import ClientOptions, GitHubAdapter, InstallationTokens
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.errors import RetryLater
from bot.service import signature
from bot.service.app import create_app
from bot.service.connections import Connections
from bot.service.events import ReviewJob
from bot.service.queue import Tuning, make_queue
from bot.settings import Settings
from tests.fakes import free_port
from tests.fakes.arxiv_server import FakeArxiv, Scripted
from tests.fakes.github_server import FakeGitHub, Fault
from tests.fakes.scenario import BAD, FIXED, GOOD, LAST, REPO, TOKEN, job, open_pr, pr_event, push, with_lines

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[1]
APP_ID = 31337
INSTALLATION = 4242
SECRET = "faults-webhook-secret"
TIMEOUT = 1  # the GitHub client's timeout in these tests; Fault.slow(SLOW) outlasts it
SLOW = TIMEOUT + 0.6
TUNING = Tuning(max_attempts=8, backoff_base=30, recover_grace=0)
CONFIG = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 1\n"
    "semantic_scholar:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    "openreview:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
)


# -- the harness: the real job in the real queue ------------------------------------------------


class Bot:
    """The review job inside a real ReviewQueue, on the local GitHub (App or token auth)."""

    def __init__(self, gh: FakeGitHub, settings: Settings, name: str, mode: str = "app") -> None:
        self.gh, self.mode = gh, mode
        self.sleeps: list[float] = []  # every wait the GitHub client asked for, never slept
        self.delays: list[float | None] = []  # every wait handed to the queue (RetryLater.delay)
        self.options = ClientOptions(sleep=self.sleeps.append, timeout=TIMEOUT)
        if mode == "token":
            settings = dataclasses.replace(settings, github_app_id=None, github_app_private_key=None)
            settings = dataclasses.replace(settings, github_token=TOKEN)
        self.settings = settings
        self.connections = Connections(settings)  # one per process, as serve and worker build it
        self.tokens = InstallationTokens(settings, self.options) if mode == "app" else None
        self.queue = make_queue(settings, self._run, name=name, tuning=TUNING)

    def _run(self, job_dict: dict[str, Any], settings: Settings) -> None:
        inst = job_dict["installation_id"] if self.mode == "app" else None
        adapter = GitHubAdapter(settings, inst, options=self.options, tokens=self.tokens)
        try:
            self.connections.review(job_dict, github=adapter)
        except RetryLater as exc:
            self.delays.append(exc.delay)
            raise

    @property
    def waits(self) -> list[float]:
        """Waits asked for, by the client in place or by the queue: a PATCH is never resent by the
        client (urllib3 does not replay it), so its rate-limit wait goes to the queue instead."""
        return self.sleeps + [d for d in self.delays if d is not None]

    def submit(self, number: int, head: str, delivery: str | None = None) -> str:
        delivery = delivery or f"d-{number}-{head[:7]}"
        inst = INSTALLATION if self.mode == "app" else None
        assert self.queue.submit(ReviewJob.from_dict(job(number, head, delivery, installation_id=inst)))
        return delivery

    def drain(self, scheduled_too: bool = True, limit: int = 30) -> int:
        """Run queued tasks through Huey's execute path; with ``scheduled_too``, every retry as if its
        time had come. Before each task GitHub must be quiet: a write that timed out on our side
        finishes on GitHub's before the retry looks for it (the queue's 30 s backoff ensures that in
        production; here the retry runs at once)."""
        huey = self.queue.huey
        ran = 0
        while ran < limit:
            if scheduled_too:
                later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=2)
                for task in huey.read_schedule(later):
                    task.eta = None
                    huey.enqueue(task)
            task = huey.dequeue()
            if task is None:
                return ran
            quiesce(self.gh)
            due = task.eta is None or task.eta <= dt.datetime.now(dt.UTC).replace(tzinfo=None)
            huey.execute(task)  # a task not due yet goes to the schedule, as a consumer does
            ran += due
        raise AssertionError(f"still running after {limit} tasks")

    def etas(self) -> list[float]:
        """Epoch seconds at which the waiting retries are due."""
        storage = self.queue.huey.storage
        tasks = [self.queue.huey.deserialize_task(m) for m in storage.scheduled_items()]
        return [t.eta.replace(tzinfo=dt.UTC).timestamp() for t in tasks if t.eta is not None]


def quiesce(gh: FakeGitHub, timeout: float = 10.0) -> None:
    """Wait until the local GitHub has answered every request it received."""
    deadline = time.monotonic() + timeout
    while True:
        with gh._lock:
            busy = [r for r in gh.requests if not r.status]
        if not busy:
            return
        assert time.monotonic() < deadline, f"GitHub still busy with {busy}"
        time.sleep(0.02)


def clear_faults(gh: FakeGitHub) -> int:
    """GitHub recovers: drop the scripted faults not consumed yet; returns how many there were."""
    with gh._lock:
        left = sum(len(q) for _, _, q in gh._faults)
        gh._faults.clear()
    return left


def statuses(gh: FakeGitHub, method: str, path: str) -> list[int]:
    return [r.status for r in gh.calls(method, path)]


# -- what GitHub holds ----------------------------------------------------------------------------


def reviews_at(gh: FakeGitHub, number: int, head: str) -> list[dict[str, Any]]:
    return [r for r in gh.repo(REPO).reviews if r["_number"] == number and r["commit_id"] == head]


def summaries(gh: FakeGitHub, number: int) -> list[dict[str, Any]]:
    return [c for c in gh.repo(REPO).issue_comments if c["_number"] == number and SUMMARY_MARKER in c["body"]]


def check_runs(gh: FakeGitHub, head: str) -> list[dict[str, Any]]:
    return [r for r in gh.repo(REPO).check_runs if r["head_sha"] == head]


def commit_statuses(gh: FakeGitHub, head: str) -> list[dict[str, Any]]:
    return [s for s in gh.repo(REPO).statuses if s["_sha"] == head]


# -- fixtures -------------------------------------------------------------------------------------


@dataclass
class World:
    gh: FakeGitHub
    ax: FakeArxiv
    settings: Settings  # App credentials
    tmp: Path

    def bot(self, mode: str = "app", settings: Settings | None = None) -> Bot:
        return Bot(self.gh, settings or self.settings, f"faults{uuid.uuid4().hex[:10]}", mode)


@pytest.fixture
def world(github_server, arxiv_server, github_app_key, tmp_path, monkeypatch) -> World:
    monkeypatch.chdir(tmp_path)  # the job reads ./config.yml
    (tmp_path / "config.yml").write_text(CONFIG)
    github_server.register_app(
        APP_ID, github_app_key.public_pem, installation_id=INSTALLATION, account="octo"
    )
    settings = Settings(
        github_app_id=str(APP_ID),
        github_app_private_key=github_app_key.private_pem,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "data",
    )
    return World(github_server, arxiv_server, settings, tmp_path)


# -- GitHub: every write endpoint under every fault kind -------------------------------------------


def storm() -> list[Fault]:
    """502/503 alternating, as many as the client's first try and its 4 retries."""
    return [Fault.bad_gateway(), Fault.status_code(503)] * 2 + [Fault.bad_gateway()]


FAULTS: dict[str, Callable[[], list[Fault]]] = {
    "5xx storm": storm,
    "403 secondary, Retry-After": lambda: [Fault.secondary_rate_limit(retry_after=7)] * 2,
    "403 secondary, bare": lambda: [Fault.secondary_rate_limit()],
    "429": lambda: [Fault.too_many_requests(retry_after=3), Fault.too_many_requests()],
    "primary limit, reset soon": lambda: [Fault.primary_rate_limit(reset=int(time.time()) + 30)],
    "slower than the timeout": lambda: [Fault.slow(SLOW)],
}
# The wait GitHub asked for and the bot honoured (recorded, not slept), per fault kind.
WAITS: dict[str, Callable[[list[float]], bool]] = {
    "403 secondary, Retry-After": lambda s: s.count(7.0) == 2,
    "403 secondary, bare": lambda s: 60.0 in s,  # GitHub: at least a minute after a bare secondary limit
    "429": lambda s: 3.0 in s and 60.0 in s,
    "primary limit, reset soon": lambda s: any(28 <= w <= 33 for w in s),  # until x-ratelimit-reset
}

NUMBER = 7
PR = rf"/repos/{REPO}/pulls/{NUMBER}"
ISSUE = rf"/repos/{REPO}/issues/{NUMBER}"


@dataclass(frozen=True)
class Endpoint:
    """A write the bot makes, and the pull request history that makes the bot send it."""

    method: str
    path: str
    story: str  # "first": one review of a PR with an error; "fix": the error fixed by a push;
    # "annotations": over 50 findings (a POST, then a PATCH appending the rest); "token": PAT auth
    mode: str = "app"


ENDPOINTS = {
    "POST reviews": Endpoint("POST", rf"{PR}/reviews", "first"),
    "POST issue comment": Endpoint("POST", rf"{ISSUE}/comments", "first"),
    "PATCH issue comment": Endpoint("PATCH", rf"/repos/{REPO}/issues/comments/\d+", "fix"),
    "POST labels": Endpoint("POST", rf"{ISSUE}/labels", "first"),
    "DELETE label": Endpoint("DELETE", rf"{ISSUE}/labels/.+", "fix"),
    "PUT review dismissal": Endpoint("PUT", rf"{PR}/reviews/\d+/dismissals", "fix"),
    "POST check-runs": Endpoint("POST", rf"/repos/{REPO}/check-runs", "first"),
    "PATCH check-runs": Endpoint("PATCH", rf"/repos/{REPO}/check-runs/\d+", "annotations"),
    "POST statuses": Endpoint("POST", rf"/repos/{REPO}/statuses/[0-9a-f]+", "first", mode="token"),
    "POST access token": Endpoint("POST", r"/app/installations/\d+/access_tokens", "first"),
}


def many_findings(n: int = 30) -> list[str]:
    """n entries, each with a malformed venue tag and a pdf link to an id arXiv does not have."""
    return [
        f"- (*ICML 2024*) Unknown Paper {i} [[paper](https://arxiv.org/pdf/2401.{90000 + i})]"
        for i in range(n)
    ]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_github_write_fault_posts_exactly_once(world: World, endpoint: str, fault: str) -> None:
    e = ENDPOINTS[endpoint]
    gh, bot = world.gh, world.bot(e.mode)
    if e.story == "annotations":
        head = open_pr(gh, NUMBER, with_lines(*many_findings(), after=LAST))
    else:
        head = open_pr(gh, NUMBER, with_lines(BAD, after=LAST))
    if e.story == "fix":  # the first review goes through; the fault hits the one after the fix
        bot.submit(NUMBER, head)
        bot.drain()
        head = push(gh, NUMBER, with_lines(FIXED, after=LAST), "h2")
    gh.script(e.method, e.path, *FAULTS[fault]())
    delivery = bot.submit(NUMBER, head)
    bot.drain()

    rec = bot.queue.record(delivery)
    assert rec["state"] == "done", rec
    assert rec["attempt"] < TUNING.max_attempts  # within the retry budget
    assert clear_faults(gh) == 0  # every scripted fault was met
    hit = statuses(gh, e.method, e.path)
    assert any(s >= 400 for s in hit) or fault == "slower than the timeout", hit
    assert any(200 <= s < 300 for s in hit), hit
    assert fault not in WAITS or WAITS[fault](bot.waits), (bot.sleeps, bot.delays)

    (summary,) = summaries(gh, NUMBER)  # one summary comment per PR, whatever happened
    if e.story == "fix":
        assert reviews_at(gh, NUMBER, head) == []  # clean: nothing to review
        assert gh.labels_of(REPO, NUMBER) == {"review: passed"}
        assert head[:7] in summary["body"] and "❌" not in summary["body"]
        assert [r["state"] for r in gh.repo(REPO).reviews] == ["DISMISSED"]  # the old request is gone
    else:
        (review,) = reviews_at(gh, NUMBER, head)
        assert review["state"] == "CHANGES_REQUESTED"
        assert gh.labels_of(REPO, NUMBER) == {"review: needs changes"}
    if e.mode == "app":
        (run,) = check_runs(gh, head)  # one check run per head SHA
        assert run["conclusion"] == ("success" if e.story == "fix" else "failure")
        findings = len(gh.repo(REPO).annotations[run["id"]])
        if e.story == "annotations":
            assert findings > 50  # the PATCH path: all of them, none twice
            assert (
                len({(a["start_line"], a["title"]) for a in gh.repo(REPO).annotations[run["id"]]}) == findings
            )
    else:
        (status,) = commit_statuses(gh, head)
        assert status["state"] == "failure"


def test_a_rejected_anchor_is_kept_in_the_summary_across_a_retry(world: World) -> None:
    """GitHub refuses one of two anchors (422) without saying which: the review is posted once, on
    the second try without inline comments, and both notes go into the summary; a retry of the job
    (the summary POST failed) finds the review and keeps the notes in the summary."""
    gh, bot = world.gh, world.bot()
    head = open_pr(
        gh, NUMBER, with_lines(BAD, after=LAST).replace(LAST, LAST + BAD.replace("ICML", "ICLR") + "\n")
    )
    gh.reject_anchor(REPO, NUMBER, "README.md", 9)
    gh.script("POST", rf"{ISSUE}/comments", Fault.bad_gateway())
    delivery = bot.submit(NUMBER, head)
    bot.drain()
    assert bot.queue.record(delivery)["state"] == "done"
    assert statuses(gh, "POST", rf"{PR}/reviews") == [422, 200]  # the second try without the anchor
    (review,) = reviews_at(gh, NUMBER, head)
    assert review["state"] == "CHANGES_REQUESTED" and gh.repo(REPO).review_comments == []
    assert statuses(gh, "POST", rf"{ISSUE}/comments") == [502, 201]
    (summary,) = summaries(gh, NUMBER)
    notes = summary["body"].split("could not be attached", 1)[1]
    assert "`README.md` line 9:" in notes and "`README.md` line 10:" in notes  # no finding lost


# -- GitHub: past the client's retry budget, the job waits in the queue ----------------------------


@pytest.fixture
def queued_world(world: World, queue_settings: Settings, queue_name: str) -> Iterator[tuple[World, Bot]]:
    """The world on the parametrised queue backend (SQLite, Redis)."""
    settings = dataclasses.replace(
        world.settings, data_dir=queue_settings.data_dir, redis_url=queue_settings.redis_url
    )
    bot = Bot(world.gh, settings, queue_name)
    yield world, bot
    bot.queue.huey.storage.flush_all()


OUTAGES: dict[str, tuple[str, str, Callable[[], list[Fault]], tuple[float, float]]] = {
    # name: (method, path, faults longer than the client's retries, (min, max) seconds until the retry)
    "502 storm on reading the PR": ("GET", rf"{PR}/files", lambda: [Fault.bad_gateway()] * 12, (28, 32)),
    "503 storm on posting the review": (
        "POST",
        rf"{PR}/reviews",
        lambda: [Fault.status_code(503)] * 3,
        (28, 32),
    ),
    "secondary limit with Retry-After": (
        "POST",
        rf"{ISSUE}/labels",
        lambda: [Fault.secondary_rate_limit(retry_after=45)] * 8,
        (43, 47),  # GitHub's Retry-After wins over the backoff
    ),
    "primary limit resetting in an hour": (
        "POST",
        rf"/repos/{REPO}/check-runs",
        lambda: [Fault.primary_rate_limit(reset=int(time.time()) + 3600)],
        (3598, 3604),  # not slept by a worker: the queue waits until x-ratelimit-reset
    ),
    "timeouts on reading the file": (
        "GET",
        rf"/repos/{REPO}/contents/README\.md",
        lambda: [Fault.slow(SLOW)] * 5,
        (28, 32),
    ),
}


@pytest.mark.parametrize("outage", list(OUTAGES))
def test_past_the_budget_the_job_stays_queued_then_posts_once(
    queued_world: tuple[World, Bot], outage: str
) -> None:
    world, bot = queued_world
    gh = world.gh
    method, path, faults, window = OUTAGES[outage]
    head = open_pr(gh, NUMBER, with_lines(BAD, after=LAST))
    gh.script(method, path, *faults())
    delivery = bot.submit(NUMBER, head)
    assert bot.drain(scheduled_too=False) == 1
    rec = bot.queue.record(delivery)
    assert (rec["state"], rec["attempt"]) == ("retrying", 1), rec  # not dropped: waiting for its time
    low, high = window
    assert low <= rec["retry_at"] - rec["updated"] <= high, rec  # the wait chosen when it failed
    (eta,) = bot.etas()
    assert abs(eta - rec["retry_at"]) < 2  # and the task really waits that long
    assert bot.queue.depth() == {"queued": 0, "scheduled": 1}
    assert all(w <= bot.options.max_wait for w in bot.sleeps)  # a worker never sleeps an hour

    clear_faults(gh)  # GitHub recovers
    quiesce(gh)
    bot.drain()
    assert bot.queue.record(delivery)["state"] == "done"
    assert len(reviews_at(gh, NUMBER, head)) == 1
    assert len(summaries(gh, NUMBER)) == 1
    assert len(check_runs(gh, head)) == 1
    assert gh.labels_of(REPO, NUMBER) == {"review: needs changes"}


def test_an_outage_longer_than_the_queue_budget_is_not_dropped(world: World) -> None:
    gh, bot = world.gh, world.bot()
    head = open_pr(gh, NUMBER, with_lines(BAD, after=LAST))
    gh.script("GET", rf"{PR}/files", *[Fault.bad_gateway()] * 5 * TUNING.max_attempts)  # every attempt
    delivery = bot.submit(NUMBER, head)
    bot.drain()
    assert clear_faults(gh) == 0  # GitHub recovers only now
    resubmitted = bot.queue.submit(
        ReviewJob.from_dict(job(NUMBER, head, delivery, installation_id=INSTALLATION))
    )  # the maintainer presses "Redeliver"
    bot.queue.recover(now=time.time() + 3600)  # and the worker's periodic recovery runs
    bot.drain()
    assert resubmitted  # a redelivery of a delivery that gave up runs it again
    assert bot.queue.record(delivery)["state"] == "done"
    assert len(reviews_at(gh, NUMBER, head)) == 1
    assert (
        bot.queue.submit(ReviewJob.from_dict(job(NUMBER, head, delivery, installation_id=INSTALLATION)))
        is False
    )


# -- arXiv: outages are "not verified", never a verdict; the retry upgrades in place ---------------


def arxiv_faults(ax: FakeArxiv) -> dict[str, list[Scripted]]:
    """Each refuses both tries of a batch (max_retries 1) except the 400, which is not retried."""
    error = ax.error_body("incorrect_id_format_for_x", "incorrect id format for x", "", "x")
    return {
        "503": [Scripted(status=503, headers={"Retry-After": "1"})] * 2,
        "timeout": [Scripted(delay=1.4)] * 2,  # timeout_seconds: 1
        "truncated XML": [Scripted(truncate=300)] * 2,
        "malformed XML": [
            Scripted(body=b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry>")
        ]
        * 2,
        "400 for the batch": [Scripted(status=400, body=error)],
    }


@pytest.mark.parametrize("kind", ["503", "timeout", "truncated XML", "malformed XML", "400 for the batch"])
def test_arxiv_fault_is_not_verified_then_upgraded_in_place(world: World, kind: str) -> None:
    gh, ax, bot = world.gh, world.ax, world.bot()
    head = open_pr(gh, NUMBER, with_lines(GOOD))
    ax.script(*arxiv_faults(ax)[kind])
    delivery = bot.submit(NUMBER, head)
    before = time.time()
    assert bot.drain(scheduled_too=False) == 1
    assert ax.pending_script == 0

    rec = bot.queue.record(delivery)
    assert rec["state"] == "retrying"  # a later retry asks arXiv again
    (eta,) = bot.etas()
    assert 295 <= eta - before <= 305  # job.UNVERIFIED_RETRY_SECONDS
    (summary,) = summaries(gh, NUMBER)
    assert "not verified" in summary["body"].lower()
    assert gh.labels_of(REPO, NUMBER) == {"review: passed", "review: not verified"}
    (run,) = check_runs(gh, head)
    assert run["conclusion"] == "neutral"  # never a failure the contributor did not cause
    assert all(r["state"] != "CHANGES_REQUESTED" for r in gh.repo(REPO).reviews)
    assert all("**error**" not in c["body"] for c in gh.repo(REPO).review_comments)

    bot.drain()  # arXiv is back; the retry's time has come
    assert bot.queue.record(delivery)["state"] == "done"
    (after,) = summaries(gh, NUMBER)
    assert after["id"] == summary["id"]  # edited in place, not a second comment
    assert "✅ ok" in after["body"] and "not verified" not in after["body"].lower()
    assert gh.labels_of(REPO, NUMBER) == {"review: passed"}
    newest = check_runs(gh, head)[-1]  # GitHub shows the newest run of a name
    assert newest["conclusion"] == "success"
    assert len(check_runs(gh, head)) == 2  # one per verdict, not one per attempt
    assert len(gh.repo(REPO).reviews) <= 1


# -- the queue store goes away: 503, never 2xx for a delivery that was not stored ------------------


class Receiver:
    """The real receiver app on a loopback port, over a queue whose runner records what ran."""

    def __init__(self, settings: Settings, name: str) -> None:
        self.ran: list[str] = []
        self.settings = dataclasses.replace(settings, webhook_secret=SECRET)
        self.queue = make_queue(
            self.settings, lambda j, s: self.ran.append(j["delivery_id"]), name=name, tuning=TUNING
        )
        self.server = make_server("127.0.0.1", 0, create_app(self.settings, self.queue), threaded=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def deliver(self, delivery: str, number: int = 1) -> tuple[int, float]:
        """(status, seconds) of one signed pull_request delivery."""
        return deliver(self.url, delivery, number)

    def drain(self) -> None:
        while (task := self.queue.huey.dequeue()) is not None:
            self.queue.huey.execute(task)

    def close(self) -> None:
        self.server.shutdown()


def deliver(url: str, delivery: str, number: int = 1) -> tuple[int, float]:
    body = json.dumps(pr_event(number, f"{number:040x}", INSTALLATION)).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": delivery,
        "X-Hub-Signature-256": signature.sign(SECRET, body),
    }
    t0 = time.monotonic()
    try:
        status = requests.post(f"{url}/webhook", data=body, headers=headers, timeout=15).status_code
    except requests.ConnectionError:
        status = 0  # nobody answered: GitHub records a failed delivery too
    return status, time.monotonic() - t0


def test_sqlite_locked_by_another_writer_is_503_then_redelivery_is_stored(tmp_path: Path) -> None:
    """Another process holds the write lock past the busy timeout (a stuck tool, a backup): 503 well
    inside GitHub's 10 s; once the lock is gone the redelivery is stored and reviewed once."""
    receiver = Receiver(Settings(data_dir=tmp_path / "data"), "locked")
    try:
        assert receiver.deliver("d-before")[0] == 202
        other = sqlite3.connect(tmp_path / "data" / "queue.db", isolation_level=None)
        other.execute("begin exclusive")
        try:
            status, took = receiver.deliver("d-locked", 2)
        finally:
            other.execute("rollback")
            other.close()
        assert status == 503 and took < 10
        assert receiver.deliver("d-locked", 2)[0] == 202  # the maintainer redelivers
        assert receiver.deliver("d-locked", 2)[0] == 202  # and once more: a duplicate, nothing new
        receiver.drain()
        assert sorted(receiver.ran) == ["d-before", "d-locked"]
    finally:
        receiver.close()


def test_sqlite_file_not_writable_never_acknowledges(tmp_path_factory: pytest.TempPathFactory) -> None:
    """A queue.db the service user cannot write: `serve` refuses to start (it says why), so GitHub
    gets no 2xx and records a failed delivery; with the permissions fixed, the redelivery is stored."""
    base = Path(tempfile_dir())
    try:
        data = base / "data"
        data.mkdir()
        make_queue(Settings(data_dir=data), lambda j, s: None)  # an existing, healthy queue.db
        drop: list[str] = []
        if os.geteuid() == 0:  # root writes anything: run the service as nobody instead
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot make the file unwritable")
            os.chown(data, 65534, 65534)
            for f in data.iterdir():
                os.chown(f, 65534, 65534)
            drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            probe = subprocess.run(
                [*drop, sys.executable, "-c", "import bot"],
                cwd=base, env={"PYTHONPATH": str(ROOT)}, capture_output=True, timeout=60,
            )  # fmt: skip
            if probe.returncode != 0:  # e.g. the checkout lies under a 0700 directory
                pytest.skip("user nobody cannot read this checkout, so the service cannot run as nobody")
        for f in data.iterdir():
            f.chmod(0o444)
        data.chmod(0o555)
        port = free_port()
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))
            },
            "GITHUB_WEBHOOK_SECRET": SECRET,
            "BOT_DATA_DIR": str(data),
            "PYTHONPATH": str(ROOT),
            "HOME": str(base),
        }
        cmd = [*drop, sys.executable, "-m", "bot", "serve", "--port", str(port)]
        proc = subprocess.run(cmd, cwd=base, env=env, capture_output=True, timeout=60, text=True)
        assert proc.returncode != 0
        assert "readonly database" in proc.stderr
        assert deliver(f"http://127.0.0.1:{port}", "d-ro")[0] == 0  # nothing listens: never a 2xx

        data.chmod(0o755)
        for f in data.iterdir():
            f.chmod(0o644)
        serve = subprocess.Popen(cmd, cwd=base, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_until(lambda: deliver(url, "d-ro")[0] == 202, 30, "the redelivery to be stored")
            queue = make_queue(Settings(data_dir=data), lambda j, s: None)
            assert queue.record("d-ro") is not None
        finally:
            serve.terminate()
            serve.wait(timeout=20)
    finally:
        shutil.rmtree(base, ignore_errors=True)


def tempfile_dir() -> str:
    """A directory an unprivileged user can reach (pytest's tmp_path sits under a 0700 directory)."""
    import tempfile

    path = tempfile.mkdtemp(prefix="faults-ro-")
    os.chmod(path, 0o755)
    return path


def wait_until(cond: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class RedisProcess:
    """A redis-server this test may stop, freeze and restart; append-only, so a restart keeps data."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is not installed, and CI is set")
            pytest.skip("redis-server is not installed")
        self.binary, self.workdir, self.port = binary, workdir, free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        args = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.workdir)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def pong() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    return s.recv(16).startswith(b"+PONG")
            except OSError:
                return False

        wait_until(pong, 10, "redis-server")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.mark.redis
def test_redis_down_is_503_and_accepted_deliveries_survive(tmp_path: Path) -> None:
    server = RedisProcess(tmp_path)
    receiver = Receiver(Settings(data_dir=tmp_path / "data", redis_url=server.url), "down")
    try:
        assert receiver.deliver("d-before")[0] == 202
        server.stop()
        status, took = receiver.deliver("d-during", 2)
        assert status == 503 and took < 10
        assert requests.get(f"{receiver.url}/healthz", timeout=15).status_code == 503
        server.start()
        wait_until(lambda: receiver.deliver("d-during", 2)[0] == 202, 10, "the redelivery to be stored")
        receiver.drain()
        assert sorted(receiver.ran) == ["d-before", "d-during"]  # accepted before the outage: kept
    finally:
        receiver.close()
        server.stop()


@pytest.mark.redis
def test_redis_frozen_is_503_within_githubs_10_seconds(tmp_path: Path) -> None:
    """Redis accepts connections but never answers (SIGSTOP): the socket timeout turns it into a 503
    in time. The write may still land once Redis wakes up; the redelivery then finds the journal
    record (a 2xx "duplicate") and recovery runs the job, exactly once."""
    server = RedisProcess(tmp_path)
    receiver = Receiver(Settings(data_dir=tmp_path / "data", redis_url=server.url), "frozen")
    try:
        assert receiver.deliver("d-before")[0] == 202
        assert server.proc is not None
        server.proc.send_signal(signal.SIGSTOP)
        try:
            status, took = receiver.deliver("d-frozen", 2)
        finally:
            server.proc.send_signal(signal.SIGCONT)
        assert status == 503 and took < 10
        wait_until(lambda: 200 <= receiver.deliver("d-frozen", 2)[0] < 300, 10, "the redelivery")
        receiver.queue.recover(now=time.time() + 1)  # what the worker does at start and every minute
        receiver.drain()
        assert sorted(receiver.ran) == ["d-before", "d-frozen"]
    finally:
        receiver.close()
        server.stop()
