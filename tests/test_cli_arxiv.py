"""`check` online: a real process against the local arXiv server, with the cache under BOT_DATA_DIR."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fakes.arxiv_server import FakeArxiv, Scripted

LIST = """\
# L

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*ICML 24'*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models [[paper](https://arxiv.org/abs/2401.01335)]
- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game [[paper](https://arxiv.org/abs/2311.08045)]
"""
CONFIG = "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"


@pytest.fixture
def workdir(tmp_path: Path, arxiv_server: FakeArxiv) -> tuple[Path, dict[str, str]]:
    (tmp_path / "README.md").write_text(LIST)
    (tmp_path / "config.yml").write_text(CONFIG)
    env = {
        **os.environ,
        "ARXIV_API_URL": arxiv_server.url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONFIG": "config.yml",  # the deployment's settings: a repository's file may not set arxiv
        "NO_COLOR": "",
    }
    env.pop("REDIS_URL", None)
    return tmp_path, env


def check(cwd: Path, env: dict[str, str], *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md", "--format", "json", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, **kw,
    )  # fmt: skip


def test_audit_verifies_every_id_in_one_batch_and_the_second_run_asks_nothing(workdir, arxiv_server):
    cwd, env = workdir
    first = check(cwd, env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(arxiv_server.requests) == 1
    assert sorted(arxiv_server.requests[0].query["id_list"][0].split(",")) == [
        "2311.08045",
        "2401.01335",
        "2401.10020",
        "2408.02666",
        "2411.00418",
    ]
    assert arxiv_server.requests[0].query["max_results"] == ["5"]
    second = check(cwd, env)
    assert second.returncode == 0 and len(arxiv_server.requests) == 1  # the cache answered


def test_an_id_of_another_paper_fails_the_check(workdir):
    cwd, env = workdir
    text = LIST.replace("Self-Taught Evaluators", "Self-Rewarding Language Models for Everyone")
    (cwd / "README.md").write_text(text)
    r = check(cwd, env)
    out = json.loads(r.stdout)
    assert r.returncode == 1
    (f,) = [f for f in out["findings"] if f["rule"] == "arxiv-title"]
    assert f["line"] == 5 and "Self-Taught Evaluators" in f["message"]
    assert f["suggestion"] == LIST.splitlines()[4]


def test_arxiv_outage_is_a_notice_not_a_failure(workdir, arxiv_server):
    cwd, env = workdir
    arxiv_server.script(*[Scripted(status=503)] * 2)
    r = check(cwd, env)
    out = json.loads(r.stdout)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert {(f["rule"], f["severity"]) for f in out["findings"]} == {("arxiv-exists", "notice")}
    assert all("Not verified against arXiv (arXiv answered 503)" in f["message"] for f in out["findings"])


def test_unreachable_arxiv_is_a_notice_too(workdir):
    cwd, env = workdir
    env["ARXIV_API_URL"] = "http://127.0.0.1:9/api/query"  # nothing listens on the discard port
    r = check(cwd, env)
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert all(f["severity"] == "notice" for f in json.loads(r.stdout)["findings"])


def test_offline_makes_no_request(workdir, arxiv_server):
    cwd, env = workdir
    assert check(cwd, env, "--offline").returncode == 0
    assert arxiv_server.requests == []


def test_progress_bar_on_a_terminal(workdir):
    """stderr on a pseudo-terminal gets a tqdm bar; read while the process runs (a closed pty drops it)."""
    from tests.test_cli_progress import on_a_pty

    cwd, env = workdir
    code, out = on_a_pty([sys.executable, "-m", "bot", "check", "README.md"], cwd, env)
    assert code == 0
    assert b"arXiv:" in out and b"/5 [" in out, out  # the bar, cleared once done (leave=False)


def test_without_bot_data_dir_the_cache_goes_to_the_users_cache_directory(workdir, arxiv_server, tmp_path):
    """Was: `check` made `.bot/` in whatever directory it ran in (issue 10, item 16)."""
    cwd, env = workdir
    env = {k: v for k, v in env.items() if k != "BOT_DATA_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg-cache")  # platformdirs' user cache dir on Linux
    first = check(cwd, env)
    assert first.returncode == 0, first.stderr
    assert not (cwd / ".bot").exists()
    assert any((tmp_path / "xdg-cache" / "awesome-review").iterdir())
    assert check(cwd, env).returncode == 0 and len(arxiv_server.requests) == 1  # cached there


def test_arxiv_host_that_does_not_resolve_is_given_up_at_once_and_said_once(workdir, tmp_path):
    """Was: 18 s of retries in silence, then one "Not verified … the bot will check again" per entry
    (issue 10, item 17). A name that does not resolve is not retried; one line says it all."""
    cwd, env = workdir
    (cwd / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n")  # the default retries
    env = {**env, "ARXIV_API_URL": "http://arxiv.invalid/api/query"}  # .invalid never resolves
    t0 = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - t0 < 10
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if "arXiv" in ln]
    assert lines == [
        "warning: arXiv could not be reached: 5 entries not verified; run again later, or use --offline"
    ]
    assert "check again" not in r.stdout + r.stderr and "Not verified" not in r.stdout
