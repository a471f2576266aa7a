"""Slow clients against the receiver: how many it survives, this tree's front end beside the old ones.

Run: python bench/slow_clients.py [--clients 8 120 1000 3000] [--baseline ea5219e] [--deliveries 10]

For each front end and each number N, the receiver starts afresh; N clients connect and send a
request's first line and then one header byte every 2 s, forever: whenever the receiver closes one,
it connects again at once (a sustained attack, not a one-off). Meanwhile 10 signed deliveries
(`ping`, one a second, each on its own connection, waiting 10 s as GitHub does) are sent; the
receiver survives N slow clients when it answers all of them within 10 s. Front ends:

- gunicorn, one worker with 8 threads: the Procfile's and compose's web process before;
- `serve` at the baseline (waitress with its defaults: 100 connections, 120 s idle);
- `web` of this tree (bot/service/front.py; `serve` uses the same front end).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.order_speed import extract  # noqa: E402
from bot.service import signature  # noqa: E402
from tests.fakes import free_port  # noqa: E402

SECRET = "slow-clients-secret"
DRIP = 2.0
GITHUB_WAITS = 10.0


class Receiver:
    """One front end as a child process on a free port."""

    def __init__(self, kind: str, baseline: Path | None, tmp: Path) -> None:
        self.port = free_port()
        tree = baseline if kind == "serve-before" and baseline else ROOT
        env = {
            "PATH": os.environ["PATH"],
            "PYTHONPATH": str(tree),
            "GITHUB_WEBHOOK_SECRET": SECRET,
            "BOT_DATA_DIR": str(tmp / f"data-{kind}-{self.port}"),
        }
        host = ["--host", "127.0.0.1", "--port", str(self.port)]
        procfile = ["--workers", "1", "--threads", "8", "--timeout", "30", "bot.service.wsgi:create()"]
        cmd = {
            "gunicorn": [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", *procfile],
            "serve-before": [sys.executable, "-m", "bot", "serve", *host],
            "serve": [sys.executable, "-m", "bot", "serve", *host],
            "web": [sys.executable, "-m", "bot", "web", *host],
        }[kind]
        self.proc = subprocess.Popen(
            cmd, env=env, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=1).ok:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{kind} did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        self.proc.kill()
        self.proc.wait()


class SlowClients(threading.Thread):
    """N connections sending a header byte every DRIP seconds; one the receiver closes (or refuses)
    is opened again at once. Non-blocking: a connection the receiver has not accepted yet waits."""

    def __init__(self, port: int, n: int) -> None:
        super().__init__(daemon=True)
        self.port, self.n = port, n
        self.stop = threading.Event()
        self.reopened = 0

    def _open(self) -> list:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        return [s, b"POST /webhook HTTP/1.1\r\nHost: receiver\r\nX-Slow: "]  # what it sends first

    def run(self) -> None:
        clients = [self._open() for _ in range(self.n)]
        while not self.stop.wait(DRIP):
            for client in clients:
                s, first = client
                try:
                    s.send(first or b"a")
                    client[1] = b""
                except (BlockingIOError, InterruptedError):
                    pass  # not accepted yet, or its buffer is full: the receiver is not reading it
                except OSError as exc:
                    if exc.errno == 107:  # ENOTCONN: still connecting
                        continue
                    s.close()
                    client[:] = self._open()
                    self.reopened += 1
        for s, _ in clients:
            s.close()


def deliver(port: int) -> float | None:
    """Seconds until a signed ping is answered 200, or None when GitHub would have given up."""
    body = json.dumps({"zen": "Keep it logically awesome.", "hook_id": 1}).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "ping",
        "X-GitHub-Delivery": f"slow-{time.monotonic_ns()}",
        "X-Hub-Signature-256": signature.sign(SECRET, body),
        "Connection": "close",
    }
    t0 = time.monotonic()
    try:
        r = requests.post(
            f"http://127.0.0.1:{port}/webhook", data=body, headers=headers, timeout=GITHUB_WAITS
        )
    except requests.RequestException:
        return None
    took = time.monotonic() - t0
    return took if r.status_code == 200 and took <= GITHUB_WAITS else None


def trial(kind: str, n: int, baseline: Path, tmp: Path, deliveries: int) -> str:
    receiver = Receiver(kind, baseline, tmp)
    slow = SlowClients(receiver.port, n)
    try:
        slow.start()
        time.sleep(DRIP * 2)  # every slow client connected and dripping
        results: list[float | None] = []
        senders = []
        for _ in range(deliveries):
            t = threading.Thread(target=lambda: results.append(deliver(receiver.port)))
            t.start()
            senders.append(t)
            time.sleep(1.0)
        for t in senders:
            t.join()
    finally:
        slow.stop.set()
        slow.join(30)
        receiver.stop()
    answered = [r for r in results if r is not None]
    worst = f", slowest {max(answered):.2f} s" if answered else ""
    median = f"median {statistics.median(answered):.2f} s" if answered else "none"
    return f"{len(answered)}/{deliveries} ({median}{worst})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, nargs="+", default=[8, 120, 1000, 3000])
    ap.add_argument("--baseline", default="ea5219e", help="git revision whose `serve` is compared")
    ap.add_argument("--deliveries", type=int, default=10)
    ap.add_argument("--front", nargs="+", default=["gunicorn", "serve-before", "web"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = extract(args.baseline, Path(tmp, "baseline"))
        print(
            f"deliveries answered within {GITHUB_WAITS:.0f} s while N slow clients drip (each {DRIP:.0f} s)"
        )
        print(f"{'N':>6}  " + "  ".join(f"{f:>36}" for f in args.front))
        for n in args.clients:
            row = [trial(kind, n, base, Path(tmp), args.deliveries) for kind in args.front]
            print(f"{n:>6}  " + "  ".join(f"{r:>36}" for r in row), flush=True)


if __name__ == "__main__":
    main()
