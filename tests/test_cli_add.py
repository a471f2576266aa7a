"""`add URL`: a real process against the local arXiv and Semantic Scholar servers; the entry and its
place printed, or inserted with --write, the rest of the file byte for byte as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.arxiv_server import Scripted
from tests.test_issues import LIST, SPIN, line_of

CONFIG = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
    "semantic_scholar:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
)
NO_CODE = SPIN.replace(" [[code](https://github.com/uclaml/SPIN)]", "")


@pytest.fixture
def workdir(tmp_path: Path, arxiv_server, scholar_server) -> tuple[Path, dict[str, str]]:
    (tmp_path / "README.md").write_bytes(LIST.replace("\n", "\r\n").encode())  # CRLF: kept as it is
    (tmp_path / "config.yml").write_text(CONFIG)
    env = {
        **os.environ,
        "ARXIV_API_URL": arxiv_server.url,
        "SEMANTIC_SCHOLAR_API_URL": scholar_server.url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONFIG": str(tmp_path / "config.yml"),  # the sources fast to ask, an outage soon given up
    }
    env.pop("REDIS_URL", None)
    return tmp_path, env


def add(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "add", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_add_prints_the_entry_and_its_place(workdir):
    cwd, env = workdir
    r = add(cwd, env, "https://arxiv.org/pdf/2401.01335v2")
    assert r.returncode == 0, r.stderr
    entry, where = r.stdout.rstrip("\n").split("\n")
    assert entry == NO_CODE
    after = line_of("Diffusion Models")
    assert (
        where
        == f"README.md:{after + 1}: in “Self-Play”, after line {after}: “Self-Play Fine-Tuning of Diffusion Models for Text-to-Image Generation”"
    )
    assert (cwd / "README.md").read_bytes() == LIST.replace("\n", "\r\n").encode()  # nothing written


def test_add_write_inserts_it_with_a_code_link_and_changes_nothing_else(workdir):
    cwd, env = workdir
    r = add(cwd, env, "arXiv:2401.01335", "--code", "https://github.com/uclaml/SPIN", "--write")
    assert r.returncode == 0, r.stderr
    after = line_of("Diffusion Models")
    lines = LIST.split("\n")
    expected = "\r\n".join([*lines[:after], SPIN, *lines[after:]]).encode()
    assert (cwd / "README.md").read_bytes() == expected
    again = add(cwd, env, "https://arxiv.org/abs/2401.01335")
    assert again.returncode == 1 and f"already in the list at README.md:{after + 1}" in again.stderr


def test_add_refuses_what_it_cannot_add_in_one_line(workdir, arxiv_server):
    cwd, env = workdir
    for args, message in [
        (["https://example.com/paper"], "is not a paper link"),
        (["https://arxiv.org/abs/2401.01335", "--file", "nope.md"], "nope.md: no such list file"),
        (["https://arxiv.org/abs/2401.01335", "--section", "Nowhere"], "no paper section named “Nowhere”"),
    ]:
        r = add(cwd, env, *args)
        assert r.returncode in (1, 2) and message in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert len(r.stderr.strip().split("\n")) == 1
    arxiv_server.script(*[Scripted(status=503)] * 2)
    r = add(cwd, env, "https://arxiv.org/abs/2502.12853")
    assert r.returncode == 1 and "arXiv could not be reached: run again later" in r.stderr


def test_add_write_never_writes_through_a_link_nor_over_an_edit(workdir, arxiv_server, tmp_path):
    """`add --write` replaces the list as `check --fix` does (issue 19, items 2 and 16): a list file
    that is a symbolic link is refused before any lookup, and an edit saved while the sources answer
    is kept, never overwritten; one line each, exit 2."""
    import time

    from tests.fakes.arxiv_server import Scripted

    cwd, env = workdir
    outside = tmp_path / "outside.md"
    outside.write_bytes((cwd / "README.md").read_bytes())
    link = cwd / "LINKED.md"
    link.symlink_to(outside)
    r = add(cwd, env, "arXiv:2401.01335", "--write", "--file", "LINKED.md")
    assert r.returncode == 2 and r.stderr == (
        "error: LINKED.md: is a symbolic link; refusing to write through it (nothing changed)\n"
    )
    assert outside.read_bytes() == (cwd / "README.md").read_bytes() and arxiv_server.requests == []

    arxiv_server.script(Scripted(delay=1.5))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "add", "arXiv:2401.01335", "--write"],
        cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(300):
            if arxiv_server.requests:
                break
            time.sleep(0.05)
        edited = (cwd / "README.md").read_bytes() + b"<!-- saved meanwhile -->\r\n"
        (cwd / "README.md").write_bytes(edited)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2 and err.endswith(
        "error: README.md: changed while it was being checked; nothing written (run again)\n"
    ), err
    assert (cwd / "README.md").read_bytes() == edited
