"""Progress on a terminal (issue 16, item 5): an online check showed nothing for 34 s, an offline
check of 42,000 entries nothing for 21 s. A bar shows ids verified and the time left, lines read
and entries judged; it goes to stderr only when stderr is a terminal, and is cleared when done."""

from __future__ import annotations

import argparse
import fcntl
import io
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path

from bot.__main__ import parser
from bot.cli import check, progress
from tests.fakes.arxiv_server import FakeArxiv

pytest_plugins = ["tests.fakes.plugin"]

ENTRY = "- (*Arxiv 2024.{m:02d}*) Paper Number {i} [[paper](https://arxiv.org/abs/24{m:02d}.{i:05d})]"


def a_list(n: int) -> str:
    rows = [ENTRY.format(m=12 - i * 12 // n, i=i + 1) for i in range(n)]
    return "# L\n\n## Related Works\n" + "\n".join(rows) + "\n"


class Terminal(io.StringIO):
    """stderr as a terminal would be: tqdm draws on it."""

    def isatty(self) -> bool:
        return True


def on_a_pty(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, bytes]:
    """Run `cmd` with stderr on a pseudo-terminal; what it drew there, read while it runs."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    seen: list[bytes] = []

    def drain() -> None:
        try:
            while chunk := os.read(master, 4096):
                seen.append(chunk)
        except OSError:
            pass

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=slave, timeout=120)
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    return done.returncode, b"".join(seen)


def test_online_check_shows_ids_verified_and_time_left_even_with_no_color(
    tmp_path: Path, arxiv_server: FakeArxiv
):
    """NO_COLOR turns colours off, not the progress bar: with it set, the bar was never shown."""
    (tmp_path / "README.md").write_text(a_list(250))
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n  batch_size: 50\n")
    env = {
        **os.environ,
        "ARXIV_API_URL": arxiv_server.url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "NO_COLOR": "1",
    }
    env.pop("REDIS_URL", None)
    code, drawn = on_a_pty(
        [sys.executable, "-m", "bot", "check", "README.md", "--config", "config.yml"], tmp_path, env
    )
    assert code == 1  # the papers are not the fake arXiv's: that is not what is tested here
    assert b"arXiv:" in drawn and b"/250 [" in drawn, drawn  # ids verified of all
    assert b"<" in drawn.split(b"arXiv:")[-1]  # elapsed<remaining: the time left
    assert len(arxiv_server.requests) == 5


def _args() -> argparse.Namespace:
    """`check README.md --offline` as the CLI's own parser reads it."""
    return parser().parse_args(["check", "README.md", "--offline"])


def test_offline_check_of_a_long_list_shows_lines_read_and_entries_judged(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text(a_list(5000))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(check, "LOCAL_DELAY", 0.0)  # the bars show at once, however fast this machine
    err = Terminal()
    assert check.run(_args(), stdout=io.StringIO(), stderr=err) == 0
    drawn = err.getvalue()
    assert "reading:" in drawn and "checking:" in drawn, drawn
    assert "/5000 [" in drawn.split("checking:")[-1]  # entries judged of all, with the time left
    assert drawn.endswith("\r")  # cleared once done


def test_nothing_is_drawn_when_stderr_is_no_terminal(tmp_path, monkeypatch):
    (tmp_path / "README.md").write_text(a_list(3000))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(check, "LOCAL_DELAY", 0.0)
    err = io.StringIO()
    assert check.run(_args(), stdout=io.StringIO(), stderr=err) == 0
    assert err.getvalue() == ""
    assert progress.bar(err, "arXiv", "id") is None


def test_a_bar_for_local_work_waits_its_delay(tmp_path, monkeypatch):
    """A small list checks in a blink: no bar flashes on the terminal."""
    (tmp_path / "README.md").write_text(a_list(50))
    monkeypatch.chdir(tmp_path)
    err = Terminal()
    assert check.run(_args(), stdout=io.StringIO(), stderr=err) == 0
    assert err.getvalue() == ""
