"""Audit figures for the arXiv layer: 1,000 ids against the local fake arXiv, cold then warm.

Goals: cold = ceil(1000 / batch_size) requests; warm (same ids, cache filled) = zero requests.
Run: .venv/bin/python bench/arxiv_audit.py [--ids 1000] [--batch-size 25] [--format current|legacy]
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from bot.adapters.arxiv_cache import CachedArxiv, SqliteCache
from bot.adapters.arxiv_client import ArxivClient, FileGate
from bot.core.model import Paper
from tests.fakes.arxiv_server import FakeArxiv


def synthetic_papers(n: int) -> dict[str, Paper]:
    """n distinct papers with valid new-style ids (2501.00001 ...), long titles as in real lists."""
    papers = {}
    for k in range(n):
        arxiv_id = f"25{1 + k // 99999:02d}.{1 + k % 99999:05d}"
        papers[arxiv_id] = Paper(
            id=arxiv_id,
            title=f"Synthetic Paper Number {k} on Self-Improving Language Models via Reinforcement Learning",
            authors=("A. Author", "B. Author"),
            published="2025-01-15T12:00:00Z",
            updated="2025-01-15T12:00:00Z",
            version=1 + k % 3,
        )
    return papers


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ids", type=int, default=1000)
    ap.add_argument("--batch-size", type=int, default=25)
    ap.add_argument("--format", choices=("current", "legacy"), default="current")
    args = ap.parse_args(argv)

    papers = synthetic_papers(args.ids)
    ids = list(papers)
    goal = math.ceil(len(ids) / args.batch_size)
    with FakeArxiv(papers, format=args.format) as server, tempfile.TemporaryDirectory() as tmp:
        client = ArxivClient(
            server.url, batch_size=args.batch_size, min_interval=0.0, gate=FileGate(Path(tmp) / "gate.lock")
        )
        arxiv = CachedArxiv(client, SqliteCache(Path(tmp) / "arxiv-cache.sqlite3"))
        rows = []
        for label in ("cold", "warm"):
            before = len(server.requests)
            t0 = time.perf_counter()
            result = arxiv.lookup(ids)
            wall = time.perf_counter() - t0
            sent = len(server.requests) - before
            rows.append((label, sent, wall, len(result.papers), len(result.missing), len(result.unverified)))
        print(
            f"arXiv audit: {len(ids)} ids, batch_size {args.batch_size}, min_interval 0, {args.format} format"
        )
        print(f"{'run':<6}{'requests':>10}{'goal':>6}{'wall s':>9}{'found':>7}{'missing':>9}{'unverif.':>10}")
        ok = True
        for (label, sent, wall, found, missing, unverified), want in zip(rows, (goal, 0), strict=True):
            print(f"{label:<6}{sent:>10}{want:>6}{wall:>9.3f}{found:>7}{missing:>9}{unverified:>10}")
            ok &= sent == want and found == len(ids)
        print(f"against real arXiv (3 s between requests) the cold run needs at least {(goal - 1) * 3} s")
        print("goals met" if ok else "GOALS NOT MET")
        return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
