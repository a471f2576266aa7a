"""The delivery journal and what is read from it: one record per accepted delivery, kept in Huey's
key/value store beside the tasks, so SQLite and Redis share all of this code.

- ``delivery:<X-GitHub-Delivery>`` → JSON ``{state, job, attempt, worker, lease, created, updated}``;
  states ``queued | running | retrying`` (open) and ``done | superseded | failed`` (final).
- ``reviewed:<owner/name>#<number>`` → ``head:base`` of the last review posted; a later delivery for
  the same PR finds that the head GitHub has now was reviewed already and posts nothing.
- ``github-budget:<installation or token>`` → until when GitHub asked every worker on it to wait.
- ``metrics:<process>`` → a worker process's counters (bot.service.metrics); ``review:<time>:<id>`` →
  a finished review's summary for the status page (bot.service.history).

The receiver, ``/healthz``, ``/metrics`` and the status page read the journal; the worker side
(bot.service.queue) writes it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from huey.api import Huey
from huey.constants import EmptyData

from bot.service import history, metrics
from bot.service.errors import QueueUnavailable

log = logging.getLogger(__name__)

OPEN_STATES = frozenset({"queued", "running", "retrying"})
FINAL_STATES = frozenset({"done", "superseded", "failed"})
DELIVERY = "delivery:"
REVIEWED = "reviewed:"
BUDGET = "github-budget:"  # → until when GitHub asked the budget's workers to wait (a rate limit)
WORKER = "worker:"
METRICS = "metrics:"


class Journal:
    """The journal's records and the views read from them (the receiver's side of the queue)."""

    huey: Huey
    worker_id: str

    def now(self) -> float:
        """The store's clock (Redis ``TIME``): what every journal time is written and compared in."""
        return self.huey.storage.now()

    def depth(self) -> dict[str, int]:
        """Tasks waiting now and retries waiting for their time; raises QueueUnavailable."""
        try:
            return {"queued": self.huey.storage.queue_size(), "scheduled": self.huey.storage.schedule_size()}
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def oldest_waiting(self, now: float | None = None) -> float | None:
        """Seconds since the oldest delivery still waiting for its review (queued or retrying) was
        received, from the journal; None when nothing waits. Raises QueueUnavailable."""
        try:
            now = self.now() if now is None else now
            items = self.huey.storage.result_items()
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
        created = [
            float(rec.get("created") or now)
            for key, raw in items.items()
            if text(key).startswith(DELIVERY)
            and (rec := load(raw)) is not None
            and rec["state"] in ("queued", "retrying")
        ]
        return max(0.0, now - min(created)) if created else None

    def deliveries(self, limit: int = 50) -> list[dict[str, Any]]:
        """Deliveries not done: queued, running, retrying, and failed ones (kept as long as done
        ones), newest first, with their last error: what an operator looks at first."""
        try:
            items = self.huey.storage.result_items()
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
        rows = []
        for key, raw in items.items():
            key = text(key)
            if (
                not key.startswith(DELIVERY)
                or (rec := load(raw)) is None
                or rec["state"] in ("done", "superseded")
            ):
                continue
            job = rec.get("job") if isinstance(rec.get("job"), dict) else {}
            rows.append(
                {
                    "delivery": key[len(DELIVERY) :],
                    "state": rec["state"],
                    "attempt": int(rec.get("attempt") or 0),
                    "error": str(rec.get("error") or ""),
                    "updated": float(rec.get("updated") or 0),
                    "retry_at": rec.get("retry_at") if rec["state"] == "retrying" else None,
                    "repo": str(job.get("repo") or ""),
                    "number": job.get("number"),
                    "private": job.get("private", True) is not False,
                }
            )
        rows.sort(key=lambda r: r["updated"], reverse=True)
        return rows[:limit]

    def recent_reviews(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest review summaries the job recorded (bot.service.history), newest first."""
        try:
            return history.recent(self.huey.storage, limit)
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def metric_snapshots(self) -> list[dict[str, Any]]:
        """Every worker process's stored counters (bot.service.metrics sums them)."""
        snaps = []
        for key, raw in self.huey.storage.result_items().items():
            if text(key).startswith(METRICS):
                snap = as_json(raw)
                if snap is not None:
                    snaps.append(snap)
        return snaps

    def save_metrics(self) -> None:
        """Write this process's worker counters (one key per process: no other writer)."""
        try:
            snapshot = metrics.worker_snapshot(self.worker_id, self.now())
            self.huey.storage.put_data(METRICS + metrics.PROCESS_ID, snapshot)
        except Exception:
            log.warning("could not store the metrics", exc_info=True)

    def record(self, delivery_id: str) -> dict[str, Any] | None:
        """The journal record of one delivery (for tests, /healthz and operators)."""
        return load(self.huey.storage.peek_data(DELIVERY + delivery_id))

    def _save(self, delivery: str, rec: dict[str, Any]) -> None:
        self.huey.storage.put_data(DELIVERY + delivery, dump(rec))

    def pause_github(self, budget: str, seconds: float) -> None:
        """GitHub asked one worker to wait ``seconds`` for ``budget`` (an installation, or the token):
        no job on that budget starts before then, on any worker. Never raises (a hint, not a record)."""
        try:
            until = self.now() + max(0.0, seconds)
            if until > self._paused_until(budget):
                self.huey.storage.put_data(BUDGET + budget, str(until).encode())
                log.warning("github: %s rate-limited, every worker waits %.0fs", budget, seconds)
        except Exception:
            log.warning("could not share the rate limit of %s", budget, exc_info=True)

    def _paused_until(self, budget: str) -> float:
        raw = self.huey.storage.peek_data(BUDGET + budget)
        return 0.0 if raw is EmptyData else as_float(raw)

    def last_reviewed(self, repo: str, number: int) -> str | None:
        """``head:base`` of the last review posted on the PR (None: none yet)."""
        raw = self.huey.storage.peek_data(pr_key(REVIEWED, repo, number))
        return None if raw is EmptyData else bytes(raw).decode()


def pr_key(prefix: str, repo: str, number: int) -> str:
    return f"{prefix}{repo}#{number}"


def text(key: str | bytes) -> str:
    return key.decode() if isinstance(key, bytes) else key


def dump(rec: dict[str, Any]) -> bytes:
    return json.dumps(rec, separators=(",", ":")).encode()


def load(raw: Any) -> dict[str, Any] | None:
    """A journal record, or None for anything that is not one."""
    rec = as_json(raw)
    return rec if rec is not None and isinstance(rec.get("state"), str) else None


def as_json(raw: Any) -> dict[str, Any] | None:
    if raw is EmptyData or raw is None:
        return None
    try:
        data = json.loads(bytes(raw))
    except (ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


def as_float(raw: Any) -> float:
    try:
        return float(bytes(raw))
    except (ValueError, TypeError):
        return 0.0
