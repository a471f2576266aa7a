"""The whole product over real HTTP: `python -m bot serve` as a process, signed webhooks in, the
local GitHub and arXiv servers on the other side. Assertions are on what GitHub received.

Runs on both queue backends: SQLite (default) and Redis (REDIS_URL).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service import signature
from tests.fakes import free_port
from tests.fakes.github_server import FakeGitHub, Fault
from tests.fakes.scenario import BAD, FIXED, GOOD, LAST, REPO, open_pr, pr_event, push, with_lines

ROOT = Path(__file__).resolve().parents[1]
SECRET = "e2e-webhook-secret"
APP_ID = 31337
INSTALLATION = 4242


def payload(number: int, head_sha: str, action: str = "opened") -> dict[str, Any]:
    return pr_event(number, head_sha, INSTALLATION, action)


class Bot:
    """`python -m bot serve` in a child process; restartable, killable."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.proc: subprocess.Popen | None = None
        self.log = cwd / "bot.log"
        self.port = 0

    def start(self) -> Bot:
        self.port = free_port()
        out = self.log.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "serve", "--port", str(self.port)],
            cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise AssertionError(f"bot did not start:\n{self.log.read_text()}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def send(
        self,
        body: Any,
        event: str = "pull_request",
        delivery: str = "d",
        secret: str | None = SECRET,
        raw: bytes | None = None,
    ) -> requests.Response:
        data = raw if raw is not None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", "X-GitHub-Event": event, "X-GitHub-Delivery": delivery}
        if secret:
            headers["X-Hub-Signature-256"] = signature.sign(secret, data)
        return requests.post(f"{self.url}/webhook", data=data, headers=headers, timeout=10)

    def kill(self) -> None:
        assert self.proc
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(cond: Callable[[], Any], timeout: float = 30.0, what: str = "", log: Path | None = None) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n" + (log.read_text()[-4000:] if log else ""))


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request) -> str | None:
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("queue_redis_url")
    import redis

    redis.Redis.from_url(url).flushdb()  # a fresh queue, cache and lock for this test
    return url


@pytest.fixture
def world(
    github_server: FakeGitHub, arxiv_server, github_app_key, backend, tmp_path
) -> Iterator[tuple[FakeGitHub, Any, Bot]]:
    github_server.register_app(
        APP_ID, github_app_key.public_pem, installation_id=INSTALLATION, account="octo"
    )
    (tmp_path / "config.yml").write_text(
        "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))},
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_APP_PRIVATE_KEY": github_app_key.private_pem,
        "GITHUB_API_URL": github_server.url,
        "ARXIV_API_URL": arxiv_server.url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": str(ROOT),
        **({"REDIS_URL": backend} if backend else {}),
    }
    bot = Bot(env, tmp_path).start()
    try:
        yield github_server, arxiv_server, bot
    finally:
        bot.stop()


def reviews(gh: FakeGitHub, number: int) -> list[dict]:
    return [r for r in gh.repo(REPO).reviews if r.get("pull_number", number) == number]


def summary(gh: FakeGitHub) -> list[dict]:
    return [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def checks(gh: FakeGitHub) -> list[dict]:
    return gh.repo(REPO).check_runs


def done(gh: FakeGitHub, head: str) -> Callable[[], bool]:
    """The job for `head` has finished writing: its check run is complete."""
    return lambda: any(c["head_sha"] == head and c.get("status") == "completed" for c in checks(gh))


def test_opened_redelivered_then_fixed(world):
    gh, ax, bot = world
    head = open_pr(gh, 1, with_lines(GOOD).replace(LAST, LAST + BAD + "\n"))
    t0 = time.perf_counter()
    r = bot.send(payload(1, head), delivery="opened-1")
    assert r.status_code == 202 and time.perf_counter() - t0 < 2
    wait_for(done(gh, head), what="first review", log=bot.log)

    (review,) = gh.repo(REPO).reviews
    assert review["state"] == "CHANGES_REQUESTED"
    comments = gh.repo(REPO).review_comments
    assert len(comments) == 1 and comments[0]["line"] == 10 and comments[0]["side"] == "RIGHT"
    assert f"```suggestion\n{FIXED}\n```" in comments[0]["body"]
    (s,) = summary(gh)
    assert "❌ needs changes" in s["body"] and "✅ ok" in s["body"]
    assert gh.labels_of(REPO, 1) == {"review: needs changes"}
    (check,) = checks(gh)
    assert check["conclusion"] == "failure"
    assert len(ax.requests) == 1

    # A manual redelivery keeps its delivery id: nothing new happens.
    writes = len(gh.writes())
    assert bot.send(payload(1, head), delivery="opened-1").status_code in (200, 202)
    time.sleep(1.5)
    assert len(gh.writes()) == writes

    # The contributor pushes the fix: summary edited in place, labels updated, a new green check.
    head2 = push(gh, 1, with_lines(GOOD).replace(LAST, LAST + FIXED + "\n"), "h2")
    assert bot.send(payload(1, head2, "synchronize"), delivery="sync-1").status_code == 202
    wait_for(done(gh, head2), what="second review", log=bot.log)
    (s,) = summary(gh)
    assert head2[:7] in s["body"] and "❌" not in s["body"]
    assert gh.labels_of(REPO, 1) == {"review: passed"}
    assert [c["conclusion"] for c in checks(gh)] == ["failure", "success"]
    assert len(gh.repo(REPO).reviews) == 1  # clean: no second review; the old request is dismissed
    assert gh.repo(REPO).reviews[0]["state"] == "DISMISSED"


def test_bad_signature_and_malformed_body_enqueue_nothing(world):
    gh, _, bot = world
    head = open_pr(gh, 2, with_lines(BAD, after=LAST))
    assert bot.send(payload(2, head), secret="wrong", delivery="x1").status_code == 401
    assert bot.send(payload(2, head), secret=None, delivery="x2").status_code == 401
    assert bot.send(None, raw=b"{not json", delivery="x3").status_code == 400
    time.sleep(1.0)
    assert requests.get(f"{bot.url}/healthz", timeout=5).json()["queue"]["queued"] == 0
    assert gh.calls() == [] or all(c.method == "POST" and "access_tokens" in c.path for c in gh.calls())


def test_rejected_anchor_goes_into_the_summary(world):
    gh, _, bot = world
    head = open_pr(gh, 3, with_lines(BAD, after=LAST))
    gh.reject_anchor(REPO, 3, "README.md", 9)
    bot.send(payload(3, head), delivery="anchor-3")
    wait_for(done(gh, head), what="review", log=bot.log)
    assert len(gh.repo(REPO).reviews) == 1 and gh.repo(REPO).review_comments == []
    (s,) = summary(gh)
    assert "README.md:9" in s["body"] and "venue-tag" in s["body"]


def test_github_502_then_success_and_secondary_rate_limit(world):
    gh, _, bot = world
    head = open_pr(gh, 4, with_lines(BAD, after=LAST))
    gh.script("GET", rf"/repos/{REPO}/pulls/4/files", Fault.bad_gateway())
    gh.script("POST", rf"/repos/{REPO}/pulls/4/reviews", Fault.secondary_rate_limit(retry_after=1))
    bot.send(payload(4, head), delivery="faults-4")
    wait_for(done(gh, head), what="review", log=bot.log)
    posts = gh.calls("POST", rf"/repos/{REPO}/pulls/4/reviews")
    assert [p.status for p in posts] == [403, 200]
    assert len(gh.repo(REPO).reviews) == 1 and len(summary(gh)) == 1
    assert [c.status for c in gh.calls("GET", rf"/repos/{REPO}/pulls/4/files")][:2] == [502, 200]


def test_killed_between_202_and_posting_is_posted_once_after_restart(world):
    gh, _, bot = world
    head = open_pr(gh, 5, with_lines(BAD, after=LAST))
    gh.script("GET", rf"/repos/{REPO}/pulls/5/files", Fault.slow(8))  # the job hangs mid-read
    assert bot.send(payload(5, head), delivery="kill-5").status_code == 202
    wait_for(lambda: gh.calls("GET", rf"/repos/{REPO}/pulls/5/files"), what="job start", log=bot.log)
    bot.kill()
    assert gh.repo(REPO).reviews == []
    bot.start()
    wait_for(done(gh, head), timeout=60, what="review after restart", log=bot.log)
    time.sleep(1.0)
    assert len(gh.repo(REPO).reviews) == 1 and len(summary(gh)) == 1 and len(checks(gh)) == 1


def recheck_payload(number: int, association: str) -> dict[str, Any]:
    """The real `issue_comment` payload shape: `/recheck` commented on a pull request."""
    p = json.loads((ROOT / "tests" / "fixtures" / "github" / "issue_comment.created.json").read_text())
    p["issue"].update(number=number, state="open", pull_request={"url": f"{REPO}/pulls/{number}"})
    p["comment"].update(body="/recheck", author_association=association)
    p["repository"]["full_name"] = REPO
    p["installation"] = {"id": INSTALLATION}
    return p


def test_recheck_after_an_arxiv_outage_upgrades_the_summary(world):
    gh, ax, bot = world
    from tests.fakes.arxiv_server import Scripted

    ax.script(*[Scripted(status=503)] * 2)  # max_retries 1: the first review cannot verify
    head = open_pr(gh, 6, with_lines(GOOD))
    assert bot.send(payload(6, head), delivery="outage-6").status_code == 202
    wait_for(done(gh, head), what="not-verified review", log=bot.log)
    (s,) = summary(gh)
    assert "not verified" in s["body"]  # the job's own retry is minutes away

    writes = len(gh.writes())
    r = bot.send(recheck_payload(6, "CONTRIBUTOR"), event="issue_comment", delivery="recheck-6a")
    assert r.status_code == 204  # not a maintainer: no action, no reply
    gh.repo(REPO).permissions["Codertocat"] = "write"  # the job asks GitHub: a MEMBER who may push
    r = bot.send(recheck_payload(6, "MEMBER"), event="issue_comment", delivery="recheck-6b")
    assert r.status_code == 202

    # the check run is written last: once it is green, the summary and labels are final
    wait_for(lambda: checks(gh)[-1]["conclusion"] == "success", what="/recheck review", log=bot.log)
    (s,) = summary(gh)  # edited in place
    assert "✅ ok" in s["body"] and "not verified" not in s["body"]
    assert gh.labels_of(REPO, 6) == {"review: passed"}
    assert not [w for w in gh.writes()[writes:] if w.path.endswith("/issues/6/comments")]  # no reply
