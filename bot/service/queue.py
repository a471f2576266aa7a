"""The durable review queue: Huey on SQLite (default) or Redis, plus a delivery journal.

Why a journal on top of Huey: Huey's storages *delete* a task when a worker dequeues it (SQLite
``DELETE``, Redis ``RPOP``), so a worker killed mid-task (SIGKILL, OOM, host reboot) loses it, and a
retry is only written back after the exception is handled. GitHub does not redeliver by itself.
So every accepted delivery gets a record in Huey's key/value store, written atomically with the
dedupe check (``put_if_empty``) *before* the task message, and marked final only when the job
finished. :meth:`ReviewQueue.recover` (at worker start, then every minute) re-enqueues every record
that is not final, not in the queue or schedule, and not running on a live worker. A job killed
mid-run therefore runs again (at least once); a job that completed is never run again.

The records and their views are bot.service.journal's; heartbeats and the lease each job holds on
its pull request are bot.service.leases'. A job takes its PR's lease before it reads the PR, so it
always reviews the head GitHub has *then*, whatever order the deliveries came in; a delivery that
finds the lease taken waits ``Tuning.lease_wait`` and tries again.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from huey import crontab
from huey.api import Huey
from huey.constants import EmptyData
from huey.consumer import Consumer

from bot.errors import RetryLater
from bot.service import history, logs, metrics
from bot.service.errors import LeaseLost, OverBudget, QueueUnavailable
from bot.service.events import ReviewJob
from bot.service.journal import (
    DELIVERY,
    FINAL_STATES,
    METRICS,
    NOT_DONE,
    REVIEWED,
    WORKER,
    Journal,
    as_float,
    dump,
    load,
    pr_key,
)
from bot.service.leases import Leases
from bot.service.outcome import Reviewed, Skip, Skipped
from bot.service.store import make_huey
from bot.settings import Settings

log = logging.getLogger(__name__)

Runner = Callable[[dict[str, Any], Settings], Any]

TASK_NAME = "review"


@dataclass(frozen=True)
class Tuning:
    """Timings; the defaults suit production, tests shorten them."""

    # RetryLater without a delay of its own (a 5xx, a dropped connection): 5 s, 10 s, 20 s, then every
    # 30 s for the first five minutes, so a review lands within about 30 s of GitHub recovering from an
    # outage that long; then 60 s, 120 s ... up to an hour (about 68 min in all). Running the job again
    # soon is safe: it re-reads what exists (a write that timed out waits 30 s: write_settle).
    max_attempts: int = 19
    max_error_attempts: int = 3  # unexpected exceptions: a bug will not fix itself
    backoff_base: float = 5.0
    probe_every: float = 30.0
    probe_for: float = 300.0
    backoff_cap: float = 3600.0
    heartbeat_every: float = 5.0
    stale_after: float = 30.0  # a worker silent this long is dead; its leases expire this long after renewal
    lease_wait: float = 5.0  # a delivery whose PR has a job running tries again this much later
    recover_grace: float = 10.0  # leave a fresh record alone: its enqueue may still be in flight
    keep_final: float = 7 * 86400.0  # dedupe window; GitHub allows manual redelivery for 3 days

    def backoff(self, attempt: int) -> float:
        """The wait before retry ``attempt + 1``: doubling from backoff_base, at most probe_every until
        probe_for seconds of waits have passed, then doubling on up to backoff_cap."""
        wait, waited = min(self.backoff_cap, self.backoff_base), 0.0
        for _ in range(attempt):
            waited += wait
            wait = min(self.backoff_cap, wait * 2)
            if waited < self.probe_for:
                wait = min(wait, max(self.probe_every, self.backoff_base))
        return wait


def make_queue(
    settings: Settings,
    runner: Runner | None = None,
    *,
    name: str = "awesome-review",
    tuning: Tuning | None = None,
) -> ReviewQueue:
    """The one queue object both the receiver (``submit``) and the worker (``consumer``) use. The
    process's composition root (bot.service.connections) passes the real job as ``runner``; without
    one the queue can only take deliveries (a receiver)."""
    return ReviewQueue(make_huey(settings, name), settings, runner or _receiver_only, tuning or Tuning())


def _receiver_only(job: dict[str, Any], settings: Settings) -> Any:
    raise RuntimeError("this queue was made without a runner: it takes deliveries, it runs no job")


class ReviewQueue(Journal, Leases):
    """Receiver side: :meth:`submit`, :meth:`depth`. Worker side: :meth:`consumer`, :meth:`recover`."""

    def __init__(self, huey: Huey, settings: Settings, runner: Runner, tuning: Tuning) -> None:
        self.huey = huey
        self.settings = settings
        self.runner = runner
        self.tuning = tuning
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._held: dict[str, str] = {}  # PR lease name → our owner token, renewed by the heartbeat
        self._task = huey.task(name=TASK_NAME)(self._execute)
        huey.periodic_task(crontab(), name="recover")(self._periodic_recover)

    # -- receiver side ---------------------------------------------------------------------------

    def submit(self, job: ReviewJob) -> bool:
        """Store ``job`` durably. True: queued; False: this delivery id was already stored.

        Raises QueueUnavailable when the store fails: the caller must not answer 2xx. The journal
        record is written first, so if only the task message fails the job still runs through
        :meth:`recover`; the caller answers 503 anyway (a redelivery is then deduped, safely).
        """
        try:
            now = self.now()
            record = {"state": "queued", "job": job.to_dict(), "attempt": 0, "created": now, "updated": now}
            stored = self.huey.storage.put_if_empty(DELIVERY + job.delivery_id, dump(record))
            if not stored and not self._revive(job.delivery_id, record):
                return False
            if stored:
                self._index(job.delivery_id, record)
            self._task(job.to_dict(), 0)
        except Exception as exc:  # sqlite3.OperationalError, redis.ConnectionError, OSError ...
            raise QueueUnavailable(f"{type(exc).__name__}: {exc}") from exc
        return True

    def _revive(self, delivery: str, record: dict[str, Any]) -> bool:
        """A maintainer's "Redeliver" of a delivery that gave up (an outage longer than the retry
        budget) runs it again; any other known delivery is a duplicate."""
        old = self.record(delivery)
        if old is None or old.get("state") != "failed":
            return False
        log.warning("redelivery of failed delivery=%s: running it again", delivery)
        self._save(delivery, {**record, "created": old.get("created", record["created"]), "revived": True})
        return True

    # -- worker side -----------------------------------------------------------------------------

    def consumer(self, workers: int = 1, max_delay: float = 2.0, **options: Any) -> Consumer:
        """A Huey consumer for this queue; ``run()`` it in the main thread (it installs signal
        handlers). Threads, not processes: the job waits on the network, and the journal's worker
        id is per process."""
        return self.huey.create_consumer(
            workers=workers, worker_type="thread", max_delay=max_delay, **options
        )

    def recover(self, now: float | None = None) -> list[str]:
        """Re-enqueue journal records whose task was lost; prune old final records and heartbeats.

        Returns the re-enqueued delivery ids. Safe to run any time and from several workers: a
        duplicate task finds its record final (or running on a live worker) and exits.
        """
        storage = self.huey.storage
        now = self.now() if now is None else now
        items = storage.result_items()  # read records before the queue: see the note below
        waiting = self._delivery_ids(list(storage.enqueued_items()) + list(storage.scheduled_items()))
        recovered: list[str] = []
        keys: list[str] = []
        records: dict[str, dict[str, Any]] = {}  # what is kept, to put the indexes right
        for key, raw in items.items():
            key = key.decode() if isinstance(key, bytes) else key
            keys.append(key)
            if key.startswith(WORKER):
                if now - as_float(raw) > max(self.tuning.stale_after * 10, 3600):
                    storage.pop_data(key)
                continue
            if key.startswith(METRICS):
                self._adopt_metrics(key, raw, now)
                continue
            if not key.startswith(DELIVERY):
                continue
            delivery, rec = key[len(DELIVERY) :], load(raw)
            if rec is None:
                continue
            if rec["state"] in FINAL_STATES:
                if now - rec.get("updated", now) > self.tuning.keep_final:
                    storage.pop_data(key)
                    storage.index_remove(NOT_DONE, delivery)  # a failed one was listed
                else:
                    records[delivery] = rec
                continue
            records[delivery] = rec
            if delivery in waiting:
                continue
            if rec["state"] == "running":
                if self._running(rec, now):
                    continue
            elif now - rec.get("updated", now) < self.tuning.recover_grace:
                continue  # queued/retrying a moment ago: its task write may still be in flight
            # A task dequeued between our two reads shows up as "not waiting": re-read the record
            # and leave it alone if it moved on since the snapshot.
            current = self.record(delivery)
            if current is None or current.get("updated") != rec.get("updated"):
                continue
            attempt = int(rec.get("attempt", 0))
            delay = float(rec.get("retry_at") or 0) - self.now() if rec["state"] == "retrying" else 0.0
            if delay > 0:  # a lost retry keeps its backoff
                self._save(delivery, {**rec, "worker": None, "updated": self.now()})
                self._task.schedule(args=(rec["job"], attempt), delay=delay)
            else:
                self._save(delivery, {**rec, "state": "queued", "worker": None, "updated": self.now()})
                self._task(rec["job"], attempt)
            recovered.append(delivery)
            log.warning(
                "recovered lost job: delivery=%s state=%s attempt=%d", delivery, rec["state"], attempt
            )
        history.prune(storage, keys)
        self._repair_indexes(records)
        return recovered

    # -- the task ------------------------------------------------------------------------------

    def _execute(self, job: dict[str, Any], attempt: int) -> None:
        """The Huey task body, identical for SQLite and Redis: the job's log fields bound, its
        counts stored when it ends."""
        fields = {k: job.get(k) for k in ("repo", "head_sha")}
        with logs.bound(delivery=job.get("delivery_id"), pr=job.get("number"), **fields):
            try:
                self._run(job, attempt)
            finally:
                self.save_metrics()

    def _run(self, job: dict[str, Any], attempt: int) -> None:
        delivery = str(job.get("delivery_id"))
        rec = self.record(delivery)
        if rec is None or rec["state"] in FINAL_STATES:
            log.info("skip delivery=%s: already %s", delivery, rec and rec["state"])
            return
        if rec["state"] == "running" and self._running(rec, self.now()):
            log.info("skip delivery=%s: running on %s", delivery, rec.get("worker"))
            return
        lease, owner = pr_key("pr:", str(job.get("repo")), int(job.get("number", 0))), self._owner()
        if not self._take(lease, owner):
            self._wait_for_pr(delivery, rec, job, attempt, lease)
            return
        self._held[lease] = owner
        try:
            self._run_leased(delivery, {**rec, "lease": owner}, job, attempt)
        finally:
            self._held.pop(lease, None)
            try:
                self.huey.storage.release_lease(lease, owner)
            except Exception as exc:  # it runs out by itself
                log.warning(
                    "could not release %s (%s); it expires in %.0fs", lease, exc, self.tuning.stale_after
                )

    def _run_leased(self, delivery: str, rec: dict[str, Any], job: dict[str, Any], attempt: int) -> None:
        """The job, holding its PR's lease: it reads the PR now, so it reviews GitHub's head of now."""
        inst = job.get("installation_id")
        wait = self._paused_until("token" if inst is None else f"installation:{inst}") - self.now()
        if wait > 0:  # another worker met this budget's rate limit: spend no request before it ends
            self._wait(delivery, rec, job, attempt, wait, f"waiting: GitHub's rate limit, {wait:.0f}s more")
            return
        rec = {
            **rec,
            "state": "running",
            "worker": self.worker_id,
            "attempt": attempt,
            "updated": self.now(),
        }
        self._save(delivery, rec)
        reviewed_key = pr_key(REVIEWED, str(job.get("repo")), int(job.get("number", 0)))
        started = time.monotonic()
        try:
            reviewed = self.huey.storage.peek_data(reviewed_key)
            last = None if reviewed is EmptyData else bytes(reviewed).decode()
            out = self.runner({**job, "reviewed": last}, self.settings)
        except LeaseLost as exc:  # another worker has the PR now: this delivery waits its turn
            log.warning("delivery=%s stopped before writing: %s", delivery, exc)
            self._wait(delivery, rec, job, attempt, self.tuning.lease_wait, f"waiting: {exc}")
            metrics.job("retry", time.monotonic() - started)
            return
        except RetryLater as exc:
            outcome = self._retry(delivery, rec, job, attempt, exc.delay, self.tuning.max_attempts, repr(exc))
            metrics.job(outcome, time.monotonic() - started)
            return
        except Exception as exc:
            log.exception("job failed: delivery=%s attempt=%d", delivery, attempt)
            limit = 1 if isinstance(exc, OverBudget) else self.tuning.max_error_attempts
            outcome = self._retry(delivery, rec, job, attempt, None, limit, repr(exc))
            metrics.job(outcome, time.monotonic() - started)
            return
        if isinstance(out, Reviewed) and out.reviewed:
            self.huey.storage.put_data(reviewed_key, out.reviewed.encode())
        # An older delivery whose PR's current head was reviewed already: superseded, nothing posted.
        state = "superseded" if isinstance(out, Skipped) and out.reason is Skip.SUPERSEDED else "done"
        metrics.job(state, time.monotonic() - started)
        self._save(delivery, {**rec, "state": state, "updated": self.now()})
        log.info(
            "job %s: delivery=%s %s#%s@%s",
            state,
            delivery,
            job.get("repo"),
            job.get("number"),
            job.get("head_sha"),
        )

    def _wait_for_pr(
        self, delivery: str, rec: dict[str, Any], job: dict[str, Any], attempt: int, lease: str
    ) -> None:
        """Another job runs for this PR: try again shortly, same attempt (nothing failed)."""
        holder = self.huey.storage.lease_holder(lease)
        log.info("delivery=%s waits %.0fs: %s is held by %s", delivery, self.tuning.lease_wait, lease, holder)
        why = "waiting: another job of this pull request is running"
        self._wait(delivery, rec, job, attempt, self.tuning.lease_wait, why)

    def _wait(
        self, delivery: str, rec: dict[str, Any], job: dict[str, Any], attempt: int, wait: float, why: str
    ) -> None:
        """Run again in ``wait`` seconds, same attempt: nothing failed."""
        now = self.now()
        self._save(
            delivery, {**rec, "state": "retrying", "error": why, "retry_at": now + wait, "updated": now}
        )
        self._task.schedule(args=(job, attempt), delay=wait)

    def _retry(
        self,
        delivery: str,
        rec: dict[str, Any],
        job: dict[str, Any],
        attempt: int,
        delay: float | None,
        limit: int,
        error: str,
    ) -> str:
        """Schedule the next attempt, or give up; returns "retry" or "failed"."""
        if attempt + 1 >= limit:
            log.error("job gave up after %d attempts: delivery=%s: %s", attempt + 1, delivery, error)
            self._save(delivery, {**rec, "state": "failed", "error": error, "updated": self.now()})
            return "failed"
        wait = self.tuning.backoff(attempt) if delay is None else max(0.0, delay)
        log.warning("job retry in %.0fs: delivery=%s attempt=%d: %s", wait, delivery, attempt + 1, error)
        # Record first: if we die before the schedule write, recover() finds it not waiting.
        now = self.now()
        retry = {"state": "retrying", "attempt": attempt + 1, "error": error, "retry_at": now + wait}
        self._save(delivery, {**rec, **retry, "updated": now})
        self._task.schedule(args=(job, attempt + 1), delay=wait)
        return "retry"

    def _periodic_recover(self) -> None:
        self.recover()

    # -- helpers -------------------------------------------------------------------------------

    def _delivery_ids(self, messages: Iterable[bytes]) -> set[str]:
        ids: set[str] = set()
        for data in messages:
            try:
                task = self.huey.deserialize_task(data)
            except Exception:
                continue
            if task.name == TASK_NAME and task.args and isinstance(task.args[0], dict):
                ids.add(str(task.args[0].get("delivery_id")))
        return ids
