"""The GitHub adapter end to end, over real HTTP against the local fake GitHub.

Every test asserts what the server received or holds, never what a mock was called with.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pytest
import requests

from bot.adapters.github import (
    ClientOptions,
    GitHubAdapter,
    GitHubUnavailable,
    InstallationTokens,
)
from bot.core.verdict.held import review_marker
from bot.core.verdict.plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan
from bot.settings import Settings
from tests.fakes.github_server import FakeFile, FakeGitHub, Fault, fake_sha, make_patch

pytest_plugins = ["tests.fakes.github_plugin"]

REPO = "octo/papers"
PR = 7
HEAD = fake_sha("head-1")
HEAD2 = fake_sha("head-2")
TOKEN = "ghp_maintainer_token"
APP_ID = 4242
INSTALLATION = 99
README_PATCH = make_patch(
    1, [" # Papers", " ", " - [A](https://arxiv.org/abs/1706.03762)", "+- [B](x)", "+- [C](y)"]
)
BIG_PATCH = make_patch(10, [" ctx", "+new line 11", " ctx"])  # lines 10..12 on the right


class Sleeps(list[float]):
    """Records the waits the retry logic asks for, without sleeping."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def setup_pr(gh: FakeGitHub, extra_files: int = 0) -> None:
    gh.add_repo(REPO)
    files = [
        FakeFile("README.md", README_PATCH),
        FakeFile("big.md", BIG_PATCH, hide_patch=True),
        FakeFile("docs/new.md", "@@ -0,0 +1,1 @@\n+hello", status="renamed", previous_filename="docs/old.md"),
    ]
    files += [FakeFile(f"extra/{i}.md", "@@ -0,0 +1 @@\n+x", status="added") for i in range(extra_files)]
    gh.add_pull(REPO, PR, head_sha=HEAD, files=files)
    gh.put_file(REPO, "README.md", "# Papers\n\n- [A](...)\n- [B](x)\n- [C](y)\n", ref=HEAD)
    gh.add_token(TOKEN)


def token_adapter(gh: FakeGitHub, **opts: object) -> tuple[GitHubAdapter, Sleeps]:
    sleeps = Sleeps()
    options = ClientOptions(sleep=sleeps, **opts)  # type: ignore[arg-type]
    settings = Settings(github_token=TOKEN, github_api_url=gh.url)
    return GitHubAdapter(settings, options=options), sleeps


def app_settings(gh: FakeGitHub, key: object) -> Settings:
    gh.register_app(APP_ID, key.public_pem, installation_id=INSTALLATION, account="octo")  # type: ignore[attr-defined]
    return Settings(github_app_id=str(APP_ID), github_app_private_key=key.private_pem, github_api_url=gh.url)  # type: ignore[attr-defined]


def plan_for(head: str, **kw: object) -> ReviewPlan:
    base = ReviewPlan(
        head_sha=head,
        event="REQUEST_CHANGES",
        review_body="Two entries need a fix.",
        comments=[
            InlineComment(
                "README.md", 4, "Use the arXiv abs link.\n```suggestion\n- [B](https://arxiv.org/abs/1)\n```"
            ),
            InlineComment("README.md", 5, "Missing venue tag."),
        ],
        summary=f"{SUMMARY_MARKER}\n### awesome-review\n2 problems at {head[:7]}.",
        labels={"needs-changes"},
        managed_labels={"needs-changes", "ready-to-merge", "arxiv-unverified"},
        conclusion="failure",
        check_title="2 problems",
        check_summary="2 problems found",
        annotations=[Annotation("README.md", 4, "failure", "Use the arXiv abs link.", "arxiv-link")],
    )
    return replace(base, **kw)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reads


def test_read_pull_follows_pagination_and_keeps_a_missing_patch(github_server: FakeGitHub) -> None:
    setup_pr(github_server, extra_files=4)  # 7 files, 2 per page → 4 pages
    adapter, _ = token_adapter(github_server, per_page=2)

    snap = adapter.read_pull(REPO, PR)

    assert (snap.head_sha, snap.base_sha, snap.draft, snap.author) == (
        HEAD,
        fake_sha("base7"),
        False,
        "contributor",
    )
    assert [f.filename for f in snap.files][:3] == ["README.md", "big.md", "docs/new.md"]
    assert len(snap.files) == 7
    by_name = {f.filename: f for f in snap.files}
    assert by_name["README.md"].patch == README_PATCH
    assert by_name["big.md"].patch is None  # GitHub omitted it: the caller falls back to contents
    assert by_name["docs/new.md"].previous_filename == "docs/old.md"
    pages = [
        r.query.get("page", "1") for r in github_server.calls("GET", r"/repos/octo/papers/pulls/7/files")
    ]
    assert pages == ["1", "2", "3", "4"]
    assert all(r.authorization == f"token {TOKEN}" for r in github_server.requests)


def test_get_text_reads_files_absent_files_and_large_files(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    big = "- [X](y)\n" * 200
    github_server.put_file(REPO, "LARGE.md", big, ref=HEAD)
    github_server.large_file_threshold = 1000  # the contents API sends no content above this
    adapter, _ = token_adapter(github_server)

    assert adapter.get_text(REPO, "README.md", HEAD) == "# Papers\n\n- [A](...)\n- [B](x)\n- [C](y)\n"
    assert adapter.get_text(REPO, "README.md", "other-ref") is None
    assert adapter.get_text(REPO, "nope.md", HEAD) is None
    assert adapter.get_text(REPO, "LARGE.md", HEAD) == big
    assert github_server.calls("GET", r"/repos/octo/papers/git/blobs/[0-9a-f]{40}")
    contents = github_server.calls("GET", r"/repos/octo/papers/contents/README\.md")
    assert contents[0].query == {"ref": HEAD}


# --------------------------------------------------------------------------- idempotent writes


def test_apply_twice_posts_one_review_one_summary_one_check_run(
    github_server: FakeGitHub, github_app_key
) -> None:
    setup_pr(github_server)
    adapter = GitHubAdapter(app_settings(github_server, github_app_key), INSTALLATION)

    first = adapter.apply(REPO, PR, plan_for(HEAD))
    writes_after_first = len(github_server.writes())
    second = adapter.apply(REPO, PR, plan_for(HEAD))

    repo = github_server.repo(REPO)
    assert (first.review, first.summary, first.check) == ("created", "created", "created")
    assert (second.review, second.summary, second.check) == ("exists", "unchanged", "unchanged")
    assert second.review_id == first.review_id and second.summary_comment_id == first.summary_comment_id
    assert len(github_server.writes()) == writes_after_first  # the second run wrote nothing
    assert len(repo.reviews) == 1
    review = repo.reviews[0]
    assert review["state"] == "CHANGES_REQUESTED" and review["commit_id"] == HEAD
    assert review_marker(HEAD) in review["body"]
    assert [(c["path"], c["line"], c["side"]) for c in repo.review_comments] == [
        ("README.md", 4, "RIGHT"),
        ("README.md", 5, "RIGHT"),
    ]
    assert len(repo.issue_comments) == 1 and repo.issue_comments[0]["body"].startswith(SUMMARY_MARKER)
    assert [(r["name"], r["head_sha"], r["conclusion"]) for r in repo.check_runs] == [
        ("awesome-review", HEAD, "failure")
    ]
    assert github_server.labels_of(REPO, PR) == {"needs-changes"}
    assert first.rejected == [] and second.rejected == []
    assert not github_server.calls("POST", r"/repos/octo/papers/statuses/.*")  # an App uses check runs


def test_new_head_edits_summary_in_place_posts_a_new_review_and_sets_labels(
    github_server: FakeGitHub, github_app_key
) -> None:
    setup_pr(github_server)
    github_server.repo(REPO).issue_labels[PR] = ["good first paper", "arxiv-unverified"]
    adapter = GitHubAdapter(app_settings(github_server, github_app_key), INSTALLATION)
    first = adapter.apply(REPO, PR, plan_for(HEAD, labels={"needs-changes", "arxiv-unverified"}))

    github_server.push(REPO, PR, HEAD2)
    clean = plan_for(
        HEAD2,
        event="COMMENT",
        review_body="Looks good now.",
        comments=[],
        labels={"ready-to-merge"},
        conclusion="success",
        check_title="No problems",
        check_summary="All entries pass",
        annotations=[],
    )
    second = adapter.apply(REPO, PR, clean)

    repo = github_server.repo(REPO)
    assert second.summary == "updated" and second.summary_comment_id == first.summary_comment_id
    assert len(repo.issue_comments) == 1 and HEAD2[:7] in repo.issue_comments[0]["body"]
    patch = github_server.calls("PATCH", r"/repos/octo/papers/issues/comments/\d+")
    assert len(patch) == 1
    assert [(r["commit_id"], r["state"]) for r in repo.reviews] == [
        (HEAD, "DISMISSED"),  # the old change request no longer blocks the PR
        (HEAD2, "COMMENTED"),
    ]
    assert second.dismissed_reviews == [first.review_id]
    assert github_server.labels_of(REPO, PR) == {"good first paper", "ready-to-merge"}  # foreign label kept
    assert (second.labels_added, sorted(second.labels_removed)) == (
        ["ready-to-merge"],
        ["arxiv-unverified", "needs-changes"],
    )
    assert [(r["head_sha"], r["conclusion"]) for r in repo.check_runs] == [
        (HEAD, "failure"),
        (HEAD2, "success"),
    ]


def test_stale_plan_writes_nothing(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.push(REPO, PR, HEAD2)
    adapter, _ = token_adapter(github_server)

    result = adapter.apply(REPO, PR, plan_for(HEAD))

    assert result.stale and github_server.writes() == []


# --------------------------------------------------------------------------- anchors GitHub refuses


def test_422_on_one_anchor_posts_the_review_without_it_and_reports_it(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    adapter, _ = token_adapter(github_server)
    good = InlineComment("README.md", 4, "ok anchor")
    good_big = InlineComment("big.md", 11, "added line of a file whose patch GitHub omitted")
    bad_big = InlineComment("big.md", 40, "not in the diff; only GitHub can tell (no patch)")
    outside = InlineComment("README.md", 2, "context line: commentable")
    not_in_diff = InlineComment("README.md", 99, "far outside the diff: never sent")
    plan = plan_for(HEAD, comments=[good, good_big, bad_big, outside, not_in_diff])

    result = adapter.apply(REPO, PR, plan)

    posts = github_server.calls("POST", r"/repos/octo/papers/pulls/7/reviews")
    assert [p.status for p in posts] == [422, 200]
    assert [(c["path"], c["line"]) for c in posts[0].json["comments"]] == [
        ("README.md", 4),
        ("README.md", 2),
        ("big.md", 11),
        ("big.md", 40),
    ]
    repo = github_server.repo(REPO)
    assert len(repo.reviews) == 1
    assert [(c["path"], c["line"]) for c in repo.review_comments] == [("README.md", 4), ("README.md", 2)]
    assert result.rejected == [good_big, bad_big, not_in_diff]
    assert plan == plan_for(HEAD, comments=[good, good_big, bad_big, outside, not_in_diff])  # left alone
    summary = repo.issue_comments[0]["body"]
    assert "`big.md` line 40" in summary and "`README.md` line 99" in summary

    again = adapter.apply(REPO, PR, plan)  # the rerun knows what was refused from what was placed
    assert again.review == "exists" and again.rejected == result.rejected
    assert again.summary == "unchanged"


def test_github_disagreeing_with_the_diff_falls_back_to_a_review_without_inline_comments(
    github_server: FakeGitHub,
) -> None:
    setup_pr(github_server)
    github_server.reject_anchor(REPO, PR, "README.md", 5)
    adapter, _ = token_adapter(github_server)

    result = adapter.apply(REPO, PR, plan_for(HEAD))

    posts = github_server.calls("POST", r"/repos/octo/papers/pulls/7/reviews")
    assert [(p.status, len(p.json["comments"])) for p in posts] == [(422, 2), (200, 0)]
    assert [c.line for c in result.rejected] == [4, 5]  # nothing is lost: both go to the summary
    assert "`README.md` line 5" in github_server.repo(REPO).issue_comments[0]["body"]


# --------------------------------------------------------------------------- faults and retries


def test_502_twice_then_success_is_retried_for_reads(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.script("GET", r"/repos/octo/papers/pulls/7/files", Fault.bad_gateway(), Fault.bad_gateway())
    adapter, sleeps = token_adapter(github_server, backoff_factor=0.5)

    snap = adapter.read_pull(REPO, PR)

    assert len(snap.files) == 3
    assert [r.status for r in github_server.calls("GET", r"/repos/octo/papers/pulls/7/files")] == [
        502,
        502,
        200,
    ]
    assert sleeps == [1.0]  # urllib3: no backoff before the first retry, then factor * 2


def test_502_on_a_review_post_is_applied_again_after_reading_what_exists(github_server: FakeGitHub) -> None:
    """The POST is never resent blindly: the whole apply runs again after 0.5 s, then 2 s, each time
    reading what exists first; past that the job fails (the queue runs it again), and a rerun is clean."""
    setup_pr(github_server)
    github_server.script("POST", r"/repos/octo/papers/pulls/7/reviews", *[Fault.bad_gateway()] * 3)
    adapter, sleeps = token_adapter(github_server)

    with pytest.raises(GitHubUnavailable):
        adapter.apply(REPO, PR, plan_for(HEAD))
    assert len(github_server.calls("POST", r"/repos/octo/papers/pulls/7/reviews")) == 3
    assert (
        len(github_server.calls("GET", r"/repos/octo/papers/pulls/7/reviews")) == 3
    )  # read first, each time
    assert sleeps == [0.5, 2.0]

    adapter.apply(REPO, PR, plan_for(HEAD))
    assert len(github_server.repo(REPO).reviews) == 1


def test_secondary_rate_limit_honours_retry_after(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.script(
        "POST", r"/repos/octo/papers/issues/7/comments", Fault.secondary_rate_limit(retry_after=7)
    )
    adapter, sleeps = token_adapter(github_server)

    result = adapter.apply(REPO, PR, plan_for(HEAD))

    assert sleeps == [7.0]
    assert [r.status for r in github_server.calls("POST", r"/repos/octo/papers/issues/7/comments")] == [
        403,
        201,
    ]
    assert result.summary == "created" and len(github_server.repo(REPO).issue_comments) == 1


def test_secondary_rate_limit_without_retry_after_waits_the_secondary_wait(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.script("POST", r"/repos/octo/papers/pulls/7/reviews", Fault.secondary_rate_limit())
    adapter, sleeps = token_adapter(github_server, secondary_rate_wait=60.0)

    adapter.apply(REPO, PR, plan_for(HEAD))

    assert sleeps == [60.0]
    assert len(github_server.repo(REPO).reviews) == 1


def test_primary_rate_limit_waits_until_reset_and_429_honours_retry_after(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    now = 1_900_000_000.0
    github_server.script("GET", r"/repos/octo/papers/pulls/7", Fault.primary_rate_limit(int(now) + 30))
    github_server.script("GET", r"/repos/octo/papers/pulls/7/files", Fault.too_many_requests(retry_after=3))
    adapter, sleeps = token_adapter(github_server, clock=lambda: now)

    adapter.read_pull(REPO, PR)

    assert sleeps == [31.0, 3.0]  # pull: until the reset (+1 s for the sub-second); files: Retry-After


def test_a_wait_beyond_max_wait_goes_back_to_the_queue(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    now = 1_900_000_000.0
    github_server.script("GET", r"/repos/octo/papers/pulls/7", Fault.primary_rate_limit(int(now) + 3600, 429))
    adapter, sleeps = token_adapter(github_server, clock=lambda: now, max_wait=120.0)

    with pytest.raises(GitHubUnavailable) as err:
        adapter.read_pull(REPO, PR)

    assert err.value.delay == 3601.0 and sleeps == []
    assert len(github_server.calls("GET", r"/repos/octo/papers/pulls/7")) == 1


def test_a_read_slower_than_the_timeout_is_retried(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.script("GET", r"/repos/octo/papers/pulls/7", Fault.slow(1.5))
    adapter, _ = token_adapter(github_server, timeout=1)

    snap = adapter.read_pull(REPO, PR)

    assert snap.head_sha == HEAD
    # the slow read, its retry, and the head read again after the files (it did not move)
    assert len(github_server.calls("GET", r"/repos/octo/papers/pulls/7")) == 3


# --------------------------------------------------------------------------- authentication modes


def test_app_auth_exchanges_a_jwt_once_and_reuses_the_token(
    github_server: FakeGitHub, github_app_key
) -> None:
    setup_pr(github_server)
    settings = app_settings(github_server, github_app_key)
    tokens = InstallationTokens(settings)
    one = GitHubAdapter(settings, INSTALLATION, tokens=tokens)
    two = GitHubAdapter(settings, INSTALLATION, tokens=tokens)

    one.read_pull(REPO, PR)
    one.get_text(REPO, "README.md", HEAD)
    two.apply(REPO, PR, plan_for(HEAD))

    grants = github_server.calls("POST", r"/app/installations/99/access_tokens")
    assert len(grants) == 1 and grants[0].status == 201
    assert re.fullmatch(r"Bearer [\w-]+\.[\w-]+\.[\w-]+", grants[0].authorization or "")
    others = [r for r in github_server.requests if not (r.path == "/app" or r.path.startswith("/app/"))]
    assert len({r.authorization for r in others}) == 1  # one installation token for everything
    assert (others[0].authorization or "").startswith("token ghs_")
    assert all(r.status < 400 for r in others)


def test_app_token_is_refreshed_five_minutes_before_expiry(github_server: FakeGitHub, github_app_key) -> None:
    setup_pr(github_server)
    settings = app_settings(github_server, github_app_key)
    clock = [time.time()]
    tokens = InstallationTokens(settings, ClientOptions(clock=lambda: clock[0]))
    adapter = GitHubAdapter(settings, INSTALLATION, tokens=tokens)

    adapter.read_pull(REPO, PR)
    clock[0] += 3600 - 301  # still valid for more than five minutes
    adapter.get_text(REPO, "README.md", HEAD)
    clock[0] += 2  # now within five minutes of expiry
    adapter.get_text(REPO, "README.md", HEAD)

    assert len(github_server.calls("POST", r"/app/installations/99/access_tokens")) == 2


def test_a_wrong_app_key_is_refused(github_server: FakeGitHub, github_app_key) -> None:
    setup_pr(github_server)
    settings = app_settings(github_server, github_app_key)
    github_server.register_app(
        APP_ID + 1, github_app_key.public_pem, installation_id=INSTALLATION, account="o"
    )

    with pytest.raises(Exception, match="401"):
        GitHubAdapter(settings, INSTALLATION).read_pull(REPO, PR)
    assert github_server.calls("POST", r"/app/installations/99/access_tokens")[0].status == 401


def test_token_mode_sets_a_commit_status_once(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    adapter, _ = token_adapter(github_server)

    first = adapter.apply(REPO, PR, plan_for(HEAD))
    second = adapter.apply(REPO, PR, plan_for(HEAD))

    statuses = github_server.repo(REPO).statuses
    assert [(s["state"], s["context"], s["description"]) for s in statuses] == [
        ("failure", "awesome-review", "2 problems")
    ]
    assert (first.check, second.check) == ("status", "status-unchanged")
    assert not github_server.calls(None, r"/repos/octo/papers/check-runs.*")


def test_dry_run_reads_anonymously_and_posts_nothing(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    adapter = GitHubAdapter(Settings(github_api_url=github_server.url))

    snap = adapter.read_pull(REPO, PR)
    result = adapter.apply(REPO, PR, plan_for(snap.head_sha))

    assert adapter.dry_run and result.dry_run
    assert github_server.writes() == []
    assert {r.authorization for r in github_server.requests} == {None}


def test_annotations_go_in_chunks_of_fifty_and_are_not_duplicated(
    github_server: FakeGitHub, github_app_key
) -> None:
    setup_pr(github_server)
    adapter = GitHubAdapter(app_settings(github_server, github_app_key), INSTALLATION)
    anns = [Annotation("README.md", 4, "warning", f"problem {i}", "rule") for i in range(120)]

    first = adapter.apply(REPO, PR, plan_for(HEAD, annotations=anns))
    second = adapter.apply(REPO, PR, plan_for(HEAD, annotations=anns))

    sizes = [
        len(r.json["output"]["annotations"])
        for r in github_server.calls(None, r"/repos/octo/papers/check-runs(/\d+)?")
        if r.method in ("POST", "PATCH")
    ]
    assert sizes == [50, 50, 20]
    repo = github_server.repo(REPO)
    assert len(repo.check_runs) == 1 and len(repo.annotations[first.check_run_id]) == 120  # type: ignore[index]
    assert (first.annotations_posted, second.check) == (120, "unchanged")


# --------------------------------------------------------------------------- the fake itself


def test_fake_refuses_anonymous_writes_and_oversized_annotation_batches(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    url = f"{github_server.url}/repos/{REPO}"

    anonymous = requests.post(f"{url}/issues/7/comments", json={"body": "hi"}, timeout=5)
    assert anonymous.status_code == 401
    with_pat = requests.post(
        f"{url}/check-runs",
        json={"name": "x", "head_sha": HEAD},
        headers={"Authorization": f"token {TOKEN}"},
        timeout=5,
    )
    assert with_pat.status_code == 403  # check runs are for GitHub Apps only
    github_server.tokens["ghs_app"] = replace(github_server.tokens[TOKEN], kind="installation")
    too_many = {
        "name": "x",
        "head_sha": HEAD,
        "output": {
            "title": "t",
            "summary": "s",
            "annotations": [
                {
                    "path": "README.md",
                    "start_line": 1,
                    "end_line": 1,
                    "annotation_level": "notice",
                    "message": "m",
                }
            ]
            * 51,
        },
    }
    refused = requests.post(
        f"{url}/check-runs", json=too_many, headers={"Authorization": "token ghs_app"}, timeout=5
    )
    assert refused.status_code == 422 and github_server.repo(REPO).check_runs == []


def test_a_write_that_times_out_is_not_resent_and_the_rerun_finds_it(github_server: FakeGitHub) -> None:
    setup_pr(github_server)
    github_server.script("POST", r"/repos/octo/papers/issues/7/comments", Fault.slow(1.5))
    adapter, _ = token_adapter(github_server, timeout=1)

    with pytest.raises(GitHubUnavailable):
        adapter.apply(REPO, PR, plan_for(HEAD))
    deadline = time.monotonic() + 5
    while not github_server.repo(REPO).issue_comments and time.monotonic() < deadline:
        time.sleep(0.05)  # GitHub finished the work after the client gave up

    again = adapter.apply(REPO, PR, plan_for(HEAD))

    assert len(github_server.calls("POST", r"/repos/octo/papers/issues/7/comments")) == 1
    assert again.summary == "unchanged" and again.review == "exists"
    assert len(github_server.repo(REPO).issue_comments) == 1


def test_a_maintainer_token_on_their_own_pr_comments_instead_of_requesting_changes(
    github_server: FakeGitHub,
) -> None:
    setup_pr(github_server)
    github_server.repo(REPO).pulls[PR].user = "maintainer"  # the token's own login
    adapter, _ = token_adapter(github_server)

    result = adapter.apply(REPO, PR, plan_for(HEAD))

    posts = github_server.calls("POST", r"/repos/octo/papers/pulls/7/reviews")
    assert [(p.status, p.json["event"]) for p in posts] == [(422, "REQUEST_CHANGES"), (200, "COMMENT")]
    assert result.review == "created" and github_server.repo(REPO).reviews[0]["state"] == "COMMENTED"
