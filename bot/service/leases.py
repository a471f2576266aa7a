"""Who is running what: worker heartbeats, and the lease each job holds on its pull request.

A lease per pull request (``pr:<owner/name>#<number>``, bot.service.store) lets one job run per PR at
a time, across every worker and machine; the worker's heartbeat renews the leases of the jobs it
runs. A ``running`` journal record is really running only while its lease is held and renewed: when
the worker dies, or a journal write fails and the job ends early, the lease runs out and the queue's
``recover()`` runs the job again.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import TYPE_CHECKING, Any

from huey.api import Huey
from huey.constants import EmptyData

from bot.service.errors import LeaseLost
from bot.service.journal import WORKER, as_float, pr_key

log = logging.getLogger(__name__)


class Leases:
    """Heartbeats and PR leases, on the queue's store (a base of bot.service.queue.ReviewQueue)."""

    huey: Huey
    tuning: Any  # bot.service.queue.Tuning
    worker_id: str
    _held: dict[str, str]  # PR lease name → our owner token, renewed by the heartbeat

    if TYPE_CHECKING:  # bot.service.journal.Journal, beside this class in ReviewQueue

        def now(self) -> float: ...

    def heartbeat(self) -> None:
        """Say this worker is alive, and renew the leases of the jobs it is running."""
        self.huey.storage.put_data(WORKER + self.worker_id, str(self.now()).encode())
        for name, owner in list(self._held.items()):
            if not self.huey.storage.renew_lease(name, owner, self.tuning.stale_after) and name in self._held:
                log.error("lost the lease %s while its job runs (the store was unreachable too long)", name)

    def start_heartbeat(self) -> threading.Event:
        """Beat from a daemon thread until the returned event is set."""
        stop = threading.Event()
        self.heartbeat()

        def beat() -> None:
            while not stop.wait(self.tuning.heartbeat_every):
                try:
                    self.heartbeat()
                except Exception:
                    log.warning("heartbeat failed", exc_info=True)

        threading.Thread(target=beat, name="queue-heartbeat", daemon=True).start()
        return stop

    def fence(self, repo: str, number: int) -> None:
        """Before each write to GitHub: the job must still hold its pull request's lease. Renewing it
        says so atomically (the store compares the owner) and keeps it ``stale_after`` (30 s) more on
        the store's clock, longer than a request's deadline, so no other worker can take the pull
        request during the write. Raises LeaseLost when another worker has it: nothing is written.
        A job run outside the queue (the review command) holds no lease and is not fenced."""
        name = pr_key("pr:", repo, number)
        owner = self._held.get(name)
        if owner is not None and not self.huey.storage.renew_lease(name, owner, self.tuning.stale_after):
            raise LeaseLost(f"{name}: the lease went to another worker; this job writes nothing more")

    def _owner(self) -> str:
        return f"{self.worker_id}|{uuid.uuid4().hex[:8]}"

    def _take(self, lease: str, owner: str) -> bool:
        """The PR's lease, if free, expired, or held by a worker known dead (a killed process on this
        host, or a silent one anywhere), or left behind by a job of ours that ended without
        releasing it."""
        storage, ttl = self.huey.storage, self.tuning.stale_after
        if storage.acquire_lease(lease, owner, ttl):
            return True
        holder = storage.lease_holder(lease)
        if holder is None:
            return storage.acquire_lease(lease, owner, ttl)
        worker = holder.split("|", 1)[0]
        ours_left = worker == self.worker_id and self._held.get(lease) != holder
        if (ours_left or not self._worker_alive(worker, self.now())) and storage.take_over_lease(
            lease, holder, owner, ttl
        ):
            log.warning("took over %s from %s, which is not running it", lease, holder)
            return True
        return False

    def _running(self, rec: dict[str, Any], now: float) -> bool:
        """A ``running`` record is running while its worker lives and still holds the PR's lease it
        took (a record written before leases existed: while its worker lives)."""
        if not self._worker_alive(rec.get("worker"), now):
            return False
        lease = rec.get("lease")
        if not lease:
            return True
        job = rec.get("job") or {}
        name = pr_key("pr:", str(job.get("repo")), int(job.get("number", 0)))
        return self.huey.storage.lease_holder(name) == lease

    def _worker_alive(self, worker: str | None, now: float) -> bool:
        """Alive: our own process, or a fresh heartbeat and (on this host) a live pid. ``now`` and the
        heartbeat are both the store's clock: a worker whose own clock is off judges nobody dead."""
        if not worker:
            return False
        if worker == self.worker_id:
            return True
        parts = worker.rsplit(":", 2)  # host:pid:token
        if len(parts) == 3 and parts[0] == socket.gethostname():
            pid = int(parts[1]) if parts[1].isdigit() else 0
            if pid == os.getpid():  # same pid, other token: our previous incarnation (e.g. pid 1)
                return False
            if pid > 0:
                try:
                    os.kill(pid, 0)  # signal 0: existence check only
                except ProcessLookupError:
                    return False
                except (PermissionError, OverflowError):
                    pass
        raw = self.huey.storage.peek_data(WORKER + worker)
        return raw is not EmptyData and now - as_float(raw) < self.tuning.stale_after
