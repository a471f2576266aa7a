"""What a maintainer sees of the running bot: /metrics, JSON logs, /healthz, over real HTTP.

``python -m bot serve`` (receiver and worker in one process) and the Procfile's split (a web process
and ``python -m bot worker``) both run against the local GitHub and arXiv; the split is what proves
that a worker's counts reach the web process's /metrics through the queue store.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.serving import make_server

from bot.service import logs, metrics, signature
from bot.service.app import create_app
from bot.service.journal import METRICS, PROCESSES
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.fakes.scenario import BAD, LAST, REPO, open_pr, with_lines
from tests.test_e2e import APP_ID, INSTALLATION, SECRET, Bot, done, payload, wait_for

ROOT = Path(__file__).resolve().parents[1]
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    """GET /metrics, parsed by prometheus-client's own parser: {(sample, labels): value}."""
    r = requests.get(f"{url}/metrics", timeout=10)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(r.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((f"awesome_review_{name}", tuple(sorted(labels.items()))), 0.0)


def env_for(gh, ax, key, data_dir: Path, redis_url: str | None = None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))}
    return {
        **clean,
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_APP_ID": str(APP_ID),
        "GITHUB_APP_PRIVATE_KEY": key.private_pem,
        "GITHUB_API_URL": gh.url,
        "ARXIV_API_URL": ax.url,
        "BOT_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(ROOT),
        **({"REDIS_URL": redis_url} if redis_url else {}),
    }


@pytest.fixture
def world(github_server, arxiv_server, github_app_key, tmp_path):
    github_server.register_app(
        APP_ID, github_app_key.public_pem, installation_id=INSTALLATION, account="octo"
    )
    (tmp_path / "config.yml").write_text(
        "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    )
    return github_server, arxiv_server, github_app_key, tmp_path


# -- serve: one process ---------------------------------------------------------------------------


def test_serve_metrics_move_with_deliveries_and_a_job_and_logs_are_json(world):
    gh, ax, key, tmp = world
    env = env_for(gh, ax, key, tmp / "data")  # BOT_LOG_FORMAT unset: serve logs JSON by default
    bot = Bot(env, tmp).start()
    try:
        before = scrape(bot.url)
        assert value(before, "queue_up") == 1.0
        head = open_pr(gh, 1, with_lines(BAD, after=LAST))
        assert bot.send(payload(1, head), delivery="obs-1").status_code == 202
        assert bot.send(payload(1, head), delivery="obs-1").status_code == 202  # a redelivery
        assert bot.send(payload(1, head), delivery="obs-2", secret="wrong").status_code == 401
        assert bot.send(None, raw=b"{not json", delivery="obs-3").status_code == 400
        wait_for(done(gh, head), what="review", log=bot.log)
        after = wait_for(
            lambda: (s := scrape(bot.url)) and value(s, "jobs_total", outcome="done") == 1 and s,
            what="job counted",
            log=bot.log,
        )
    finally:
        bot.stop()

    pr = {"event": "pull_request"}
    for outcome, n in {"accepted": 1, "duplicate": 1, "bad_signature": 1, "bad_payload": 1}.items():
        assert (
            value(after, "deliveries_total", outcome=outcome, **pr)
            == value(before, "deliveries_total", outcome=outcome, **pr) + n
        ), outcome
    assert value(after, "job_duration_seconds_count") == value(before, "job_duration_seconds_count") + 1
    assert value(after, "job_duration_seconds_sum") > 0
    assert value(after, "github_requests_total") >= 8  # reads and writes of one review
    assert value(after, "github_request_failures_total") == 0
    assert value(after, "arxiv_requests_total") == 1 and value(after, "arxiv_request_failures_total") == 0
    assert value(after, "arxiv_cache_misses_total") == 1 and value(after, "arxiv_cache_hits_total") == 0
    assert value(after, "queue_depth", state="queued") == 0
    assert value(after, "oldest_waiting_job_seconds") == 0

    # Every line of the process's output is one JSON object; the job's lines name delivery and PR.
    lines = [json.loads(line) for line in bot.log.read_text().splitlines() if line.strip()]
    assert lines and all({"time", "level", "logger", "message"} <= set(doc) for doc in lines)
    ours = [doc for doc in lines if doc.get("delivery") == "obs-1"]
    job_lines = [doc for doc in ours if doc["logger"].startswith(("bot.service.queue", "bot.service.job"))]
    assert job_lines, ours
    assert all(doc["repo"] == REPO and doc["pr"] == 1 and doc["head_sha"] == head for doc in job_lines)
    assert any(doc["logger"] == "bot.service.app" and doc["repo"] == REPO for doc in ours)
    assert any("job done" in doc["message"] for doc in job_lines)
    text = bot.log.read_text()
    assert SECRET not in text and "PRIVATE KEY" not in text


# -- the Procfile's split: a web process and a worker process --------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def backend(request) -> str | None:
    if request.param == "sqlite":
        return None
    url = request.getfixturevalue("queue_redis_url")
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def web(world, backend) -> Iterator[tuple[str, Settings, dict[str, str]]]:
    """The receiver served from this test process, as gunicorn would serve it (no consumer)."""
    gh, ax, key, tmp = world
    env = env_for(gh, ax, key, tmp / "data", backend)
    settings = Settings.from_env(env)
    server = make_server("127.0.0.1", 0, create_app(settings, make_queue(settings)), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", settings, env
    finally:
        server.shutdown()


def test_worker_process_counts_reach_the_web_process(world, web):
    gh, _, _, tmp = world
    url, _, env = web
    before = scrape(url)
    assert value(before, "jobs_total", outcome="done") == 0
    head = open_pr(gh, 2, with_lines(BAD, after=LAST))
    body = json.dumps(payload(2, head)).encode()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": "split-2",
        "X-Hub-Signature-256": signature.sign(SECRET, body),
    }
    assert requests.post(f"{url}/webhook", data=body, headers=headers, timeout=10).status_code == 202
    log = tmp / "worker.log"
    with log.open("ab") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "bot", "worker"], cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(done(gh, head), what="review by the worker", log=log)
        after = wait_for(
            lambda: (s := scrape(url)) and value(s, "jobs_total", outcome="done") == 1 and s,
            what="the worker's counts in the web's /metrics",
            log=log,
        )
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=20)
    assert value(after, "github_requests_total") >= 8
    assert value(after, "arxiv_requests_total") == 1
    assert value(after, "job_duration_seconds_count") == 1
    # The status page of the web process lists the review the worker process did.
    page = requests.get(url + "/", timeout=10).text
    assert REPO in page and f"/{REPO}/pull/2" in page


# -- /healthz: the oldest waiting job --------------------------------------------------------------


def test_healthz_reports_the_age_of_the_oldest_waiting_job(queue_settings, queue_name):
    settings = dataclasses.replace(queue_settings, webhook_secret=SECRET)
    queue = make_queue(settings, lambda job, _s: None, name=queue_name)
    server = make_server("127.0.0.1", 0, create_app(settings, queue), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        idle = requests.get(f"{url}/healthz", timeout=5).json()
        assert idle["oldest_waiting_seconds"] is None and idle["queue"]["queued"] == 0
        body = json.dumps(payload(9, "a" * 40)).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": "pull_request",
            "X-GitHub-Delivery": f"h-{uuid.uuid4().hex[:8]}",
            "X-Hub-Signature-256": signature.sign(SECRET, body),
        }
        assert requests.post(f"{url}/webhook", data=body, headers=headers, timeout=10).status_code == 202
        time.sleep(1.2)
        health = requests.get(f"{url}/healthz", timeout=5).json()
        assert health["queue"]["queued"] == 1
        assert 1.0 <= health["oldest_waiting_seconds"] < 30
        assert 99 < queue.oldest_waiting(now=time.time() + 100) < 130  # measured from `created`
        while (task := queue.huey.dequeue()) is not None:
            queue.huey.execute(task)
        assert requests.get(f"{url}/healthz", timeout=5).json()["oldest_waiting_seconds"] is None
    finally:
        server.shutdown()
        queue.huey.storage.flush_all()


# -- units: adoption, labels, the formatter --------------------------------------------------------


def test_a_dead_workers_counts_are_adopted_not_lost(queue_settings, queue_name):
    queue = make_queue(queue_settings, lambda job, _s: None, name=queue_name)
    try:
        dead = {
            "process": "elsewhere:1:deadbeef",
            "worker": "elsewhere:1:deadbeef",  # no heartbeat: not alive
            "updated": time.time() - 3600,
            "counters": [["jobs", {"outcome": "done"}, 7.0], ["github_requests", {}, 70.0]],
            "job_duration": {
                "bounds": list(metrics.JOB_BUCKETS),
                "buckets": [7] + [0] * 10,
                "sum": 2.1,
                "count": 7,
            },
        }
        # as the dead process's save_metrics left them: its snapshot, listed in the index
        queue.huey.storage.put_data(METRICS + dead["process"], json.dumps(dead).encode())
        queue.huey.storage.index_add(PROCESSES, dead["process"], dead["updated"])
        queue.save_metrics()

        def total() -> metrics.Tally:
            t = metrics.Tally()
            for snap in queue.metric_snapshots():
                t.merge(snap)
            return t

        mine = metrics.TALLY.value("jobs", outcome="done")
        assert total().value("jobs", outcome="done") == mine + 7
        queue.recover()
        snaps = queue.metric_snapshots()
        assert [s["process"] for s in snaps] == [metrics.PROCESS_ID]  # the dead key is gone ...
        assert total().value("jobs", outcome="done") == mine + 7  # ... and its counts are not
        assert total().value("github_requests") >= 70 and total().duration_count >= 7
    finally:
        queue.huey.storage.flush_all()


def test_event_label_values_are_bounded() -> None:
    before = metrics.TALLY.value("deliveries", event="other", outcome="bad_signature")
    metrics.delivery("x" * 500, "bad_signature")  # the header is the sender's, signed or not
    assert metrics.TALLY.value("deliveries", event="other", outcome="bad_signature") == before + 1


def test_json_formatter_lines_fields_and_redaction() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter(redact=["s3cret-value-123", None, "short"]))
    logger = logging.getLogger("test.observability")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        logger.info("outside")
        with logs.bound(delivery="d-9", repo="o/r", pr=9, head_sha="abc"):
            logger.warning("token s3cret-value-123 leaked\nover two lines")
            try:
                raise ValueError("boom s3cret-value-123")
            except ValueError:
                logger.exception("failed")
        logger.info("after")
    finally:
        logger.removeHandler(handler)
    docs = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert len(docs) == 4  # one line per record, even with a newline in the message
    assert "delivery" not in docs[0] and "delivery" not in docs[3]
    assert docs[1]["delivery"] == "d-9" and docs[1]["repo"] == "o/r" and docs[1]["pr"] == 9
    assert docs[1]["level"] == "WARNING" and docs[1]["logger"] == "test.observability"
    assert "s3cret" not in stream.getvalue() and logs.REDACTED in docs[1]["message"]
    assert "ValueError" in docs[2]["exception"]
    assert docs[0]["time"].endswith("+00:00")


def test_log_format_switch(monkeypatch) -> None:
    root = logging.getLogger()
    saved = root.handlers[:]
    try:
        for fmt, kind in (("text", logging.Formatter), ("json", logs.JsonFormatter)):
            root.handlers = []
            monkeypatch.setenv("BOT_LOG_FORMAT", fmt)
            assert logs.configure() == fmt
            assert type(root.handlers[0].formatter) is kind
        root.handlers = []
        monkeypatch.delenv("BOT_LOG_FORMAT")
        assert logs.configure() == "json"
    finally:
        root.handlers = saved
