"""`/healthz`, `/metrics` and the status page read a few records, not the week's journal (issue 19,
item 14). Was: each request read every record of the journal (100,000 records: about 2 s for
`/healthz`, close to the Docker HEALTHCHECK's 5 s); now the journal keeps indexes beside its records
(the deliveries waiting, those not done, the metrics, the reviews) and a request reads what it
shows. The store is spied on, never replaced: every read still goes to SQLite or Redis. The time
at 100,000 records, beside main's, is `bench/journal_speed.py`."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from bot.service.app import create_app
from bot.service.events import ReviewJob
from bot.service.queue import make_queue
from bot.settings import Settings

DONE = 1000


class Reads:
    """Counts the records a request makes the store hand back (a spy on the real storage)."""

    def __init__(self, storage: Any) -> None:
        self.records = 0
        for name in ("result_items", "peek_data", "index_range"):
            real = getattr(storage, name, None)
            if real is not None:
                setattr(storage, name, self._counting(real))

    def _counting(self, real):
        def read(*args: Any, **kwargs: Any) -> Any:
            out = real(*args, **kwargs)
            self.records += len(out) if isinstance(out, dict | list) else 1
            return out

        return read


def job(delivery: str, number: int) -> ReviewJob:
    return ReviewJob(delivery, "octo/list", number, "a" * 40, "main", None, "opened", False, private=False)


def test_health_metrics_and_status_page_read_what_they_show(
    queue_settings: Settings, queue_name: str
) -> None:
    queue = make_queue(queue_settings, lambda job, settings: None, name=queue_name)
    try:
        now = time.time()
        for i in range(DONE):  # a busy week: every delivery reviewed
            rec = {"state": "done", "job": job(f"d{i}", i).to_dict(), "attempt": 0}
            queue._save(f"d{i}", {**rec, "created": now - 3600, "updated": now - 3000 + i})
        for n in (1, 2, 3):
            queue.submit(job(f"new-{n}", 10_000 + n))
        failed = {"state": "failed", "job": job("bad", 9).to_dict(), "attempt": 3, "error": "GitHub 404"}
        queue._save("bad", {**failed, "created": now - 60, "updated": now - 50})
        first = queue.record("new-1")["created"]

        client = create_app(Settings(data_dir=queue_settings.data_dir), queue).test_client()
        reads = Reads(queue.huey.storage)
        for path in ("/healthz", "/metrics", "/"):
            reads.records = 0
            answer = client.get(path)
            assert answer.status_code == 200, (path, answer.data[:300])
            assert reads.records <= 100, (path, reads.records)  # was: every record, 1,004 and more

        health = json.loads(client.get("/healthz").data)
        assert health["queue"] == {"queued": 3, "scheduled": 0}
        assert abs(health["oldest_waiting_seconds"] - (time.time() - first)) < 5
        page = client.get("/").data.decode()
        assert all(d in page for d in ("new-1", "new-2", "new-3", "bad", "GitHub 404"))
        assert "d999" not in page  # done deliveries are not listed
        assert [d["delivery"] for d in queue.deliveries()] == ["new-3", "new-2", "new-1", "bad"]
    finally:
        queue.huey.storage.flush_all()


def test_an_index_entry_a_crash_left_behind_is_dropped_and_a_lost_one_put_back(
    queue_settings: Settings, queue_name: str
) -> None:
    """A record and its index entries are two writes: a worker killed between them leaves the index
    wrong. A reader drops an entry whose record moved on; recover(), which reads every record, puts
    back one that is missing."""
    from bot.service.journal import DELIVERY, NOT_DONE, WAITING, dump

    queue = make_queue(queue_settings, lambda job, settings: None, name=queue_name)
    storage = queue.huey.storage
    try:
        queue.submit(job("stale", 1))
        rec = queue.record("stale")
        storage.put_data(DELIVERY + "stale", dump({**rec, "state": "done"}))  # killed before the index
        assert queue.oldest_waiting() is None and queue.deliveries() == []
        assert storage.index_range(WAITING, 10) == [] and storage.index_range(NOT_DONE, 10) == []

        lost = {**rec, "job": job("lost", 2).to_dict(), "state": "failed", "updated": time.time()}
        storage.put_data(DELIVERY + "lost", dump(lost))  # its index write never happened
        assert queue.deliveries() == []
        queue.recover()
        assert [d["delivery"] for d in queue.deliveries()] == ["lost"]
    finally:
        storage.flush_all()


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GITHUB_TOKEN", "GITHUB_APP_ID", "GITHUB_APP_PRIVATE_KEY", "GITHUB_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
