"""`awesome-review init`: a real process on real files; what it writes is a config that reviews the
list exactly as no config does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.core.config import config as config_mod

LIST = """\
# A list

## Papers
1. **Self-Rewarding Language Models.** ICML 2024. [paper](https://arxiv.org/abs/2401.10020)
2. **Self-Taught Evaluators.** ICLR 2025. [paper](https://arxiv.org/abs/2408.02666)
3. **Meta-Rewarding Language Models.** NeurIPS 2024. [paper](https://arxiv.org/abs/2407.19594)
4. **Toward Self-Improvement of LLMs.** NeurIPS 2024. [paper](https://arxiv.org/abs/2404.12253)
5. **Adversarial Preference Optimization.** ACL 2024. [paper](https://arxiv.org/abs/2311.08045)
6. **Direct Preference Optimization.** NeurIPS 2023. [paper](https://arxiv.org/abs/2305.18290)
7. *A Broken Entry* NeurIPS 2023 (https://arxiv.org/abs/2212.08073)

## Contributing
Open a pull request.
"""


def bot(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": ""},
        timeout=60,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_text(LIST)
    return tmp_path


def test_init_prints_a_commented_config_and_says_what_it_explains(repo):
    r = bot("init", cwd=repo)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith(
        "README.md: 6 of 7 items in the paper sections follow the learnt format (85.7%)"
    )
    assert "  README.md:10: 7. *A Broken Entry*" in r.stderr  # the item it does not explain, by line
    cfg = yaml.safe_load(r.stdout)
    assert cfg["sections"] == ["Papers"]
    assert cfg["grammar"]["entry"] == ["1. **{title}.** {tag}. {links}"]
    assert cfg["grammar"]["venue_tag"] == ["{venue} {yyyy}"] and cfg["grammar"]["link"] == [
        "[{label}]({url})"
    ]
    assert cfg["rules"]["order"]["direction"] == "newest-first"
    assert r.stdout.count("\n# ") + r.stdout.count("\n  # ") >= 8  # commented, key by key
    config_mod.loads(r.stdout)  # a valid config.yml


def test_init_format_json_lists_every_item_read_with_its_line_section_and_template(repo):
    (repo / "README.md").write_text(
        LIST.replace("## Contributing\nOpen a pull request.", "## Contributing\n- Open a PR")
    )
    r = bot("init", "--format", "json", cwd=repo)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["config"]["sections"] == ["Papers"] and out["summary"] == {"items": 7, "entries": 6}
    by_line = {i["line"]: i for i in out["items"]}
    assert by_line[4] == {
        "line": 4,
        "end": 4,
        "section": "Papers",
        "paper": True,
        "template": "1. **{title}.** {tag}. {links}",
        "title": "Self-Rewarding Language Models",
    }
    assert by_line[10]["paper"] and by_line[10]["template"] is None  # read, follows no template
    assert not by_line[13]["paper"] and by_line[13]["section"] == "Contributing"  # not a paper entry


def test_the_written_config_reviews_the_list_as_no_config_does(repo):
    before = bot("check", "README.md", "--offline", "--format", "json", cwd=repo)
    r = bot("init", "--write", cwd=repo)
    assert r.returncode == 0 and "wrote .github/awesome-review.yml" in r.stderr and r.stdout == ""
    after = bot("check", "README.md", "--offline", "--format", "json", cwd=repo)
    a, b = json.loads(before.stdout), json.loads(after.stdout)
    assert a["findings"] == b["findings"] and a["findings"]  # the broken entry, both times
    assert a["summary"]["format"]["inferred"] and not b["summary"]["format"]["inferred"]
    assert a["summary"]["format"]["format"] == b["summary"]["format"]["format"]
    assert (a["summary"]["items"], a["summary"]["entries"]) == (7, 6)


def test_write_refuses_to_overwrite_without_force(repo):
    written = repo / ".github" / "awesome-review.yml"
    written.parent.mkdir()
    written.write_text("files: [README.md]\n")
    r = bot("init", "--write", cwd=repo)
    assert r.returncode == 2
    assert r.stderr.endswith("error: .github/awesome-review.yml exists: --force overwrites it\n")
    assert written.read_text() == "files: [README.md]\n"
    assert bot("init", "--write", "--force", cwd=repo).returncode == 0
    assert "grammar:" in written.read_text()
    assert not (repo / "config.yml").exists()  # where neither the bot nor `check` would read it


def test_each_template_gets_its_own_entry_count(tmp_path):
    """Was: a shape written with two markers (`-` and `*`) got its whole count on the second template,
    and none on the first (issue 16, item 8)."""
    rows = ["# A list", "", "## Papers"]
    rows += [
        f"- (*Arxiv 2024.{12 - i:02d}*) Paper {i} [[paper](https://arxiv.org/abs/24{12 - i:02d}.0000{i})]"
        for i in range(8)
    ]
    rows += [
        f"* (*Arxiv 2023.{12 - i:02d}*) Old {i} [[paper](https://arxiv.org/abs/23{12 - i:02d}.0000{i})]"
        for i in range(4)
    ]
    rows += [f"- **Bold {i}** [[paper](https://arxiv.org/abs/2201.0000{i})]" for i in range(3)]
    (tmp_path / "mixed.md").write_text("\n".join(rows) + "\n")
    r = bot("init", "mixed.md", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert '    - "- (*{tag}*) {title} {links}"  # 8 entries\n' in r.stdout
    assert '    - "* (*{tag}*) {title} {links}"  # 4 entries\n' in r.stdout
    assert '    - "- **{title}** {links}"  # 3 entries\n' in r.stdout


def test_a_file_with_no_list_or_no_file_exits_2_with_one_line(repo):
    (repo / "prose.md").write_text("# Just prose\n\nNo list at all.\n")
    r = bot("init", "prose.md", cwd=repo)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "holds no list" in r.stderr
    r = bot("init", "missing.md", cwd=repo)
    assert (r.returncode, r.stderr) == (2, "error: missing.md: no such file\n")


@pytest.mark.parametrize("at", [".github/awesome-review.yml", ".github"])
@pytest.mark.parametrize("force", [False, True])
@pytest.mark.parametrize("dangling", [True, False])
def test_write_never_follows_a_symlink(repo, tmp_path, at, force, dangling):
    """`Path.exists()` is false for a dangling link, and the write then followed it out of the
    repository (issue 19, item 3): a link where init writes (the file, or the `.github` directory),
    dangling or not, is refused in one line, and nothing is written anywhere."""
    outside = tmp_path / ("elsewhere" if at == ".github" else "elsewhere.yml")
    if not dangling:
        outside.mkdir() if at == ".github" else outside.write_text("precious: true\n")
    (repo / at).parent.mkdir(exist_ok=True)
    (repo / at).symlink_to(outside)
    r = bot("init", "--write", *(["--force"] if force else []), cwd=repo)
    assert r.returncode == 2, r.stderr
    assert r.stderr.endswith(
        f"error: {at}: is a symbolic link; refusing to write through it (nothing changed)\n"
    )
    assert r.stderr.count("error") == 1 and "Traceback" not in r.stderr
    assert outside.exists() != dangling
    if not dangling:
        assert (
            (list(outside.iterdir()) == []) if at == ".github" else outside.read_text() == "precious: true\n"
        )
    assert (repo / at).is_symlink()
