"""action.yml and .pre-commit-hooks.yaml, run the way GitHub Actions and pre-commit run them."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)  # where the venv's `awesome-review` script lives

BASE_LIST = """\
# Awesome-Self-Play-LLMs

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*Arxiv 2023.05*) A legacy entry the pull request does not touch [paper](https://arxiv.org/abs/2305.10601)
- (*Arxiv 2022.12*) An entry that follows the format [[paper](https://arxiv.org/abs/2212.10001)]

## Contributing
```
- (*conference|journal*) paper_name [[pdf](link)][[code](link)]
```
"""
GOOD = "- (*Arxiv 2025.02*) S2R: Teaching LLMs to Self-verify and Self-correct [[paper](https://arxiv.org/abs/2502.12853)]\n"
BAD = "- (*Arxiv 2024.12*) A Bad Entry [paper](https://arxiv.org/abs/2412.00001)\n"
LEGACY = BASE_LIST.splitlines(keepends=True)[6]
GOOD_LINE, BAD_LINE, LEGACY_LINE = 4, 5, 9
HEAD_LIST = BASE_LIST.replace("## Related Works\n", "## Related Works\n" + GOOD + BAD)

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]


def git(*args: str, cwd: Path) -> str:
    return subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def checkout(tmp_path: Path, base: dict[str, str], head: dict[str, str]) -> tuple[Path, str]:
    """A checkout of a pull request whose base commit holds the files `base` and whose HEAD writes
    the files `head` over them; returns the checkout and the base commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git("init", "-q", "-b", "main", cwd=repo)
    for name, text in base.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "list", cwd=repo)
    sha = git("rev-parse", "HEAD", cwd=repo)
    git("checkout", "-qb", "contribution", cwd=repo)
    for name, text in head.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "the contribution", cwd=repo)
    return repo, sha


@pytest.fixture
def pr(tmp_path: Path) -> tuple[Path, str]:
    """A checkout of a pull request: the base commit holds the list, HEAD adds one good and one bad entry."""
    repo, base = checkout(tmp_path, {"README.md": BASE_LIST}, {"README.md": HEAD_LIST})
    assert HEAD_LIST.splitlines()[GOOD_LINE - 1] == GOOD.strip()
    assert HEAD_LIST.splitlines()[BAD_LINE - 1] == BAD.strip()
    assert "legacy entry" in HEAD_LIST.splitlines()[LEGACY_LINE - 1]
    return repo, base


def _substitute(text: str, context: dict[str, str]) -> str:
    """Replace `${{ expr }}` as GitHub does before the shell sees the script; an unknown one fails the test."""

    def value(match: re.Match) -> str:
        expr = match.group(1).strip()
        assert expr in context, f"action.yml uses ${{{{ {expr} }}}}, which this test does not provide"
        return context[expr]

    return re.sub(r"\$\{\{(.*?)\}\}", value, text)


def run_action(
    repo: Path, base_sha: str, runner: dict[str, str] | None = None, **inputs: str
) -> subprocess.CompletedProcess:
    """Run the Action's step(s) as a runner would: `bash --noprofile --norc -eo pipefail` in `repo`
    (the workspace); `runner` holds the variables the runner sets (GITHUB_EVENT_PATH, ...)."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    declared = action["inputs"]
    assert set(inputs) <= set(declared)
    runner = runner or {}
    context = {
        "github.action_path": str(ROOT),
        "github.event.pull_request.base.sha": base_sha,
        "github.token": runner.get("GITHUB_TOKEN", ""),
    }
    context |= {f"inputs.{k}": _substitute(str(v.get("default", "")), context) for k, v in declared.items()}
    context |= {f"inputs.{k}": v for k, v in inputs.items()}
    steps = [
        s for s in action["runs"]["steps"] if "awesome-review " in s.get("run", "") and "pip" not in s["run"]
    ]
    assert steps, "no step of action.yml runs awesome-review"
    result = None
    for step in steps:
        assert step["shell"] == "bash"
        script = repo.parent / "step.sh"
        script.write_text(_substitute(step["run"], context))
        env = {k: _substitute(str(v), context) for k, v in step.get("env", {}).items()}
        env = {
            **{
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("BOT_", "GITHUB_", "ARXIV_", "REDIS_"))
            },
            "PATH": BIN + os.pathsep + os.environ["PATH"],
            "GITHUB_ACTION_PATH": str(ROOT),
            "NO_COLOR": "1",
            **runner,
            **env,
        }
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode:
            break
    return result


def annotations(stdout: str) -> list[tuple[str, int, str]]:
    """(level, line, rule) of every workflow command for README.md."""
    found = re.findall(r"^::(error|warning|notice) file=README\.md,line=(\d+),title=([^:]+)::", stdout, re.M)
    return [(level, int(line), rule) for level, line, rule in found]


def test_action_annotates_only_the_bad_added_line_and_fails(pr):
    repo, base = pr
    r = run_action(repo, base, mode="annotate", offline="true")
    assert r.returncode == 1, r.stdout + r.stderr
    found = annotations(r.stdout)
    errors = [a for a in found if a[0] == "error"]
    assert errors and {line for _, line, _ in errors} == {BAD_LINE}, r.stdout
    assert ("error", BAD_LINE, "entry-syntax") in errors
    assert all(line == BAD_LINE for _, line, _ in found), "only the bad added line is annotated"
    assert "in 2 entries checked" in r.stdout  # the legacy defect is not the contributor's


def test_action_passes_a_clean_pull_request(pr):
    repo, base = pr
    (repo / "README.md").write_text(BASE_LIST.replace("## Related Works\n", "## Related Works\n" + GOOD))
    git("commit", "-qam", "only the good one", cwd=repo)
    r = run_action(repo, base, mode="annotate", offline="true")
    assert r.returncode == 0, r.stdout + r.stderr
    assert annotations(r.stdout) == []
    assert "0 errors, 0 warnings, 0 notices in 1 entries checked" in r.stdout


LENIENT = "rules:\n  entry-syntax: warning\n  links: warning\n"
EVERY_RULE_OFF = "rules:\n" + "".join(
    f"  {rule}: off\n"
    for rule in ("entry-syntax", "venue-tag", "links", "code-repo", "arxiv-link", "arxiv-date", "arxiv-exists",
                 "arxiv-title", "venue-published", "venue-claim", "paper-title", "duplicate", "order", "section",
                 "whitespace", "lookalike")
)  # fmt: skip


def test_action_config_input_is_used(tmp_path):
    repo, base = checkout(
        tmp_path, {"README.md": BASE_LIST, "lenient.yml": LENIENT}, {"README.md": HEAD_LIST}
    )
    r = run_action(repo, base, mode="annotate", offline="true", config="lenient.yml")
    assert r.returncode == 0, r.stdout + r.stderr
    assert ("warning", BAD_LINE, "entry-syntax") in annotations(r.stdout)
    r = run_action(repo, base, mode="annotate", offline="true", config="missing.yml")
    assert r.returncode == 2 and "config: missing.yml is not in the base commit" in r.stdout


DEFAULT = ".github/awesome-review.yml"  # where check finds a repository's own rules


@pytest.mark.parametrize("name", [DEFAULT, "lenient.yml"])
@pytest.mark.parametrize("at_base", ["", LENIENT])
def test_annotate_reads_the_config_from_the_base_commit_never_the_pull_request(tmp_path, name, at_base):
    """Annotate mode read the config from the PR's checkout: a PR that adds (or edits) a config
    turning every rule off passed its own bad entry (issue 19, item 11). The config comes from the
    base commit, as in review mode; the PR's version takes effect once merged."""
    base = {"README.md": BASE_LIST, **({name: at_base} if at_base else {})}
    repo, sha = checkout(tmp_path, base, {"README.md": HEAD_LIST, name: EVERY_RULE_OFF})
    assert (repo / name).read_text() == EVERY_RULE_OFF  # the checkout holds the PR's config
    given = {} if name == DEFAULT else {"config": name}
    r = run_action(repo, sha, mode="annotate", offline="true", **given)
    if not at_base and given:
        assert r.returncode == 2 and f"config: {name} is not in the base commit" in r.stdout
        return
    found = annotations(r.stdout)
    level = "warning" if at_base else "error"  # the base's lenient config, else the defaults
    assert (level, BAD_LINE, "entry-syntax") in found, r.stdout + r.stderr
    assert r.returncode == (0 if at_base else 1)


def test_a_broken_config_at_the_base_is_named(tmp_path):
    repo, sha = checkout(
        tmp_path,
        {"README.md": BASE_LIST, DEFAULT: "rules:\n  arxiv-title: severe\n"},
        {"README.md": HEAD_LIST, DEFAULT: ""},
    )
    r = run_action(repo, sha, mode="annotate", offline="true")
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert f"base-{sha[:7]}/awesome-review.yml:2: rules.arxiv-title: 'severe' is not one of" in r.stderr


def test_action_explains_a_shallow_checkout(pr):
    repo, _ = pr
    r = run_action(repo, "0" * 40, mode="annotate", offline="true")
    assert r.returncode == 2
    assert "fetch-depth: 0" in r.stdout and r.stdout.startswith("::error title=awesome-review::")


def test_action_outside_a_pull_request_checks_the_whole_file(pr):
    repo, _ = pr
    r = run_action(repo, "", mode="annotate", offline="true")
    assert r.returncode == 1
    lines = {line for level, line, _ in annotations(r.stdout) if level == "error"}
    assert lines == {BAD_LINE, LEGACY_LINE}


def test_action_metadata_asks_for_full_history_and_installs_itself():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert "fetch-depth: 0" in action["description"]  # for annotate mode
    assert action["runs"]["using"] == "composite"
    assert {k: v["default"] for k, v in action["inputs"].items() if k != "python-version"} == {
        "mode": "review",  # the bot's own review, posted; "annotate" is the old behaviour
        "token": "${{ github.token }}",
        "login": "",  # found from the bot's own comments, whichever installation token posts them
        "file": "README.md",
        "config": "",  # check's own: the repository's .github/awesome-review.yml
        "offline": "false",
    }
    steps = action["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = next(s for s in steps if "pip install" in s.get("run", ""))
    assert "${{ github.action_path }}" in str(install.get("env", {})) + install["run"]


def _hook(name: str = "awesome-review") -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return next(h for h in hooks if h["id"] == name)


def run_hook(repo: Path, *filenames: str, hook: str = "awesome-review") -> subprocess.CompletedProcess:
    """What pre-commit runs: the entry, split like a shell line, then the matching file names."""
    hook = _hook(hook)
    return subprocess.run(
        [*shlex.split(hook["entry"]), *hook.get("args", []), *filenames],
        cwd=repo,
        env={**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_pre_commit_hook_definition():
    hook = _hook()
    assert hook["language"] == "python" and hook["pass_filenames"] is True
    assert re.search(hook["files"], "README.md")
    assert not re.search(hook["files"], "docs/README.md") and not re.search(hook["files"], "README.md.bak")


def test_pre_commit_hook_judges_the_staged_lines_with_the_file_as_context(pr):
    """Was: the whole file, so a line the contributor never touched (the legacy entry) failed their
    commit, and a duplicate added on top was reported on the old entry below it (issue 10, item 18)."""
    repo, _ = pr
    git("reset", "-q", "--soft", "HEAD~1", cwd=repo)  # the contribution, staged and not committed yet
    r = run_hook(repo, "README.md")
    assert r.returncode == 1, r.stderr
    assert f"README.md:{BAD_LINE}: error entry-syntax:" in r.stdout
    assert f"README.md:{LEGACY_LINE}:" not in r.stdout  # already in the list: context, not judged
    assert f"README.md:{GOOD_LINE}:" not in r.stdout
    lines = HEAD_LIST.splitlines(keepends=True)
    clean = "".join(ln for ln in lines if ln != BAD)
    (repo / "README.md").write_text(clean)
    git("add", "README.md", cwd=repo)
    r = run_hook(repo, "README.md")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 errors" in r.stdout
    git("commit", "-qm", "two papers", cwd=repo)
    # the same paper again (its pdf link), added on top of it: reported on the new line, the staged one
    at = clean.index(GOOD)
    (repo / "README.md").write_text(clean[:at] + GOOD.replace("/abs/", "/pdf/") + clean[at:])
    git("add", "README.md", cwd=repo)
    r = run_hook(repo, "README.md")
    assert r.returncode == 1 and f"README.md:{GOOD_LINE}: error duplicate:" in r.stdout
    assert f"README.md:{GOOD_LINE + 1}:" not in r.stdout


def test_pre_commit_fix_hook_applies_the_safe_fixes_and_fails_on_what_remains(pr):
    repo, _ = pr
    hook = _hook("awesome-review-fix")
    assert hook["files"] == _hook()["files"] and hook["language"] == "python"
    r = run_hook(repo, "README.md", hook="awesome-review-fix")
    fixed = (repo / "README.md").read_text().splitlines()
    # Both the contributor's line and the legacy one had only mechanical faults: fixed in place.
    assert (
        fixed[BAD_LINE - 1] == "- (*Arxiv 2024.12*) A Bad Entry [[paper](https://arxiv.org/abs/2412.00001)]"
    )
    assert fixed[LEGACY_LINE - 1].endswith("[[paper](https://arxiv.org/abs/2305.10601)]")
    assert f"README.md:{BAD_LINE}: fixed (entry-syntax)" in r.stdout
    assert r.returncode == 0, r.stdout + r.stderr  # nothing remains
    assert git("status", "--porcelain", cwd=repo) == "M README.md"  # pre-commit shows the change
    again = run_hook(repo, "README.md", hook="awesome-review-fix")
    assert again.returncode == 0 and "nothing to fix" in again.stdout
    assert (repo / "README.md").read_text().splitlines() == fixed


def test_action_refuses_an_unknown_mode(pr):
    repo, base = pr
    r = run_action(repo, base, mode="reveiw")
    assert r.returncode == 2 and "mode: 'reveiw' is neither review nor annotate" in r.stdout
