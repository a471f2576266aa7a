"""The webhook receiver over real HTTP: signature, status codes, and what reaches the queue.

The app runs under werkzeug's real WSGI server on a loopback port; requests are signed the way
GitHub signs them; payloads are the project's trimmed copies of octokit's recorded examples.
Needs the ``tests.fakes.redis_plugin`` plugin (queue_settings, queue_name).
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from bot.service import signature
from bot.service.app import create_app
from bot.service.errors import BadPayload
from bot.service.events import Ignore, Ping, ReviewJob, classify
from bot.service.queue import ReviewQueue, make_queue
from bot.settings import Settings

FIXTURES = Path(__file__).parent / "fixtures" / "github"
SECRET = "test-secret-not-for-production"
NEW_SHA = "1" * 40


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def drain(queue: ReviewQueue) -> int:
    """Run every queued task in this thread, through Huey's own execute path (what a consumer
    worker does); returns how many ran."""
    ran = 0
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)
        ran += 1
    return ran


class Service:
    """A running receiver: base URL, its queue, the jobs the runner received."""

    def __init__(self, url: str, queue: ReviewQueue, ran: list[dict[str, Any]]) -> None:
        self.url, self.queue, self.ran = url, queue, ran

    def post(
        self,
        payload: Any,
        event: str = "pull_request",
        delivery: str | None = None,
        secret: str | None = SECRET,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> requests.Response:
        body = raw if raw is not None else json.dumps(payload).encode()
        sent = {"Content-Type": "application/json", "X-GitHub-Event": event}
        sent["X-GitHub-Delivery"] = delivery or str(uuid.uuid4())
        if secret is not None:
            sent["X-Hub-Signature-256"] = signature.sign(secret, body)
        sent.update(headers or {})
        return requests.post(f"{self.url}/webhook", data=body, headers=sent, timeout=10)


ServiceFactory = Callable[..., Service]


@pytest.fixture
def service_factory(queue_settings: Settings, queue_name: str) -> Iterator[ServiceFactory]:
    servers: list[Any] = []

    def start(secret: str | None = SECRET, settings: Settings | None = None, **app_options: Any) -> Service:
        base = dataclasses.replace(settings or queue_settings, webhook_secret=secret)
        ran: list[dict[str, Any]] = []
        queue = make_queue(base, lambda job, _settings: ran.append(job), name=f"{queue_name}{len(servers)}")
        server = make_server("127.0.0.1", 0, create_app(base, queue, **app_options), threaded=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append((server, queue))
        return Service(f"http://127.0.0.1:{server.server_port}", queue, ran)

    yield start
    for server, queue in servers:
        server.shutdown()
        with contextlib.suppress(Exception):  # some stores are made unavailable on purpose
            queue.huey.storage.flush_all()


@pytest.fixture
def service(service_factory: ServiceFactory) -> Service:
    return service_factory()


# -- signature --------------------------------------------------------------------------------------


def test_signature_matches_githubs_documented_vector() -> None:
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature.sign("It's a Secret to Everybody", b"Hello, World!") == expected
    assert signature.verify("It's a Secret to Everybody", b"Hello, World!", expected)
    assert not signature.verify("It's a Secret to Everybody", b"Hello, World!!", expected)
    assert not signature.verify("another secret", b"Hello, World!", expected)
    assert not signature.verify(
        "It's a Secret to Everybody", b"Hello, World!", expected.replace("sha256", "sha1")
    )
    assert not signature.verify("It's a Secret to Everybody", b"Hello, World!", None)
    assert not signature.verify("It's a Secret to Everybody", b"Hello, World!", "sha256=é")


# -- events (pure) ----------------------------------------------------------------------------------

HEADERS = {"X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"}


@pytest.mark.parametrize("name", ["opened", "synchronize", "ready_for_review", "edited-base"])
def test_reviewed_actions_become_jobs(name: str) -> None:
    payload = fixture(f"pull_request.{name}")
    job = classify("pull_request", HEADERS, payload)
    assert isinstance(job, ReviewJob)
    assert job.delivery_id == HEADERS["X-GitHub-Delivery"]
    assert (job.repo, job.number) == ("Codertocat/Hello-World", payload["number"])
    assert job.head_sha == payload["pull_request"]["head"]["sha"]
    assert job.base_ref == payload["pull_request"]["base"]["ref"]
    assert job.installation_id == payload["installation"]["id"]
    assert job.action == payload["action"] and job.draft is False
    assert ReviewJob.from_dict(job.to_dict()) == job


def test_ignored_events_and_actions() -> None:
    closed = fixture("pull_request.opened") | {"action": "closed"}
    assert isinstance(classify("pull_request", HEADERS, closed), Ignore)
    assert isinstance(classify("pull_request", HEADERS, fixture("pull_request.edited-title")), Ignore)
    assert isinstance(classify("installation", HEADERS, {"action": "created"}), Ignore)
    # a comment on a plain issue (the fixture: "pull_request": null) is never a /recheck
    assert isinstance(classify("issue_comment", HEADERS, fixture("issue_comment.created")), Ignore)
    ping = classify("ping", HEADERS, fixture("ping"))
    assert isinstance(ping, Ping) and ping.zen


def test_drafts_skipped_unless_configured() -> None:
    draft = fixture("pull_request.opened")
    draft["pull_request"]["draft"] = True
    assert isinstance(classify("pull_request", HEADERS, draft), Ignore)
    job = classify("pull_request", HEADERS, draft, review_drafts=True)
    assert isinstance(job, ReviewJob) and job.draft is True


def test_installation_is_optional() -> None:
    payload = fixture("pull_request.opened")
    del payload["installation"]
    job = classify("pull_request", HEADERS, payload)
    assert isinstance(job, ReviewJob) and job.installation_id is None


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (("pull_request", "head", "sha"), None, "pull_request.head.sha"),
        (("pull_request", "head", "sha"), "not-a-sha", "pull_request.head.sha"),
        (("pull_request", "number"), "2", "pull_request.number"),
        (("pull_request", "number"), True, "pull_request.number"),
        (("pull_request", "base"), [], "pull_request.base"),
        (("repository", "full_name"), 7, "repository.full_name"),
        (("repository",), None, "repository"),
        (("installation", "id"), "1", "installation.id"),
        (("action",), 3, "action"),
        (("pull_request", "draft"), "yes", "pull_request.draft"),
    ],
)
def test_bad_payload_names_the_field(path: tuple[str, ...], value: Any, field: str) -> None:
    payload = copy.deepcopy(fixture("pull_request.synchronize"))
    parent = payload
    for key in path[:-1]:
        parent = parent[key]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    with pytest.raises(BadPayload) as err:
        classify("pull_request", HEADERS, payload)
    assert err.value.field == field


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(payload=json_values, event=st.sampled_from(["pull_request", "ping", "issue_comment", "push"]))
def test_classify_raises_only_bad_payload(payload: Any, event: str) -> None:
    with contextlib.suppress(BadPayload):
        classify(event, HEADERS, payload)


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_classify_on_mangled_fixture(data: st.DataObject) -> None:
    """Any one field of a real payload replaced by any JSON value: a job, an Ignore, or BadPayload."""
    payload = fixture("pull_request.synchronize")
    parent = payload
    while True:
        key = data.draw(st.sampled_from(sorted(parent)))
        if isinstance(parent[key], dict) and data.draw(st.booleans()):
            parent = parent[key]
            continue
        parent[key] = data.draw(json_values)
        break
    with contextlib.suppress(BadPayload):
        classify("pull_request", HEADERS, payload)


# -- the receiver over HTTP -------------------------------------------------------------------------


def test_opened_is_acknowledged_and_queued_once(service: Service) -> None:
    resp = service.post(fixture("pull_request.opened"), delivery="d-opened")
    assert resp.status_code == 202
    assert resp.json() == {"status": "queued", "delivery": "d-opened"}
    assert service.queue.depth()["queued"] == 1
    rec = service.queue.record("d-opened")
    assert rec is not None and rec["state"] == "queued"
    assert rec["job"]["head_sha"] == fixture("pull_request.opened")["pull_request"]["head"]["sha"]
    assert drain(service.queue) == 1
    assert [job["delivery_id"] for job in service.ran] == ["d-opened"]
    assert service.queue.record("d-opened")["state"] == "done"


def test_redelivery_of_the_same_id_enqueues_nothing(service: Service) -> None:
    first = service.post(fixture("pull_request.opened"), delivery="d-same")
    again = service.post(fixture("pull_request.opened"), delivery="d-same")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["status"] == "duplicate"
    assert service.queue.depth()["queued"] == 1
    drain(service.queue)
    # a redelivery after the job finished is also a no-op
    assert service.post(fixture("pull_request.opened"), delivery="d-same").json()["status"] == "duplicate"
    assert drain(service.queue) == 0
    assert len(service.ran) == 1


def test_two_heads_of_one_pr_both_reach_the_job_in_turn(service: Service) -> None:
    """The receiver does not guess which head is newer: the job reads it from GitHub (test_leases)."""
    old = fixture("pull_request.synchronize")
    new = copy.deepcopy(old)
    new["pull_request"]["head"]["sha"] = NEW_SHA
    assert service.post(old, delivery="d-old").status_code == 202
    assert service.post(new, delivery="d-new").status_code == 202
    assert drain(service.queue) == 2
    assert [job["delivery_id"] for job in service.ran] == ["d-old", "d-new"]
    assert service.queue.record("d-old")["state"] == service.queue.record("d-new")["state"] == "done"


@pytest.mark.parametrize("secret", [None, "wrong secret"])
def test_missing_or_wrong_signature_is_401_and_nothing_is_queued(
    service: Service, secret: str | None
) -> None:
    resp = service.post(fixture("pull_request.opened"), delivery="d-unsigned", secret=secret)
    assert resp.status_code == 401
    assert service.queue.depth() == {"queued": 0, "scheduled": 0}
    assert service.queue.record("d-unsigned") is None


def test_signature_over_other_bytes_is_401(service: Service) -> None:
    body = json.dumps(fixture("pull_request.opened")).encode()
    signed_for_other = signature.sign(SECRET, body + b" ")
    resp = service.post(None, raw=body, secret=None, headers={"X-Hub-Signature-256": signed_for_other})
    assert resp.status_code == 401
    assert service.queue.depth()["queued"] == 0


@pytest.mark.parametrize("raw", [b"{not json", b"", b"\xff\xfe", b"[" * 100_000])
def test_malformed_json_is_400(service_factory: ServiceFactory, raw: bytes) -> None:
    service = service_factory(max_body=200_000)
    resp = service.post(None, raw=raw)
    assert resp.status_code == 400
    assert resp.json()["field"] == "body"
    assert service.queue.depth()["queued"] == 0


def test_bad_payload_is_400_naming_the_field(service: Service) -> None:
    payload = fixture("pull_request.opened")
    del payload["pull_request"]["head"]["sha"]
    resp = service.post(payload)
    assert resp.status_code == 400
    assert resp.json()["field"] == "pull_request.head.sha"
    assert service.post([1, 2]).status_code == 400


@pytest.mark.parametrize("header", ["X-GitHub-Event", "X-GitHub-Delivery"])
def test_missing_github_headers_are_400(service: Service, header: str) -> None:
    body = json.dumps(fixture("pull_request.opened")).encode()
    headers = {"X-GitHub-Event": "pull_request", "X-GitHub-Delivery": "d-1"}
    del headers[header]
    headers["X-Hub-Signature-256"] = signature.sign(SECRET, body)
    resp = requests.post(f"{service.url}/webhook", data=body, headers=headers, timeout=10)
    assert resp.status_code == 400
    assert header in resp.json()["error"]


def test_ping_is_200(service: Service) -> None:
    resp = service.post(fixture("ping"), event="ping")
    assert resp.status_code == 200
    assert resp.json()["status"] == "pong"


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("pull_request", fixture("pull_request.opened") | {"action": "closed"}),
        ("pull_request", fixture("pull_request.edited-title")),
        ("pull_request", fixture("pull_request.opened") | {"action": "clösed ✓\n" * 100}),
        ("issue_comment", fixture("issue_comment.created")),
        ("installation", {"action": "created"}),
    ],
)
def test_ignored_events_are_204(service: Service, event: str, payload: dict[str, Any]) -> None:
    resp = service.post(payload, event=event)
    assert resp.status_code == 204
    assert resp.headers["X-Bot-Ignored"]
    assert service.queue.depth()["queued"] == 0


def test_edited_base_is_queued(service: Service) -> None:
    assert service.post(fixture("pull_request.edited-base")).status_code == 202
    assert service.queue.depth()["queued"] == 1


def test_drafts_follow_the_review_drafts_setting(service_factory: ServiceFactory) -> None:
    draft = fixture("pull_request.opened")
    draft["pull_request"]["draft"] = True
    assert service_factory().post(draft).status_code == 204
    assert service_factory(review_drafts=True).post(draft).status_code == 202


def test_body_over_the_limit_is_413_and_not_read(service_factory: ServiceFactory) -> None:
    service = service_factory(max_body=4096)
    payload = fixture("pull_request.opened")
    payload["pull_request"]["title"] = "x" * 5000
    resp = service.post(payload)
    assert resp.status_code == 413
    assert service.queue.depth()["queued"] == 0
    # a body just under the limit still goes through
    payload["pull_request"]["title"] = "x" * 2000
    assert service.post(payload).status_code == 202


def test_chunked_body_over_the_limit_is_413(service_factory: ServiceFactory) -> None:
    """No Content-Length to check up front: the stream itself is capped."""
    service = service_factory(max_body=4096)
    body = json.dumps(fixture("pull_request.opened") | {"pad": "x" * 10_000}).encode()
    headers = {
        "X-GitHub-Event": "pull_request",
        "X-GitHub-Delivery": "d-chunked",
        "X-Hub-Signature-256": signature.sign(SECRET, body),
    }
    chunks = (body[i : i + 1024] for i in range(0, len(body), 1024))
    resp = requests.post(f"{service.url}/webhook", data=chunks, headers=headers, timeout=10)
    assert resp.status_code == 413
    assert service.queue.depth()["queued"] == 0


def test_unsigned_deliveries_are_accepted_only_in_dry_run(service_factory: ServiceFactory) -> None:
    service = service_factory(secret=None)
    assert service.post(fixture("pull_request.opened"), secret=None).status_code == 202
    with_token = Settings(github_token="t0ken", webhook_secret=None)
    with pytest.raises(ValueError, match="GITHUB_WEBHOOK_SECRET"):
        create_app(with_token, service.queue)


def test_healthz_reports_queue_depth(service: Service) -> None:
    service.post(fixture("pull_request.opened"))
    resp = requests.get(f"{service.url}/healthz", timeout=10)
    assert resp.status_code == 200
    assert resp.json()["status"] == "ok"
    assert resp.json()["queue"] == {"queued": 1, "scheduled": 0}


def test_queue_unavailable_is_503_never_2xx(service_factory: ServiceFactory, tmp_path: Path) -> None:
    """SQLite: the data directory vanished under the service. Redis: nothing listens on the port."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    sqlite = service_factory(settings=Settings(data_dir=tmp_path / "gone"))
    shutil.rmtree(tmp_path / "gone")
    redis = service_factory(settings=Settings(redis_url=f"redis://127.0.0.1:{dead_port}/0"))
    for service in (sqlite, redis):
        resp = service.post(fixture("pull_request.opened"))
        assert resp.status_code == 503, service.url
        assert requests.get(f"{service.url}/healthz", timeout=10).status_code == 503
        # ping and ignored events do not need the store
        assert service.post(fixture("ping"), event="ping").status_code == 200


# -- entry points -----------------------------------------------------------------------------------


def test_wsgi_factory_builds_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.service import wsgi

    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    for name in ("REDIS_URL", "GITHUB_TOKEN", "GITHUB_APP_ID", "BOT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert not (tmp_path / "data").exists()  # importing built nothing
    server = make_server("127.0.0.1", 0, wsgi.create(), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        service = Service(f"http://127.0.0.1:{server.server_port}", None, [])  # type: ignore[arg-type]
        assert service.post(fixture("pull_request.opened"), secret="wrong").status_code == 401
        assert service.post(fixture("pull_request.opened")).status_code == 202
        assert requests.get(f"{service.url}/healthz", timeout=10).json()["queue"]["queued"] == 1
    finally:
        server.shutdown()
    assert (tmp_path / "data" / "queue.db").is_file()


def test_serve_runs_receiver_and_worker_in_one_process(tmp_path: Path) -> None:
    """`serve` answers while its consumer owns the main thread, and stops cleanly on SIGTERM."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))
    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "REDIS_", "BOT_"))}
    env |= {"PYTHONPATH": str(root), "BOT_DATA_DIR": str(tmp_path / "data"), "GITHUB_WEBHOOK_SECRET": SECRET}
    # no internet: the job's GitHub calls go to a closed local port
    env |= {
        "GITHUB_API_URL": f"http://127.0.0.1:{dead.getsockname()[1]}",
        "ARXIV_API_URL": "http://127.0.0.1:9",
    }
    code = f"from bot.service.serve import serve; serve('127.0.0.1', {port})"
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    try:
        service = Service(f"http://127.0.0.1:{port}", None, [])  # type: ignore[arg-type]
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{service.url}/healthz", timeout=1)
                break
            except requests.RequestException:
                assert time.monotonic() < deadline, "serve did not start"
                time.sleep(0.1)
        assert service.post(fixture("pull_request.opened"), delivery="d-serve").status_code == 202
        deadline = time.monotonic() + 20
        while requests.get(f"{service.url}/healthz", timeout=5).json()["queue"]["queued"]:
            assert time.monotonic() < deadline, "the worker did not take the job"
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        finally:
            proc.kill()
            dead.close()
    log = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 0, log
    assert "delivery=d-serve" in log and SECRET not in log
