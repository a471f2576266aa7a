"""Race and crash: two worker processes on Redis, deliveries out of order, duplicated and replayed,
`/recheck` comments interleaved, SIGKILLs. Every PR's final head must be reviewed, once.

    .venv/bin/python bench/race.py [--prs 50] [--kills 6] [--gap 1 3] [--seed 20251127] [--rate 40]
                                   [--skew 45] [--latency 0.02]

The product as deployed for scale-out: `python -m bot serve` (receiver + a worker) and a second
`python -m bot worker`, both on one redis-server, App authentication, the local GitHub (20 ms per
request) and arXiv. Each PR is opened with a clean entry (head 1), then pushed with a bad one
(head 2). Its four deliveries go out shuffled among all PRs' deliveries, the only order kept being
that head 2 exists on GitHub before its `synchronize` is sent: `opened` (head 1), `synchronize` (head
2), the `opened` body replayed under a new delivery id (an old head arriving last), and one of a
manual redelivery of `synchronize` (same id), or a maintainer's `/recheck`. Every 1-3 s one of the
two processes, at random, is SIGKILLed and started again; refused deliveries are redelivered.
`--skew S` runs the worker process with its wall clock S seconds ahead of the receiver's
(libfaketime), as two machines whose clocks disagree.

Counts: deliveries sent and accepted; PRs whose final head has a completed check run (reviewed);
lost (a PR whose final head never got one, or an accepted delivery whose journal record is not
final); duplicate reviews per (PR, head), summaries per PR, check runs per head; PRs with the review
expected at head 2 missing or doubled. Exit status 1 when anything was lost or duplicated.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import requests
from crash import APP_ID, CONFIG, INSTALLATION, ROOT, SECRET, BotProcess, RedisServer, bot_env

from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service import signature
from tests.fakes.arxiv_server import FakeArxiv
from tests.fakes.github_server import FakeGitHub, fake_sha, make_app_key
from tests.fakes.scenario import BAD, GOOD, REPO, open_pr, pr_event, push, with_lines
from tests.fakes.scholar_server import FakeScholar

COMMENT = ROOT / "tests" / "fixtures" / "github" / "issue_comment.created.json"


def recheck_event(number: int) -> dict:
    p = json.loads(COMMENT.read_text())
    p["issue"].update(number=number, state="open", pull_request={"url": f"{REPO}/pulls/{number}"})
    p["comment"].update(body="/recheck", author_association="MEMBER", id=900_000 + number)
    p["repository"]["full_name"] = REPO
    p["installation"] = {"id": INSTALLATION}
    return p


class Sender(threading.Thread):
    """Sends the shuffled deliveries; a refused one is redelivered (same id) until acknowledged."""

    def __init__(
        self, bot: BotProcess, plan: list[tuple], gh: FakeGitHub, heads2: dict[int, str], rate: float
    ):
        super().__init__(name="sender", daemon=True)
        self.bot, self.plan, self.gh, self.heads2, self.rate = bot, plan, gh, heads2, rate
        self.accepted: list[str] = []
        self.refused = 0
        self.pushed: set[int] = set()

    def send(self, event: str, delivery: str, payload: dict) -> bool:
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": signature.sign(SECRET, body),
        }
        try:
            r = requests.post(f"{self.bot.url}/webhook", data=body, headers=headers, timeout=10)
        except requests.RequestException:
            return False
        if r.status_code >= 500:
            return False
        if not 200 <= r.status_code < 300:
            raise RuntimeError(f"delivery {delivery}: unexpected {r.status_code} {r.text}")
        return True

    def run(self) -> None:
        deadline = time.monotonic() + 600
        for event, delivery, number, payload in self.plan:
            time.sleep(1.0 / self.rate)
            if event == "pull_request" and payload["action"] == "synchronize" and number not in self.pushed:
                push(self.gh, number, with_lines(GOOD, BAD), "h2")  # head 2 exists before it is announced
                self.pushed.add(number)
            while not self.send(event, delivery, payload) and time.monotonic() < deadline:
                self.refused += 1
                time.sleep(0.2)
            self.accepted.append(delivery)


def run_race(
    prs: int,
    kills: int,
    gap: tuple[float, float],
    seed: int,
    rate: float,
    skew: float = 0.0,
    latency: float = 0.02,
) -> dict:
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="race-"))
    gh, ax, s2 = FakeGitHub().start(), FakeArxiv().start(), FakeScholar().start()
    gh.app.before_request(lambda: time.sleep(latency))
    redis_server = RedisServer(tmp)
    procs: list[BotProcess] = []
    t0 = time.monotonic()
    try:
        private, public = make_app_key()
        gh.register_app(APP_ID, public, installation_id=INSTALLATION, account="octo")
        heads1 = {n: open_pr(gh, n, with_lines(GOOD)) for n in range(1, prs + 1)}
        gh.repo(REPO).permissions["Codertocat"] = "write"  # the /recheck author may push
        heads2 = {n: fake_sha(f"{n}-h2") for n in heads1}  # what scenario.push names head 2
        # Per PR, in this order only where it matters (synchronize pushes head 2 first):
        per_pr = []
        for n in heads1:
            opened = ("pull_request", f"open-{n}", n, pr_event(n, heads1[n], INSTALLATION))
            sync = ("pull_request", f"sync-{n}", n, pr_event(n, heads2[n], INSTALLATION, "synchronize"))
            replay = ("pull_request", f"replay-{n}", n, opened[3])  # the old head, last, new id
            extra = sync if rng.random() < 0.5 else ("issue_comment", f"recheck-{n}", n, recheck_event(n))
            per_pr.append([opened, sync, replay, extra])
        plan: list[tuple] = []
        while any(per_pr):
            queue = rng.choice([q for q in per_pr if q])
            plan.append(queue.pop(0))
        (tmp / "config.yml").write_text(CONFIG)
        env = bot_env(private, gh.url, ax.url, tmp, redis_server.url, s2.url)
        procs = [BotProcess(env, tmp, "serve"), BotProcess(env, tmp, "worker", skew=skew)]
        for p in procs:
            p.start()
        sender = Sender(procs[0], plan, gh, heads2, rate)
        sender.start()
        done_kills = 0
        for _ in range(kills):
            time.sleep(rng.uniform(*gap))
            victim = rng.choice(procs)
            victim.kill()
            done_kills += 1
            victim.start()
        sender.join(timeout=600)

        def reviewed() -> set[str]:
            with gh._lock:
                return {r["head_sha"] for r in gh.repo(REPO).check_runs if r.get("status") == "completed"}

        from crash import open_records

        def unfinished() -> list[str]:
            return [r for r in open_records(env, "redis", sender.accepted) if not r.endswith(":superseded")]

        end = time.monotonic() + 300
        while not set(heads2.values()) <= reviewed() and time.monotonic() < end:
            time.sleep(0.2)
        while unfinished() and time.monotonic() < end:  # deliveries waiting for a PR's lease, retries
            time.sleep(1.0)
        time.sleep(2.0)  # a late duplicate would show now
        for p in procs:
            p.stop()
        repo = gh.repo(REPO)
        per_review = Counter((r["_number"], r["commit_id"]) for r in repo.reviews)
        per_summary = Counter(c["_number"] for c in repo.issue_comments if SUMMARY_MARKER in c["body"])
        per_check = Counter(r["head_sha"] for r in repo.check_runs)
        final = reviewed()
        records = open_records(env, "redis", sender.accepted)
        not_final = [r for r in records if not r.endswith(":superseded")]
        return {
            "prs": prs,
            "skew s": skew,
            "deliveries": len(plan),
            "accepted": len(sender.accepted),
            "refused attempts": sender.refused,
            "kills": done_kills,
            "final heads reviewed": sum(1 for h in heads2.values() if h in final),
            "lost": sum(1 for h in heads2.values() if h not in final) + len(not_final),
            "duplicate reviews": sum(c - 1 for c in per_review.values()),
            "duplicate summaries": sum(c - 1 for c in per_summary.values()),
            "duplicate check runs": sum(c - 1 for c in per_check.values()),
            "head-2 review missing or doubled": sum(1 for n in heads2 if per_review[(n, heads2[n])] != 1),
            "superseded": sum(1 for r in records if r.endswith(":superseded")),
            "recovered": sum(p.log.read_text(errors="replace").count("recovered lost job") for p in procs),
            "lease takeovers": sum(p.log.read_text(errors="replace").count("took over pr:") for p in procs),
            "waits for a PR's lease": sum(p.log.read_text(errors="replace").count(" waits ") for p in procs),
            "writes fenced off": sum(
                p.log.read_text(errors="replace").count("stopped before writing") for p in procs
            ),
            "wall s": round(time.monotonic() - t0, 1),
            "open records": not_final[:10],
        }
    finally:
        for p in procs:
            p.stop()
        gh.stop()
        ax.stop()
        s2.stop()
        redis_server.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prs", type=int, default=50, help="pull requests (four deliveries each)")
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--gap", type=float, nargs=2, default=(1.0, 3.0), metavar=("MIN", "MAX"))
    ap.add_argument("--seed", type=int, default=20251127)
    ap.add_argument("--rate", type=float, default=40.0, help="deliveries per second")
    ap.add_argument("--skew", type=float, default=0.0, help="seconds the worker's clock is ahead")
    ap.add_argument("--latency", type=float, default=0.02, help="seconds GitHub takes per request")
    args = ap.parse_args()
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the local GitHub's access log
    report = run_race(args.prs, args.kills, tuple(args.gap), args.seed, args.rate, args.skew, args.latency)
    print("  ".join(f"{k} {v}" for k, v in report.items()))
    bad = report["lost"] or report["duplicate reviews"] or report["duplicate summaries"]
    bad = bad or report["duplicate check runs"] or report["head-2 review missing or doubled"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
