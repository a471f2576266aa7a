"""Hostile input, end to end: random webhook bodies over real HTTP, a 10 MB rewrite of the list, a
PR with 3,000 files, invalid UTF-8, the list renamed or deleted. Assertions are on status codes and
on what the local GitHub received, with time and memory bounds.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core import diff
from bot.core.config import config as config_mod
from bot.core.model import Finding
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.core.verdict.review import COMMENT_LIMIT, MAX_ANNOTATIONS, FileReview, plan_review
from bot.errors import RetryLater
from bot.service import signature
from bot.service.app import create_app
from bot.service.connections import Connections
from bot.service.outcome import JobOutcome
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.fakes.github_server import FakeFile, FakeGitHub, fake_sha
from tests.fakes.scenario import BAD, LAST, REPO, SEED, TOKEN, job, patch_of, with_lines

FIXTURES = Path(__file__).parent / "fixtures" / "github"
SECRET = "hostile-test-secret"

# -- the webhook handler: random JSON shapes with a valid signature --------------------------------


class Receiver:
    """create_app under werkzeug's real server, one per module (hypothesis runs many examples)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.session = requests.Session()

    def post(self, body: bytes, event: str, delivery: str, content_type: str = "application/json") -> int:
        headers = {
            "Content-Type": content_type,
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": signature.sign(SECRET, body),
        }
        return self.session.post(f"{self.url}/webhook", data=body, headers=headers, timeout=10).status_code


@pytest.fixture(scope="module")
def receiver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Receiver]:
    base = Settings(webhook_secret=SECRET, data_dir=tmp_path_factory.mktemp("hostile-queue"))
    queue = make_queue(base, lambda job, _settings: None, name="hostile")
    server = make_server("127.0.0.1", 0, create_app(base, queue, max_body=200_000), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield Receiver(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=15), children, max_size=6)
    ),
    max_leaves=30,
)
events = st.sampled_from(["pull_request", "ping", "issue_comment", "push", "installation"]) | st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=30
)
deliveries = st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=120)
WEBHOOK = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


@WEBHOOK
@given(payload=json_values, event=events, delivery=deliveries)
def test_random_json_with_a_valid_signature_is_never_a_server_error(
    receiver: Receiver, payload: Any, event: str, delivery: str
) -> None:
    status = receiver.post(json.dumps(payload).encode(), event, delivery)
    assert status in (200, 202, 204, 400), status


@WEBHOOK
@given(data=st.data())
def test_a_real_payload_with_any_field_replaced_is_never_a_server_error(
    receiver: Receiver, data: st.DataObject
) -> None:
    name = data.draw(
        st.sampled_from(["pull_request.opened", "pull_request.synchronize", "issue_comment.created"])
    )
    payload = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    parent = payload
    while True:
        key = data.draw(st.sampled_from(sorted(parent)))
        if isinstance(parent[key], dict) and parent[key] and data.draw(st.booleans()):
            parent = parent[key]
            continue
        parent[key] = data.draw(json_values)
        break
    status = receiver.post(json.dumps(payload).encode(), name.split(".")[0], str(uuid.uuid4()))
    assert status in (200, 202, 204, 400), status


@WEBHOOK
@given(body=st.binary(max_size=300), form=st.booleans())
def test_random_bytes_with_a_valid_signature_are_400(receiver: Receiver, body: bytes, form: bool) -> None:
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        json.loads(body)
        return  # the rare byte string that is JSON: covered above
    ctype = "application/x-www-form-urlencoded" if form else "application/json"
    status = receiver.post(body, "pull_request", str(uuid.uuid4()), ctype)
    assert status in (204, 400) if form else status == 400, status


def test_deeply_nested_json_is_400(receiver: Receiver) -> None:
    assert receiver.post(b"[" * 150_000 + b"]" * 150_000, "pull_request", "d-deep") in (400, 413)
    assert receiver.post(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "pull_request", "d-deep2") in (400, 413)


# -- the diff fallback (GitHub omits the patch exactly when a diff is large) ------------------------

lines_st = st.lists(st.sampled_from(["", "- a", "- b", "- c", "## H", "x", " "]), max_size=40)


@settings(max_examples=300, deadline=None)
@given(old=lines_st, new=lines_st, exact=st.booleans())
def test_added_between_keeps_every_line_that_is_new_text(old: list[str], new: list[str], exact: bool) -> None:
    """Whichever path it takes (exact diff, or the linear multiset for a large middle), every line
    whose text the old file does not have is reviewed, and nothing outside the new file is."""
    budget = diff.EXACT_DIFF_BUDGET
    diff.EXACT_DIFF_BUDGET = 10**9 if exact else 0
    try:
        added = diff.added_between("".join(x + "\n" for x in old), "".join(x + "\n" for x in new))
    finally:
        diff.EXACT_DIFF_BUDGET = budget
    assert all(1 <= n <= len(new) for n in added)
    assert {n for n, line in enumerate(new, 1) if line not in old} <= added
    if old == new:
        assert not added


@pytest.mark.timeout(20)
def test_added_between_is_linear_on_a_rewritten_list_with_blank_lines() -> None:
    """Was quadratic: 1,000 entries separated by blank lines took 11 s, 2,000 took 80 s."""
    entries = [
        f"- (*NeurIPS 24'*) Paper {i} [[paper](https://openreview.net/forum?id=n{i})]" for i in range(40_000)
    ]
    old, new = "\n\n".join(entries[::2]), "\n\n".join(entries)
    t0 = time.perf_counter()
    added = diff.added_between(old, new)
    assert time.perf_counter() - t0 < 5
    lines = new.split("\n")
    assert sorted(lines[n - 1] for n in added if lines[n - 1]) == sorted(entries[1::2])


# -- whole pull requests against the local GitHub ---------------------------------------------------


@pytest.fixture
def env(github_server: FakeGitHub, arxiv_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text(
        "review:\n  max_inline_comments: 20\n"
        "arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
        "openreview:\n  min_interval_seconds: 0\n"  # the lists below link OpenReview: the job's own bounds
    )
    github_server.add_repo(REPO)
    github_server.add_token(TOKEN)
    s = Settings(
        github_token=TOKEN,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "d",
    )
    return github_server, s


class Planned(GitHubAdapter):
    """The adapter, keeping the plan it was asked to apply (the job may raise after applying it)."""

    plan: Any = None

    def apply(self, repo_full_name: str, number: int, plan: Any, **kw: Any) -> Any:
        self.plan = plan
        return super().apply(repo_full_name, number, plan, **kw)


def run_job(gh: FakeGitHub, s: Settings, number: int, head_sha: str) -> JobOutcome:
    adapter = GitHubAdapter(s, options=ClientOptions(sleep=lambda _s: None, timeout=60))
    return Connections(s).review(job(number, head_sha), github=adapter)


def pr(
    gh: FakeGitHub, number: int, base: str | bytes, head: str | bytes | None, files: list[FakeFile]
) -> str:
    base_sha, head_sha = fake_sha(f"base{number}"), fake_sha(f"head{number}")
    gh.put_file(REPO, "README.md", base, ref=base_sha)
    if head is not None:  # None: the PR deletes or renames it
        gh.put_file(REPO, "README.md", head, ref=head_sha)
    gh.add_pull(REPO, number, head_sha=head_sha, base_sha=base_sha, files=files)
    return head_sha


def summary_of(gh: FakeGitHub) -> str:
    (comment,) = [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    return comment["body"]


def _peak_rss() -> int:
    """The process's peak resident memory in bytes (Linux: VmHWM)."""
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status)[1]) * 1024


def _reset_peak_rss() -> int | None:
    """Reset the peak to the current RSS (Linux >= 4.0); None where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return _peak_rss()
    except (OSError, TypeError):
        return None


def big_list(tag: str, n: int, width: int) -> str:
    """A list of n entries ~width characters each: every one with a malformed venue tag (an error)."""
    pad = " ".join(f"word{k}" for k in range(width // 7))
    entries = [
        f"- (*{tag}*) Paper {i} {pad} [[paper](https://openreview.net/forum?id={tag[:3]}{i:06d})]"
        for i in range(n)
    ]
    return SEED.replace("## Related Works\n", "## Related Works\n" + "\n".join(entries) + "\n", 1)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("hide_patch", [False, True], ids=["patch", "patch-omitted"])
def test_a_10_mb_rewrite_of_the_list_is_bounded_and_capped(env, hide_patch: bool) -> None:
    """5,000 entries removed and 5,000 added (a 10 MB diff): the job finishes within a time and memory
    bound, posts review.max_inline_comments inline comments, and summarises the rest in a comment
    GitHub accepts (65,536 characters at most)."""
    gh, s = env
    base, head = big_list("ICML 2023", 5_000, 1_000), big_list("Arxiv 2023.13", 5_000, 1_000)
    patch = patch_of(base, head)
    assert len(patch) > 10_000_000
    sha = pr(gh, 1, base, head, [FakeFile("README.md", patch, hide_patch=hide_patch)])

    reset = _reset_peak_rss()
    t0 = time.perf_counter()
    adapter = Planned(s, options=ClientOptions(sleep=lambda _s: None, timeout=60))
    # 5,000 OpenReview links: a review asks about 200 of them, the rest are not verified and the job
    # runs again later (openreview.max_ids_per_review), after posting all the rest
    with pytest.raises(RetryLater, match="could not be verified"):
        Connections(s).review(job(1, sha), github=adapter)
    elapsed = time.perf_counter() - t0
    # Measured ~1.7 s and +40-65 MB of peak RSS (this process also runs the fake GitHub, which holds
    # the 10 MB texts, their base64 and JSON); the bounds leave room for slow CI machines.
    assert elapsed < 60, elapsed
    if reset is not None:
        assert _peak_rss() - reset < 512 * 2**20, (_peak_rss() - reset) / 2**20

    plan = adapter.plan
    assert len(plan.annotations) <= MAX_ANNOTATIONS
    comments = gh.repo(REPO).review_comments
    (review,) = gh.repo(REPO).reviews
    assert review["state"] == "CHANGES_REQUESTED"
    assert len(comments) == 20  # review.max_inline_comments from config.yml
    assert all(len(c["body"]) <= COMMENT_LIMIT for c in comments)
    body = summary_of(gh)
    assert len(body) <= COMMENT_LIMIT
    assert "more entries, not listed" in body and "More findings (not posted inline)" in body
    assert "more lines with findings" in body
    assert "review: not verified" in gh.labels_of(REPO, 1)  # the 4,800 OpenReview links not asked
    assert gh.repo(REPO).statuses[-1]["state"] == "failure"


def test_3000_files_with_the_list_on_the_last_page(env) -> None:
    """GitHub lists up to 3,000 files of a PR, 100 per page: the list file is found on page 30."""
    gh, s = env
    head_text = with_lines(BAD, after=LAST)
    others = [FakeFile(f"papers/{i:04d}.md", "@@ -0,0 +1 @@\n+x", status="added") for i in range(2_999)]
    sha = pr(gh, 2, SEED, head_text, [*others, FakeFile("README.md", patch_of(SEED, head_text))])
    t0 = time.perf_counter()
    run_job(gh, s, 2, sha)
    assert time.perf_counter() - t0 < 60
    pages = gh.calls("GET", rf"/repos/{REPO}/pulls/2/files")
    assert len(pages) == 30 and all(c.status == 200 for c in pages)
    assert [c["line"] for c in gh.repo(REPO).review_comments] == [9]
    assert "README.md:9" in summary_of(gh)
    # nothing but the list file was read
    assert not [c for c in gh.calls("GET") if "/contents/papers/" in c.path]


def test_invalid_utf8_in_an_added_line_is_a_finding_not_a_crash(env) -> None:
    gh, s = env
    broken = "- (*Arxiv 2024.01*) Caf\udcff Paper [[paper](https://arxiv.org/abs/2401.01335)]"
    head_bytes = with_lines(broken, after=LAST).encode("utf-8", "surrogateescape")
    head_text = head_bytes.decode("utf-8", "replace")  # what GitHub's JSON carries in the patch
    sha = pr(gh, 3, SEED, head_bytes, [FakeFile("README.md", patch_of(SEED, head_text))])
    run_job(gh, s, 3, sha)
    comments = gh.repo(REPO).review_comments
    assert [c["line"] for c in comments] == [9]
    assert "entry-syntax" in comments[0]["body"]
    assert "README.md:9" in summary_of(gh)


@pytest.mark.parametrize(
    "change",
    [
        FakeFile("README.md", patch_of(SEED, ""), status="removed"),
        FakeFile("docs/LIST.md", "", status="renamed", previous_filename="README.md"),
    ],
    ids=["deleted", "renamed"],
)
def test_the_list_file_deleted_or_renamed_is_pointed_out_to_a_maintainer(env, change: FakeFile) -> None:
    gh, s = env
    sha = pr(gh, 4, SEED, None, [change])
    if change.status == "renamed":
        gh.put_file(REPO, "docs/LIST.md", SEED, ref=sha)
    run_job(gh, s, 4, sha)
    assert "removes or renames the list file" in summary_of(gh)
    assert gh.repo(REPO).review_comments == []


# -- the planner's caps, without HTTP ----------------------------------------------------------------


def test_the_planner_caps_comments_annotations_and_the_summary() -> None:
    from bot.core.read.document import Item

    cfg = config_mod.loads("review:\n  max_inline_comments: 7\n")
    items = [Item(n, f"- bad line {n} " + "@x #1 " * 30, "Related Works", True, None) for n in range(1, 5001)]
    findings = [
        Finding("entry-syntax", "error", "README.md", n, "`" + "m" * 400 + "` @team fixes #1")
        for n in range(1, 5001)
    ]
    plan = plan_review("a" * 40, [FileReview("README.md", items, findings)], cfg)
    assert len(plan.comments) == 7
    assert len(plan.annotations) == MAX_ANNOTATIONS
    assert "first 500 are annotated" in plan.check_summary
    assert len(plan.summary) < COMMENT_LIMIT - 10_000  # room for the adapter's rejected-anchor notes
    # a clipped overflow line never leaves a backtick span open
    overflow = [ln for ln in plan.summary.splitlines() if ln.startswith("- `README.md:")]
    assert overflow and all(ln.count("`") % 2 == 0 for ln in overflow)


def test_rejected_anchor_notes_and_any_summary_fit_in_a_comment() -> None:
    from bot.core.verdict.plan import InlineComment
    from bot.core.verdict.review import fit_comment, with_rejected_section

    rejected = [InlineComment("README.md", n, "x" * 9_000) for n in range(1, 60)]
    text = with_rejected_section("summary", rejected)
    assert len(text) <= COMMENT_LIMIT and "more (the comment would be too long" in text
    long = "line\n" * 40_000
    fitted = fit_comment(long)
    assert len(fitted) <= COMMENT_LIMIT and fitted.endswith("65,536 characters in a comment)\n")
    assert fit_comment("short") == "short"


def test_fixture_payloads_still_work(receiver: Receiver) -> None:
    """Sanity for the fuzz tests above: the unmangled payload is accepted."""
    payload = copy.deepcopy(json.loads((FIXTURES / "pull_request.opened.json").read_text()))
    assert receiver.post(json.dumps(payload).encode(), "pull_request", "d-sane") == 202
