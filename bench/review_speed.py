"""A review of a 5-line pull request on a 5,000-entry list, as the worker does it: the format learnt
from the base branch's file (cached by its blob SHA, `job.Formats`), then the head read and the added
lines judged against the whole file (`pipeline.review_file`), arXiv answered from a warm cache.

Cold is the first review in a fresh process; warm is each later one, every pull request adding its
own five entries to the same base (the base's format cached, the worker's lines read before).
Goal (issue 17): warm <= 150 ms. --before DIR runs the same in a process on the code in DIR (a
checkout: `git archive main | tar -x -C DIR`), side by side.

Run: .venv/bin/python bench/review_speed.py [--entries 5000] [--added 5] [--reviews 20] [--before DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 150


def measure(entries: int, added: int, reviews: int, gc_off: bool = False) -> dict[str, float]:
    sys.path.insert(0, str(ROOT / "bench"))
    from check_speed import synthetic_list

    from bot.core.config import config as config_mod
    from bot.core.model import ArxivLookup, Paper
    from bot.core.verdict import pipeline
    from bot.service.job import Formats

    base = synthetic_list(entries)
    lines = base.split("\n")
    at = lines.index("## Related Works") + 1
    cfg = config_mod.loads("", "<defaults>")
    formats = Formats()
    today = dt.date(2026, 12, 7)
    times = []
    for k in range(reviews + 1):
        new = [
            f"- (*Arxiv 2025.12*) A New Paper {k}-{j} on Self Play [[paper](https://arxiv.org/abs/2512.{90000 + k * 10 + j:05d})]"
            for j in range(added)
        ]
        papers = {
            f"2512.{90000 + k * 10 + j:05d}": Paper(
                f"2512.{90000 + k * 10 + j:05d}", f"A New Paper {k}-{j} on Self Play"
            )
            for j in range(added)
        }
        head = "\n".join([*lines[:at], *new, *lines[at:]]).encode()
        checked = frozenset(range(at + 1, at + 1 + added))
        known = ArxivLookup(papers=papers)
        gc.collect()
        if gc_off:
            gc.disable()
        t0 = time.perf_counter()
        resolved = formats.resolve(cfg, base)
        found = pipeline.review_file(
            head, "README.md", resolved, checked, today=today, lookup=lambda ids, known=known: known
        )
        times.append(time.perf_counter() - t0)
        gc.enable()
        assert len(found.items) == added, len(found.items)
    return {
        "cold": times[0] * 1000,
        "warm": statistics.median(times[1:]) * 1000,
        "best": min(times[1:]) * 1000,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--added", type=int, default=5)
    ap.add_argument("--reviews", type=int, default=20)
    ap.add_argument("--before", help="a checkout of the code to compare with")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one process's figures
    args = ap.parse_args()
    if args.json:
        print(json.dumps(measure(args.entries, args.added, args.reviews)))
        return
    rows = {}
    runs = [("now", None), ("before", args.before)] if args.before else [("now", None)]
    for name, where in runs:
        env = {**os.environ, "PYTHONPATH": str(Path(where).resolve())} if where else dict(os.environ)
        cmd = [sys.executable, __file__, "--json", f"--entries={args.entries}", f"--added={args.added}"]
        done = subprocess.run([*cmd, f"--reviews={args.reviews}"], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(done.stderr)
        rows[name] = json.loads(done.stdout)
    print(
        f"review of a {args.added}-line pull request on a {args.entries:,}-entry list ({args.reviews} warm reviews)"
    )
    print(f"{'code':<8}{'cold ms':>10}{'warm ms':>10}{'best ms':>10}")
    for name, r in rows.items():
        print(f"{name:<8}{r['cold']:>10.1f}{r['warm']:>10.1f}{r['best']:>10.1f}")
    if "before" in rows:
        b, n = rows["before"], rows["now"]
        print(f"warm: {b['warm'] / n['warm']:.2f}x faster than before; cold: {b['cold'] / n['cold']:.2f}x")
    print(
        f"goal: warm <= {GOAL_MS} ms (the base's format and calibration cached by its blob SHA, job.Formats)"
    )


if __name__ == "__main__":
    main()
