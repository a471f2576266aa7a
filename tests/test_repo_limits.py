"""A repository's config cannot tie up a shared worker (issue 10, item 8): bounded in bytes, list
entries and values (aliases counted as used), list files matched in linear time, and each job has a
time budget. Over the local GitHub, through the real job."""

from __future__ import annotations

import time

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.config import config as config_mod
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service import job as job_mod
from bot.service import repo_limits
from bot.service.connections import Connections
from bot.service.errors import OverBudget
from bot.service.queue import Tuning, make_queue
from tests.fakes.github_server import FakeFile
from tests.fakes.scenario import BAD, REPO, job, open_pr, with_lines

SOURCE = ".github/awesome-review.yml"


def adapter(settings) -> GitHubAdapter:
    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))


def summary(gh) -> str:
    (body,) = [c["body"] for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    return body


def with_files(gh, number: int, n: int) -> None:
    """The PR changes `n` other files besides README.md."""
    pull = gh.repo(REPO).pulls[number]
    pull.files += [FakeFile(f"data/f{i}.txt", "@@ -0,0 +1 @@\n+x", status="added") for i in range(n)]


@pytest.mark.timeout(120)
def test_20000_files_and_a_3000_file_pr_take_seconds_and_the_summary_says_why(job_env) -> None:
    """Was 233 s: every file of the PR compared with every configured name."""
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(BAD))
    with_files(gh, 1, 3_000)
    names = "".join(f"  - lists/l{i}.md\n" for i in range(20_000))
    gh.put_file(REPO, SOURCE, "files:\n  - README.md\n" + names, ref="main")
    t0 = time.perf_counter()
    Connections(settings).review(job(1, head), github=adapter(settings))
    seconds = time.perf_counter() - t0
    body = summary(gh)
    assert f"{SOURCE}: is 388,911 bytes; a repository's config may have at most 65,536" in body
    assert "❌ needs changes" in body  # reviewed with the deployment's config
    assert seconds < 30, f"{seconds:.1f}s"


@pytest.mark.timeout(120)
def test_500_files_are_matched_in_linear_time(job_env) -> None:
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(BAD))
    with_files(gh, 1, 3_000)
    names = "".join(f"  - lists/l{i}.md\n" for i in range(499))
    gh.put_file(REPO, SOURCE, "files:\n  - README.md\n" + names, ref="main")
    Connections(settings).review(job(1, head), github=adapter(settings))
    assert "was not used" not in summary(gh) and "❌ needs changes" in summary(gh)
    t0 = time.perf_counter()
    listed = job_mod._list_files([f"lists/l{i}.md" for i in range(20_000)])
    assert sum(job_mod._is_list_file(f"data/f{i}.txt", listed) for i in range(3_000)) == 0
    assert time.perf_counter() - t0 < 0.5


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "sections: [A]\n" + "# padding\n" * 7_000,
            "is 70,014 bytes; a repository's config may have at most 65,536",
        ),
        ("sections: [" + ", ".join(f"s{i}" for i in range(501)) + "]\n", "1: sections: has 501 entries"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
            "holds over 20,000 values",
        ),
    ],
)
def test_an_oversized_config_is_a_config_error_naming_the_problem(text: str, problem: str) -> None:
    with pytest.raises(config_mod.ConfigError) as exc:
        repo_limits.check(text, SOURCE)
    assert problem in str(exc.value) and str(exc.value).startswith(SOURCE)


def test_a_job_past_its_budget_fails_at_once(job_env, monkeypatch) -> None:
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(BAD))
    monkeypatch.setattr(job_mod, "JOB_BUDGET_SECONDS", 0.0)
    with pytest.raises(OverBudget, match="time budget"):
        Connections(settings).review(job(1, head), github=adapter(settings))
    assert gh.writes() == []  # nothing half-posted
    calls = []

    def over(payload, _settings):
        calls.append(payload)
        raise OverBudget("over the job's time budget")

    queue = make_queue(settings, over, tuning=Tuning(backoff_base=0))
    queue.submit(job_mod.ReviewJob.from_dict(job(1, head)))
    queue.huey.execute(queue.huey.dequeue())
    assert len(calls) == 1 and queue.record("d-1")["state"] == "failed"  # not tried three times


def test_the_budget_runs_out_inside_a_file_not_only_between_files(job_env, monkeypatch) -> None:
    """The budget was checked only between files, so one large or hostile file held the worker for as
    long as it took (issue 19, item 1). The pipeline checks it between items, through the callable
    the job passes in (the core reads no clock): here the clock jumps past the budget once the file
    is read, and the job stops at the next item, naming the file and line, having posted nothing."""
    gh, _, settings = job_env
    lines = [
        f"- (*Arxiv 2024.05*) Paper {n} [[paper](https://arxiv.org/abs/2405.{n:05d})]" for n in range(1, 400)
    ]
    head = open_pr(gh, 1, with_lines(*lines))
    read = []
    github = adapter(settings)
    get_bytes = github.get_bytes

    def reading(repo: str, path: str, ref: str) -> bytes | None:
        data = get_bytes(repo, path, ref)
        if path == "README.md" and ref == head:
            read.append(path)
        return data

    monkeypatch.setattr(github, "get_bytes", reading)

    class Clock:  # the job's clock: real time, then past the budget once the list file is read
        @staticmethod
        def monotonic() -> float:
            return time.monotonic() + (10 * job_mod.JOB_BUDGET_SECONDS if read else 0)

    monkeypatch.setattr(job_mod, "time", Clock)
    with pytest.raises(OverBudget, match=r"over the job's time budget of 300s at line \d+ of README\.md"):
        Connections(settings).review(job(1, head), github=github)
    assert read and gh.writes() == []


def test_a_nested_list_in_venue_tag_venues_fails_validation() -> None:
    with pytest.raises(config_mod.ConfigError, match="venues"):
        config_mod.loads("rules:\n  venue-tag:\n    venues: [NeurIPS, [ICML, ICLR]]\n")
