"""`serve` and `worker` that cannot start say why in one line, never a traceback; exit 2 for bad
usage or config (as `check`), 1 when the machine or a service is not ready (issue 10, item 14)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import free_port

ROOT = Path(__file__).resolve().parents[1]


def start(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "BOT_", "REDIS_", "STATUS_"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path, env={**clean, "PYTHONPATH": str(ROOT), "BOT_DATA_DIR": str(tmp_path / "data"), **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def one_line(r: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in r.stderr, r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
    assert len(errors) == 1, r.stderr
    return errors[0]


def test_credentials_without_a_webhook_secret(tmp_path: Path) -> None:
    r = start(tmp_path, "serve", "--port", str(free_port()), GITHUB_TOKEN="ghp_x")
    assert r.returncode == 2
    assert "GITHUB_WEBHOOK_SECRET is required when GitHub credentials are set" in one_line(r)


def test_a_broken_config(tmp_path: Path) -> None:
    (tmp_path / "bad.yml").write_text("rules:\n  arxiv-title: severe\n")
    for command in (["serve", "--port", str(free_port())], ["worker"]):
        r = start(tmp_path, *command, "--config", "bad.yml")
        assert r.returncode == 2
        assert "bad.yml:2: rules.arxiv-title: 'severe' is not one of" in one_line(r)


def test_the_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = start(tmp_path, "serve", "--port", str(port))
    assert r.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in one_line(r)


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_redis_down_before_anything_listens(tmp_path: Path, command: str) -> None:
    args = [command, "--port", str(free_port())] if command == "serve" else [command]
    r = start(tmp_path, *args, REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    assert r.returncode == 1
    line = one_line(r)
    assert "REDIS_URL: Redis at" in line and "does not answer" in line and "listening" not in r.stderr
