"""`check --fix`: every rule's fix applied in place, unsafe ones held back, bytes around them kept."""

from __future__ import annotations

import difflib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bot.__main__ import parser
from bot.cli import check

ROOT = Path(__file__).resolve().parents[1]

SEED = """\
# Awesome-Self-Play-LLMs

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*Arxiv 2023.05*) A legacy entry nobody touches [paper](https://arxiv.org/abs/2305.10601)
- (*Arxiv 2022.12*) An entry that follows the format [[paper](https://arxiv.org/abs/2212.10001)]

## Contributing
- please open a pull request
"""
AT = "## Related Works\n"
FAST_ARXIV = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
)
SPF = "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models"
SPAG = "Self-playing Adversarial Language Game Enhances LLM Reasoning"

# rule, the line a contributor adds, the line --fix leaves (None: removed), needs arXiv, unsafe
CASES = [
    (
        "entry-syntax",
        f"* (ICML 2024) {SPF} [paper](https://arxiv.org/abs/2401.01335)",
        f"- (*ICML 24'*) {SPF} [[paper](https://arxiv.org/abs/2401.01335)]",
        False,
        False,
    ),
    (
        "venue-tag",
        f"- (*ICML 2024*) {SPF} [[paper](https://arxiv.org/abs/2401.01335)]",
        f"- (*ICML 24'*) {SPF} [[paper](https://arxiv.org/abs/2401.01335)]",
        False,
        False,
    ),
    (
        "venue-tag",  # the venue's spelling
        "- (*neurips 24'*) A New Paper [[paper](https://openreview.net/forum?id=x)]",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://openreview.net/forum?id=x)]",
        False,
        False,
    ),
    (
        "links",
        "- (*ICLR 25'*) A New Paper [[paper](http://openreview.net/forum?id=x)]",
        "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)]",
        False,
        False,
    ),
    (
        "arxiv-link",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/pdf/2412.00001v2.pdf)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        False,
        False,
    ),
    (
        "arxiv-date",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        "- (*Arxiv 2024.10*) A New Paper [[paper](https://arxiv.org/abs/2410.00001)]",
        False,
        False,
    ),
    (
        "whitespace",
        "- (*Arxiv 2024.12*) A  New Paper [[paper](https://arxiv.org/abs/2412.00001)]  ",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        False,
        False,
    ),
    (
        "duplicate",  # a deletion
        "- (*Arxiv 2024.08*) Another Title [[paper](https://arxiv.org/abs/2408.02666)]",
        None,
        False,
        True,
    ),
    (
        "arxiv-title",  # a title taken from arXiv: a guess
        "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling [[paper](https://arxiv.org/abs/2411.16646)]",
        "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models [[paper](https://arxiv.org/abs/2411.16646)]",
        True,
        True,
    ),
    (
        "entry-syntax",  # a bare link: the whole entry built from arXiv's metadata
        "- https://arxiv.org/abs/2502.12853",
        "- (*Arxiv 2025.02*) S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning [[paper](https://arxiv.org/abs/2502.12853)]",
        True,
        True,
    ),
    (
        "venue-tag",  # "Accepted by NeurIPS 2024" in arXiv's comment
        f"- (*Arxiv 2024.04*) {SPAG} [[paper](https://arxiv.org/abs/2404.10642)]",
        f"- (*NeurIPS 24'*) {SPAG} [[paper](https://arxiv.org/abs/2404.10642)]",
        True,
        True,
    ),
]
# Rules whose findings have no mechanical fix: --fix leaves the line and reports it as remaining.
UNFIXABLE = [
    ("order", "- (*Arxiv 2023.01*) A New Paper [[paper](https://arxiv.org/abs/2301.00001)]", False),
    ("arxiv-exists", "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.99999)]", True),
    ("links", "- (*ICLR 25'*) A New Paper [[paper](https://openreview.net/forum?id=x)] [[code](https://sites.google.com/x)]", False),
]  # fmt: skip


def diff_of(old: str, new: str) -> str:
    return "".join(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), "a/README.md", "b/README.md")
    )


def run_check(cwd: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """`awesome-review check README.md ARGS` in-process: the CLI's own argument parser and run()."""
    ns = parser().parse_args(["check", "README.md", *args])
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        cwd_before = os.getcwd()
        os.chdir(cwd)
        try:
            code = check.run(ns, out, err)
        finally:
            os.chdir(cwd_before)
    finally:
        sys.stdin = old_stdin
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def online(tmp_path, arxiv_server, monkeypatch):
    """The local arXiv for lookups, its cache in tmp_path; config.yml only makes arXiv fast to ask."""
    (tmp_path / "config.yml").write_text(FAST_ARXIV)
    monkeypatch.setenv("ARXIV_API_URL", arxiv_server.url)
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BOT_CONFIG", "config.yml")
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    return tmp_path


def _contribute(tmp_path: Path, line: str) -> tuple[Path, str]:
    text = SEED.replace(AT, AT + line + "\n")
    (tmp_path / "README.md").write_text(text)
    return tmp_path / "README.md", diff_of(SEED, text)


@pytest.mark.parametrize(
    "rule, bad, fixed, needs_arxiv, unsafe", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_fix_table(online, rule, bad, fixed, needs_arxiv, unsafe):
    path, diff = _contribute(online, bad)
    before = path.read_bytes()
    net = () if needs_arxiv else ("--offline",)
    expected = SEED.replace(AT, AT + (fixed + "\n" if fixed is not None else ""))

    code, out, err = run_check(online, "--diff", "-", "--fix", *net, stdin=diff)
    if unsafe:  # held back: the file is untouched, and the output says how to apply it
        assert path.read_bytes() == before, out
        assert out.startswith("nothing to fix; what remains:\n"), out
        assert f" {rule}: " in out and "(unsafe: --fix applies it with --unsafe-fixes)" in out, out
        code, out, err = run_check(online, "--diff", "-", "--fix", "--unsafe-fixes", *net, stdin=diff)
    assert path.read_text() == expected, out + err
    (report,) = [
        ln for ln in out.splitlines() if ln.startswith(("README.md:4: fixed", "README.md:4: removed"))
    ]
    assert report.startswith("README.md:4: removed the line (" if fixed is None else "README.md:4: fixed (")
    assert rule in report, out
    assert code == 0, out + err  # nothing remains that is an error

    # Idempotent: a second run finds nothing to fix and leaves every byte.
    flags = ("--unsafe-fixes",) if unsafe else ()
    again = diff_of(SEED, expected)
    code2, out2, _ = run_check(online, "--diff", "-", "--fix", *flags, *net, stdin=again)
    assert path.read_text() == expected and "nothing to fix" in out2 and code2 == code


@pytest.mark.parametrize("rule, bad, needs_arxiv", UNFIXABLE, ids=[c[0] for c in UNFIXABLE])
def test_fix_leaves_what_has_no_mechanical_fix_and_reports_it(online, rule, bad, needs_arxiv):
    path, diff = _contribute(online, bad)
    before = path.read_bytes()
    net = () if needs_arxiv else ("--offline",)
    code, out, _ = run_check(online, "--diff", "-", "--fix", "--unsafe-fixes", *net, stdin=diff)
    assert path.read_bytes() == before
    assert out.startswith("nothing to fix; what remains:\n") and "README.md:4: " in out, out
    assert f" {rule}: " in out, out
    severity = out.split(f" {rule}: ")[0].rsplit(" ", 1)[-1]
    assert code == (1 if severity == "error" else 0), out


def test_fix_composes_several_rules_on_one_line_and_holds_the_unsafe_part_back(online):
    """A line-from-memory with a wrong title: the syntax repair carries arXiv's title in the review's
    suggestion, but without --unsafe-fixes only the mechanical part is written."""
    bad = "* (ICML 2024) Self-Play Fine-Tuning [paper](http://arxiv.org/pdf/2401.01335v2)"
    path, diff = _contribute(online, bad)
    code, out, _ = run_check(online, "--diff", "-", "--fix", stdin=diff)
    safe = "- (*ICML 24'*) Self-Play Fine-Tuning [[paper](https://arxiv.org/abs/2401.01335)]"
    assert path.read_text().splitlines()[3] == safe, out
    assert "README.md:4: fixed (entry-syntax" in out
    assert "README.md:4: error arxiv-title" in out and "(unsafe: --fix applies it with --unsafe-fixes)" in out
    assert code == 1  # the title error remains
    code, out, _ = run_check(
        online, "--diff", "-", "--fix", "--unsafe-fixes", stdin=diff_of(SEED, path.read_text())
    )
    assert (
        path.read_text().splitlines()[3]
        == f"- (*ICML 24'*) {SPF} [[paper](https://arxiv.org/abs/2401.01335)]"
    )
    assert code == 0, out


def test_fix_with_a_diff_touches_only_the_added_lines(tmp_path):
    path, diff = _contribute(
        tmp_path, "- (*NeurIPS 2024*) A New Paper [[paper](https://openreview.net/forum?id=x)]"
    )
    code, out, _ = run_check(tmp_path, "--diff", "-", "--fix", "--offline", stdin=diff)
    lines = path.read_text().splitlines()
    assert lines[3] == "- (*NeurIPS 24'*) A New Paper [[paper](https://openreview.net/forum?id=x)]"
    assert "legacy entry nobody touches [paper](" in lines[7]  # not the contributor's line: kept
    assert code == 0 and "in 1 entries checked" in out


def test_fix_without_a_diff_fixes_the_whole_file_and_removes_the_later_duplicate(tmp_path):
    dup = "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666v2)]"
    text = SEED.replace("## Contributing", dup + "\n\n## Contributing").replace(
        "- (*Arxiv 2024.01*) Self-Rewarding", "- (*Arxiv 2024.01*) Self-Rewarding "
    )  # a doubled space on a seed line
    (tmp_path / "README.md").write_text(text)
    code, out, _ = run_check(tmp_path, "--fix", "--unsafe-fixes", "--offline")
    got = (tmp_path / "README.md").read_text()
    assert dup not in got and got.count("Self-Taught Evaluators") == 1
    assert "Self-Rewarding Language Models [[paper]" in got
    assert "[[paper](https://arxiv.org/abs/2305.10601)]" in got  # the legacy line, repaired
    assert "README.md:10: removed the line (duplicate)" in out
    # Line numbers in what remains are the fixed file's: the file a user opens now.
    code2, out2, _ = run_check(tmp_path, "--offline")
    remaining = [ln for ln in out.splitlines()[out.splitlines().index("fixed 3 lines; what remains:") + 1 :]]
    assert remaining == out2.splitlines()
    assert code == code2 == 0


@pytest.mark.parametrize(
    "name, data",
    [
        ("crlf", b"# L\r\n\r\n## Related Works\r\n- (*NeurIPS 2024*) X [[paper](http://openreview.net/forum?id=x)]\r\n"),
        ("bom", b"\xef\xbb\xbf## Related Works\n- (*NeurIPS 2024*) X [[paper](http://openreview.net/forum?id=x)]\n"),
        ("no-final-newline", b"## Related Works\n- (*NeurIPS 2024*) X [[paper](http://openreview.net/forum?id=x)]"),
        ("bom-crlf", b"\xef\xbb\xbf## Related Works\r\n- (*NeurIPS 2024*) X [[paper](http://openreview.net/forum?id=x)]"),
        ("mixed", b"## Related Works\n- (*NeurIPS 2024*) X [[paper](http://openreview.net/forum?id=x)]\r\n- (*ICML 2023*) Y [[paper](http://openreview.net/forum?id=y)]\n"),
    ],
)  # fmt: skip
def test_fix_keeps_line_endings_bom_and_final_newline(tmp_path, name, data):
    path = tmp_path / "README.md"
    path.write_bytes(data)
    code, out, _ = run_check(tmp_path, "--fix", "--offline")
    assert code == 0, out
    # A list this short teaches no format (no advice in one); the links are fixed in any format.
    assert path.read_bytes() == data.replace(b"http://", b"https://")


def test_fix_keeps_a_deleted_lines_neighbours_bytes(tmp_path):
    dup = b"- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]"
    keep = b"## Related Works\r\n" + dup + b"\r\n- bytes \xff\xfe that are not UTF-8"
    path = tmp_path / "README.md"
    path.write_bytes(keep + b"\r\n" + dup)  # the duplicate is the last line, without a final newline
    code, out, _ = run_check(tmp_path, "--fix", "--unsafe-fixes", "--offline")
    # Still no final newline; the invalid bytes are not turned into U+FFFD.
    assert path.read_bytes() == keep, out
    assert "removed the line (duplicate)" in out
    assert "not valid UTF-8" in out and code == 1  # left for a person to fix


def test_fix_json_lists_what_it_fixed_and_what_remains(tmp_path):
    path, diff = _contribute(tmp_path, "- (*ICML 2024*) X [[paper](http://openreview.net/forum?id=x)]")
    path.write_text(path.read_text().replace("(*Arxiv 2024.11*)", "(*Arxiv 2024.12*)"))  # a legacy fault
    code, out, _ = run_check(tmp_path, "--fix", "--offline", "--format", "json", "--diff", "-", stdin=diff)
    doc = json.loads(out)
    assert doc["fixed"] == [
        {
            "path": "README.md",
            "line": 4,
            "rules": ["venue-tag", "links"],
            "old": "- (*ICML 2024*) X [[paper](http://openreview.net/forum?id=x)]",
            "new": "- (*ICML 24'*) X [[paper](https://openreview.net/forum?id=x)]",
        }
    ]
    assert doc["findings"] == [] and doc["summary"]["entries"] == 1 and code == 0
    assert "(*Arxiv 2024.12*) Self-Evolved" in path.read_text()  # not under review: not fixed
    assert path.read_text().splitlines()[3] == "- (*ICML 24'*) X [[paper](https://openreview.net/forum?id=x)]"


def test_unsafe_fixes_needs_fix(tmp_path):
    (tmp_path / "README.md").write_text(SEED)
    r = subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md", "--unsafe-fixes"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2 and "--unsafe-fixes goes with --fix" in r.stderr


def test_fix_on_an_unwritable_file_says_so_and_changes_nothing(tmp_path):
    """A directory the user may not write (no temporary file beside the list): exit 2, one line."""
    work = Path(tempfile.mkdtemp(dir="/tmp"))  # outside pytest's 0700 tree: readable by others
    try:
        path = work / "README.md"
        path.write_text(
            SEED.replace(AT, AT + "- (*ICML 2024*) X [[paper](https://openreview.net/forum?id=x)]\n")
        )
        before = path.read_bytes()
        drop: list[str] = []
        if os.geteuid() == 0:  # root writes anything: run as nobody instead
            if shutil.which("setpriv") is None:
                pytest.skip("running as root without setpriv: cannot make the directory unwritable")
            drop = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        work.chmod(0o555)
        path.chmod(0o644)
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "HOME": str(work), "NO_COLOR": "1"}
        r = subprocess.run(
            [*drop, sys.executable, "-m", "bot", "check", "README.md", "--fix", "--offline"],
            cwd=work, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if drop and "No module named" in r.stderr:
            pytest.skip("user nobody cannot read this checkout")
        assert r.returncode == 2, r.stdout + r.stderr
        assert r.stderr.startswith("error: README.md: cannot write the fixed file (Permission denied)")
        assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
        assert path.read_bytes() == before
    finally:
        work.chmod(0o755)
        shutil.rmtree(work)


# -- writing the file: never through a link, never over an edit made meanwhile (issue 19, items 2, 16)


def _fixable(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    path.write_text(SEED.replace(AT, AT + f"* (ICML 2024) {SPF} [paper](https://arxiv.org/abs/2401.01335)\n"))
    return path


def test_fix_refuses_a_list_file_that_is_a_symlink(tmp_path):
    """A committed symlink made --fix (and the pre-commit fix hook) overwrite a file outside the
    repository: a link is refused in one line, before any lookup, and nothing changes."""
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = _fixable(outside)
    before = victim.read_bytes()
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").symlink_to(victim)
    code, out, err = run_check(repo, "--fix", "--offline")
    assert (code, out) == (2, "")
    assert err == "error: README.md: is a symbolic link; refusing to write through it (nothing changed)\n"
    assert victim.read_bytes() == before and (repo / "README.md").is_symlink()
    code, _, _ = run_check(repo, "--offline")  # only --fix writes: a plain check reads through it
    assert code == 1


@pytest.mark.parametrize("dangling", [False, True])
def test_fix_never_writes_through_a_link_beside_the_file(tmp_path, dangling):
    """The temporary file is a fresh name made by mkstemp (O_EXCL): links planted at the names the
    bot used to write to, or at any name, are never followed, and no temporary file is left."""
    outside = tmp_path / "outside.txt"
    if not dangling:
        outside.write_text("precious\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    path = _fixable(repo)
    path.chmod(0o640)
    for name in (".README.md.awesome-review-fix", ".README.md.awesome-review", ".README.md.tmp"):
        (repo / name).symlink_to(outside)
    code, out, err = run_check(repo, "--fix", "--offline")
    assert code == 0 and err == "" and "fixed" in out, out + err
    assert f"{SPF} [[paper](https://arxiv.org/abs/2401.01335)]\n" in path.read_text()  # fixed in place
    assert not path.is_symlink() and path.stat().st_mode & 0o777 == 0o640  # its mode kept
    assert outside.exists() != dangling and (dangling or outside.read_text() == "precious\n")
    assert sorted(p.name for p in repo.iterdir()) == sorted(
        ["README.md", ".README.md.awesome-review-fix", ".README.md.awesome-review", ".README.md.tmp"]
    )


def test_fix_refuses_to_overwrite_an_edit_made_while_it_was_checking(online, arxiv_server):
    """--fix replaces the file after its network lookups: a change saved meanwhile (an editor, a
    second run) is kept, and --fix says so in one line instead of writing over it."""
    from tests.fakes.arxiv_server import Scripted

    path = _fixable(online)
    arxiv_server.script(Scripted(delay=1.5))  # arXiv answers slowly, the way it does
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "check", "README.md", "--fix"],
        cwd=online, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    try:
        for _ in range(300):  # until the lookup is under way
            if arxiv_server.requests:
                break
            time.sleep(0.05)
        assert arxiv_server.requests, "check --fix never asked arXiv"
        edited = (
            path.read_text()
            + "- (*Arxiv 2024.02*) Saved meanwhile [[paper](https://arxiv.org/abs/2402.00001)]\n"
        )
        path.write_text(edited)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2, out + err
    assert err == "error: README.md: changed while it was being checked; nothing written (run again)\n"
    assert path.read_text() == edited  # the edit is kept, not overwritten
    assert [p.name for p in online.iterdir() if p.name.startswith(".README")] == []
