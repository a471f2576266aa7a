"""pytest plugin: a throw-away redis-server for the queue tests, and a backend switch.

Load it from tests/conftest.py with ``pytest_plugins = ["tests.fakes.redis_plugin"]``.

- ``queue_redis_url``: one redis-server per session on a free loopback port, no persistence. Where
  ``redis-server`` is absent the test is skipped, unless env ``CI`` is set: then it fails, so CI
  cannot silently drop the Redis half of the queue tests.
- ``queue_settings``: parametrised over ``sqlite`` and ``redis``; Settings with a fresh data_dir.
- ``queue_name``: a unique Huey queue name, so tests sharing the Redis server never see each other.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.fakes import free_port


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One throw-away redis-server on loopback for the whole session (queue, arXiv gate and cache).

    Skipped where redis-server is not installed, except under CI, where that is a failure.
    """
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed, and CI is set: the Redis tests must run")
        pytest.skip("redis-server is not installed")
    workdir = tmp_path_factory.mktemp("queue-redis")
    for _ in range(3):  # a free port can be taken between probing and binding: try again
        port = free_port()
        args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        proc = subprocess.Popen(
            [*args, "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.05)
        else:
            proc.kill()
            proc.wait()
            continue
        try:
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        return
    pytest.fail("redis-server did not start")


@pytest.fixture(scope="session")
def queue_redis_url(redis_url: str) -> str:
    return redis_url


@pytest.fixture(params=["sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def queue_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one queue backend; dry run (no credentials), no webhook secret."""
    redis_url = request.getfixturevalue("queue_redis_url") if request.param == "redis" else None
    return Settings(data_dir=tmp_path / "data", redis_url=redis_url)


@pytest.fixture
def queue_name() -> str:
    return f"test{uuid.uuid4().hex[:12]}"
