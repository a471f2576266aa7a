"""Inline suppression in HTML comments, as markdownlint writes them: read with the document, applied
by the judge, honoured on a pull request only where the comment stands in the base branch, and a
warning for one that suppresses nothing. Core, `check`, and the review job on the local GitHub."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from bot.core.config import config as config_mod
from bot.core.read import suppress
from bot.core.verdict import pipeline
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service.connections import Connections
from tests.fakes.github_server import FakeFile, fake_sha
from tests.fakes.scenario import REPO, SEED, TOKEN, job, patch_of

TODAY = dt.date(2025, 3, 1)
DUP = (
    "- (*Arxiv 2024.08*) Another Title [[paper](https://arxiv.org/abs/2408.02666)]"  # Self-Taught Evaluators
)
# Below the entry it repeats: a whole-file check reports the later of the two.
TOP = "[[paper](https://arxiv.org/abs/2401.10020)]\n"
NEXT = "<!-- awesome-review-disable-next-line duplicate -->"
OPEN, CLOSE = "<!-- awesome-review-disable duplicate -->", "<!-- awesome-review-enable duplicate -->"


def judge(text: str, added: set[int] | None = None, *, trust: bool | None = None, cfg: str = "") -> list:
    """Findings on `text`: the whole file, or the `added` lines as a change adds them (`trust`: judged
    as a pull request is, where only the base's comments count; False: its base comments were cut)."""
    lines = frozenset(added) if added is not None else None
    t = None if trust is None else suppress.Trust(lines or frozenset(), intact=trust)
    base = pipeline.without(text, lines) if lines else text
    found = pipeline.review_file(
        text.encode(), "README.md", config_mod.loads(cfg), lines, today=TODAY, base=base, trust=t
    )
    return [(f.line, f.rule) for f in found.findings]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), 1) if needle in line)


def test_next_line_silences_the_rule_named_on_the_line_below_only():
    text = SEED.replace(TOP, TOP + NEXT + "\n" + DUP + "\n")
    dup = line_of(text, "Another Title")
    assert (dup, "duplicate") not in judge(text)
    assert (dup, "duplicate") in judge(text.replace(NEXT, "<!-- awesome-review-disable-next-line order -->"))
    apart = SEED.replace(TOP, TOP + NEXT + "\n\n" + DUP + "\n")
    assert (line_of(apart, "Another Title"), "duplicate") in judge(apart)  # not two lines below


def test_a_block_silences_until_its_enable_and_no_ids_mean_every_rule():
    text = SEED.replace(
        TOP, TOP + OPEN + "\n" + DUP + "\n" + CLOSE + "\n" + DUP.replace("Another", "Third") + "\n"
    )
    found = judge(text)
    assert (line_of(text, "Another Title"), "duplicate") not in found
    assert (line_of(text, "Third Title"), "duplicate") in found  # after the enable
    everything = "- (*NeurIPS 2024*) Another  Title [paper](https://arxiv.org/abs/2408.02666)"
    text = SEED.replace(TOP, TOP + "<!-- awesome-review-disable -->\n" + everything + "\n")
    assert judge(text) == []  # entry-syntax, venue-tag, whitespace, duplicate: all silenced
    # left open, a block runs to the end of the file
    text = SEED.replace(TOP, TOP + OPEN + "\n" + DUP + "\n")
    assert (line_of(text, "Another Title"), "duplicate") not in judge(text)


def test_a_suppression_that_suppresses_nothing_or_names_no_rule_is_a_warning():
    text = SEED.replace(TOP, TOP + "<!-- awesome-review-disable-next-line duplicate order -->\n" + DUP + "\n")
    found = pipeline.review_file(text.encode(), "README.md", config_mod.loads(""), None, today=TODAY)
    (warn,) = [f for f in found.findings if f.rule == "suppression"]
    assert warn.severity == "warning" and "`order`" in warn.message and "`duplicate`" not in warn.message
    assert warn.suggestion == "<!-- awesome-review-disable-next-line duplicate -->"  # the idle id goes
    text = SEED.replace(TOP, TOP + "<!-- awesome-review-disable-next-line dupliate -->\n" + DUP + "\n")
    found = pipeline.review_file(text.encode(), "README.md", config_mod.loads(""), None, today=TODAY)
    assert any("did you mean `duplicate`" in f.message for f in found.findings if f.rule == "suppression")
    assert any(f.rule == "duplicate" for f in found.findings)
    # turned off in config: no warning
    assert "suppression" not in {r for _, r in judge(text, cfg="rules:\n  suppression: off\n")}


def test_a_change_cannot_silence_its_own_lines():
    """A comment the change adds is not honoured (and says so); a base `disable-next-line` never
    covers a line inserted below it; a base block covers the lines added inside it, unless the change
    removed one of the base's suppression comments (an `enable`, say)."""
    text = SEED.replace(TOP, TOP + NEXT + "\n" + DUP + "\n")
    comment, dup = line_of(text, NEXT), line_of(text, "Another Title")
    assert (dup, "duplicate") not in judge(text, {comment, dup})  # the author's own tool: honoured
    found = judge(text, {comment, dup}, trust=True)
    assert (dup, "duplicate") in found and (comment, "suppression") in found
    # base: the comment above an entry; the change inserts its line between the two
    base = SEED.replace(TOP, TOP + NEXT + "\n")
    text = base.replace(NEXT + "\n", NEXT + "\n" + DUP + "\n")
    assert (line_of(text, "Another Title"), "duplicate") in judge(
        text, {line_of(text, "Another Title")}, trust=True
    )
    # base: a block; the change adds inside it
    text = SEED.replace(TOP, TOP + OPEN + "\n" + DUP + "\n" + CLOSE + "\n")
    dup = line_of(text, "Another Title")
    assert (dup, "duplicate") not in judge(text, {dup}, trust=True)
    assert (dup, "duplicate") in judge(text, {dup}, trust=False)  # it removed a base comment


def test_check_diff_judges_as_a_pull_request_and_fix_removes_an_idle_suppression(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("BOT_CONFIG", None)
    readme = tmp_path / "README.md"
    readme.write_text(SEED)
    head = SEED.replace(TOP, TOP + NEXT + "\n" + DUP + "\n")
    readme.write_text(head)
    diff = "--- a/README.md\n+++ b/README.md\n" + patch_of(SEED, head) + "\n"

    def check(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "check", "README.md", "--offline", "--select", "duplicate,suppression", *args],
            cwd=tmp_path, env=env, input=stdin, capture_output=True, text=True, timeout=60,
        )  # fmt: skip

    r = check("--diff", "-", stdin=diff)
    assert r.returncode == 1 and "error duplicate:" in r.stdout and "warning suppression:" in r.stdout
    r = check()  # the whole file, as its maintainer checks it: honoured
    assert r.returncode == 0, r.stdout
    idle = SEED.replace(TOP, TOP + NEXT + "\n")  # above no duplicate
    readme.write_text(idle)
    r = check("--fix")
    assert r.returncode == 0 and "README.md:9: removed the line (suppression)" in r.stdout, r.stdout
    assert readme.read_text() == SEED


# --------------------------------------------------------------------------- the bot on a pull request


def open_pr_on(gh, number: int, base: str, head: str) -> str:
    try:
        gh.repo(REPO)
    except KeyError:
        gh.add_repo(REPO)
        gh.add_token(TOKEN)
    base_sha, head_sha = fake_sha(f"sbase{number}"), fake_sha(f"s{number}")
    gh.put_file(REPO, "README.md", base, ref=base_sha)
    gh.put_file(REPO, "README.md", head, ref=head_sha)
    gh.add_pull(
        REPO,
        number,
        head_sha=head_sha,
        base_sha=base_sha,
        files=[FakeFile("README.md", patch_of(base, head))],
    )
    return head_sha


@pytest.mark.parametrize(
    "base, head, silenced",
    [
        # a maintainer's block on the default branch: a duplicate added inside it is theirs to allow
        (
            SEED.replace(TOP, TOP + OPEN + "\n" + CLOSE + "\n"),
            SEED.replace(TOP, TOP + OPEN + "\n" + DUP + "\n" + CLOSE + "\n"),
            True,
        ),
        # the contributor's own comment
        (SEED, SEED.replace(TOP, TOP + NEXT + "\n" + DUP + "\n"), False),
        # the contributor deletes the block's end and adds below where it stood
        (
            SEED.replace(TOP, TOP + OPEN + "\n" + CLOSE + "\n"),
            SEED.replace(TOP, TOP + OPEN + "\n" + DUP + "\n"),
            False,
        ),
        # a line slipped under a maintainer's disable-next-line
        (SEED.replace(TOP, TOP + NEXT + "\n"), SEED.replace(TOP, TOP + NEXT + "\n" + DUP + "\n"), False),
    ],
    ids=["base-block", "own-comment", "deleted-enable", "under-next-line"],
)
def test_the_bot_honours_only_the_base_branchs_suppressions(job_env, base, head, silenced):
    gh, _ax, settings = job_env
    sha = open_pr_on(gh, 70, base, head)
    out = Connections(settings).review(job(70, sha), github=_adapter(settings))
    said = " ".join(c.body for c in out.plan.comments)
    assert ("`duplicate`" in said) is not silenced, said
    if not silenced and NEXT in head and NEXT not in base:
        assert "`suppression`" in said and "not honoured" in said
    assert [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def _adapter(settings):
    from bot.adapters.github import ClientOptions, GitHubAdapter

    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
