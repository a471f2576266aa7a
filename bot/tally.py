"""What the bot counts, per process: plain numbers the adapters and the service add to.

bot.service.metrics persists a worker's tally in the queue's store and serves the sum as Prometheus
text; this module holds only the numbers and the hooks the adapters call, so an adapter counts its
requests without importing the service.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterable
from typing import Any

#: One id per Python process: the key of its snapshot, and how recover() knows not to adopt itself.
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
JOB_BUCKETS: tuple[float, ...] = (0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)

Labels = tuple[tuple[str, str], ...]


class Tally:
    """Counters and the job-duration histogram of one process; thread-safe, JSON round-trippable."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counters: dict[tuple[str, Labels], float] = {}
        self.buckets = [0] * (len(JOB_BUCKETS) + 1)  # per bucket (not cumulative); the last is +Inf
        self.duration_sum = 0.0
        self.duration_count = 0

    def inc(self, name: str, amount: float = 1.0, **labels: str) -> None:
        key = (name, tuple(sorted(labels.items())))
        with self._lock:
            self.counters[key] = self.counters.get(key, 0.0) + amount

    def observe(self, seconds: float) -> None:
        index = next((i for i, le in enumerate(JOB_BUCKETS) if seconds <= le), len(JOB_BUCKETS))
        with self._lock:
            self.buckets[index] += 1
            self.duration_sum += seconds
            self.duration_count += 1

    def value(self, name: str, **labels: str) -> float:
        with self._lock:
            return self.counters.get((name, tuple(sorted(labels.items()))), 0.0)

    def snapshot(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        """A JSON-able copy; ``names`` limits the counters (a worker persists only its own)."""
        wanted = None if names is None else set(names)
        with self._lock:
            counters = [
                [name, dict(labels), value]
                for (name, labels), value in sorted(self.counters.items())
                if wanted is None or name in wanted
            ]
            histogram = {
                "bounds": list(JOB_BUCKETS),
                "buckets": list(self.buckets),
                "sum": self.duration_sum,
                "count": self.duration_count,
            }
        return {"counters": counters, "job_duration": histogram}

    def merge(self, snap: dict[str, Any]) -> None:
        """Add a snapshot's numbers; malformed parts are skipped (the store is outside this process)."""
        for item in snap.get("counters") or []:
            try:
                name, labels, value = item
                self.inc(str(name), float(value), **{str(k): str(v) for k, v in dict(labels).items()})
            except (TypeError, ValueError):
                continue
        hist = snap.get("job_duration") or {}
        if hist.get("bounds") == list(JOB_BUCKETS) and len(hist.get("buckets") or []) == len(self.buckets):
            with self._lock:
                self.buckets = [a + int(b) for a, b in zip(self.buckets, hist["buckets"], strict=True)]
                self.duration_sum += float(hist.get("sum") or 0.0)
                self.duration_count += int(hist.get("count") or 0)


TALLY = Tally()


def arxiv_call(ok: bool) -> None:
    TALLY.inc("arxiv_requests")
    if not ok:
        TALLY.inc("arxiv_request_failures")


def github_call(ok: bool) -> None:
    TALLY.inc("github_requests")
    if not ok:
        TALLY.inc("github_request_failures")


def arxiv_cache(hits: int, misses: int) -> None:
    TALLY.inc("arxiv_cache_hits", hits)
    TALLY.inc("arxiv_cache_misses", misses)


def records_call(ok: bool) -> None:
    TALLY.inc("records_requests")
    if not ok:
        TALLY.inc("records_request_failures")


def records_cache(hits: int, misses: int) -> None:
    TALLY.inc("records_cache_hits", hits)
    TALLY.inc("records_cache_misses", misses)
