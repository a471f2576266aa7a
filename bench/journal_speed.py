"""`/healthz`, `/metrics` and the status page on a week's journal, this tree beside a baseline.

Run: python bench/journal_speed.py [--baseline ea5219e] [--records 100000] [--backend sqlite redis]

The journal holds `--records` finished deliveries (a busy week: every one reviewed), 20 waiting and
5 failed ones, 50 review summaries and 2 worker processes' metrics, written through each tree's own
queue. Each endpoint is asked 5 times through the receiver (Flask's test client, no network) and the
median is shown (after one request that opens connections and compiles templates). Both trees run as child processes, one after the other; the baseline is extracted
with `git archive` (default: main when issue 19 was filed, where every request read every record).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = ("/healthz", "/metrics", "/")


def child(records: int, data_dir: str, redis_url: str | None, name: str) -> None:
    """Fill a journal through this process's `bot` (the tree on PYTHONPATH), then time the endpoints."""
    from bot.service import history, metrics
    from bot.service.app import create_app
    from bot.service.events import ReviewJob
    from bot.service.queue import make_queue
    from bot.settings import Settings

    settings = Settings(data_dir=Path(data_dir), redis_url=redis_url)
    queue = make_queue(settings, lambda job, s: None, name=name)
    if redis_url is None:
        queue.huey.storage.conn.execute("pragma synchronous=0")  # filling only: the reads are timed
    now = time.time()
    for i in range(records):
        job = ReviewJob(f"d{i}", "octo/list", i, "a" * 40, "main", None, "opened", False)
        updated = now - 7 * 86400 + i * (7 * 86400 / records)
        queue._save(
            f"d{i}",
            {"state": "done", "job": job.to_dict(), "attempt": 0, "created": updated, "updated": updated},
        )
    for i in range(20):
        queue.submit(ReviewJob(f"new{i}", "octo/list", 10**6 + i, "b" * 40, "main", None, "opened", False))
    for i in range(5):
        job = ReviewJob(f"bad{i}", "octo/list", 2 * 10**6 + i, "c" * 40, "main", None, "opened", False)
        queue._save(
            f"bad{i}",
            {
                "state": "failed",
                "job": job.to_dict(),
                "attempt": 3,
                "error": "GitHub 404",
                "created": now,
                "updated": now,
            },
        )

    class Result:
        dry_run = False

    class Plan:
        head_sha, conclusion, check_title, counts = "d" * 40, "success", "ok", {"error": 0}

    for i in range(50):
        job = ReviewJob(f"d{i}", "octo/list", i, "a" * 40, "main", None, "opened", False)
        history.record_review(queue.huey.storage, job, Plan(), Result(), private=False)
    queue.save_metrics()
    metrics.PROCESS_ID = "another-worker"
    queue.save_metrics()

    client = create_app(settings, queue).test_client()
    out = {}
    for path in ENDPOINTS:
        client.get(path)  # connections opened, templates compiled
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            answer = client.get(path)
            times.append(time.perf_counter() - t0)
            assert answer.status_code == 200, (path, answer.status_code)
        out[path] = statistics.median(times)
    queue.huey.storage.flush_all()
    print(json.dumps(out))


def run(tree: Path, records: int, tmp: Path, backend: str, redis_url: str | None) -> dict[str, float]:
    name = f"bench{time.monotonic_ns() % 10**9}"
    args = [str(records), str(tmp / f"data-{name}"), redis_url or "", name]
    code = (
        "import sys; sys.argv[1:] = " + repr(args) + "\n"
        "from journal_speed import child\n"
        "child(int(sys.argv[1]), sys.argv[2], sys.argv[3] or None, sys.argv[4])\n"
    )
    env = {"PYTHONPATH": f"{tree}:{ROOT / 'bench'}", "PATH": "/usr/bin:/bin"}
    # cwd: not this checkout, whose bot/ `python -c` would import first, whatever PYTHONPATH says
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{backend} on {tree}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="ea5219e", help="git revision to compare with")
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--backend", nargs="+", default=["sqlite", "redis"], choices=["sqlite", "redis"])
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "bench"))
    from crash import RedisServer
    from order_speed import extract

    with tempfile.TemporaryDirectory() as tmp:
        base = extract(args.baseline, Path(tmp, "baseline"))
        print(
            f"journal of {args.records:,} records     {'baseline ' + args.baseline:>16} {'this tree':>10} {'speed-up':>9}"
        )
        for backend in args.backend:
            server = RedisServer(Path(tmp)) if backend == "redis" else None
            try:
                url = server.url if server else None
                before = run(base, args.records, Path(tmp), backend, url)
                after = run(ROOT, args.records, Path(tmp), backend, url)
            finally:
                if server:
                    server.stop()
            for path in ENDPOINTS:
                b, a = before[path], after[path]
                print(
                    f"GET {path:9} {backend:6}             {b * 1000:12.1f} ms {a * 1000:7.1f} ms {b / a:8.0f}x"
                )


if __name__ == "__main__":
    main()
