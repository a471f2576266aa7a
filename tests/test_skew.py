"""Clock skew between workers (issue 19, item 4): liveness is judged on the store's clock (Redis
`TIME`), so a worker is alive while it beats, whatever the clock of the worker that asks. Was:
heartbeats were written and read with each machine's own clock; a worker 45 s ahead read the other's
as 45 s old, judged it dead, took its pull request's lease over and ran the PR beside it (two
reviews, two summaries).

A real worker process runs under libfaketime (Debian's `faketime`), its clock 45 s ahead of this
one's, on a shared redis-server. The race-and-crash benchmark with the same skew is `bench/race.py --skew 45`.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bot.service.events import ReviewJob
from bot.service.queue import Tuning, make_queue
from bot.settings import Settings
from tests.test_faults import wait_until

pytestmark = [pytest.mark.faults, pytest.mark.redis]

ROOT = Path(__file__).resolve().parents[1]
SKEWED_WORKER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from bot.settings import Settings
    from bot.service.queue import Tuning, make_queue
    from bot.service.serve import configure_logging, run_consumer

    data_dir, redis_url, name, ran = sys.argv[1:5]

    def runner(job, settings):  # the review, here a note that it ran
        with open(ran, "a") as out:
            out.write(job["delivery_id"] + "\\n")

    settings = Settings(data_dir=Path(data_dir), redis_url=redis_url)
    tuning = Tuning(heartbeat_every=0.5, stale_after=5, recover_grace=1, lease_wait=0.5)
    configure_logging()
    run_consumer(make_queue(settings, runner, name=name, tuning=tuning), workers=1, max_delay=0.2)
    """
)


def delivery(delivery_id: str) -> ReviewJob:
    return ReviewJob(delivery_id, "octo/list", 1, "a" * 40, "main", None, "synchronize", False)


@pytest.fixture
def faketime() -> str:
    binary = shutil.which("faketime")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("faketime is not installed, and CI is set: the clock-skew test must run")
        pytest.skip("faketime (libfaketime) is not installed")
    return binary


def test_a_worker_45_s_ahead_does_not_take_a_live_workers_pull_request(
    faketime: str, queue_redis_url: str, queue_name: str, tmp_path: Path
) -> None:
    """This process runs a slow review of PR 1 (holding its lease, beating); a worker process whose
    clock is 45 s ahead gets another delivery for PR 1 meanwhile. Was: it read this worker's
    heartbeat as 45 s old, took the lease over and ran the PR beside it. Now it waits its turn."""
    settings = Settings(data_dir=tmp_path / "data", redis_url=queue_redis_url)
    slow = threading.Event()
    here = make_queue(
        settings,
        lambda job, _s: slow.wait(8),
        name=queue_name,
        tuning=Tuning(heartbeat_every=0.5, stale_after=5, recover_grace=1),
    )
    stop_beating = here.start_heartbeat()
    here.submit(delivery("d-1"))
    busy = threading.Thread(target=lambda: here.huey.execute(here.huey.dequeue()), daemon=True)
    busy.start()
    wait_until(lambda: here.record("d-1")["state"] == "running", 10, "this worker's slow review")

    script, ran = tmp_path / "worker.py", tmp_path / "ran.txt"
    script.write_text(SKEWED_WORKER)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    args = [str(script), str(settings.data_dir), queue_redis_url, queue_name, str(ran)]
    ahead = subprocess.Popen(
        [faketime, "-m", "-f", "+45s", sys.executable, *args],
        env=env,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        start_new_session=True,  # faketime runs python as its child: stop them together
    )
    try:
        here.submit(delivery("d-2"))  # another delivery for the same pull request, meanwhile
        wait_until(lambda: here.record("d-2")["state"] != "queued", 30, "the worker ahead to take d-2")
        time.sleep(1.0)  # it would have run by now
        assert not ran.exists(), "the worker ahead ran the pull request beside this worker's job"
        rec = here.record("d-2")
        assert rec["state"] == "retrying" and "another job of this pull request" in rec["error"], rec
        slow.set()  # this worker's review ends: then d-2 runs, on the worker ahead
        busy.join(10)
        wait_until(lambda: here.record("d-2")["state"] == "done", 30, "d-2 after d-1")
        assert ran.read_text().split() == ["d-2"] and here.record("d-1")["state"] == "done"
    finally:
        slow.set()
        stop_beating.set()
        os.killpg(ahead.pid, signal.SIGKILL)
        ahead.wait()
        log = ahead.stderr.read().decode() if ahead.stderr else ""
        here.huey.storage.flush_all()
    assert "took over" not in log, log[-3000:]
