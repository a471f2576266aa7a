"""Load the webhook receiver: N signed deliveries at a fixed rate while the worker is busy.

    .venv/bin/python bench/webhook_load.py [--count 2000] [--rate 200] [--job-seconds 0.05]
                                           [--redis-url redis://127.0.0.1:6379/0] [--server waitress|gunicorn]

Three processes, as in production: the receiver (waitress or gunicorn), a queue worker whose job
sleeps ``--job-seconds`` (so the queue grows: the worker is slower than the arrivals), and this
load generator, which sends open-loop (each request at its scheduled time, i / rate) so a slow
answer does not slow the arrivals down. Prints the ack latency (time to the 202), errors, and how
many jobs the worker processed.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fakes import free_port  # noqa: E402

SECRET = "bench-secret"


def payload(number: int) -> dict[str, Any]:
    sha = uuid.uuid4().hex + uuid.uuid4().hex[:8]
    return {
        "action": "opened",
        "number": number,
        "pull_request": {
            "number": number,
            "state": "open",
            "draft": False,
            "head": {"ref": f"patch-{number}", "sha": sha},
            "base": {"ref": "main", "sha": "0" * 40},
        },
        "repository": {"full_name": "bench/awesome-list"},
        "installation": {"id": 1},
    }


def settings_for(args: argparse.Namespace) -> Any:
    from bot.settings import Settings

    return Settings(webhook_secret=SECRET, data_dir=Path(args.data_dir), redis_url=args.redis_url or None)


def role_receiver(args: argparse.Namespace) -> None:
    import waitress

    from bot.service.app import create_app
    from bot.service.queue import make_queue

    settings = settings_for(args)
    app = create_app(settings, make_queue(settings, runner=lambda job, s: None, name=args.name))
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=16, _quiet=True)


def role_worker(args: argparse.Namespace) -> None:
    from bot.service.queue import make_queue
    from bot.service.serve import run_consumer

    def runner(job: dict[str, Any], settings: Any) -> None:
        time.sleep(args.job_seconds)  # the review: network-bound in real life
        con = sqlite3.connect(args.done_db, timeout=30, isolation_level=None)
        con.execute("insert into done values (?)", (job["delivery_id"],))
        con.close()

    run_consumer(make_queue(settings_for(args), runner, name=args.name), workers=args.workers, max_delay=0.2)


def processed(done_db: str) -> int:
    with sqlite3.connect(done_db, timeout=30) as con:
        return con.execute("select count(distinct delivery) from done").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--role", choices=["load", "receiver", "worker"], default="load")
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--job-seconds", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--server", choices=["waitress", "gunicorn"], default="waitress")
    parser.add_argument("--gunicorn-args", default="--workers 1 --threads 8", help="as in the Procfile")
    parser.add_argument(
        "--close",
        dest="keep_alive",
        action="store_false",
        help="a new connection per delivery, as GitHub does (slow with waitress: see the report)",
    )
    parser.add_argument("--drain-timeout", type=float, default=120.0)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--done-db", default="")
    parser.add_argument("--name", default="")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.role == "receiver":
        role_receiver(args)
    elif args.role == "worker":
        role_worker(args)
    else:
        load(args)


def load(args: argparse.Namespace) -> None:
    import requests

    from bot.service.signature import sign

    tmp = Path(tempfile.mkdtemp(prefix="webhook-load-"))
    args.data_dir = str(tmp / "data")
    args.done_db = str(tmp / "done.db")
    # gunicorn builds its queue from the environment, under the default queue name
    args.name = "awesome-review" if args.server == "gunicorn" else f"bench{uuid.uuid4().hex[:8]}"
    args.port = free_port()
    with sqlite3.connect(args.done_db) as con:
        con.execute("create table done (delivery text)")
    common = [f"--data-dir={args.data_dir}", f"--done-db={args.done_db}", f"--name={args.name}"]
    common += [f"--port={args.port}", f"--redis-url={args.redis_url}", f"--job-seconds={args.job_seconds}"]
    common += [f"--workers={args.workers}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    me = [sys.executable, str(Path(__file__).resolve())]
    if args.server == "gunicorn":
        env |= {"GITHUB_WEBHOOK_SECRET": SECRET, "BOT_DATA_DIR": args.data_dir, "REDIS_URL": args.redis_url}
        receiver_cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            f"--bind=127.0.0.1:{args.port}",
            "--log-level=warning",
        ]
        receiver_cmd += [*args.gunicorn_args.split(), "bot.service.wsgi:create()"]
    else:
        receiver_cmd = [*me, "--role=receiver", *common]
    log = open(tmp / "processes.log", "wb")  # noqa: SIM115 - closed at the end
    procs = [
        subprocess.Popen(receiver_cmd, env=env, cwd=ROOT, stdout=log, stderr=log),
        subprocess.Popen([*me, "--role=worker", *common], env=env, cwd=ROOT, stdout=log, stderr=log),
    ]
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                pass  # not listening yet, or still booting
            if time.monotonic() > deadline:
                raise SystemExit(f"receiver did not start, see {tmp / 'processes.log'}")
            time.sleep(0.1)

        local = threading.local()
        latencies: list[float] = []
        lags: list[float] = []
        statuses: dict[str, int] = {}
        lock = threading.Lock()
        bodies = [json.dumps(payload(n + 1)).encode() for n in range(args.count)]
        start = time.monotonic() + 0.2

        def send(i: int) -> None:
            session = getattr(local, "session", None)
            if session is None:
                session = local.session = requests.Session()
                if not args.keep_alive:  # GitHub opens a connection per delivery
                    session.headers["Connection"] = "close"
            due = start + i / args.rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            body = bodies[i]
            headers = {
                "Content-Type": "application/json",
                "X-GitHub-Event": "pull_request",
                "X-GitHub-Delivery": str(uuid.uuid4()),
                "X-Hub-Signature-256": sign(SECRET, body),
            }
            t0 = time.monotonic()
            try:
                status = str(
                    session.post(f"{base}/webhook", data=body, headers=headers, timeout=10).status_code
                )
            except requests.RequestException as exc:
                status = type(exc).__name__
            t1 = time.monotonic()
            with lock:
                latencies.append(t1 - t0)
                lags.append(t0 - due)
                statuses[status] = statuses.get(status, 0) + 1

        with ThreadPoolExecutor(max_workers=64) as pool:
            list(pool.map(send, range(args.count)))
        sent_for = time.monotonic() - start
        at_end = processed(args.done_db)
        depth = requests.get(f"{base}/healthz", timeout=5).json()["queue"]
        drain_start = time.monotonic()
        while processed(args.done_db) < statuses.get("202", 0):
            if time.monotonic() - drain_start > args.drain_timeout:
                break
            time.sleep(0.2)
        drained_in = time.monotonic() - drain_start
        total = processed(args.done_db)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()

    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, round(p / 100 * (len(ms) - 1)))]

    errors = sum(n for s, n in statuses.items() if s != "202")
    backend = "redis" if args.redis_url else "sqlite"
    print(
        f"webhook load: {args.count} signed deliveries at {args.rate:.0f}/s, receiver={args.server}, "
        f"queue={backend}, keep-alive={args.keep_alive}, worker={args.workers} threads x {args.job_seconds * 1000:.0f} ms/job"
    )
    print(
        f"  sent in {sent_for:.2f} s ({args.count / sent_for:.0f}/s achieved); "
        f"send lag p99 {sorted(lags)[int(0.99 * (len(lags) - 1))] * 1000:.1f} ms"
    )
    print(
        f"  ack latency ms: p50 {pct(50):.1f}  p90 {pct(90):.1f}  p99 {pct(99):.1f}  max {ms[-1]:.1f}  "
        f"mean {statistics.fmean(ms):.1f}"
    )
    print(f"  statuses: {dict(sorted(statuses.items()))}  errors: {errors}")
    print(f"  processed when sending ended: {at_end}; queue then: {depth}")
    print(
        f"  processed in the end: {total}/{statuses.get('202', 0)} accepted (drained {drained_in:.1f} s later)"
    )
    print(f"  logs: {tmp / 'processes.log'}")


if __name__ == "__main__":
    main()
