"""`awesome-review review` (bot.service.once): the Action path end to end, as a runner runs it.

The event file on disk, action.yml's step run by bash with only the variables a runner sets
(GITHUB_EVENT_PATH, GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY, ...; ARXIV_API_URL to the local
arXiv), in an empty workspace (no checkout), and assertions on what the local GitHub received.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service.connections import Connections
from tests.conftest import JOB_CONFIG
from tests.fakes.arxiv_server import Scripted
from tests.fakes.github_server import FakeGitHub, fake_sha
from tests.fakes.scenario import BAD, FIXED, GOOD, LAST, REPO, TOKEN, job, open_pr, pr_event, push, with_lines
from tests.test_action import run_action

FIXTURES = Path(__file__).parent / "fixtures" / "github"
ACTIONS_TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"  # an installation token, as Actions hands out
RUN_ID = 8105231490


def actions_event(number: int, head_sha: str) -> dict[str, Any]:
    """A pull_request event as a workflow sees it: the webhook payload, without an installation."""
    p = pr_event(number, head_sha, installation=0)
    p.pop("installation")
    return p


def fork_event(number: int, head_sha: str) -> dict[str, Any]:
    p = json.loads((FIXTURES / "pull_request_target.opened-from-fork.json").read_text())
    p["number"] = p["pull_request"]["number"] = number
    p["pull_request"]["head"]["sha"] = head_sha
    p["repository"]["full_name"] = p["pull_request"]["base"]["repo"]["full_name"] = REPO
    p["pull_request"]["head"]["repo"]["full_name"] = "contributor/awesome-self-play"
    return p


def recheck_event(number: int, association: str = "OWNER") -> dict[str, Any]:
    p = copy.deepcopy(json.loads((FIXTURES / "issue_comment.created.json").read_text()))
    p.pop("installation")
    p["issue"].update(number=number, state="open", pull_request={"url": f"https://api.github.com/x/{number}"})
    p["comment"].update(body="/recheck", author_association=association)
    p["repository"]["full_name"] = REPO
    return p


class Runner:
    """One workflow job's environment: its event file, its token, its empty workspace."""

    def __init__(self, tmp: Path, gh: FakeGitHub, arxiv_url: str) -> None:
        self.tmp, self.gh, self.arxiv_url = tmp, gh, arxiv_url
        self.workspace = tmp / "workspace"
        self.workspace.mkdir()
        self.runs = 0

    def env(
        self, event: str, payload: dict[str, Any], token: str = ACTIONS_TOKEN, **more: str
    ) -> dict[str, str]:
        self.runs += 1
        path = self.tmp / f"event-{self.runs}.json"
        path.write_text(json.dumps(payload))
        return {
            "GITHUB_ACTIONS": "true",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(path),
            "GITHUB_TOKEN": token,
            "GITHUB_API_URL": self.gh.url,
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_RUN_ID": str(RUN_ID),
            "GITHUB_RUN_ATTEMPT": str(self.runs),
            "GITHUB_WORKSPACE": str(self.workspace),
            "ARXIV_API_URL": self.arxiv_url,
            **more,
        }

    def action(self, event: str, payload: dict[str, Any], **kw: Any) -> subprocess.CompletedProcess:
        """action.yml's step in review mode (its default), as the runner runs it."""
        return run_action(self.workspace, "", runner=self.env(event, payload, **kw))


@pytest.fixture
def runner(tmp_path, github_server, arxiv_server) -> Runner:
    github_server.add_actions_token(ACTIONS_TOKEN)
    return Runner(tmp_path, github_server, arxiv_server.url)


def review_comments(gh: FakeGitHub) -> list[dict]:
    return gh.repo(REPO).review_comments


def summaries(gh: FakeGitHub) -> list[dict]:
    return [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def test_action_posts_the_review_summary_labels_and_a_check_run(runner):
    gh = runner.gh
    head = open_pr(gh, 1, with_lines(GOOD, BAD))
    r = runner.action("pull_request", actions_event(1, head))
    assert r.returncode == 1, r.stdout + r.stderr  # errors: the workflow fails like any check
    (review,) = gh.repo(REPO).reviews
    assert review["state"] == "CHANGES_REQUESTED" and review["user"]["login"] == "github-actions[bot]"
    (comment,) = review_comments(gh)
    assert comment["line"] == 6  # the bad line only; the good one gets no comment
    assert f"```suggestion\n{FIXED}\n```" in comment["body"]
    (summary,) = summaries(gh)
    assert "README.md:5" in summary["body"] and "✅ ok" in summary["body"]
    assert "README.md:6" in summary["body"] and "❌ needs changes" in summary["body"]
    assert gh.labels_of(REPO, 1) == {"review: needs changes"}
    (run,) = gh.repo(REPO).check_runs
    assert (run["name"], run["head_sha"], run["conclusion"]) == ("awesome-review", head, "failure")
    assert gh.repo(REPO).statuses == []  # the token may write checks: no status as well
    assert not gh.calls("GET", r"/user")  # a GITHUB_TOKEN may not ask who it is
    assert "review created (REQUEST_CHANGES, 1 inline comments)" in r.stdout
    assert list(runner.workspace.iterdir()) == []  # nothing checked out, nothing written


def test_action_rerun_posts_nothing_new(runner):
    gh = runner.gh
    head = open_pr(gh, 2, with_lines(BAD, after=LAST))
    first = runner.action("pull_request", actions_event(2, head))
    assert first.returncode == 1, first.stderr
    writes = gh.writes()
    again = runner.action("pull_request", actions_event(2, head))  # "Re-run jobs"
    assert again.returncode == 1, again.stderr
    assert gh.writes() == writes  # not one write: review, summary, labels and check are as they were
    assert "review exists" in again.stdout and "summary unchanged" in again.stdout


APP_TOKEN = (
    "ghs_7Qm2cXvZ0AppInstallationTokenForTheList"  # actions/create-github-app-token hands out ghs_ too
)


@pytest.mark.parametrize(
    "kind, author",
    [("actions", "github-actions[bot]"), ("app", "list-keeper[bot]")],
    ids=["GITHUB_TOKEN", "app"],
)
def test_reruns_under_either_installation_token_write_nothing_new(runner, kind, author):
    """Was: any `ghs_` token under Actions was taken for github-actions[bot], so under an App's
    installation token a rerun did not find its own summary and posted a second one (issue 16, "The
    Action under another token"; issue 19, item 7). Neither token may read GET /user (403, as on
    GitHub): the bot's own comments are known by marker, a Bot author and the App that wrote them."""
    import requests

    gh = runner.gh
    token = ACTIONS_TOKEN if kind == "actions" else APP_TOKEN
    if kind == "app":
        gh.add_app_token(APP_TOKEN, "list-keeper")
    me = requests.get(f"{gh.url}/user", headers={"Authorization": f"token {token}"}, timeout=10)
    assert me.status_code == 403  # the fake answers as GitHub does for an installation token
    number = 31 if kind == "actions" else 32
    head = open_pr(gh, number, with_lines(BAD, after=LAST))
    # A contributor pastes the hidden marker: never taken for the bot's own summary.
    gh.add_token(TOKEN, login="contributor")
    requests.post(
        f"{gh.url}/repos/{REPO}/issues/{number}/comments",
        json={"body": f"{SUMMARY_MARKER}\nmine now"},
        headers={"Authorization": f"token {TOKEN}"},
        timeout=10,
    ).raise_for_status()
    first = runner.action("pull_request", actions_event(number, head), token=token)
    assert first.returncode == 1, first.stdout + first.stderr
    (summary,) = [c for c in summaries(gh) if c["user"]["login"] == author]
    assert summary["performed_via_github_app"]["slug"] == (
        "github-actions" if kind == "actions" else "list-keeper"
    )
    (review,) = gh.repo(REPO).reviews
    assert review["user"]["login"] == author
    writes = gh.writes()
    for _ in range(2):  # "Re-run jobs", twice
        again = runner.action("pull_request", actions_event(number, head), token=token)
        assert again.returncode == 1, again.stdout + again.stderr
        assert "review exists" in again.stdout and "summary unchanged" in again.stdout
    assert gh.writes() == writes  # not one write more
    assert len(summaries(gh)) == 2  # the contributor's paste and the bot's one summary
    # A new push: the same summary is edited in place, and no second review of the old head.
    head2 = push(gh, number, with_lines(GOOD, after=LAST), "h2")
    third = runner.action("pull_request", actions_event(number, head2), token=token)
    assert third.returncode == 0, third.stdout + third.stderr
    assert len([c for c in summaries(gh) if c["user"]["login"] == author]) == 1
    assert "contributor" in {c["user"]["login"] for c in summaries(gh)}


def test_the_login_input_names_the_bot(runner):
    """With the Action's `login` input, the bot's own comments are those of that login alone."""
    gh = runner.gh
    gh.add_app_token(APP_TOKEN, "list-keeper")
    head = open_pr(gh, 33, with_lines(BAD, after=LAST))
    first = runner.action(
        "pull_request", actions_event(33, head), token=APP_TOKEN, AWESOME_REVIEW_LOGIN="list-keeper[bot]"
    )
    assert first.returncode == 1, first.stdout + first.stderr
    writes = gh.writes()
    again = runner.action(
        "pull_request", actions_event(33, head), token=APP_TOKEN, AWESOME_REVIEW_LOGIN="list-keeper[bot]"
    )
    assert again.returncode == 1 and gh.writes() == writes
    assert not gh.calls("GET", r"/user")


def test_action_posts_exactly_what_the_service_posts(runner, tmp_path, monkeypatch):
    """The same pull request reviewed by the service's job (a token, in-process) and by the Action."""
    gh = runner.gh
    text = with_lines(GOOD, BAD)
    h1, h2 = open_pr(gh, 11, text), open_pr(gh, 12, text)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text(JOB_CONFIG)
    from bot.settings import Settings

    settings = Settings(
        github_token=TOKEN, github_api_url=gh.url, arxiv_api_url=runner.arxiv_url, data_dir=tmp_path / "d"
    )
    Connections(settings).review(job(11, h1))  # the service's composition root and job
    r = runner.action("pull_request", actions_event(12, h2))
    assert r.returncode == 1, r.stderr
    by_pr = {
        n: [c for c in review_comments(gh) if c["pull_request_url"].endswith(f"/pulls/{n}")] for n in (11, 12)
    }
    assert [(c["line"], c["body"]) for c in by_pr[11]] == [(c["line"], c["body"]) for c in by_pr[12]]
    s11, s12 = (next(c["body"] for c in summaries(gh) if c["_number"] == n) for n in (11, 12))
    assert s11.replace(h1[:7], "HEAD") == s12.replace(h2[:7], "HEAD")
    assert gh.labels_of(REPO, 11) == gh.labels_of(REPO, 12)


def test_a_config_yml_in_the_workspace_is_not_read_under_actions(runner):
    """The workspace may hold the pull request's checkout (a `pull_request` workflow that checks it
    out): a config.yml there turning every rule off must not pass the PR's bad entry (issue 19, item
    11). Under Actions the rules are the defaults and .github/awesome-review.yml on the default
    branch; BOT_CONFIG still names a deployment config on purpose."""
    gh = runner.gh
    head = open_pr(gh, 13, with_lines(BAD))
    from bot.core.config.config import rules

    every_rule_off = "rules:\n" + "".join(f"  {r.id}: off\n" for r in rules())
    (runner.workspace / "config.yml").write_text(every_rule_off)
    r = runner.action("pull_request", actions_event(13, head))
    assert r.returncode == 1, r.stdout + r.stderr  # judged by the defaults: the error stands
    assert any("`venue-tag`" in c["body"] for c in review_comments(gh))


def test_fork_pull_request_target_is_reviewed_from_the_api_never_checked_out(runner):
    gh = runner.gh
    head = open_pr(gh, 3, with_lines(GOOD, BAD))
    r = runner.action("pull_request_target", fork_event(3, head))
    assert r.returncode == 1, r.stdout + r.stderr
    assert len(gh.repo(REPO).reviews) == 1 and len(summaries(gh)) == 1
    reads = gh.calls("GET", rf"/repos/{REPO}/contents/README\.md")
    refs = {c.query.get("ref") for c in reads}
    # The PR's head, read as data, and its base, which the list's format is learnt from.
    assert head in refs and len(refs) == 2, refs
    assert list(runner.workspace.iterdir()) == []


def test_recheck_comment_reviews_the_current_head_and_others_comments_are_ignored(runner):
    gh = runner.gh
    head = open_pr(gh, 4, with_lines(GOOD))
    ignored = runner.action("issue_comment", recheck_event(4, association="CONTRIBUTOR"))
    assert ignored.returncode == 0 and "nothing to review: /recheck from CONTRIBUTOR" in ignored.stdout
    assert gh.writes() == []
    gh.repo(REPO).permissions["Codertocat"] = "write"  # the job asks GitHub whether the author may push
    r = runner.action("issue_comment", recheck_event(4))
    assert r.returncode == 0, r.stdout + r.stderr  # a clean entry: no errors
    (summary,) = summaries(gh)
    assert f"for `{head[:7]}`: all new entries look good" in summary["body"]
    assert gh.labels_of(REPO, 4) == {"review: passed"}
    assert gh.repo(REPO).check_runs[-1]["conclusion"] == "success"


def test_token_that_may_not_write_checks_falls_back_to_a_commit_status(runner):
    gh = runner.gh
    limited = "ghs_NoChecksPermission0123456789abcd"
    gh.add_actions_token(limited, checks=False)
    head = open_pr(gh, 5, with_lines(BAD, after=LAST))
    r = runner.action("pull_request", actions_event(5, head), token=limited)
    assert r.returncode == 1, r.stdout + r.stderr
    assert gh.repo(REPO).check_runs == []
    (status,) = gh.repo(REPO).statuses
    assert (status["context"], status["state"], status["_sha"]) == ("awesome-review", "failure", head)
    assert len(gh.repo(REPO).reviews) == 1  # the review itself is posted all the same
    writes = gh.writes()
    again = runner.action("pull_request", actions_event(5, head), token=limited)
    assert again.returncode == 1 and gh.writes() == writes and len(gh.repo(REPO).statuses) == 1


def test_arxiv_unreachable_posts_not_verified_and_exits_3(runner, arxiv_server, tmp_path):
    gh = runner.gh
    arxiv_server.script(*[Scripted(503)] * 10)
    (tmp_path / "fast.yml").write_text(JOB_CONFIG)  # the deployment's config: ask arXiv fast
    head = open_pr(gh, 6, with_lines(GOOD))
    r = runner.action("pull_request", actions_event(6, head), BOT_CONFIG=str(tmp_path / "fast.yml"))
    assert r.returncode == 3, r.stdout + r.stderr
    assert "arXiv or Semantic Scholar could not be reached" in r.stderr and "/recheck" in r.stderr
    (summary,) = summaries(gh)
    assert "not verified" in summary["body"]  # never a verdict against the contributor
    assert gh.labels_of(REPO, 6) == {"review: passed", "review: not verified"}


def test_github_unreachable_exits_3(runner):
    env = runner.env("pull_request", actions_event(7, fake_sha("x")), GITHUB_API_URL="http://127.0.0.1:9")
    r = run_action(runner.workspace, "", runner=env)
    assert r.returncode == 3 and r.stderr.startswith("error: GitHub could not be reached:"), r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "change, words",
    [
        ({"GITHUB_TOKEN": ""}, "GITHUB_TOKEN is not set"),
        ({"GITHUB_REPOSITORY": "someone/else"}, "but GITHUB_REPOSITORY is someone/else"),
        ({"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "/nonexistent/event.json: no such event file"),
        ({"BOT_CONFIG": "/nonexistent/config.yml"}, "/nonexistent/config.yml: no such file"),
    ],
)
def test_bad_configuration_exits_2_with_one_line(runner, change, words):
    head = open_pr(runner.gh, 8, with_lines(GOOD))
    env = {**runner.env("pull_request", actions_event(8, head)), **change}
    r = run_action(runner.workspace, "", runner=env)
    assert r.returncode == 2, r.stdout + r.stderr
    assert words in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert runner.gh.writes() == []


def test_malformed_event_exits_2_naming_the_field(runner):
    payload = actions_event(9, fake_sha("y"))
    payload["pull_request"]["number"] = "nine"
    r = runner.action("pull_request", payload)
    assert r.returncode == 2 and "pull_request.number" in r.stderr, r.stderr


def bot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "BOT_", "REDIS_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], env={**clean, **env}, cwd=cwd,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_review_a_pr_from_a_terminal_dry_run_prints_markdown_and_writes_nothing(runner):
    gh = runner.gh
    open_pr(gh, 10, with_lines(GOOD, BAD))
    gh.add_token(TOKEN)
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url, "ARXIV_API_URL": runner.arxiv_url}
    r = bot("review", f"{REPO}#10", "--dry-run", env=env, cwd=runner.workspace)
    assert r.returncode == 1, r.stdout + r.stderr  # the review it would post has errors
    assert r.stdout.startswith("# Dry run: the review at ")
    assert "## Review: REQUEST_CHANGES" in r.stdout and "### `README.md` line 6" in r.stdout
    assert f"```suggestion\n{FIXED}\n```" in r.stdout
    assert SUMMARY_MARKER in r.stdout and "## Labels: `review: needs changes`" in r.stdout
    assert "## Check: failure" in r.stdout
    assert gh.writes() == [] and list(runner.workspace.iterdir()) == []
    # Nobody asked for a recheck (issue 16, item 7): the summary does not say one was made.
    assert "Checked again" not in r.stdout and "asked anew" not in r.stdout


def test_review_a_pr_from_a_terminal_posts_it(runner):
    gh = runner.gh
    open_pr(gh, 13, with_lines(GOOD))
    gh.add_token(TOKEN)
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url, "ARXIV_API_URL": runner.arxiv_url}
    r = bot("review", f"{REPO}#13", env=env, cwd=runner.workspace)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(summaries(gh)) == 1 and gh.labels_of(REPO, 13) == {"review: passed"}
    # A personal token may not write checks: the commit status says the verdict.
    assert gh.repo(REPO).check_runs == [] and gh.repo(REPO).statuses[-1]["state"] == "success"
    missing = bot("review", f"{REPO}#404", env=env, cwd=runner.workspace)
    assert missing.returncode == 2 and "404" in missing.stderr and missing.stderr.count("\n") == 1
    bad = bot("review", "not-a-pr", env=env, cwd=runner.workspace)
    assert bad.returncode == 2 and "expected OWNER/REPO#NUMBER" in bad.stderr


def test_readme_workflow_is_pull_request_target_with_minimal_permissions_and_no_checkout():
    import re

    import yaml

    from bot.service.events import ISSUE_ACTIONS, PR_ACTIONS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", readme, re.S)]
    (wf,) = [
        b
        for b in blocks
        if isinstance(b, dict) and "pull_request_target" in (b.get(True) or b.get("on") or {})
    ]
    on = wf.get(True) or wf["on"]  # YAML 1.1 reads a bare `on` key as True
    assert set(on) == {"pull_request_target", "issue_comment", "issues"}
    assert set(on["pull_request_target"]["types"]) <= PR_ACTIONS
    assert set(on["issues"]["types"]) <= ISSUE_ACTIONS
    assert wf["permissions"] == {
        "contents": "write",  # /add's branch and commit; read is enough without /add
        "pull-requests": "write",
        "issues": "write",
        "checks": "write",
    }
    (steps,) = [j["steps"] for j in wf["jobs"].values()]
    assert [s["uses"].split("@")[0] for s in steps] == ["OWNER/awesome-review"]  # no checkout, no run
    assert "mode" not in (steps[0].get("with") or {})  # review is the default mode
