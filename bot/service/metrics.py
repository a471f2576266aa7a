"""What the bot counts, and ``GET /metrics`` in Prometheus' text format.

The receiver and the queue call the hooks below (:func:`delivery`, :func:`job`), the adapters those of
bot.tally (:func:`~bot.tally.arxiv_call`, :func:`~bot.tally.github_call`,
:func:`~bot.tally.arxiv_cache`); all add to the per-process :class:`~bot.tally.Tally` of plain
numbers, so the pure core never sees Prometheus, ``check`` never imports prometheus-client, and the
adapters never import the service.

Why not prometheus-client's multiprocess mode: the Procfile runs the receiver (gunicorn) and the
worker as separate processes, and with ``REDIS_URL`` workers run on other machines, where a shared
``PROMETHEUS_MULTIPROC_DIR`` of mmap files does not reach; it must also be set before the import and
wiped between runs. So the worker-side counts (jobs, arXiv, GitHub, the arXiv cache) travel through
the store every process already shares, the queue's: after each job a worker writes its whole tally
as one JSON value under ``metrics:<process>`` (one writer per key: no lost updates, SQLite or Redis
alike), and ``/metrics`` in any process sums every snapshot (:class:`Collector`). A dead worker's
snapshot is adopted by a live worker's ``recover()`` (popped, added to its own tally, written back),
so keys do not pile up and sums do not go down. The receiver's delivery counters stay in the web
process that counts them (the Procfile runs one web process); queue depth and the oldest waiting job
are read from the queue at scrape time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Protocol

from bot.tally import JOB_BUCKETS, PROCESS_ID, TALLY, Tally

PREFIX = "awesome_review_"

DELIVERY_OUTCOMES = ("accepted", "duplicate", "ignored", "bad_signature", "bad_payload", "queue_unavailable")
JOB_OUTCOMES = ("done", "retry", "failed", "superseded")
# Counters a worker persists (name, help); deliveries are the receiver's and stay in its process.
WORKER_COUNTERS: dict[str, str] = {
    "jobs": "Review jobs run, by outcome (done, retry, failed, superseded).",
    "arxiv_requests": "HTTP requests sent to the arXiv API.",
    "arxiv_request_failures": "arXiv requests that failed (no answer, 429/5xx, malformed or rejected).",
    "github_requests": "HTTP requests sent to the GitHub API.",
    "github_request_failures": "GitHub requests that failed (no answer, 5xx, 403/429 rate limits).",
    "arxiv_cache_hits": "arXiv ids answered by the metadata cache.",
    "arxiv_cache_misses": "arXiv ids the metadata cache did not have (asked arXiv).",
    "records_requests": "HTTP requests sent to Semantic Scholar (publication records).",
    "records_request_failures": "Semantic Scholar requests that failed (no answer, 429/5xx, malformed or rejected).",
    "records_cache_hits": "Record ids answered by the records cache.",
    "records_cache_misses": "Record ids the records cache did not have (asked Semantic Scholar).",
}
# The webhook's X-GitHub-Event is sender-controlled (even unsigned): only these become label values.
KNOWN_EVENTS = frozenset(
    {"pull_request", "issue_comment", "ping", "installation", "installation_repositories", "push"}
)


# -- hooks ---------------------------------------------------------------------------------------


def delivery(event: str, outcome: str) -> None:
    """The receiver answered one webhook delivery."""
    TALLY.inc("deliveries", event=event if event in KNOWN_EVENTS else "other", outcome=outcome)


def job(outcome: str, seconds: float | None = None) -> None:
    """A review job ended (``seconds`` is None when it did not run, e.g. superseded in the queue)."""
    TALLY.inc("jobs", outcome=outcome)
    if seconds is not None:
        TALLY.observe(seconds)


def worker_snapshot(owner: str, now: float) -> bytes:
    """This process's worker-side counts as stored under ``metrics:<PROCESS_ID>`` (``now``: the
    store's clock, which the adopting worker compares with)."""
    snap = TALLY.snapshot(WORKER_COUNTERS)
    snap.update(process=PROCESS_ID, worker=owner, updated=now)
    return json.dumps(snap, separators=(",", ":")).encode()


# -- exposition ----------------------------------------------------------------------------------


class Source(Protocol):
    """What the collector reads from the queue (bot.service.queue.ReviewQueue provides it)."""

    def depth(self) -> dict[str, int]: ...

    def oldest_waiting(self, now: float | None = None) -> float | None: ...

    def metric_snapshots(self) -> list[dict[str, Any]]: ...


class Collector:
    """A prometheus-client custom collector: local delivery counters + the store's snapshots."""

    def __init__(self, source: Source) -> None:
        self.source = source

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily

        local = TALLY.snapshot(["deliveries"])
        deliveries = CounterMetricFamily(
            PREFIX + "deliveries",
            "Webhook deliveries answered by this web process, by event and outcome.",
            labels=["event", "outcome"],
        )
        seen = {(dict(lb).get("event"), dict(lb).get("outcome")): v for _, lb, v in local["counters"]}
        for outcome in DELIVERY_OUTCOMES:  # zero series exist from the start, so rate() works at once
            seen.setdefault(("pull_request", outcome), 0.0)
        for (event, outcome), value in sorted(seen.items()):
            deliveries.add_metric([str(event), str(outcome)], value)
        yield deliveries

        up = GaugeMetricFamily(PREFIX + "queue_up", "1 when the queue store answered this scrape.")
        try:
            depth = self.source.depth()
            oldest = self.source.oldest_waiting()
            snapshots = self.source.metric_snapshots()
        except Exception:  # QueueUnavailable and friends: say so, keep the local counters
            up.add_metric([], 0.0)
            yield up
            return
        up.add_metric([], 1.0)
        yield up
        gauge = GaugeMetricFamily(
            PREFIX + "queue_depth",
            "Jobs waiting: queued (ready now) and scheduled (retries waiting for their time).",
            labels=["state"],
        )
        for state in ("queued", "scheduled"):
            gauge.add_metric([state], float(depth.get(state, 0)))
        yield gauge
        yield GaugeMetricFamily(
            PREFIX + "oldest_waiting_job_seconds",
            "Age of the oldest delivery not reviewed yet (queued or retrying); 0 when none.",
            value=oldest or 0.0,
        )

        total = Tally()
        for snap in snapshots:
            total.merge(snap)
        for name, text in WORKER_COUNTERS.items():
            if name == "jobs":
                family = CounterMetricFamily(PREFIX + name, text, labels=["outcome"])
                for outcome in JOB_OUTCOMES:
                    family.add_metric([outcome], total.value(name, outcome=outcome))
            else:
                family = CounterMetricFamily(PREFIX + name, text, value=total.value(name))
            yield family
        cumulative, running = [], 0
        for le, n in zip([*map(_le, JOB_BUCKETS), "+Inf"], total.buckets, strict=True):
            running += n
            cumulative.append((le, float(running)))
        yield HistogramMetricFamily(
            PREFIX + "job_duration_seconds",
            "Wall time of review jobs, from start to done, retry or failure.",
            buckets=cumulative,
            sum_value=total.duration_sum,
        )


def _le(bound: float) -> str:
    return f"{bound:g}" if bound != int(bound) else f"{bound:.1f}"


def render(source: Source) -> tuple[bytes, str]:
    """The exposition body and its content type, from a registry holding only our collector."""
    from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(source))  # type: ignore[arg-type]
    return generate_latest(registry), CONTENT_TYPE_LATEST
