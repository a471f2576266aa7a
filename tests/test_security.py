"""Security properties, each shown against the real code: names that reach API paths, the webhook
secret, body limits, secrets in logs, contributor text in the bot's comments, YAML loading."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from flask import Flask, Response, request
from werkzeug.serving import make_server

from bot.adapters.safe_fetch import FetchFailed, FetchPolicy, FetchRefused, fetch, reachable
from bot.core import config as config_mod
from bot.core.repo_name import parse_github_repo, valid_full_name, valid_owner, valid_repo
from bot.service.app import create_app
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.fakes import free_port
from tests.fakes.github_server import FakeGitHub

# -- owner/repo names from contributor URLs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/Linear95/SPAG", ("Linear95", "SPAG")),
        ("https://github.com/owner/repo.git", ("owner", "repo")),
        ("https://www.github.com/owner/repo/", ("owner", "repo")),
        ("https://github.com/owner/repo/tree/main/src", ("owner", "repo")),  # extra segments dropped
        ("https://github.com/owner/repo?tab=readme-ov-file#usage", ("owner", "repo")),
        ("http://github.com/my-org/my_repo.v2", ("my-org", "my_repo.v2")),
        ("HTTPS://GitHub.com/o/r", ("o", "r")),
    ],
)
def test_repository_urls_give_their_owner_and_name(url: str, expected: tuple[str, str]) -> None:
    assert parse_github_repo(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/../../user",
        "https://github.com/owner/..",
        "https://github.com/owner/.",
        "https://github.com/./repo",
        "https://github.com/owner/repo/../../orgs/x",
        "https://github.com/owner/%2e%2e",
        "https://github.com/owner%2Fother/repo",
        "https://github.com/owner/re%3Fpo",
        "https://github.com//owner/repo",
        "https://github.com/owner",
        "https://github.com/",
        "https://github.com/owner/repo\\..\\x",
        "https://github.com/owner/re po",
        "https://github.com/owner/repo\n/x",
        "https://github.com/own\u0435r/repo",  # a Cyrillic letter: not a GitHub login
        "https://github.com/-owner/repo",
        "https://github.com/orgs/acme",
        "https://github.com/settings/profile",
        "https://github.com.evil.example/owner/repo",
        "https://evil.example/github.com/owner/repo",
        "https://github.com@evil.example/owner/repo",
        "https://user:pass@github.com/owner/repo",
        "https://github.com:8443/owner/repo",
        "https://github.com:bad/owner/repo",
        "ftp://github.com/owner/repo",
        "javascript://github.com/owner/repo",
        "github.com/owner/repo",
        "https://github.com/" + "a" * 40 + "/repo",
        "https://github.com/owner/" + "r" * 101,
        "https://[::1]/owner/repo",
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert parse_github_repo(url) is None


def test_names_alone() -> None:
    assert valid_full_name("octo/awesome-self-play")
    for bad in ("../..", "octo/..", "octo/a/b", "octo", "/repo", "octo/", "o?x/r", "o/r#x", "o/r%2f", "o/ r"):
        assert not valid_full_name(bad), bad
    assert valid_owner("a") and not valid_owner("") and not valid_owner("a.b")
    assert valid_repo(".github") and valid_repo("a..b") and not valid_repo("..") and not valid_repo("a/b")
    assert not valid_full_name(None)  # type: ignore[arg-type]


def test_webhook_full_name_with_dot_segments_is_a_bad_payload() -> None:
    """The payload's ``repository.full_name`` goes into every API path of the job."""
    import json
    from pathlib import Path

    from bot.service.errors import BadPayload
    from bot.service.events import ReviewJob, classify

    fixture = Path(__file__).parent / "fixtures" / "github" / "pull_request.opened.json"
    headers = {"X-GitHub-Delivery": "d-1"}
    for bad in ("../..", "octo/..", "octo/repo/pulls", "octo/repo?x=1"):
        payload = json.loads(fixture.read_text())
        payload["repository"]["full_name"] = bad
        with pytest.raises(BadPayload) as err:
            classify("pull_request", headers, payload)
        assert err.value.field == "repository.full_name"
        job = classify("pull_request", headers, json.loads(fixture.read_text()))
        with pytest.raises(BadPayload):  # a job read back from the queue store is checked again
            ReviewJob.from_dict({**job.to_dict(), "repo": bad})


# -- the SSRF-safe fetcher (bot/adapters/safe_fetch.py) ---------------------------------------------

TEST_POLICY = FetchPolicy(allow_loopback=True, allowed_ports=None, total_seconds=5)  # tests only


class LinkServer:
    """A loopback HTTP server standing in for a paper's web page: counts hits, echoes Host."""

    def __init__(self, ssl_context: ssl.SSLContext | None = None) -> None:
        app = Flask("links")
        self.hits: list[tuple[str, str]] = []

        @app.before_request
        def _count() -> None:
            self.hits.append((request.path, request.headers.get("Host", "")))

        @app.get("/ok")
        def ok() -> Response:
            return Response(f"hello {request.headers.get('Host')}", 200)

        @app.get("/big")
        def big() -> Response:
            return Response((b"x" * 65_536 for _ in range(80)), 200)  # 5 MB, streamed

        @app.get("/slow")
        def slow() -> Response:
            def drip() -> Iterator[bytes]:
                for _ in range(100):
                    time.sleep(0.1)
                    yield b"x"

            return Response(drip(), 200)

        @app.get("/redirect")
        def redirect() -> Response:
            return Response("", 302, {"Location": request.args["to"]})

        @app.get("/loop")
        def loop() -> Response:
            return Response("", 301, {"Location": "/loop"})

        self.server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.port = self.server.server_port

    def url(self, path: str, host: str = "127.0.0.1", scheme: str = "http") -> str:
        return f"{scheme}://{host}:{self.port}{path}"


@pytest.fixture
def links() -> Iterator[LinkServer]:
    server = LinkServer()
    yield server
    server.server.shutdown()


def resolver_for(
    table: dict[str, list[str]], calls: list[str] | None = None
) -> Callable[[str, int], list[str]]:
    """DNS from a table; records every lookup."""

    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        if host not in table:
            raise socket.gaierror(f"no such host {host}")
        return table[host]

    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://127.0.0.2:80/",
        "http://localhost/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://[::]/",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[fe80::1]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://0x7f000001/",
        "http://127.1/",
        "http://017700000001/",
        "http://[2002:7f00:1::]/",  # 6to4 wrapping 127.0.0.1
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://internal.example/",
        "http://mixed.example/",  # one public and one private address: refused
    ],
)
def test_non_public_addresses_are_refused_before_connecting(url: str) -> None:
    table = {
        "localhost": ["127.0.0.1"],
        "metadata.google.internal": ["169.254.169.254"],
        "internal.example": ["10.1.2.3"],
        "mixed.example": ["93.184.215.14", "192.168.0.10"],
        "2130706433": ["127.0.0.1"],
        "0x7f000001": ["127.0.0.1"],
        "127.1": ["127.0.0.1"],
        "017700000001": ["127.0.0.1"],
    }
    with pytest.raises(FetchRefused, match="not a public address"):
        fetch(url, resolver=resolver_for(table))
    assert reachable(url, resolver=resolver_for(table)).ok is False


def test_the_system_resolver_is_checked_too(links: LinkServer) -> None:
    """No injected DNS: 'localhost' through getaddrinfo is refused, and the server saw nothing."""
    for host in ("localhost", "127.0.0.1"):
        with pytest.raises(FetchRefused):
            fetch(links.url("/ok", host), FetchPolicy(allowed_ports=None))
    assert links.hits == []


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("file:///etc/passwd", "scheme"),
        ("gopher://example.org/", "scheme"),
        ("ftp://example.org/", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("dict://example.org:11211/stat", "scheme"),
        ("http://user:pw@example.org/", "credentials"),
        ("http://example.org@127.0.0.1/", "credentials"),
        ("http://example.org:22/", "port"),
        ("http://example.org:6379/", "port"),
        ("http:///nohost", "host"),
        ("http://exa mple.org/", "URL"),
        ("http://example.org/\r\nX-Injected: 1", "URL"),
        ("http://[::1/", "URL"),
    ],
)
def test_urls_outside_the_policy_are_refused(url: str, why: str) -> None:
    with pytest.raises(FetchRefused, match=why):
        fetch(url, resolver=resolver_for({}))


def test_a_public_page_is_fetched_through_the_checked_address(links: LinkServer) -> None:
    """The positive path (on loopback, with the test-only flag): the connection goes to the address
    that was checked, with the name in Host; DNS is asked once per hop."""
    calls: list[str] = []
    resolve = resolver_for({"paper.example": ["127.0.0.1"]}, calls)
    result = fetch(links.url("/ok", "paper.example"), TEST_POLICY, resolver=resolve)
    assert result.status == 200 and result.content == f"hello paper.example:{links.port}".encode()
    assert calls == ["paper.example"]
    assert links.hits == [("/ok", f"paper.example:{links.port}")]
    assert reachable(links.url("/ok", "paper.example"), TEST_POLICY, resolver=resolve).ok


def test_dns_rebinding_cannot_swap_the_address(links: LinkServer) -> None:
    """The name answers a checked address first and a private one on any later lookup: the fetch
    connects to the first (the server is reached although the name never resolves again), and
    ``paper.example`` is not a name the system resolver could find at all."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"], ["10.0.0.1"]])
    result = fetch(links.url("/ok", "rebind.example"), TEST_POLICY, resolver=lambda h, p: next(answers))
    assert result.status == 200 and links.hits == [("/ok", f"rebind.example:{links.port}")]


@pytest.mark.parametrize(
    "to",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/admin",
        "http://0.0.0.0:{port}/ok",
        "http://[fe80::1]/",
        "http://internal.example/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:6379/_FLUSHALL",
    ],
)
def test_a_redirect_to_a_private_address_is_refused(links: LinkServer, to: str) -> None:
    target = to.format(port=links.port)
    resolve = resolver_for({"paper.example": ["127.0.0.1"], "internal.example": ["192.168.0.7"]})
    with pytest.raises(FetchRefused):
        fetch(
            links.url(f"/redirect?to={quote(target, safe='')}", "paper.example"),
            TEST_POLICY,
            resolver=resolve,
        )
    assert [path for path, _ in links.hits] == ["/redirect"]  # the private hop was never requested


def test_redirects_are_followed_checked_and_bounded(links: LinkServer) -> None:
    resolve = resolver_for({"a.example": ["127.0.0.1"], "b.example": ["127.0.0.1"]})
    final = links.url("/ok", "b.example")
    result = fetch(
        links.url(f"/redirect?to={quote(final, safe='')}", "a.example"), TEST_POLICY, resolver=resolve
    )
    assert result.status == 200 and result.url == final and len(result.hops) == 2
    assert links.hits[-1] == ("/ok", f"b.example:{links.port}")
    with pytest.raises(FetchFailed, match="redirects"):
        fetch(links.url("/loop", "a.example"), TEST_POLICY, resolver=resolve)
    assert sum(path == "/loop" for path, _ in links.hits) == TEST_POLICY.max_redirects + 1


def test_the_body_is_capped_and_the_time_is_bounded(links: LinkServer) -> None:
    resolve = resolver_for({"paper.example": ["127.0.0.1"]})
    policy = FetchPolicy(allow_loopback=True, allowed_ports=None, max_bytes=100_000, total_seconds=1.0)
    result = fetch(links.url("/big", "paper.example"), policy, resolver=resolve)
    assert result.truncated and len(result.content) == 100_000
    t0 = time.monotonic()
    with pytest.raises(FetchFailed, match="timed out"):
        fetch(links.url("/slow", "paper.example"), policy, resolver=resolve)  # 10 s of dripping
    assert time.monotonic() - t0 < 2.5

    def hanging_dns(host: str, port: int) -> list[str]:
        time.sleep(5)
        return ["127.0.0.1"]

    t0 = time.monotonic()
    with pytest.raises(FetchFailed, match="resolving"):
        fetch(links.url("/ok", "slow-dns.example"), policy, resolver=hanging_dns)
    assert time.monotonic() - t0 < 2


def test_environment_proxies_are_not_used(links: LinkServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy would resolve the name itself, after our check: HTTP(S)_PROXY is ignored."""
    monkeypatch.setenv("HTTP_PROXY", "http://10.0.0.1:3128")
    monkeypatch.setenv("HTTPS_PROXY", "http://10.0.0.1:3128")
    result = fetch(
        links.url("/ok", "paper.example"),
        TEST_POLICY,
        resolver=resolver_for({"paper.example": ["127.0.0.1"]}),
    )
    assert result.status == 200


def test_https_connects_to_the_checked_address_and_verifies_the_name(tmp_path: Path) -> None:
    """TLS to the pinned IP with SNI and the certificate check on the name: a certificate for
    another name fails, so pinning the address does not weaken TLS."""
    ca_file, context = tls_server_context(tmp_path, "paper.example")
    server = LinkServer(ssl_context=context)
    try:
        policy = FetchPolicy(allow_loopback=True, allowed_ports=None, total_seconds=5, verify=str(ca_file))
        resolve = resolver_for({"paper.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        result = fetch(server.url("/ok", "paper.example", "https"), policy, resolver=resolve)
        assert result.status == 200 and result.content == f"hello paper.example:{server.port}".encode()
        with pytest.raises(FetchFailed, match="TLS"):
            fetch(server.url("/ok", "other.example", "https"), policy, resolver=resolve)
    finally:
        server.server.shutdown()


def tls_server_context(tmp_path: Path, name: str) -> tuple[Path, ssl.SSLContext]:
    """A throw-away CA and a server certificate for ``name``."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, cert_file, key_file = tmp_path / "ca.pem", tmp_path / "cert.pem", tmp_path / "key.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return ca_file, context


# -- the webhook secret, the body limit, the signature compare --------------------------------------

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "github"


def child_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))}
    return {**keep, "PYTHONPATH": str(ROOT), **extra}


def test_credentials_without_a_secret_refuse_to_start(tmp_path: Path) -> None:
    """With a token (so not a dry run) and no GITHUB_WEBHOOK_SECRET, `serve` exits at once."""
    token = "ghp_startup_token_must_not_be_printed_42"
    env = child_env(GITHUB_TOKEN=token, BOT_DATA_DIR=str(tmp_path / "d"), GITHUB_API_URL="http://127.0.0.1:9")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "GITHUB_WEBHOOK_SECRET" in proc.stderr
    assert token not in proc.stderr + proc.stdout
    with pytest.raises(ValueError, match="GITHUB_WEBHOOK_SECRET"):
        create_app(Settings(github_app_id="1", github_app_private_key="k" * 50), queue=None)  # type: ignore[arg-type]


def raw_post(port: int, length: int, body: bytes = b"{") -> tuple[bytes, float]:
    """Headers announcing ``length`` bytes, then only ``body``: a server that waits for the body
    before judging its size does not answer at all."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        head = (
            f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: d-big\r\n"
            f"X-Hub-Signature-256: sha256={'0' * 64}\r\n\r\n"
        )
        c.sendall(head.encode() + body)
        try:
            return c.recv(100), time.monotonic() - t0
        except TimeoutError:
            return b"", time.monotonic() - t0


def test_body_limit_is_enforced_before_the_body_is_read_by_the_app(tmp_path: Path) -> None:
    s = Settings(webhook_secret="s" * 20, data_dir=tmp_path)
    server = make_server("127.0.0.1", 0, create_app(s, make_queue(s, lambda j, _s: None)), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        answer, took = raw_post(server.server_port, 50_000_000)
        assert answer.startswith(b"HTTP/1.1 413") and took < 2, (answer, took)
    finally:
        server.shutdown()


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac
    import inspect

    from bot.service import signature

    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    good = signature.sign("k" * 20, b"body")
    assert signature.verify("k" * 20, b"body", good) and not signature.verify(
        "k" * 20, b"body", good[:-1] + "0"
    )
    assert len(seen) == 2
    assert "==" not in inspect.getsource(signature.verify)  # no early-exit comparison beside it


# -- secrets never logged ---------------------------------------------------------------------------

WEBHOOK_SECRET = "whsec-Zq8v3LkP0x9TnR2mYc4B"


@pytest.mark.parametrize("mode", ["app", "token"])
def test_secrets_never_reach_a_log_line(
    mode: str, github_server: FakeGitHub, arxiv_server: Any, github_app_key: Any, tmp_path: Path
) -> None:
    """A full flow at DEBUG level, text format (no redaction to hide behind): signed and unsigned
    deliveries, an oversized body, a review posted through App or token authentication. No log line
    holds the webhook secret, the token, any line of the private key, or any token or JWT GitHub saw."""
    from tests.fakes.scenario import BAD, LAST, REPO, TOKEN, open_pr, with_lines
    from tests.test_e2e import payload

    installation = 4242
    github_server.register_app(31337, github_app_key.public_pem, installation_id=installation, account="octo")
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\n")
    creds = (
        {"GITHUB_APP_ID": "31337", "GITHUB_APP_PRIVATE_KEY": github_app_key.private_pem}
        if mode == "app"
        else {"GITHUB_TOKEN": TOKEN}
    )
    port = free_port()
    env = child_env(
        GITHUB_WEBHOOK_SECRET=WEBHOOK_SECRET, GITHUB_API_URL=github_server.url, ARXIV_API_URL=arxiv_server.url,
        BOT_DATA_DIR=str(tmp_path / "d"), BOT_LOG_FORMAT="text", **creds,
    )  # fmt: skip
    debug = (
        "import logging\nfrom bot.service import logs, serve\nreal = logs.configure\n"
        "logs.configure = lambda fmt=None, *, secrets=(), level=0: real(fmt, secrets=secrets, level=logging.DEBUG)\n"
        f"serve.serve('127.0.0.1', {port})\n"
    )
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", debug], cwd=tmp_path, env=env, stdout=out, stderr=out)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()
            time.sleep(0.1)
        head = open_pr(github_server, 1, with_lines(BAD, after=LAST))
        body = json.dumps(payload(1, head)).encode()
        sign = {"Content-Type": "application/json", "X-GitHub-Event": "pull_request"}
        bad = {**sign, "X-GitHub-Delivery": "d-bad", "X-Hub-Signature-256": "sha256=" + "0" * 64}
        assert requests.post(f"{url}/webhook", data=body, headers=bad, timeout=10).status_code == 401
        unsigned = {**sign, "X-GitHub-Delivery": "d-unsigned"}
        assert requests.post(f"{url}/webhook", data=body, headers=unsigned, timeout=10).status_code == 401
        answer, took = raw_post(port, 50_000_000)  # waitress: refused after the headers, not buffered
        assert answer.startswith(b"HTTP/1.1 413") and took < 2, (answer, took)
        good = {**sign, "X-GitHub-Delivery": "d-good", "X-Hub-Signature-256": signature_of(body)}
        assert requests.post(f"{url}/webhook", data=body, headers=good, timeout=10).status_code == 202
        while not github_server.writes() or not (
            github_server.repo(REPO).check_runs or github_server.repo(REPO).statuses
        ):
            assert time.monotonic() < deadline + 40, log_path.read_text()[-3000:]
            time.sleep(0.1)
        time.sleep(0.5)  # let the job's last log lines out
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    log = log_path.read_text(errors="replace")
    assert "github" in log and "d-good" in log and len(log.splitlines()) > 20  # the log is not empty
    secrets = [WEBHOOK_SECRET, TOKEN] + [
        ln for ln in github_app_key.private_pem.splitlines() if len(ln) >= 16
    ]
    for rec in github_server.requests:  # every installation token and JWT the bot presented
        if rec.authorization:
            secrets.append(rec.authorization.split(" ", 1)[-1])
    secrets += [t for t in github_server.tokens if t.startswith("ghs_")]
    for line in log.splitlines():
        for secret in secrets:
            assert secret not in line, f"a secret ({secret[:6]}…) is logged: {line[:200]}"
    assert (mode == "app") == any(
        (rec.authorization or "").startswith("Bearer") for rec in github_server.requests
    )


def signature_of(body: bytes) -> str:
    from bot.service import signature

    return signature.sign(WEBHOOK_SECRET, body)


# -- contributor text in the bot's comments ---------------------------------------------------------

HOSTILE = [
    # an entry whose arXiv id names another paper (error, suggestion): its title goes into the summary
    "- (*Arxiv 2024.11*) Hi @octocat and @acme/security-team, fixes #1 Closes: #2 resolves octo/x#3 "
    "<img src=x onerror=alert(1)> ![px](https://evil.example/p.png) <!-- awesome-review:summary --> "
    "<details open><summary>click</summary> ``` [[paper](https://arxiv.org/abs/2411.00418)]",
    # not an entry at all (entry-syntax): its text goes into the summary and a suggestion
    "* @octocat fixes #4 <script>alert(1)</script> ~~~ [paper](https://arxiv.org/pdf/2401.01335v2)",
    # backtick runs in the title, with a link to fix: the suggestion fence must outlast them
    "- (*ICML 2024*) Fine-Tuning ```` Converts Weak Models @team fixes #5 <b>x</b> "
    "[[paper](https://openreview.net/forum?id=abc123)]",
]
OURS = re.compile(r"</?details>|</?summary>|</?sub>|<!-- awesome-review:(summary|review:[0-9a-f]{40}) -->")


def outside_code(body: str) -> str:
    """``body`` with its fenced code blocks removed the way GitHub closes them (CommonMark: a fence
    closes only with at least as many of the same character); asserts every fence closes."""
    out, fence = [], ""
    for line in body.split("\n"):
        stripped = line.strip()
        if fence:
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = ""
            continue
        m = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if m:
            fence = m[1]
            continue
        out.append(line)
    assert not fence, "a code fence is left open: everything after it would render as code"
    return "\n".join(out)


def assert_inert(body: str) -> None:
    text = OURS.sub("", outside_code(body))
    assert not re.search(r"@[A-Za-z0-9]", text), "an @-mention"
    assert not re.search(r"#\d", text), "an issue reference (fixes #1 would close it)"
    assert not re.search(r"<[A-Za-z/!?]", text), "raw HTML"
    assert "![" not in text, "an image"
    assert not re.search(r"^ {0,3}(```|~~~)", text, re.M), "a code fence outside ours"


def test_contributor_text_cannot_mention_close_or_inject(
    github_server: FakeGitHub, arxiv_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: what the local GitHub received (review, inline comments, summary, status) and the
    check-run annotations the plan carries."""
    from bot.adapters.github import ClientOptions, GitHubAdapter
    from bot.service.connections import Connections
    from tests.fakes.scenario import LAST, REPO, TOKEN, job, open_pr, with_lines

    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\n")
    s = Settings(
        github_token=TOKEN,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "d",
    )
    head = open_pr(github_server, 1, with_lines(*HOSTILE, after=LAST))
    out = Connections(s).review(
        job(1, head), github=GitHubAdapter(s, options=ClientOptions(sleep=lambda _s: None))
    )
    repo = github_server.repo(REPO)
    bodies = [r["body"] for r in repo.reviews] + [c["body"] for c in repo.review_comments]
    bodies += [c["body"] for c in repo.issue_comments] + [st.get("description") or "" for st in repo.statuses]
    bodies += [a.message for a in out.plan.annotations]
    assert len(repo.review_comments) == 3 and len(repo.issue_comments) == 1
    summary = repo.issue_comments[0]["body"]
    assert "octocat" in summary and "onerror" in summary  # shown, as text
    for body in bodies:
        assert_inert(body)
    suggestion = next(c["body"] for c in repo.review_comments if "````" in c["body"])
    assert "`````suggestion\n" in suggestion  # a fence longer than the title's backtick run
    assert "@team fixes #5 <b>x</b>" in suggestion  # inside code: shown as typed, inert


# -- YAML and configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "rules: !!python/object/apply:os.system ['touch {marker}']\n",
        "!!python/object/new:os.system ['touch {marker}']\n",
        "rules:\n  order: !!python/name:os.system\n",
    ],
)
def test_config_yaml_is_loaded_safely(text: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(config_mod.ConfigError, match="not valid YAML"):
        config_mod.loads(text.format(marker=marker))
    assert not marker.exists()


@pytest.mark.timeout(10)
def test_a_yaml_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(config_mod.ConfigError):
        config_mod.loads(bomb)


def test_the_config_has_no_place_for_secrets_and_a_repository_none_for_endpoints() -> None:
    for key in ("github_token", "webhook_secret", "github_api_url", "redis_url", "private_key"):
        with pytest.raises(config_mod.ConfigError, match="unknown key"):
            config_mod.loads(f"{key}: x\n")
    overlay = getattr(config_mod, "overlay", None)
    if overlay is None:
        pytest.skip("no per-repository config in this tree")
    base = config_mod.load(None)
    for text in (
        "arxiv:\n  api_url: http://169.254.169.254/latest/meta-data/\n",
        "arxiv:\n  min_interval_seconds: 0\n",
        "github_token: x\n",
    ):
        with pytest.raises(config_mod.ConfigError):
            overlay(base, text, ".github/awesome-review.yml")
    assert overlay(base, "rules:\n  order: off\n", ".github/awesome-review.yml").severity("order") == "off"


@pytest.mark.parametrize(
    "body",
    ["hi @octocat", "fixes #1", "<img src=x>", "![a](b)", "```\ncode", "~~~\nopen", "x\n```\nlater"],
)
def test_the_inertness_check_catches_each_trick(body: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert(body)
    assert_inert(
        "@\u200boctocat #\u200b1 &lt;img&gt; !\u200b[a] <details></details>\n````suggestion\n@x ```\n````"
    )
