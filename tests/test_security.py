"""Security properties, each shown against the real code: names that reach API paths, the webhook
secret, body limits, secrets in logs, contributor text in the bot's comments, YAML loading."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask, Response, request
from werkzeug.serving import make_server

from bot.adapters.safe_fetch import FetchFailed, FetchPolicy, FetchRefused, fetch, reachable
from bot.core.repo_name import parse_github_repo, valid_full_name, valid_owner, valid_repo

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
