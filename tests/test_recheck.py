"""`/recheck` as a pull request comment: who may ask, what reaches the queue over real HTTP, and the
job reviewing the PR's current head again (upgrading the summary after an arXiv outage)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.errors import RetryLater
from bot.service.connections import Connections
from bot.service.errors import BadPayload
from bot.service.events import Ignore, ReviewJob, classify
from bot.service.outcome import JobOutcome, Skip, Skipped
from bot.settings import Settings
from tests.fakes.arxiv_server import Scripted
from tests.fakes.scenario import GOOD, REPO, job, open_pr, push, with_lines
from tests.test_webhook import HEADERS, Service, drain, fixture, service, service_factory  # noqa: F401

PR_URL = "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"


def comment(
    body: str = "/recheck",
    association: str = "OWNER",
    *,
    on_pr: bool = True,
    action: str = "created",
    state: str = "open",
) -> dict[str, Any]:
    """The real issue_comment payload shape (tests/fixtures/github/issue_comment.created.json)."""
    p = copy.deepcopy(fixture("issue_comment.created"))
    p["action"] = action
    p["issue"]["state"] = state
    if on_pr:
        p["issue"]["pull_request"] = {"url": PR_URL}
    p["comment"].update(body=body, author_association=association)
    return p


# --------------------------------------------------------------------------- classification

JOB = [
    ("OWNER", "/recheck"),
    ("MEMBER", "/recheck"),
    ("COLLABORATOR", "/recheck"),
    ("OWNER", "  /ReCheck  "),
    ("OWNER", "\n/recheck\nthe arXiv outage is over"),
]
IGNORED = [
    ("not a maintainer", comment(association="CONTRIBUTOR")),
    ("not a maintainer", comment(association="FIRST_TIME_CONTRIBUTOR")),
    ("not a maintainer", comment(association="NONE")),
    ("not a maintainer", {**comment(), "comment": {"body": "/recheck"}}),  # no association: nobody
    ("not a pull request", comment(on_pr=False)),  # the fixture's issue: "pull_request": null
    ("not a pull request", {**comment(), "issue": {"number": 1}}),  # key absent
    ("not a command", comment("please /recheck")),
    ("not a command", comment("> /recheck\nwhy?")),
    ("not a command", comment("/recheck-all")),
    ("not a command", comment("")),
    ("not handled", comment(action="edited")),
    ("not handled", comment(action="deleted")),
    ("is closed", comment(state="closed")),
]


@pytest.mark.parametrize(("association", "body"), JOB)
def test_recheck_from_a_maintainer_is_a_job_for_the_current_head(association: str, body: str) -> None:
    out = classify("issue_comment", HEADERS, comment(body, association))
    assert out == ReviewJob(
        delivery_id=HEADERS["X-GitHub-Delivery"],
        repo="Codertocat/Hello-World",
        number=1,
        head_sha="",
        base_ref="",
        installation_id=1,
        action="recheck",
        draft=False,
        requested_by="Codertocat",  # the job asks GitHub whether they may push (the fixture has no
    )  # comment id nor `repository.private`: no reaction, and the status page treats it as private
    assert ReviewJob.from_dict(out.to_dict()) == out


@pytest.mark.parametrize(("reason", "payload"), IGNORED)
def test_everything_else_is_ignored(reason: str, payload: dict[str, Any]) -> None:
    out = classify("issue_comment", HEADERS, payload)
    assert isinstance(out, Ignore) and reason in out.reason


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"action": "created"}, "issue"),
        ({**comment(), "comment": "x"}, "comment"),
        ({**comment(), "repository": {"full_name": "../../x"}}, "repository.full_name"),
        ({**comment(), "repository": {"full_name": "a/b/c"}}, "repository.full_name"),
        ({**comment(), "issue": {"number": "1", "pull_request": {}}}, "issue.number"),
    ],
)
def test_malformed_recheck_payloads_are_bad_payloads(payload: dict[str, Any], field: str) -> None:
    with pytest.raises(BadPayload) as err:
        classify("issue_comment", HEADERS, payload)
    assert err.value.field == field


# --------------------------------------------------------------------------- the receiver over HTTP


def test_signed_recheck_is_queued_once(service: Service) -> None:  # noqa: F811
    resp = service.post(comment(), event="issue_comment", delivery="d-recheck")
    assert resp.status_code == 202 and resp.json() == {"status": "queued", "delivery": "d-recheck"}
    again = service.post(comment(), event="issue_comment", delivery="d-recheck")
    assert again.json()["status"] == "duplicate"  # dedupe on the delivery id, as for PR events
    assert drain(service.queue) == 1
    (ran,) = service.ran
    assert (ran["action"], ran["head_sha"], ran["number"]) == ("recheck", "", 1)
    assert service.queue.record("d-recheck")["state"] == "done"


@pytest.mark.parametrize("association", ["CONTRIBUTOR", "NONE"])
def test_recheck_from_anyone_else_is_204_with_no_reply(service: Service, association: str) -> None:  # noqa: F811
    resp = service.post(comment(association=association), event="issue_comment", delivery="d-x")
    assert resp.status_code == 204 and resp.content == b""
    assert service.queue.depth() == {"queued": 0, "scheduled": 0}
    assert service.queue.record("d-x") is None


def test_unsigned_recheck_is_refused(service: Service) -> None:  # noqa: F811
    resp = service.post(comment(), event="issue_comment", delivery="d-unsigned", secret="wrong")
    assert resp.status_code == 401 and service.queue.record("d-unsigned") is None


def test_recheck_neither_supersedes_nor_is_superseded_by_a_queued_push(service: Service) -> None:  # noqa: F811
    push_event = fixture("pull_request.synchronize")
    assert service.post(push_event, delivery="d-push").status_code == 202
    assert service.post(comment(), event="issue_comment", delivery="d-recheck").status_code == 202
    assert drain(service.queue) == 2
    assert [j["delivery_id"] for j in service.ran] == ["d-push", "d-recheck"]


# --------------------------------------------------------------------------- the job


@pytest.fixture
def env(job_env):
    return job_env


def recheck(number: int, delivery: str = "d-recheck", by: str = "maintainer") -> dict[str, Any]:
    """A /recheck by `by` (the token's own user administers the repository on the local GitHub)."""
    return {
        **job(number, "", delivery),
        "action": "recheck",
        "base_ref": "",
        "comment_id": 4242,
        "requested_by": by,
    }


def run(settings: Settings, payload: dict[str, Any]) -> JobOutcome:
    return Connections(settings).review(
        payload, github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )


def summaries(gh) -> list[dict]:
    return [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def test_recheck_after_an_arxiv_outage_upgrades_the_summary(env):
    gh, ax, settings = env
    ax.script(*[Scripted(status=503)] * 2)  # max_retries 1: both tries refused
    head = open_pr(gh, 1, with_lines(GOOD))
    with pytest.raises(RetryLater):
        run(settings, job(1, head))
    (s,) = summaries(gh)
    assert "not verified" in s["body"] and "review: not verified" in gh.labels_of(REPO, 1)

    out = run(settings, recheck(1))  # a maintainer comments /recheck: arXiv is back
    assert out.plan.head_sha == head
    (s,) = summaries(gh)  # edited in place, not a second comment
    assert "✅ ok" in s["body"] and "not verified" not in s["body"]
    assert gh.labels_of(REPO, 1) == {"review: passed"}
    assert gh.repo(REPO).statuses[-1]["state"] == "success"


def test_recheck_of_an_already_reviewed_head_runs_but_duplicates_nothing(env):
    gh, _, settings = env
    head = open_pr(gh, 2, with_lines(GOOD))
    run(settings, job(2, head))
    writes = len(gh.writes())
    out = run(settings, recheck(2))
    assert out.result.summary == "updated" and len(summaries(gh)) == 1  # the note, in place
    assert "Checked again at the request of @\u200bmaintainer" in summaries(gh)[0]["body"]
    assert [(w.method, w.path.rsplit("/", 1)[-1]) for w in gh.writes()[writes:]] == [
        ("POST", "reactions"),
        ("PATCH", str(summaries(gh)[0]["id"])),
        ("POST", "reactions"),
    ]  # 👀 when taken, the summary's note, then 👍 when done: no second review, label or status
    assert [r["content"] for r in gh.repo(REPO).reactions] == ["eyes", "+1"]


def test_recheck_by_a_member_who_cannot_push_does_nothing(env):
    """Was: author association MEMBER sufficed; an organisation member need not have write access."""
    gh, _, settings = env
    head = open_pr(gh, 4, with_lines(GOOD))
    run(settings, job(4, head))
    writes = len(gh.writes())
    gh.repo(REPO).permissions["octo-member"] = "read"
    assert run(settings, recheck(4, by="octo-member")) == Skipped(Skip.NOT_ALLOWED)
    assert len(gh.writes()) == writes and gh.repo(REPO).reactions == []
    assert [c.path for c in gh.calls("GET", r".*/permission")] == [
        f"/repos/{REPO}/collaborators/octo-member/permission"
    ]


def test_recheck_asks_arxiv_again_for_an_id_cached_as_not_found(env):
    gh, ax, settings = env
    paper = ax.papers.pop("2502.12853")  # arXiv does not know it yet (just submitted)
    head = open_pr(gh, 5, with_lines(GOOD))
    run(settings, job(5, head))
    assert "❌ needs changes" in summaries(gh)[0]["body"]  # arxiv-exists: no such id, cached for a day
    asked = len(ax.requests)
    ax.papers["2502.12853"] = paper  # now it is there
    run(settings, recheck(5))
    assert len(ax.requests) == asked + 1  # the negative cache did not answer for it
    assert "✅ ok" in summaries(gh)[0]["body"] and gh.labels_of(REPO, 5) == {"review: passed"}


def test_recheck_reviews_the_head_at_the_time_it_runs(env):
    gh, _, settings = env
    open_pr(gh, 3, with_lines(GOOD))
    head2 = push(gh, 3, with_lines(GOOD), "h2")
    assert run(settings, recheck(3)).plan.head_sha == head2
