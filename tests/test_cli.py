"""`python -m bot check` as a user runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SEED_LIST = """\
# Awesome-Self-Play-LLMs

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*NeurIPS 23'*) Direct Preference Optimization: Your Language Model is Secretly a Reward Model [[paper](https://arxiv.org/abs/2305.18290)]
- (*Arxiv 2022.12*) An entry that follows the format [[paper](https://arxiv.org/abs/2212.10001)]

## Contributing
```
- (*conference|journal*) paper_name [[pdf](link)][[code](link)]
```
"""

ADDED = "- (*Arxiv 2025.02*) S2R [[pdf](https://arxiv.org/pdf/2502.12853v2.pdf)]\n- (*NeurIPS 2024*) Bad [paper](https://arxiv.org/abs/2404.10642)\n"


def bot(
    *args: str, cwd: Path, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "", **(env or {})},
        timeout=60,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding the list, with one contribution on top of the committed version."""
    (tmp_path / "README.md").write_text(SEED_LIST)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "README.md"], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-qm", "list"], cwd=tmp_path, check=True)
    text = SEED_LIST.replace("## Related Works\n", "## Related Works\n" + ADDED)
    (tmp_path / "README.md").write_text(text)
    return tmp_path


def test_clean_list_exits_0(tmp_path):
    (tmp_path / "README.md").write_text(SEED_LIST)
    r = bot("check", "README.md", "--offline", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "0 errors" in r.stdout


def test_audit_text_output_names_file_line_rule_and_suggestion(repo):
    r = bot("check", "README.md", "--offline", cwd=repo)
    assert r.returncode == 1
    assert "README.md:4: warning arxiv-link:" in r.stdout
    assert "    suggestion: - (*Arxiv 2025.02*) S2R [[pdf](https://arxiv.org/abs/2502.12853)]" in r.stdout
    assert "README.md:5: error entry-syntax:" in r.stdout
    assert "\033[" not in r.stdout  # no colour when stdout is not a terminal


def test_diff_from_stdin_judges_only_added_lines(repo):
    diff = subprocess.run(
        ["git", "diff", "--", "README.md"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout
    (repo / "README.md").write_text((repo / "README.md").read_text() + "- stray line in Contributing\n")
    r = bot("check", "README.md", "--diff", "-", "--format", "json", "--offline", cwd=repo, stdin=diff)
    out = json.loads(r.stdout)
    assert r.returncode == 1
    assert {f["line"] for f in out["findings"]} == {4, 5}
    assert out["summary"]["error"] >= 1 and out["summary"]["items"] == 2
    assert set(out["findings"][0]) == {
        "rule",
        "kind",
        "severity",
        "path",
        "line",
        "message",
        "suggestion",
        "fix",
    }
    assert {f["fix"] for f in out["findings"] if f["suggestion"] is None} == {None}
    assert "safe" in {f["fix"] for f in out["findings"]}  # the pdf link's fix is mechanical


def test_diff_file_and_clean_diff(repo, tmp_path):
    patch = tmp_path / "empty.patch"
    patch.write_text("")
    r = bot("check", "README.md", "--diff", str(patch), "--offline", cwd=repo)
    assert r.returncode == 0 and "0 entries checked" in r.stdout


def test_a_diff_of_another_file_or_no_diff_at_all_is_refused(repo, tmp_path):
    """Was: OTHER.md's diff judged README.md's line 8; `echo hello` checked 0 entries and passed."""
    other = tmp_path / "other.patch"
    other.write_text("--- a/OTHER.md\n+++ b/OTHER.md\n@@ -7,0 +8,1 @@\n+x\n")
    r = bot("check", "README.md", "--diff", str(other), "--offline", cwd=repo)
    assert r.returncode == 2 and f"error: {other}: does not touch README.md (it touches OTHER.md)" in r.stderr
    r = bot("check", "README.md", "--diff", "-", "--offline", cwd=repo, stdin="hello\n")
    assert r.returncode == 2 and "error: <stdin>: holds no file changes" in r.stderr


def test_github_format_is_workflow_commands(repo):
    r = bot("check", "README.md", "--format", "github", "--offline", cwd=repo)
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    assert lines[0].startswith("::warning file=README.md,line=4,title=arxiv-link::")
    assert any(ln.startswith("::error file=README.md,line=5,title=entry-syntax::") for ln in lines)
    assert all("\n" not in ln for ln in lines) and "%0ASuggested line:%0A" in r.stdout


def test_config_from_flag_env_and_bad_config(repo):
    (repo / "quiet.yml").write_text(
        "rules:\n  entry-syntax: off\n  arxiv-link: off\n  venue-tag: off\n  links: off\n"
    )
    assert bot("check", "README.md", "--offline", "--config", "quiet.yml", cwd=repo).returncode == 0
    assert bot("check", "README.md", "--offline", cwd=repo, env={"BOT_CONFIG": "quiet.yml"}).returncode == 0
    (repo / ".github").mkdir()
    (repo / ".github" / "awesome-review.yml").write_text("rules:\n  arxiv-title: severe\n")
    r = bot("check", "README.md", "--offline", cwd=repo)
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "error: .github/awesome-review.yml:2: rules.arxiv-title: 'severe' is not one of error, warning, "
        "notice, off"
    )
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args, words",
    [
        (["check", "missing.md", "--offline"], "missing.md: no such list file"),
        (["check", "README.md", "--diff", "missing.patch", "--offline"], "missing.patch: no such diff"),
        (["check", "README.md", "--config", "nope.yml", "--offline"], "nope.yml: no such file"),
        (["check", "README.md", "--format", "xml"], "invalid choice"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_a_clear_message(repo, args, words):
    r = bot(*args, cwd=repo)
    assert r.returncode == 2
    assert words in r.stderr and "Traceback" not in r.stderr


def test_hostile_file_bytes(tmp_path):
    body = b"\xef\xbb\xbf# L\r\n\r\n## Related Works\r\n- (*Arxiv 2024.11*) Caf\xe9 [[paper](https://arxiv.org/abs/2411.00418)]\r\n"
    (tmp_path / "README.md").write_bytes(body)
    r = bot("check", "README.md", "--offline", "--format", "json", cwd=tmp_path)
    out = json.loads(r.stdout)
    assert [(f["line"], f["rule"]) for f in out["findings"]] == [(4, "entry-syntax")]
    assert "UTF-8" in out["findings"][0]["message"]


def test_check_does_not_import_the_service_stack(tmp_path):
    (tmp_path / "README.md").write_text(SEED_LIST)
    code = (
        "import sys; from bot.__main__ import main; rc = main(['check', 'README.md', '--offline']);"
        "bad = [m for m in ('flask', 'github', 'huey', 'redis', 'requests', 'rapidfuzz') if m in sys.modules];"
        "print('IMPORTED', bad)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "IMPORTED []" in r.stdout, r.stdout + r.stderr


def test_console_script_equals_module(tmp_path):
    exe = Path(sys.executable).with_name("awesome-review")
    if not exe.exists():
        pytest.skip("the package is not installed with its console script")
    (tmp_path / "README.md").write_text(SEED_LIST)
    a = subprocess.run(
        [str(exe), "check", "README.md", "--offline"], cwd=tmp_path, capture_output=True, text=True
    )
    b = bot("check", "README.md", "--offline", cwd=tmp_path)
    assert (a.returncode, a.stdout) == (b.returncode, b.stdout)
