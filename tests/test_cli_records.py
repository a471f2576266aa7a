"""`check` online with publication records: a real process against the local arXiv and Semantic Scholar
servers; the whole-list audit reports every stale preprint tag, `--fix` refreshes the list."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.arxiv_server import FakeArxiv, Scripted
from tests.fakes.scholar_server import FakeScholar

SPIN = "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models"
LIST = f"""\
# L

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]
- (*ACL 20'*) The S2ORC Corpus [[paper](https://aclanthology.org/2020.acl-main.447/)]
"""
CONFIG = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
    "semantic_scholar:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
)


@pytest.fixture
def workdir(tmp_path: Path, arxiv_server: FakeArxiv, scholar_server: FakeScholar):
    (tmp_path / "README.md").write_text(LIST)
    (tmp_path / "config.yml").write_text(CONFIG)
    env = {
        **os.environ,
        "ARXIV_API_URL": arxiv_server.url,
        "SEMANTIC_SCHOLAR_API_URL": scholar_server.url,
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "BOT_CONFIG": "config.yml",  # the deployment's settings: a repository's file may not set them
        "NO_COLOR": "",
    }
    env.pop("REDIS_URL", None)
    return tmp_path, env


def check(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def findings(run: subprocess.CompletedProcess) -> list[dict]:
    return json.loads(run.stdout)["findings"]


def test_the_audit_asks_once_for_every_entry_and_reports_every_stale_tag(workdir, scholar_server):
    cwd, env = workdir
    first = check(cwd, env, "--format", "json")
    assert first.returncode == 0, first.stdout + first.stderr
    assert len(scholar_server.requests) == 1
    assert sorted(scholar_server.requests[0].ids) == [
        "ACL:2020.acl-main.447", "ARXIV:2401.01335", "ARXIV:2401.10020", "ARXIV:2411.00418",
    ]  # fmt: skip
    got = {(f["rule"], f["line"], f["fix"]) for f in findings(first)}
    assert ("venue-published", 5, "unsafe") in got  # publicationVenue only
    assert ("venue-published", 6, "safe") in got  # DBLP, and the titles agree
    assert ("paper-title", 7, "unsafe") in got
    assert not any(f["rule"] == "venue-published" and f["line"] == 4 for f in findings(first))
    again = check(cwd, env, "--format", "json")
    assert len(scholar_server.requests) == 1 and findings(again) == findings(first)  # the cache


def test_fix_applies_the_sure_tags_and_unsafe_fixes_the_rest(workdir):
    cwd, env = workdir
    # A fifth entry: four are too few to learn the list's tag style (`24'`) from.
    (cwd / "README.md").write_text(
        LIST + "- (*Arxiv 2024.07*) Meta-Rewarding Language Models: Self-Improving Alignment with "
        "LLM-as-a-Meta-Judge [[paper](https://arxiv.org/abs/2407.19594)]\n"
    )
    done = check(cwd, env, "--fix")
    text = (cwd / "README.md").read_text()
    assert f"- (*ICML 24'*) {SPIN}" in text, done.stdout + done.stderr
    assert "- (*Arxiv 2024.01*) Self-Rewarding Language Models" in text  # a guess: held back
    check(cwd, env, "--fix", "--unsafe-fixes")
    text = (cwd / "README.md").read_text()
    assert "- (*ICML 24'*) Self-Rewarding Language Models" in text
    assert (
        "S2ORC: The Semantic Scholar Open Research Corpus [[paper](https://aclanthology.org/2020.acl-main.447/)]"
        in text
    )
    assert check(cwd, env, "--fix", "--unsafe-fixes", "--format", "json").returncode == 0
    assert not [
        f for f in findings(check(cwd, env, "--format", "json")) if f["rule"].startswith(("venue", "paper"))
    ]


def test_an_outage_is_not_verified_never_a_verdict(workdir, scholar_server):
    cwd, env = workdir
    scholar_server.script(*[Scripted(503)] * 4)
    run = check(cwd, env, "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    mine = [f for f in findings(run) if f["rule"] in ("venue-published", "venue-claim", "paper-title")]
    assert [(f["rule"], f["severity"], f["line"]) for f in mine] == [("paper-title", "notice", 7)]
    assert "Not verified against Semantic Scholar (Semantic Scholar answered 503)" in mine[0]["message"]


def test_turned_off_in_config_or_offline_it_asks_nothing(workdir, scholar_server):
    cwd, env = workdir
    check(cwd, env, "--offline", "--format", "json")
    (cwd / "config.yml").write_text(CONFIG + "  enabled: false\n")
    off = check(cwd, env, "--format", "json")
    assert off.returncode == 0 and not scholar_server.requests
    assert not [f for f in findings(off) if f["rule"] in ("venue-published", "paper-title")]


def test_openreview_links_are_checked_against_openreview(workdir, scholar_server, openreview_server):
    cwd, env = workdir
    (cwd / "README.md").write_text(
        "# L\n\n## Related Works\n"
        f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://openreview.net/forum?id=ZdYm2f6cJE)]\n"
        "- (*ICLR 24'*) Not The Title It Is [[paper](https://openreview.net/pdf?id=Rj3cTd9Qx1)]\n"
    )
    (cwd / "config.yml").write_text(CONFIG + "openreview:\n  min_interval_seconds: 0\n")
    run = check(cwd, {**env, "OPENREVIEW_API_URL": openreview_server.url}, "--format", "json")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [r.ids for r in openreview_server.requests] == [["ZdYm2f6cJE", "Rj3cTd9Qx1"]]
    assert not scholar_server.requests  # nothing here is Semantic Scholar's to answer
    got = {(f["rule"], f["line"]) for f in findings(run)}
    assert ("venue-published", 4) in got and ("paper-title", 5) in got


# -- record text written into the list is inert, and a fix settles in one pass (issue 19, item 13) --

HOSTILE = (
    "{} [re-authorize the bot](https://evil.example/login) ![x](https://evil.example/p.png) <img src=x> "
    "<https://evil.example/a> https://evil.example/b www.evil.example c@evil.example a\\[b | @octocat"
)


def test_record_titles_go_into_the_list_inert_and_settle_in_one_pass(tmp_path, arxiv_server_factory):
    """Titles from arXiv (an arxiv-title fix, a bare link written as a whole entry) and OpenReview (a
    paper-title fix; OpenReview's titles are written by the authors) went verbatim into the list: a
    title carrying a link or an image went live in the README, and again on every --fix. Record text
    is escaped as markdown; cmark-gfm renders no link but the list's own, and a second --fix is a no-op."""
    from bot.core.model import Paper
    from tests.fakes.openreview_server import FakeOpenReview, note
    from tests.test_markdown import Rendered

    papers = {
        "2401.09991": Paper("2401.09991", HOSTILE.format("Self-Play"), ("A. Author",), "2024-01-02T00:00:00Z"),
        "2402.00001": Paper("2402.00001", HOSTILE.format("Bare"), ("B. [x](https://evil.example)",), "2024-02-02T00:00:00Z"),
    }  # fmt: skip
    arxiv = arxiv_server_factory(
        papers={**papers, **{k: v for k, v in FakeArxiv().papers.items() if k not in papers}}
    )
    with FakeOpenReview(
        [note("AbCdE12345", HOSTILE.format("Reviewed"), "ICLR 2024 poster", "ICLR.cc/2024/Conference")]
    ) as notes:
        (tmp_path / "README.md").write_text(
            LIST
            + "- (*Arxiv 2024.01*) A Title Nothing Like It [[paper](https://arxiv.org/abs/2401.09991)]\n"
            + "- https://arxiv.org/abs/2402.00001\n"
            + "- (*ICLR 24'*) Some Other Words [[paper](https://openreview.net/forum?id=AbCdE12345)]\n"
            # enough entries in the list's format that one bare link is an outlier, not its style
            + "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models "
            "[[paper](https://arxiv.org/abs/2411.16646)]\n"
            + "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]\n"
            + "- (*Arxiv 2024.04*) Self-playing Adversarial Language Game Enhances LLM Reasoning "
            "[[paper](https://arxiv.org/abs/2404.10642)]\n"
            + "- (*Arxiv 2024.04*) Toward Self-Improvement of LLMs via Imagination, Searching, and "
            "Criticizing [[paper](https://arxiv.org/abs/2404.12253)]\n"
        )
        (tmp_path / "config.yml").write_text(
            CONFIG + "semantic_scholar:\n  enabled: false\nrules:\n  duplicate: off\n  order: off\n"
        )
        env = {**os.environ, "ARXIV_API_URL": arxiv.url, "OPENREVIEW_API_URL": notes.url,
               "BOT_DATA_DIR": str(tmp_path / "data"), "NO_COLOR": "1"}  # fmt: skip
        env.pop("REDIS_URL", None)
        first = check(tmp_path, env, "--fix", "--unsafe-fixes")
        fixed = (tmp_path / "README.md").read_text()
        second = check(tmp_path, env, "--fix", "--unsafe-fixes", "--format", "json")
    assert "arxiv-title" in first.stdout and "paper-title" in first.stdout, first.stdout + first.stderr
    assert fixed.count("re-authorize the bot") == 3  # each title written once, as text
    assert (tmp_path / "README.md").read_text() == fixed, second.stdout  # settled: nothing more to do
    assert json.loads(second.stdout)["fixed"] == []
    rendered = Rendered(fixed)
    assert {t for t, _ in rendered.tags} <= {"h1", "h2", "ul", "li", "em", "a"}, rendered.tags
    hosts = {a["href"].split("/")[2] for t, a in rendered.tags if t == "a"}
    assert hosts <= {"arxiv.org", "aclanthology.org", "openreview.net"}, hosts  # no link of the record's
