"""Fault storm: many pull requests reviewed through GitHub and arXiv faults of every kind at once.

    .venv/bin/python bench/faults.py [--prs 200] [--seed 20251127] [--github-rate 0.8] [--arxiv-rate 0.3]

The long variant of tests/test_faults.py, with the same harness: the real review job inside the
real queue (SQLite), the GitHub client's waits recorded instead of slept, each retry run as soon as
GitHub is quiet (as if its backoff had passed). Each pull request adds one paper of its own (so
every arXiv lookup is a real one, not a cache hit) with a malformed venue tag and a pdf link; then
the contributor pushes the fix. Before each of the two deliveries a random write endpoint of that
PR (and, with --arxiv-rate, arXiv) gets a random fault: 502/503 storms, secondary limits with and
without Retry-After, 429, a primary limit resetting soon, answers slower than the client timeout;
arXiv 503, timeouts, truncated or malformed XML, a 400 for the batch.

Prints the faults injected per kind and per endpoint, the deliveries processed, and what GitHub
holds: lost (a delivery not done, or a head without its final verdict), duplicate reviews per head
SHA, duplicate summary comments per PR, duplicate check runs per head SHA and verdict, verdicts
against a contributor caused by arXiv (an error on a paper arXiv could not be asked about).
Exit status 1 on any loss or duplicate.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.crash import APP_ID, INSTALLATION, app_key  # noqa: E402
from bot.core.model import Paper  # noqa: E402
from bot.core.verdict.plan import SUMMARY_MARKER  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.fakes import arxiv_papers  # noqa: E402
from tests.fakes.arxiv_server import FakeArxiv, Scripted  # noqa: E402
from tests.fakes.github_server import FakeGitHub  # noqa: E402
from tests.fakes.scenario import LAST, REPO, open_pr, push, with_lines  # noqa: E402
from tests.fakes.scholar_server import FakeScholar  # noqa: E402
from tests.test_faults import CONFIG, FAULTS, Bot, clear_faults  # noqa: E402

# write endpoints per delivery: the first review, then the review of the fix
FIRST = {
    "POST reviews": ("POST", r"/repos/{repo}/pulls/{n}/reviews"),
    "POST issue comment": ("POST", r"/repos/{repo}/issues/{n}/comments"),
    "POST labels": ("POST", r"/repos/{repo}/issues/{n}/labels"),
    "POST check-runs": ("POST", r"/repos/{repo}/check-runs"),
    "GET pull files": ("GET", r"/repos/{repo}/pulls/{n}/files"),
}
FIX = {
    "PATCH issue comment": ("PATCH", r"/repos/{repo}/issues/comments/\d+"),
    "DELETE label": ("DELETE", r"/repos/{repo}/issues/{n}/labels/.+"),
    "PUT review dismissal": ("PUT", r"/repos/{repo}/pulls/{n}/reviews/\d+/dismissals"),
    "POST labels": ("POST", r"/repos/{repo}/issues/{n}/labels"),
    "POST check-runs": ("POST", r"/repos/{repo}/check-runs"),
}
SHARED = {"POST check-runs"}  # one path for every PR: scripted once at a time, see below


def arxiv_faults(ax: FakeArxiv) -> dict[str, list[Scripted]]:
    error = ax.error_body("incorrect_id_format_for_x", "incorrect id format for x", "", "x")
    return {
        "arXiv 503": [Scripted(status=503, headers={"Retry-After": "1"})] * 2,
        "arXiv timeout": [Scripted(delay=1.4)] * 2,
        "arXiv truncated XML": [Scripted(truncate=300)] * 2,
        "arXiv malformed XML": [Scripted(body=b"<?xml version='1.0'?><feed><entry>")] * 2,
        "arXiv 400 for the batch": [Scripted(status=400, body=error)],
    }


def paper(i: int) -> tuple[str, str, str, Paper]:
    """(bad line, fixed line, id, metadata) of PR i's own paper."""
    aid = f"2312.{20000 + i:05d}"
    title = f"Storm Paper Number {i}"
    meta = Paper(aid, title, ("A. Author",), "2023-12-01T00:00:00Z")
    bad = f"- (*ICML 2024*) {title} [[paper](https://arxiv.org/pdf/{aid})]"
    fixed = f"- (*ICML 24'*) {title} [[paper](https://arxiv.org/abs/{aid})]"
    return bad, fixed, aid, meta


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prs", type=int, default=200)
    ap.add_argument("--seed", type=int, default=20251127)
    ap.add_argument("--github-rate", type=float, default=0.8, help="share of deliveries with a GitHub fault")
    ap.add_argument(
        "--arxiv-rate", type=float, default=0.3, help="share of first deliveries with an arXiv fault"
    )
    args = ap.parse_args()
    logging.disable(logging.CRITICAL)  # the retries are expected: keep the output to the figures
    rng = random.Random(args.seed)
    t0 = time.monotonic()

    papers = {}
    lines = {}
    for i in range(1, args.prs + 1):
        bad, fixed, aid, meta = paper(i)
        papers[aid] = meta
        lines[i] = (bad, fixed)
    gh = FakeGitHub().start()
    ax = FakeArxiv({**arxiv_papers.PAPERS, **papers}).start()
    s2 = FakeScholar().start()  # knows no paper: the bot asks it, nothing leaves the machine
    tmp = Path(tempfile.mkdtemp(prefix="faults-"))
    os.chdir(tmp)  # the job reads ./config.yml
    (tmp / "config.yml").write_text(CONFIG)
    private, public = app_key()
    gh.register_app(APP_ID, public, installation_id=INSTALLATION, account="octo")
    settings = Settings(
        github_app_id=str(APP_ID),
        github_app_private_key=private,
        github_api_url=gh.url,
        arxiv_api_url=ax.url,
        semantic_scholar_api_url=s2.url,
        data_dir=tmp / "data",
    )
    bot = Bot(gh, settings, "storm")
    injected: Counter[str] = Counter()
    endpoints: Counter[str] = Counter()
    deliveries: list[str] = []
    heads: dict[int, list[str]] = {}
    arxiv_hit: set[int] = set()

    def fault_on(number: int, table: dict[str, tuple[str, str]]) -> None:
        if rng.random() >= args.github_rate:
            return
        name = rng.choice(sorted(table))
        kind = rng.choice(sorted(FAULTS))
        method, path = table[name]
        faults = FAULTS[kind]()
        gh.script(method, path.format(repo=REPO, n=number), *faults)
        injected[kind] += len(faults)
        endpoints[name] += 1

    def run_one(number: int, head: str, table: dict[str, tuple[str, str]], with_arxiv: bool) -> None:
        """Script this delivery's faults, submit it, and run the queue until it is quiet: a shared
        path (check-runs) must not carry a fault into another PR's job."""
        fault_on(number, table)
        if with_arxiv and rng.random() < args.arxiv_rate:
            kind = rng.choice(sorted(arxiv_faults(ax)))
            answers = arxiv_faults(ax)[kind]
            ax.script(*answers)
            injected[kind] += len(answers)
            arxiv_hit.add(number)
        deliveries.append(bot.submit(number, head))
        bot.drain()
        left = clear_faults(gh)
        assert left == 0 and ax.pending_script == 0, f"PR {number}: {left} GitHub faults not met"

    for number in range(1, args.prs + 1):
        bad, _ = lines[number]
        heads[number] = [open_pr(gh, number, with_lines(bad, after=LAST))]
        run_one(number, heads[number][0], FIRST, with_arxiv=True)
    for number in range(1, args.prs + 1):
        _, fixed = lines[number]
        heads[number].append(push(gh, number, with_lines(fixed, after=LAST), "h2"))
        run_one(number, heads[number][1], FIX, with_arxiv=False)

    repo = gh.repo(REPO)
    not_done = [d for d in deliveries if (bot.queue.record(d) or {}).get("state") != "done"]
    per_review = Counter((r["_number"], r["commit_id"]) for r in repo.reviews)
    per_summary = Counter(c["_number"] for c in repo.issue_comments if SUMMARY_MARKER in c["body"])
    # a new verdict for the same head (arXiv answered after all) gets a fresh run; the same twice is a duplicate
    per_check = Counter(
        (r["head_sha"], r["output"]["title"], r["output"]["summary"], r["conclusion"])
        for r in repo.check_runs
    )
    lost = set()
    for number, (h1, h2) in heads.items():
        first = [r for r in repo.check_runs if r["head_sha"] == h1]
        last = [r for r in repo.check_runs if r["head_sha"] == h2]
        if not first or first[-1]["conclusion"] != "failure" or per_review[(number, h1)] != 1:
            lost.add(number)
        if (
            not last
            or last[-1]["conclusion"] != "success"
            or gh.labels_of(REPO, number) != {"review: passed"}
        ):
            lost.add(number)
        summary = [c for c in repo.issue_comments if c["_number"] == number and SUMMARY_MARKER in c["body"]]
        if not summary or "not verified" in summary[-1]["body"].lower() or h2[:7] not in summary[-1]["body"]:
            lost.add(number)
    # an arXiv outage never becomes an error: the first verdict of an arXiv-faulted PR names only
    # the contributor's own mistakes (venue tag, pdf link), never arxiv-exists/arxiv-title errors
    arxiv_blamed = sum(
        1
        for c in repo.review_comments
        if c["_number"] in arxiv_hit
        and ("**error** `arxiv-exists`" in c["body"] or "**error** `arxiv-title`" in c["body"])
    )
    dismissed = sum(1 for r in repo.reviews if r["state"] == "DISMISSED")
    wall = time.monotonic() - t0

    print(
        f"pull requests {args.prs}, deliveries {len(deliveries)}, processed {len(deliveries) - len(not_done)}"
    )
    print(f"faulty responses injected {sum(injected.values())}:")
    for kind, n in sorted(injected.items()):
        print(f"  {kind:<32} {n}")
    print("GitHub faults by endpoint (deliveries):")
    for name, n in sorted(endpoints.items()):
        print(f"  {name:<32} {n}")
    print(
        f"client waits recorded {len(bot.sleeps)} (max {max(bot.sleeps, default=0):.0f}s); queue retries {len(bot.delays)}"
    )
    print(f"lost {len(lost) + len(not_done)}  duplicate reviews {sum(c - 1 for c in per_review.values())}  "
          f"summaries {sum(c - 1 for c in per_summary.values())}  check runs {sum(c - 1 for c in per_check.values())}  "
          f"arXiv outages blamed on contributors {arxiv_blamed}  stale change requests {args.prs - dismissed}")  # fmt: skip
    print(f"wall {wall:.1f}s")
    gh.stop()
    ax.stop()
    s2.stop()
    bad = lost or not_done or arxiv_blamed or dismissed != args.prs
    bad = bad or any(c > 1 for c in [*per_review.values(), *per_summary.values(), *per_check.values()])
    if bad:
        print(f"FAILED: lost={sorted(lost)} not_done={not_done}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
