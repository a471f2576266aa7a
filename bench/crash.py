"""Crash test: SIGKILL `python -m bot serve` at random points while deliveries are processed.

    .venv/bin/python bench/crash.py [--deliveries 200] [--kills 6] [--gap 1 3] [--backend sqlite|redis|both]
                                    [--seed 20251127] [--rate 40] [--latency 0.02] [--redis-url URL]

Why: Huey deletes a task when a worker dequeues it, so a worker killed mid-job loses it unless the
delivery journal (bot/service/queue.py) brings it back; and a job run twice must not post twice.
This drives the real product end to end: signed ``pull_request`` deliveries over HTTP into the real
receiver and worker (one ``serve`` process, App authentication), the test suite's local GitHub and
arXiv on the other side. Each delivery opens a different pull request; GitHub answers every request
after ``--latency`` seconds, so kills land mid-job, often with a write in flight (GitHub finishes it
after the client died, as the real one does). The sender models GitHub plus a maintainer: a delivery
refused (connection refused or reset, 5xx) is redelivered with the same ``X-GitHub-Delivery`` until
it is acknowledged, and 10% of acknowledged deliveries are redelivered once more later (a no-op).

Counts, per backend: deliveries accepted (2xx), reviewed (a completed check run at the PR's head),
lost (accepted, never reviewed), duplicate reviews per head SHA, duplicate summary comments per PR,
duplicate check runs per head SHA, journal records left open, kills, wall time. Exit status 1 when
anything was lost or duplicated. tests/test_crash.py runs a short variant of the same engine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from bot.core.verdict.plan import SUMMARY_MARKER  # noqa: E402
from bot.service import signature  # noqa: E402
from tests.fakes import free_port  # noqa: E402
from tests.fakes.arxiv_server import FakeArxiv  # noqa: E402
from tests.fakes.github_server import FakeGitHub, make_app_key  # noqa: E402
from tests.fakes.scenario import BAD, GOOD, LAST, REPO, open_pr, pr_event, with_lines  # noqa: E402
from tests.fakes.scholar_server import FakeScholar  # noqa: E402

SECRET = "crash-webhook-secret"
APP_ID = 31337
INSTALLATION = 4242
CONFIG = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    "semantic_scholar:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    "openreview:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
)


@dataclass
class CrashReport:
    """What one run measured; ``ok`` is the claim: nothing lost, nothing duplicated."""

    backend: str
    deliveries: int
    accepted: int = 0
    refused_attempts: int = 0  # sends answered by no one or by 5xx while the process was down
    redelivered: int = 0  # extra deliveries of an already accepted id (must be no-ops)
    reviewed: int = 0
    kills: int = 0
    recovered: int = 0  # jobs the restarted worker found lost by the killed one (the log says so)
    lost: list[int] = field(default_factory=list)  # PR numbers accepted and never reviewed
    duplicate_reviews: int = 0
    duplicate_summaries: int = 0
    duplicate_checks: int = 0
    wrong_reviews: int = 0  # a BAD PR without its review, or a clean PR with one
    open_records: list[str] = field(default_factory=list)
    wall: float = 0.0
    log: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.accepted == self.deliveries
            and self.reviewed == self.accepted
            and not self.lost
            and not (self.duplicate_reviews or self.duplicate_summaries or self.duplicate_checks)
            and not self.wrong_reviews
            and not self.open_records
        )

    def line(self) -> str:
        return (
            f"{self.backend:>6}  deliveries {self.deliveries}  accepted {self.accepted}  "
            f"refused attempts {self.refused_attempts}  redelivered {self.redelivered}  "
            f"reviewed {self.reviewed}  kills {self.kills}  recovered {self.recovered}  lost {len(self.lost)}  "
            f"duplicate reviews {self.duplicate_reviews}  summaries {self.duplicate_summaries}  "
            f"check runs {self.duplicate_checks}  open records {len(self.open_records)}  "
            f"wall {self.wall:.1f}s"
        )


class RedisServer:
    """A throw-away redis-server on a free loopback port (no persistence: it is never killed here)."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise SystemExit("redis-server is not on the PATH")
        self.port = free_port()
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(
            [*args, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("redis-server did not start")
            time.sleep(0.05)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def bot_env(
    private_key: str, github_url: str, arxiv_url: str, tmp: Path, redis_url: str | None, scholar_url: str
) -> dict[str, str]:
    """The deployed bot's environment: App authentication against the local GitHub and arXiv."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))}
    return {
        **clean,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_APP_PRIVATE_KEY": private_key,
        "GITHUB_API_URL": github_url,
        "ARXIV_API_URL": arxiv_url,
        "SEMANTIC_SCHOLAR_API_URL": scholar_url,  # a local one that knows no paper: nothing leaves
        "BOT_DATA_DIR": str(tmp / "data"),
        "PYTHONPATH": str(ROOT),
        **({"REDIS_URL": redis_url} if redis_url else {}),
    }


class BotProcess:
    """``python -m bot serve`` (or ``worker``) as a child process: started, SIGKILLed, restarted (a
    server on a fresh port). ``skew``: seconds the process's wall clock is off from the others'
    (libfaketime, Debian's ``faketime``: as on another machine whose clock drifted)."""

    def __init__(self, env: dict[str, str], cwd: Path, command: str = "serve", skew: float = 0.0) -> None:
        self.env, self.cwd, self.command, self.skew = env, cwd, command, skew
        self.log = cwd / f"bot-{command}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        port = free_port()
        args = ["serve", "--port", str(port)] if self.command == "serve" else [self.command]
        skewed, env = [], self.env
        if self.skew:
            if not shutil.which("faketime"):
                raise RuntimeError("a clock skew needs libfaketime: apt-get install faketime")
            skewed = ["faketime", "-m", "-f", f"{self.skew:+g}s"]  # the wall clock only:
            env = {**env, "FAKETIME_DONT_FAKE_MONOTONIC": "1"}  # waits and timeouts stay true
        with self.log.open("ab") as out:
            proc = subprocess.Popen(
                [*skewed, sys.executable, "-m", "bot", *args],
                cwd=self.cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: faketime runs python as its child
            )  # fmt: skip
        deadline = time.monotonic() + 30
        while self.command == "serve":
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"bot did not start:\n{self.tail()}")
            time.sleep(0.05)
        with self._lock:
            self.proc, self.port = proc, port

    @property
    def url(self) -> str:
        with self._lock:
            return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)  # the bot, and faketime around it if skewed
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def tail(self, n: int = 6000) -> str:
        return self.log.read_text(errors="replace")[-n:] if self.log.exists() else ""


class Sender(threading.Thread):
    """GitHub plus a maintainer: every delivery is redelivered until acknowledged (same id)."""

    def __init__(self, bot: BotProcess, heads: dict[int, str], rate: float, rng: random.Random) -> None:
        super().__init__(name="sender", daemon=True)
        self.bot, self.heads, self.rate, self.rng = bot, heads, rate, rng
        self.accepted: set[int] = set()
        self.refused = 0
        self.redelivered = 0
        self.stop_at = time.monotonic() + 600

    def send(self, number: int) -> bool:
        body = json.dumps(pr_event(number, self.heads[number], INSTALLATION)).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "pull_request",
            "X-GitHub-Delivery": f"crash-{number}",
            "X-Hub-Signature-256": signature.sign(SECRET, body),
        }
        try:
            r = requests.post(f"{self.bot.url}/webhook", data=body, headers=headers, timeout=10)
        except requests.RequestException:
            return False
        if r.status_code >= 500:
            return False
        if not 200 <= r.status_code < 300:
            raise RuntimeError(f"delivery {number}: unexpected {r.status_code} {r.text}")
        return True

    def deliver(self, number: int) -> None:
        while time.monotonic() < self.stop_at:
            if self.send(number):
                return
            self.refused += 1
            time.sleep(0.2)  # the maintainer notices the failed delivery and presses "Redeliver"

    def run(self) -> None:
        numbers = sorted(self.heads)
        again = set(self.rng.sample(numbers, max(1, len(numbers) // 10)))
        for i, number in enumerate(numbers):
            time.sleep(1.0 / self.rate)
            self.deliver(number)
            self.accepted.add(number)
            if i >= 5 and numbers[i - 5] in again:  # a manual redelivery a little later
                self.deliver(numbers[i - 5])
                self.redelivered += 1


def reviewed_heads(gh: FakeGitHub) -> set[str]:
    with gh._lock:  # the fake's own lock: its handlers append while we read
        return {r["head_sha"] for r in gh.repo(REPO).check_runs if r.get("status") == "completed"}


def run_crash(
    backend: str,
    *,
    deliveries: int = 30,
    kills: int = 3,
    gap: tuple[float, float] = (0.8, 2.0),
    seed: int = 20251127,
    rate: float = 30.0,
    latency: float = 0.02,
    redis_url: str | None = None,
    workdir: Path | None = None,
    settle: float = 1.5,
    deadline: float = 240.0,
) -> CrashReport:
    """Run one crash experiment on ``backend`` ("sqlite" or "redis", then ``redis_url`` is needed or a
    redis-server is started) and count what GitHub ends up holding."""
    rng = random.Random(seed)
    report = CrashReport(backend, deliveries)
    own_tmp = workdir is None
    tmp = Path(tempfile.mkdtemp(prefix="crash-")) if workdir is None else workdir
    redis_server: RedisServer | None = None
    gh = FakeGitHub().start()
    ax = FakeArxiv().start()
    s2 = FakeScholar().start()  # knows no paper: the bot asks it, nothing leaves the machine
    bot: BotProcess | None = None
    t0 = time.monotonic()
    try:
        if latency > 0:
            gh.app.before_request(lambda: time.sleep(latency))  # GitHub is not instant
        private, public = make_app_key()
        gh.register_app(APP_ID, public, installation_id=INSTALLATION, account="octo")
        heads: dict[int, str] = {}
        bad: set[int] = set()
        for number in range(1, deliveries + 1):
            if number % 2:
                bad.add(number)
                heads[number] = open_pr(gh, number, with_lines(BAD, after=LAST))
            else:
                heads[number] = open_pr(gh, number, with_lines(GOOD))
        if backend == "redis" and redis_url is None:
            redis_server = RedisServer(tmp)
            redis_url = redis_server.url
        if backend == "redis":
            import redis

            redis.Redis.from_url(redis_url).flushdb()  # a fresh queue, cache and lock
        (tmp / "config.yml").write_text(CONFIG)
        env = bot_env(private, gh.url, ax.url, tmp, redis_url if backend == "redis" else None, s2.url)
        bot = BotProcess(env, tmp)
        bot.start()
        sender = Sender(bot, heads, rate, rng)
        sender.start()
        all_heads = set(heads.values())
        for _ in range(kills):
            time.sleep(rng.uniform(*gap))
            if sender.accepted == set(heads) and all_heads <= reviewed_heads(gh):
                break  # nothing left to interrupt
            bot.kill()
            report.kills += 1
            bot.start()
        sender.join(timeout=deadline)
        end = time.monotonic() + deadline
        while not all_heads <= reviewed_heads(gh) and time.monotonic() < end:
            time.sleep(0.1)
        time.sleep(settle)  # a late duplicate would show up now
        bot.stop()
        report.wall = time.monotonic() - t0
        report.accepted = len(sender.accepted)
        report.refused_attempts = sender.refused
        report.redelivered = sender.redelivered
        done = reviewed_heads(gh)
        report.reviewed = sum(1 for n in sender.accepted if heads[n] in done)
        report.lost = sorted(n for n in sender.accepted if heads[n] not in done)
        repo = gh.repo(REPO)
        per_review = Counter((r["_number"], r["commit_id"]) for r in repo.reviews)
        per_summary = Counter(c["_number"] for c in repo.issue_comments if SUMMARY_MARKER in c["body"])
        per_check = Counter(r["head_sha"] for r in repo.check_runs)
        report.duplicate_reviews = sum(c - 1 for c in per_review.values())
        report.duplicate_summaries = sum(c - 1 for c in per_summary.values())
        report.duplicate_checks = sum(c - 1 for c in per_check.values())
        report.wrong_reviews = sum(
            1 for n in sender.accepted if per_review[(n, heads[n])] != (1 if n in bad else 0)
        )
        report.open_records = open_records(env, backend, [f"crash-{n}" for n in sorted(sender.accepted)])
        report.log = bot.tail()
        report.recovered = bot.log.read_text(errors="replace").count("recovered lost job")
        return report
    finally:
        if bot is not None:
            bot.stop()
        gh.stop()
        ax.stop()
        s2.stop()
        if redis_server is not None:
            redis_server.stop()
        if own_tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def open_records(env: dict[str, str], backend: str, deliveries: list[str]) -> list[str]:
    """Journal records of ``deliveries`` that are not ``done`` (read with the bot's own queue code)."""
    from bot.service.queue import make_queue
    from bot.settings import Settings

    settings = Settings(
        data_dir=Path(env["BOT_DATA_DIR"]), redis_url=env.get("REDIS_URL") if backend == "redis" else None
    )
    queue = make_queue(settings, lambda job, s: None)
    out = []
    for d in deliveries:
        rec = queue.record(d)
        if rec is None or rec["state"] != "done":
            out.append(f"{d}:{rec and rec['state']}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deliveries", type=int, default=200)
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--gap", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    ap.add_argument("--backend", choices=("sqlite", "redis", "both"), default="both")
    ap.add_argument("--seed", type=int, default=20251127)
    ap.add_argument("--rate", type=float, default=40.0, help="deliveries per second")
    ap.add_argument("--latency", type=float, default=0.02, help="seconds GitHub takes per request")
    ap.add_argument("--redis-url", help="use this Redis (flushed!) instead of starting one")
    args = ap.parse_args()

    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    backends = ["sqlite", "redis"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        report = run_crash(
            backend,
            deliveries=args.deliveries,
            kills=args.kills,
            gap=tuple(args.gap),
            seed=args.seed,
            rate=args.rate,
            latency=args.latency,
            redis_url=args.redis_url,
            deadline=600.0,
        )
        print(report.line(), flush=True)
        if not report.ok:
            failed = True
            print(f"  lost: {report.lost}\n  open: {report.open_records}\n{report.log}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
