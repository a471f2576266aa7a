"""code-repo's lookup: code links checked through the GitHub API (the local fake, over real HTTP):
names validated before they reach an API path, one request per distinct repository, a per-process
cache; the job and `check` with and without a token. The rule itself: tests/rules/test_code_repo.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import JOB_CONFIG

from bot.adapters.github import ClientOptions, GitHubAdapter, InstallationTokens, RepoStatusCache
from bot.core.repo_name import parse_github_repo, valid_full_name
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service.connections import Connections
from bot.settings import Settings
from tests.fakes.github_server import FakeGitHub, Fault
from tests.fakes.scenario import REPO, TOKEN, job, open_pr, with_lines
from tests.rules.test_code_repo import entry

ROOT = Path(__file__).resolve().parents[1]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/Linear95/SPAG", ("Linear95", "SPAG")),
        ("https://www.github.com/o-1/r.js", ("o-1", "r.js")),
        ("https://github.com/o/r/", ("o", "r")),
        ("https://github.com/o/r.git", ("o", "r")),
        ("https://github.com/o/r/tree/main/src", ("o", "r")),  # a deeper link still names the repo
        ("https://github.com/o/r?tab=readme", ("o", "r")),  # the query never reaches the API path
        ("http://github.com/o/r", ("o", "r")),
        ("https://github.com/o/..", None),
        ("https://github.com/../r", None),
        ("https://github.com/o/.", None),
        ("https://github.com/o/r%2F..", None),
        ("https://github.com/o%2Fx/r", None),
        ("https://github.com/o_x/r", None),  # not a GitHub owner name
        ("https://github.com/" + "o" * 40 + "/r", None),
        ("https://github.com/o/" + "r" * 101, None),
        ("https://github.com/o", None),
        ("https://github.com//r", None),
        ("https://github.com:8443/o/r", None),
        ("https://user@github.com/o/r", None),
        ("https://github.com.evil.example/o/r", None),
        ("https://gitlab.com/o/r", None),
        ("ftp://github.com/o/r", None),
        ("https://github.com/o/r\\..", None),
        ("https://[::1/o/r", None),
    ],
)
def test_parse_github_repo(url: str, expected: tuple[str, str] | None) -> None:
    assert parse_github_repo(url) == expected


@pytest.mark.parametrize(
    ("name", "ok"),
    [("o/r", True), ("Codertocat/Hello-World", True), ("o/r/x", False), ("o/..", False), ("../r", False), ("o", False), ("/r", False), ("o/", False)],
)  # fmt: skip
def test_valid_full_name(name: str, ok: bool) -> None:
    assert valid_full_name(name) is ok


# --------------------------------------------------------------------------- the adapter over HTTP


def adapter(gh: FakeGitHub, token: str | None = TOKEN) -> GitHubAdapter:
    gh.add_token(TOKEN)
    settings = Settings(github_token=token, github_api_url=gh.url)
    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None, retries=1))


def test_repo_status_one_request_per_distinct_repository_then_cached(github_server: FakeGitHub) -> None:
    gh = github_server
    gh.add_repo("fine/Repo")
    gh.add_repo("old/Frozen", archived=True)
    cache = RepoStatusCache()
    names = ["fine/Repo", "FINE/repo", "old/Frozen", "gone/Away", "o/..", "a/b/c"]
    got = adapter(gh).repo_status(names, cache=cache)
    assert got == {"fine/Repo": "ok", "FINE/repo": "ok", "old/Frozen": "archived", "gone/Away": "missing"}
    paths = sorted(r.path for r in gh.calls("GET"))
    assert paths == ["/repos/fine/Repo", "/repos/gone/Away", "/repos/old/Frozen"]  # invalid names: never sent
    adapter(gh).repo_status(["old/frozen", "gone/away"], cache=cache)
    assert len(gh.calls("GET")) == 3  # answered from the cache


def test_repo_status_leaves_out_what_github_could_not_answer(github_server: FakeGitHub) -> None:
    gh = github_server
    gh.add_repo("fine/Repo")
    gh.script("GET", r"/repos/fine/Repo", *[Fault.bad_gateway()] * 5)
    cache = RepoStatusCache()
    assert adapter(gh).repo_status(["fine/Repo"], cache=cache) == {}
    assert cache.get(adapter(gh).cache_scope, "fine/Repo") is None  # not cached: asked again next time


def test_the_cache_never_answers_one_installation_with_anothers_lookup(
    github_server: FakeGitHub, github_app_key
):
    """The cache is per installation, so installation 222 asks GitHub itself instead of learning from
    111 (what one installation may see, another may not)."""
    gh = github_server
    for inst in (111, 222):
        gh.register_app(4242, github_app_key.public_pem, installation_id=inst, account=f"org{inst}")
    gh.add_repo("corp/secret-model", private_to=[111])
    gh.add_repo("corp/open-model")
    settings = Settings(
        github_app_id="4242", github_app_private_key=github_app_key.private_pem, github_api_url=gh.url
    )
    tokens = InstallationTokens(settings)
    cache = RepoStatusCache()

    def status(inst: int) -> dict[str, str]:
        return GitHubAdapter(settings, inst, tokens=tokens).repo_status(["corp/open-model"], cache=cache)

    assert status(111) == status(222) == {"corp/open-model": "ok"}
    assert len(gh.calls("GET", "/repos/corp/open-model")) == 2  # each its own answer, from its own request
    assert status(111) == status(222) == {"corp/open-model": "ok"}
    assert len(gh.calls("GET", "/repos/corp/open-model")) == 2  # each from its own cache entry
    token = GitHubAdapter(Settings(github_token=TOKEN, github_api_url=gh.url))
    assert len({token.cache_scope, GitHubAdapter(settings, 111, tokens=tokens).cache_scope}) == 2


def test_a_private_repository_the_token_can_see_is_missing_as_to_the_public(
    github_server: FakeGitHub, github_app_key
):
    """An installation's token sees its organisation's private repositories: the rule answered "ok"
    for those and "missing" for names that do not exist, so a contributor could probe which private
    repositories exist (issue 19, item 6). Code links are judged as the public sees them: private
    (archived or not) and absent get the one same answer, to an App and to a token alike."""
    gh = github_server
    gh.register_app(4242, github_app_key.public_pem, installation_id=111, account="corp")
    gh.add_repo("corp/secret-model", private_to=[111])
    gh.add_repo("corp/old-secret", private_to=[111], archived=True)
    gh.add_repo("corp/open-model")
    names = ["corp/secret-model", "corp/old-secret", "corp/no-such-model", "corp/open-model"]
    expected = {"corp/secret-model": "missing", "corp/old-secret": "missing", "corp/no-such-model": "missing",
                "corp/open-model": "ok"}  # fmt: skip
    app = Settings(
        github_app_id="4242", github_app_private_key=github_app_key.private_pem, github_api_url=gh.url
    )
    assert GitHubAdapter(app, 111).repo_status(names, cache=RepoStatusCache()) == expected
    assert adapter(gh).repo_status(names, cache=RepoStatusCache()) == expected  # a user token sees them too
    assert {c.status for c in gh.calls("GET", "/repos/corp/secret-model")} == {200}  # GitHub did show it


def test_missing_is_cached_briefly() -> None:
    now = [0.0]
    cache = RepoStatusCache(ttl=100, missing_ttl=10, clock=lambda: now[0])
    cache.put("u", "a/B", "missing")
    cache.put("u", "c/d", "ok")
    now[0] = 11
    assert (cache.get("u", "a/b"), cache.get("u", "C/D"), cache.get("other", "c/d")) == (None, "ok", None)


# --------------------------------------------------------------------------- the job and check


@pytest.fixture
def env(job_env, tmp_path):
    gh, _, settings = job_env
    (tmp_path / "config.yml").write_text(JOB_CONFIG + "rules:\n  order: off\n")
    return gh, settings


def test_job_says_the_same_of_a_private_repository_as_of_one_that_does_not_exist(env):
    """What a contributor reads for a private repository of the organisation is word for word what
    they read for a name that does not exist, save the name."""
    gh, settings = env
    paper = "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models [[paper](https://arxiv.org/abs/2411.16646)]"
    head = open_pr(
        gh,
        1,
        with_lines(
            entry("https://github.com/octo/secret-model"),
            paper + " [[code](https://github.com/octo/no-such-model)]",
        ),
    )
    gh.add_repo("octo/secret-model", private_to=[])  # the job's token can see it
    Connections(settings).review(
        job(1, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    private, absent = [c["body"] for c in gh.repo(REPO).review_comments]
    assert "octo/secret-model does not exist or is private" in private
    assert private.replace("secret-model", "NAME") == absent.replace("no-such-model", "NAME")
    assert {c.status for c in gh.calls("GET", "/repos/octo/secret-model")} == {200}


def test_job_warns_on_missing_and_archived_code_repositories(env):
    gh, settings = env
    critiques = "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models [[paper](https://arxiv.org/abs/2411.16646)] [[code](https://github.com/old/frozen)]"
    meta = "- (*Arxiv 2024.07*) Meta-Rewarding Language Models: Self-Improving Alignment with LLM-as-a-Meta-Judge [[paper](https://arxiv.org/abs/2407.19594)] [[code](https://github.com/Nobody/Nothing/tree/main)]"
    head = open_pr(gh, 1, with_lines(entry("https://github.com/nobody/nothing"), critiques, meta))
    gh.add_repo("old/frozen", archived=True)
    Connections(settings).review(
        job(1, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    bodies = [c["body"] for c in gh.repo(REPO).review_comments]
    assert [c["line"] for c in gh.repo(REPO).review_comments] == [5, 6, 7]
    assert "code-repo" in bodies[0] and "nobody/nothing does not exist or is private" in bodies[0]
    assert "old/frozen is archived" in bodies[1]
    assert "Nobody/Nothing does not exist" in bodies[2]
    assert len(gh.calls("GET", r"/repos/(?i:nobody/nothing)")) == 1  # one request per distinct repository
    (summary,) = [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    assert "⚠️ ok, with suggestions" in summary["body"]
    assert gh.repo(REPO).reviews[0]["state"] == "COMMENTED"  # warnings never block


LIST = "# A list\n\n## Related Works\n" + entry("https://github.com/gone/away") + "\n"


def check(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    (tmp_path / "README.md").write_text(LIST)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "BOT_", "ARXIV_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md", "--format", "json", *args],
        cwd=tmp_path, env={**clean, "NO_COLOR": "", "PYTHONPATH": str(ROOT), **env},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_check_with_a_token_looks_repositories_up(github_server: FakeGitHub, arxiv_server, tmp_path: Path):
    github_server.add_token(TOKEN)
    env = {"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": github_server.url, "ARXIV_API_URL": arxiv_server.url}
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n")
    r = check(tmp_path, env=env)
    assert r.returncode == 0, r.stderr
    assert '"rule": "code-repo"' in r.stdout and "gone/away does not exist" in r.stdout
    assert [c.authorization for c in github_server.calls("GET", "/repos/gone/away")] == [f"token {TOKEN}"]


def test_check_without_a_token_or_offline_skips_silently(github_server: FakeGitHub, tmp_path: Path):
    r = check(tmp_path, "--offline", env={"GITHUB_API_URL": github_server.url})
    assert r.returncode == 0 and "code-repo" not in r.stdout and r.stderr == ""
    r = check(tmp_path, "--offline", env={"GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": github_server.url})
    assert r.returncode == 0 and "code-repo" not in r.stdout
    assert github_server.calls() == []
