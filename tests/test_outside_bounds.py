"""Every outside client keeps three bounds (issue 19, items 8, 9 and 12), shown against a hostile
server on loopback (tests/fakes/hostile.py) for each client the bot has: arXiv, Semantic Scholar,
OpenReview, GitHub's API (a read through the adapter) and the GitHub App's token exchange (a POST).

- A total deadline per request. Was: the timeout bounded each read, so an answer dripping a byte
  every 0.3 s held the client (and the gate every worker shares) for as long as the server liked.
- A cap on an answer's size. Was: a 300 MB answer was read whole (3.7 GB of memory).
- No credentials to another host. Was: SEMANTIC_SCHOLAR_API_KEY followed a 307 to another host.

And a record with a field longer than any real one is not verified and never cached.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.arxiv_client import ArxivClient
from bot.adapters.gate import FileGate
from bot.adapters.github import ClientOptions, GitHubAdapter, GitHubError, GitHubUnavailable
from bot.adapters.github_auth import InstallationTokens
from bot.adapters.openreview import OpenReviewClient
from bot.adapters.records import CachedRecords
from bot.adapters.semantic_scholar import ScholarClient
from bot.settings import Settings
from tests.fakes.hostile import Hostile

KEY = "s2-secret-key"
TOKEN = "ghp_secret_token_0123456789"


def _batch(make: Callable[..., Any], key: str) -> Callable[[str], str]:
    """Ask one id; the reason it is not verified ("" when the source answered for it)."""

    def ask(url: str) -> str:
        client = make(url, timeout=1.0, max_retries=0, min_interval=0, max_total_seconds=10)
        found = client.lookup([key])
        return found.unverified.get(key, "")

    return ask


def _github_read(url: str) -> str:
    options = ClientOptions(timeout=1, retries=0, sleep=lambda s: None, max_answer_bytes=1 * 2**20)
    gh = GitHubAdapter(Settings(github_token=TOKEN, github_api_url=url), options=options)
    try:
        gh.read_pull("octo/list", 1)
    except (GitHubUnavailable, GitHubError) as exc:
        return str(exc)
    return ""


def _github_token(url: str, github_app_key) -> str:
    options = ClientOptions(timeout=1, retries=0, sleep=lambda s: None, max_answer_bytes=1 * 2**20)
    settings = Settings(
        github_app_id="1", github_app_private_key=github_app_key.private_pem, github_api_url=url
    )
    try:
        InstallationTokens(settings, options).token(7)
    except Exception as exc:  # PyGithub's own errors: the bound is what is tested here
        return f"{type(exc).__name__}: {exc}"
    return ""


CLIENTS = {
    "arxiv": lambda: _batch(lambda u, **kw: ArxivClient(u + "/api/query", **kw), "2401.01335"),
    "semantic-scholar": lambda: _batch(
        lambda u, **kw: ScholarClient(u + "/graph/v1", api_key=KEY, **kw), "ARXIV:2401.01335"
    ),
    "openreview": lambda: _batch(lambda u, **kw: OpenReviewClient(u, **kw), "OPENREVIEW:abcdefgh12"),
    "github-read": lambda: _github_read,
}


@pytest.fixture(params=[*CLIENTS, "github-app-token"])
def client(request, github_app_key) -> Callable[[str], str]:
    """Each outside client, as a call that asks `url` once and returns why it failed."""
    if request.param == "github-app-token":
        return lambda url: _github_token(url, github_app_key)
    return CLIENTS[request.param]()


def in_time(call: Callable[[], str], limit: float) -> tuple[str, float]:
    """The call's answer and how long it took; fails (without hanging) when it takes over `limit`."""
    out: list[str] = []
    started = time.monotonic()
    worker = threading.Thread(target=lambda: out.append(call()), daemon=True)
    worker.start()
    worker.join(limit)
    took = time.monotonic() - started
    assert out, f"still waiting after {took:.0f} s"
    return out[0], took


def test_a_dripping_answer_ends_at_the_deadline(client) -> None:
    with Hostile("drip", interval=0.3) as server:
        why, took = in_time(lambda: client(server.url()), 15)
    assert took < 4, took  # a 1 s deadline; was: held until the server stopped (120 s)
    assert why, "a dripping answer is never an answer"


def test_an_answer_over_the_cap_is_refused_unread(client) -> None:
    with Hostile("huge", size=100 * 2**20) as server:
        why, _ = in_time(lambda: client(server.url()), 60)
        assert server.sent < 40 * 2**20, server.sent  # the client hung up soon after its cap
    assert "too large" in why or "over" in why, why


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_no_credential_follows_a_redirect_to_another_host(client, status: int) -> None:
    with Hostile("drip") as elsewhere, Hostile("redirect", status=status) as server:
        server.location = elsewhere.url("localhost")  # another host name: another origin
        in_time(lambda: client(server.url()), 15)
        assert server.seen, "the client asked the server"
        assert [s.credentials() for s in elsewhere.seen if s.credentials()] == []
        assert elsewhere.seen == []  # no request at all: another origin is never followed


def test_a_dripping_answer_lets_go_of_the_gate_at_its_deadline(scholar_server, tmp_path: Path) -> None:
    """Two workers share Semantic Scholar's gate; one meets a dripping answer. Was: the other waited
    400 s and more for the gate; now it waits one deadline (1 s)."""
    gate_path = tmp_path / "s2.lock"

    def client(url: str) -> ScholarClient:
        return ScholarClient(
            url, timeout=1.0, max_retries=0, min_interval=0, max_total_seconds=30, gate=FileGate(gate_path)
        )

    with Hostile("drip", interval=0.3) as server:
        stuck = threading.Thread(
            target=lambda: client(server.url() + "/graph/v1").lookup(["ARXIV:2401.01335"]), daemon=True
        )
        stuck.start()
        while not server.seen:
            time.sleep(0.01)
        found, took = in_time(lambda: str(client(scholar_server.url).lookup(["ARXIV:2401.10020"]).papers), 20)
    assert "ARXIV:2401.10020" in found
    assert took < 3, took


def test_a_record_with_an_oversized_field_is_not_verified_and_not_cached(
    scholar_server_factory, tmp_path: Path
) -> None:
    from bot.adapters import cache, records
    from tests.fakes.scholar_server import paper

    server = scholar_server_factory(
        [paper("p1", "T" * 300_000, arxiv="2401.00001"), paper("p2", "A real title", arxiv="2401.00002")]
    )
    store = cache.SqliteCache(tmp_path / "c.sqlite3", table="records", schema="v1", load=records.load_record)
    cached = CachedRecords(ScholarClient(server.url, min_interval=0, max_retries=0), store)
    ids = ["ARXIV:2401.00001", "ARXIV:2401.00002"]
    found = cached.lookup(ids)
    assert "title over 2,000 characters" in found.unverified["ARXIV:2401.00001"]
    assert "ARXIV:2401.00001" not in found.missing  # not verified is no verdict
    assert found.papers["ARXIV:2401.00002"].title == "A real title"
    assert list(store.get_many(ids, time.time())) == ["ARXIV:2401.00002"]  # only the real one is kept
