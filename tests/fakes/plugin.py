"""pytest plugin: the fake arXiv API and its helpers.

Load it from tests/conftest.py with `pytest_plugins = ["tests.fakes.plugin"]`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.fakes.arxiv_server import FakeArxiv, FakeClock


@pytest.fixture
def arxiv_server_factory() -> Iterator[Callable[..., FakeArxiv]]:
    """Start as many fake arXiv servers as a test needs: make(papers=None, format="current")."""
    servers: list[FakeArxiv] = []

    def make(*args: Any, **kwargs: Any) -> FakeArxiv:
        server = FakeArxiv(*args, **kwargs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def arxiv_server(arxiv_server_factory: Callable[..., FakeArxiv]) -> FakeArxiv:
    """A fake arXiv API in the current format, serving tests/fakes/arxiv_papers.PAPERS."""
    return arxiv_server_factory()


@pytest.fixture(params=["current", "legacy"])
def any_arxiv_server(
    request: pytest.FixtureRequest, arxiv_server_factory: Callable[..., FakeArxiv]
) -> FakeArxiv:
    """The same fake arXiv in each response generation in turn."""
    return arxiv_server_factory(format=request.param)


@pytest.fixture
def fake_clock() -> FakeClock:
    """A clock to inject as clock=fake_clock, sleep=fake_clock.sleep: spacing asserted without waiting."""
    return FakeClock()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A throw-away redis-server on loopback for the arXiv gate and cache.

    Skipped where redis-server is not installed, except under CI, where that is a failure.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed, and CI is set: the Redis arXiv tests must run")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("arxiv-redis")
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen(
        [*args, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
