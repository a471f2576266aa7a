"""pytest fixtures for the local GitHub (load with ``pytest_plugins = ["tests.fakes.github_plugin"]``).

- ``github_server``: a fresh :class:`FakeGitHub` per test, listening on a free loopback port.
- ``github_app_key``: an RSA key pair for App (JWT) authentication, generated once per session.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.fakes.github_server import FakeGitHub, make_app_key


@dataclass(frozen=True)
class AppKey:
    private_pem: str
    public_pem: str


@pytest.fixture(scope="session")
def github_app_key() -> AppKey:
    """2048-bit RSA, as GitHub issues for Apps; generated once because it takes ~0.1 s."""
    return AppKey(*make_app_key())


@pytest.fixture
def github_server() -> Iterator[FakeGitHub]:
    """A running local GitHub; its ``url`` is the value for ``GITHUB_API_URL``."""
    server = FakeGitHub().start()
    try:
        yield server
    finally:
        server.stop()
