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
(bot.service.queue) writes it. They read it through indexes kept beside the records (bot.service.store:
the deliveries waiting, by when they came; those not done, by when they changed; the worker processes'
metrics; the status page's reviews), so a request reads a few records, never the week's journal
(100,000 records: ``bench/journal_speed.py``). An index entry is written after its record: one a crash
left wrong is put right by the reader that meets it, or by ``recover()``, which reads every record.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

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
WAITING = "waiting"  # index: deliveries queued or retrying, by when they came (created)
NOT_DONE = "not-done"  # index: deliveries queued, running, retrying or failed, by when they changed
PROCESSES = "metrics"  # index: worker processes with stored counters
WAITING_STATES = frozenset({"queued", "retrying"})


class Journal:
    """The journal's records and the views read from them (the receiver's side of the queue)."""

    huey: Huey
    worker_id: str
    tuning: Any  # bot.service.queue.Tuning

    if TYPE_CHECKING:  # bot.service.leases.Leases, beside this class in ReviewQueue

        def _worker_alive(self, worker: str | None, now: float) -> bool: ...

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
        received; None when nothing waits. Raises QueueUnavailable."""
        try:
            now = self.now() if now is None else now
            oldest = self._indexed(WAITING, 1, newest=False, keep=WAITING_STATES)
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return max(0.0, now - float(oldest[0][1].get("created") or now)) if oldest else None

    def deliveries(self, limit: int = 50) -> list[dict[str, Any]]:
        """Deliveries not done: queued, running, retrying, and failed ones (kept as long as done
        ones), newest first, with their last error: what an operator looks at first."""
        try:
            found = self._indexed(NOT_DONE, limit, newest=True, keep=OPEN_STATES | {"failed"})
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
        rows = []
        for delivery, rec in found:
            job = rec.get("job") if isinstance(rec.get("job"), dict) else {}
            rows.append(
                {
                    "delivery": delivery,
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
        return rows

    def _indexed(
        self, index: str, limit: int, *, newest: bool, keep: frozenset[str]
    ) -> list[tuple[str, dict[str, Any]]]:
        """The first ``limit`` deliveries of ``index`` whose record is in a state of ``keep``, in the
        index's order; an entry whose record moved on (its index write was lost) is dropped."""
        storage, found = self.huey.storage, {}
        while len(found) < limit:
            fresh = [d for d, _ in storage.index_range(index, limit, newest=newest) if d not in found]
            if not fresh:
                break
            for delivery in fresh:
                rec = self.record(delivery)
                if rec is not None and rec["state"] in keep:
                    found[delivery] = rec
                else:
                    storage.index_remove(index, delivery)
        return list(found.items())[:limit]

    def recent_reviews(self, limit: int = 50) -> list[dict[str, Any]]:
        """The newest review summaries the job recorded (bot.service.history), newest first."""
        try:
            return history.recent(self.huey.storage, limit)
        except Exception as exc:
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc

    def metric_snapshots(self) -> list[dict[str, Any]]:
        """Every worker process's stored counters (bot.service.metrics sums them)."""
        storage, snaps = self.huey.storage, []
        for process, _updated in storage.index_range(PROCESSES, 10_000):
            snap = as_json(storage.peek_data(METRICS + process))
            if snap is not None:
                snaps.append(snap)
        return snaps

    def save_metrics(self) -> None:
        """Write this process's worker counters (one key per process: no other writer)."""
        try:
            now = self.now()
            self.huey.storage.put_data(
                METRICS + metrics.PROCESS_ID, metrics.worker_snapshot(self.worker_id, now)
            )
            self.huey.storage.index_add(PROCESSES, metrics.PROCESS_ID, now)
        except Exception:
            log.warning("could not store the metrics", exc_info=True)

    def _adopt_metrics(self, key: str, raw: Any, now: float) -> None:
        """Fold a dead worker process's counters into ours, so its key goes and the sums stay."""
        snap = as_json(raw)
        if snap is None or snap.get("process") == metrics.PROCESS_ID:
            return
        if now - float(snap.get("updated") or 0) < self.tuning.stale_after:
            return
        if self._worker_alive(snap.get("worker"), now):
            return
        taken = as_json(self.huey.storage.pop_data(key))  # atomic: one adopter wins
        self.huey.storage.index_remove(PROCESSES, key[len(METRICS) :])
        if taken is not None:
            metrics.TALLY.merge(taken)
            self.save_metrics()
            log.info("adopted the metrics of stopped worker process %s", snap.get("process"))

    def record(self, delivery_id: str) -> dict[str, Any] | None:
        """The journal record of one delivery (for tests, /healthz and operators)."""
        return load(self.huey.storage.peek_data(DELIVERY + delivery_id))

    def _save(self, delivery: str, rec: dict[str, Any]) -> None:
        self.huey.storage.put_data(DELIVERY + delivery, dump(rec))
        self._index(delivery, rec)

    def _index(self, delivery: str, rec: dict[str, Any]) -> None:
        """The record's entries in the indexes, after the record itself."""
        storage, state = self.huey.storage, rec["state"]
        if state in WAITING_STATES:
            storage.index_add(WAITING, delivery, float(rec.get("created") or 0))
        else:
            storage.index_remove(WAITING, delivery)
        if state in ("done", "superseded"):
            storage.index_remove(NOT_DONE, delivery)
        else:
            storage.index_add(NOT_DONE, delivery, float(rec.get("updated") or 0))

    def _repair_indexes(self, records: dict[str, dict[str, Any]]) -> None:
        """Put right the index entries a crash between a record's write and its index's left wrong,
        from ``records`` (every record, as ``recover()`` has just read them); a record that changed
        since is read again before its entries are touched."""
        storage = self.huey.storage
        for index, states in ((WAITING, WAITING_STATES), (NOT_DONE, OPEN_STATES | {"failed"})):
            have = {d for d, _ in storage.index_range(index, 10**9)}
            want = {d for d, rec in records.items() if rec["state"] in states}
            for delivery in have ^ want:
                rec = self.record(delivery)
                if rec is None:
                    storage.index_remove(index, delivery)
                elif (delivery in have) != (rec["state"] in states):
                    self._index(delivery, rec)

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
