"""The online audit a maintainer waits for: `check` on a 2,000-entry list against the local arXiv
server, honouring arXiv's 3 s between requests for real, cold (empty cache) then warm.

Each run is a whole `check` process (ARXIV_API_URL at the local server, its cache in a fresh
BOT_DATA_DIR); the server records every request, so the figures are what arXiv would see.
Goals: cold <= 25 requests and <= 75 s; warm 0 requests; every id verified; no two requests closer
than the spacing. `--before` runs it cold at 25 ids a request too (the old default), beside.

Run: .venv/bin/python bench/arxiv_audit.py [--entries 2000] [--batch-size N] [--min-interval 3] [--before]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from anywhere without installing
sys.path.insert(0, str(ROOT / "bench"))

from check_speed import synthetic_list  # noqa: E402

from bot.core.model import Paper  # noqa: E402
from tests.fakes.arxiv_server import FakeArxiv  # noqa: E402

_ENTRY = re.compile(r"^- \(\*[^*]+\*\) (?P<title>.+?) \[\[paper\]\(https://arxiv\.org/abs/(?P<id>[\d.]+)\)\]")
GOAL_REQUESTS, GOAL_SECONDS = 25, 75.0


def papers_of(text: str) -> dict[str, Paper]:
    """arXiv's metadata for every entry of the list, its title the entry's own."""
    out = {}
    for line in text.splitlines():
        if m := _ENTRY.match(line):
            out[m["id"]] = Paper(m["id"], m["title"], ("A. Author",), "2024-01-15T12:00:00Z")
    return out


def audit(
    text: str, papers: dict[str, Paper], batch_size: int | None, interval: float, runs: tuple[str, ...]
):
    """One row per run of `check` (cold: an empty cache; warm: the same cache again)."""
    config = f"arxiv:\n  min_interval_seconds: {interval}\n" + (
        f"  batch_size: {batch_size}\n" if batch_size else ""
    )
    config += "semantic_scholar:\n  enabled: false\nopenreview:\n  enabled: false\n"  # arXiv's figures alone
    rows = []
    with FakeArxiv(papers) as server, tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "README.md").write_text(text, encoding="utf-8")
        Path(tmp, "config.yml").write_text(config, encoding="utf-8")
        env = {**os.environ, "ARXIV_API_URL": server.url, "BOT_DATA_DIR": str(Path(tmp, "data"))}
        env.pop("REDIS_URL", None)
        for label in runs:
            before = len(server.requests)
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-m", "bot", "check", "README.md", "--config", "config.yml", "--format", "json"],
                cwd=tmp, env=env, capture_output=True, text=True, timeout=900,
            )  # fmt: skip
            wall = time.perf_counter() - t0
            if done.returncode not in (0, 1):
                raise SystemExit(f"check failed ({done.returncode}): {done.stderr[-2000:]}")
            sent = server.requests[before:]
            exists = [f for f in json.loads(done.stdout)["findings"] if f["rule"] == "arxiv-exists"]
            unverified = sum(1 for f in exists if f["severity"] == "notice")
            starts = sorted(r.started for r in sent)
            gap = min((b - a for a, b in itertools.pairwise(starts)), default=float("nan"))
            biggest = max((len(r.ids) for r in sent), default=0)
            rows.append((label, len(sent), biggest, wall, gap, len(exists) - unverified, unverified))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=2000)
    ap.add_argument(
        "--batch-size", type=int, default=None, help="arxiv.batch_size (default: the shipped one)"
    )
    ap.add_argument("--min-interval", type=float, default=3.0, help="seconds between requests (arXiv's 3)")
    ap.add_argument(
        "--before", action="store_true", help="also run cold at 25 ids a request, the old default"
    )
    args = ap.parse_args(argv)

    text = synthetic_list(args.entries)
    papers = papers_of(text)
    rows = audit(text, papers, args.batch_size, args.min_interval, ("cold", "warm"))
    if args.before:
        rows += [("25/req " + r[0], *r[1:]) for r in audit(text, papers, 25, args.min_interval, ("cold",))]
    n = len(papers)
    print(
        f"arXiv audit: `check` on a list of {args.entries} entries ({n} arXiv ids), min_interval {args.min_interval} s"
    )
    print(
        f"{'run':<12}{'requests':>10}{'ids/req':>9}{'wall s':>9}{'min gap s':>11}{'missing':>9}{'unverif.':>10}"
    )
    ok = True
    for label, sent, biggest, wall, gap, missing, unverified in rows:
        print(f"{label:<12}{sent:>10}{biggest:>9}{wall:>9.1f}{gap:>11.2f}{missing:>9}{unverified:>10}")
        ok &= missing == 0 and unverified == 0 and (math.isnan(gap) or gap >= args.min_interval - 0.05)
    (_, cold, _, cold_wall, *_), (_, warm, *_) = rows[:2]
    print(
        f"goals: cold <= {GOAL_REQUESTS} requests ({cold}) and <= {GOAL_SECONDS:.0f} s ({cold_wall:.1f}); "
        f"warm 0 requests ({warm})"
    )
    ok &= cold <= GOAL_REQUESTS and cold_wall <= GOAL_SECONDS and warm == 0
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
