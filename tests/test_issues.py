"""Contributions that arrive as issues: the answer on the issue (one comment, edited in place), `/add`
opening a pull request the bot then reviews, over real HTTP to the local GitHub, arXiv and Semantic
Scholar; the receiver taking signed `issues` and `issue_comment` deliveries."""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.verdict.plan import ISSUE_MARKER, SUMMARY_MARKER
from bot.errors import RetryLater
from bot.service import issue_job
from bot.service.connections import Connections
from bot.service.events import Ignore, ReviewJob, classify
from bot.service.outcome import Skip, Skipped
from bot.settings import Settings
from tests.fakes.arxiv_server import Scripted
from tests.fakes.github_server import FakeGitHub
from tests.fakes.scenario import REPO, TOKEN
from tests.test_review_command import runner  # noqa: F401
from tests.test_webhook import HEADERS, Service, drain, service, service_factory  # noqa: F401

FIXTURES = Path(__file__).parent / "fixtures" / "github"

LIST = """\
# Awesome Self-Play

A list of papers.

## Reward Modeling
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*Arxiv 2024.07*) Meta-Rewarding Language Models: Self-Improving Alignment with LLM-as-a-Meta-Judge [[paper](https://arxiv.org/abs/2407.19594)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]

## Self-Play
- (*Arxiv 2024.05*) Self-Play Preference Optimization for Language Model Alignment [[paper](https://arxiv.org/abs/2405.00675)]
- (*NeurIPS 24'*) Self-playing Adversarial Language Game Enhances LLM Reasoning [[paper](https://arxiv.org/abs/2404.10642)] [[code](https://github.com/Linear95/SPAG)]
- (*NeurIPS 24'*) Toward Self-Improvement of LLMs via Imagination, Searching, and Criticizing [[paper](https://arxiv.org/abs/2404.12253)]
- (*Arxiv 2024.02*) Self-Play Fine-Tuning of Diffusion Models for Text-to-Image Generation [[paper](https://arxiv.org/abs/2402.10210)]
- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game [[paper](https://arxiv.org/abs/2311.08045)] [[code](https://github.com/Linear95/APO)]

## Contributing
Please open an issue or a pull request.
"""
LINES = LIST.split("\n")
SPIN = (
    "- (*ICML 24'*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models "
    "[[paper](https://arxiv.org/abs/2401.01335)] [[code](https://github.com/uclaml/SPIN)]"
)


def line_of(text: str) -> int:
    return next(n for n, line in enumerate(LINES, 1) if text in line)


@pytest.fixture
def env(job_env, scholar_server):
    gh, ax, settings = job_env
    gh.add_repo(REPO)
    gh.add_token(TOKEN)  # the token's own user (maintainer) administers the repository
    gh.put_file(REPO, "README.md", LIST, ref="main")
    return gh, ax, scholar_server, dataclasses.replace(settings, semantic_scholar_api_url=scholar_server.url)


def adapter(settings: Settings) -> GitHubAdapter:
    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))


def issue(number: int, action: str = "opened", **more: Any) -> dict[str, Any]:
    return {
        "delivery_id": f"d-{number}-{action}",
        "repo": REPO,
        "number": number,
        "head_sha": "",
        "base_ref": "",
        "installation_id": None,
        "action": action,
        "draft": False,
        "kind": "issue",
        **more,
    }


def add(number: int, by: str = "maintainer", section: str = "", comment_id: int = 77) -> dict[str, Any]:
    return issue(number, "add", requested_by=by, comment_id=comment_id, argument=section)


def run(settings: Settings, payload: dict[str, Any]) -> Any:
    return Connections(settings).review(payload, github=adapter(settings))


def answers(gh: FakeGitHub, number: int) -> list[dict]:
    return [c for c in gh.repo(REPO).issue_comments if c["_number"] == number and ISSUE_MARKER in c["body"]]


def replies(gh: FakeGitHub, number: int) -> list[str]:
    return [
        c["body"]
        for c in gh.repo(REPO).issue_comments
        if c["_number"] == number and ISSUE_MARKER not in c["body"]
    ]


def inert(body: str) -> None:
    """GitHub's own renderer makes no link, image or mention of the comment."""
    html = cmarkgfm.github_flavored_markdown_to_html(body)
    assert "<a " not in html and "<img" not in html


# --------------------------------------------------------------------------- the answer


def test_one_arxiv_link_gets_the_entry_its_section_and_line_in_one_comment(env):
    gh, ax, s2, settings = env
    gh.add_issue(
        REPO, 1, "Please add https://arxiv.org/pdf/2401.01335v2, code: https://github.com/uclaml/SPIN"
    )
    out = run(settings, issue(1))
    (answer,) = answers(gh, 1)
    body = answer["body"]
    assert f"```\n{SPIN}\n```" in body  # ICML from its DBLP key, in the list's own tag style
    after = line_of("Diffusion Models")  # newest first: the 2401 paper goes after the 2402 one
    assert f"In `Self-Play`, after line {after}:" in body
    assert len(ax.requests) == 1 and len(s2.requests) == 1  # one batch per source
    assert gh.labels_of(REPO, 1) == set() and out.result.comment == "created"
    inert(body)
    # Edited (the body changes): the same comment, edited in place; an unchanged answer writes nothing.
    gh.edit_issue(REPO, 1, "Please add https://arxiv.org/abs/2401.01335")
    assert run(settings, issue(1, "edited")).result.comment == "updated"
    writes = len(gh.writes())
    assert run(settings, issue(1, "edited")).result.comment == "unchanged"
    assert len(gh.writes()) == writes and len(answers(gh, 1)) == 1
    assert "[[code]" not in answers(gh, 1)[0]["body"]  # the code link went with the edit


def test_three_mixed_links_one_batch_per_source(env):
    gh, ax, s2, settings = env
    gh.add_issue(
        REPO,
        2,
        "Three papers:\n"
        "* arXiv:2411.16646\n"
        "* https://aclanthology.org/2020.acl-main.447/\n"
        "* https://doi.org/10.18653/v1/N18-3011\n",
    )
    run(settings, issue(2))
    (answer,) = answers(gh, 2)
    body = answer["body"]
    assert "### These papers in the list" in body
    assert (
        "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models [[paper](https://arxiv.org/abs/2411.16646)]"
        in body
    )
    assert (
        "- (*ACL 20'*) S2ORC: The Semantic Scholar Open Research Corpus [[paper](https://aclanthology.org/2020.acl-main.447/)]"
        in body
    )
    assert (
        "- (*NAACL 18'*) Construction of the Literature Graph in Semantic Scholar [[paper](https://doi.org/10.18653/v1/N18-3011)]"
        in body
    )
    assert "In `Reward Modeling`" in body  # the reward-modelling paper, by its title
    assert len(ax.requests) == 1 and ax.requests[0].ids == ["2411.16646"]
    assert len(s2.requests) == 1
    assert set(s2.requests[0].ids) == {
        "ARXIV:2411.16646",
        "ACL:2020.acl-main.447",
        "DOI:10.18653/v1/N18-3011",
    }


def test_a_duplicate_under_another_url_form_gets_its_line_and_no_entry(env):
    gh, _, _, settings = env
    gh.add_issue(REPO, 3, "Missing: https://arxiv.org/pdf/2408.02666v2.pdf")
    run(settings, issue(3))
    (answer,) = answers(gh, 3)
    assert f"Already in the list at line {line_of('Self-Taught Evaluators')}" in answer["body"]
    assert "```" not in answer["body"] and "/add" not in answer["body"]
    assert gh.labels_of(REPO, 3) == {"duplicate"}


def test_a_paper_of_another_list_is_placed_in_an_existing_section_said_to_be_a_guess(env):
    gh, _, _, settings = env
    gh.add_issue(REPO, 4, "An astrophysics paper: https://arxiv.org/abs/astro-ph/0601001")
    run(settings, issue(4))
    (answer,) = answers(gh, 4)
    body = answer["body"]
    assert "No section of this list holds papers like this one" in body
    named = [s for s in ("Reward Modeling", "Self-Play", "Contributing") if f"`{s}`" in body]
    assert named and "Contributing" not in named  # never a section that holds no papers, never a new one


def test_an_issue_with_no_paper_link_gets_no_comment_and_no_label(env):
    gh, ax, s2, settings = env
    gh.add_issue(REPO, 5, "Please add Self-Play Fine-Tuning (ICML 2024), see https://github.com/uclaml/SPIN")
    run(settings, issue(5))
    assert gh.repo(REPO).issue_comments == [] and gh.labels_of(REPO, 5) == set()
    assert ax.requests == [] and s2.requests == []  # nothing asked
    assert not gh.calls("GET", r".*/contents/README\.md")


def test_arxiv_down_says_not_verified_then_the_retry_edits_in_the_entry(env):
    gh, ax, _, settings = env
    ax.script(*[Scripted(status=503)] * 2)
    gh.add_issue(REPO, 6, "https://arxiv.org/abs/2502.12853")  # a paper Semantic Scholar does not know
    with pytest.raises(RetryLater):
        run(settings, issue(6))
    (answer,) = answers(gh, 6)
    assert "Not verified: arXiv could not be reached" in answer["body"] and "```" not in answer["body"]
    assert gh.labels_of(REPO, 6) == {"review: not verified"}
    run(settings, issue(6))  # the queue's retry, arXiv back
    (answer,) = answers(gh, 6)
    assert "S$^2$R: Teaching LLMs" in answer["body"] and "Not verified" not in answer["body"]
    assert gh.labels_of(REPO, 6) == set()


def test_contributor_text_in_the_answer_is_inert(env):
    gh, _, _, settings = env
    gh.add_issue(
        REPO, 7, "@octocat see https://arxiv.org/abs/2401.01335?x=[a](https://evil.example)@admin #1"
    )
    run(settings, issue(7))
    (answer,) = answers(gh, 7)
    inert(answer["body"])
    assert "evil.example" not in answer["body"] and "octocat" not in answer["body"]  # only the paper's link


# --------------------------------------------------------------------------- /add


def test_add_by_a_maintainer_opens_a_pull_request_the_bot_reviews_clean(env):
    gh, _, _, settings = env
    gh.add_repo("uclaml/SPIN")  # the code link the issue gives: the review's code-repo rule asks GitHub
    gh.add_issue(REPO, 8, "Please add https://arxiv.org/abs/2401.01335 (https://github.com/uclaml/SPIN)")
    run(settings, issue(8))
    out = run(settings, add(8))
    assert isinstance(out, issue_job.Added) and out.opened
    pull = gh.repo(REPO).pulls[out.pull]
    assert pull.head_ref == "awesome-review/issue-8" and pull.base_ref == "main"
    assert pull.body.startswith("Closes #8\n")
    text = gh.repo(REPO).contents[(pull.head_sha, "README.md")].decode()
    lines = text.split("\n")
    after = line_of("Diffusion Models")
    assert lines[after] == SPIN  # right below the line the answer named, in the list's format
    assert lines[:after] == LINES[:after] and lines[after + 1 :] == LINES[after:]  # nothing else moved
    assert replies(gh, 8)[0].startswith(f"Opened #{out.pull} with the entry.")
    assert [r["content"] for r in gh.repo(REPO).reactions] == ["eyes", "+1"]
    # GitHub sends the App `pull_request.opened` for it: the bot reviews it like any other.
    review = run(settings, {**issue(out.pull, "opened"), "kind": "pull", "head_sha": pull.head_sha})
    assert review.plan.event is None and review.plan.conclusion == "success"  # clean: no review needed
    (summary,) = [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    assert "✅ ok" in summary["body"] and gh.labels_of(REPO, out.pull) == {"review: passed"}


def test_add_in_another_section_and_a_section_the_list_does_not_have(env):
    gh, _, _, settings = env
    gh.add_issue(REPO, 9, "https://arxiv.org/abs/2401.01335")
    out = run(settings, add(9, section="Nowhere"))
    assert out.pull is None and "no paper section named `Nowhere`" in replies(gh, 9)[0]
    assert not gh.calls("POST", r".*/pulls")
    out = run(settings, add(9, section="reward modeling", comment_id=78))
    text = gh.repo(REPO).contents[(gh.repo(REPO).pulls[out.pull].head_sha, "README.md")].decode()
    at = text.split("\n").index(SPIN.replace(" [[code](https://github.com/uclaml/SPIN)]", ""))
    assert line_of("Self-Evolved Reward") < at + 1 <= line_of("## Self-Play")  # in Reward Modeling


def test_add_by_a_stranger_gets_a_reaction_and_a_one_line_reply(env):
    gh, _, _, settings = env
    gh.add_issue(REPO, 10, "https://arxiv.org/abs/2401.01335")
    gh.repo(REPO).permissions["passer-by"] = "read"
    assert run(settings, add(10, by="passer-by")) == Skipped(Skip.NOT_ALLOWED)
    (reply,) = replies(gh, 10)
    assert reply.split("\n")[0].startswith("Only a maintainer (write access) can `/add`")
    assert [r["content"] for r in gh.repo(REPO).reactions] == ["confused"]
    assert gh.repo(REPO).pulls == {} and gh.repo(REPO).branches.get("awesome-review/issue-10") is None
    run(settings, add(10, by="passer-by"))  # the same delivery again (a crash, a retry): no second reply
    assert len(replies(gh, 10)) == 1


def test_add_twice_points_to_the_first_pull_request(env):
    gh, _, _, settings = env
    gh.add_issue(REPO, 11, "https://arxiv.org/abs/2401.01335")
    first = run(settings, add(11, comment_id=1))
    second = run(settings, add(11, comment_id=2))
    assert second.pull == first.pull and not second.opened
    assert len(gh.repo(REPO).pulls) == 1
    assert f"This issue's pull request is #{first.pull}" in replies(gh, 11)[1]


def test_add_without_contents_write_says_which_permission_is_missing(env):
    gh, _, _, settings = env
    gh.tokens[TOKEN].contents_write = False
    gh.add_issue(REPO, 12, "https://arxiv.org/abs/2401.01335")
    out = run(settings, add(12))
    assert out.pull is None and gh.repo(REPO).pulls == {}
    assert "lacks the Contents: write and Pull requests: write permission" in replies(gh, 12)[0]


# --------------------------------------------------------------------------- the receiver


def issues_event(body: str = "https://arxiv.org/abs/2401.01335", action: str = "opened") -> dict[str, Any]:
    p = json.loads((FIXTURES / "issues.opened.json").read_text())
    p["action"] = action
    p["issue"]["body"] = body
    if action == "edited":
        p["changes"] = {"body": {"from": "before"}}
    return p


def add_comment(body: str = "/add", association: str = "NONE") -> dict[str, Any]:
    p = copy.deepcopy(json.loads((FIXTURES / "issue_comment.created.json").read_text()))
    p["comment"].update(body=body, author_association=association, id=99)
    return p


def test_issue_events_and_add_commands_become_issue_jobs():
    out = classify("issues", HEADERS, issues_event())
    assert isinstance(out, ReviewJob) and (out.kind, out.action, out.number) == ("issue", "opened", 1)
    assert ReviewJob.from_dict(out.to_dict()) == out
    assert classify("issues", HEADERS, issues_event(action="edited")).kind == "issue"
    edited_title = {**issues_event(action="edited"), "changes": {"title": {"from": "x"}}}
    assert isinstance(classify("issues", HEADERS, edited_title), Ignore)
    assert isinstance(classify("issues", HEADERS, issues_event(action="closed")), Ignore)
    out = classify("issue_comment", HEADERS, add_comment("/add section: Self-Play\nthanks"))
    assert (out.kind, out.action, out.argument, out.comment_id) == ("issue", "add", "Self-Play", 99)
    assert out.requested_by == "Codertocat"  # anyone: a stranger gets a reply, so the job decides
    for not_add in ("please /add", "/addition", "/add sektion: x", "/add section:"):
        assert isinstance(classify("issue_comment", HEADERS, add_comment(not_add)), Ignore)


def test_signed_issue_and_add_deliveries_are_queued_once(service: Service):  # noqa: F811
    assert service.post(issues_event(), event="issues", delivery="d-issue").status_code == 202
    assert service.post(issues_event(), event="issues", delivery="d-issue").json()["status"] == "duplicate"
    assert service.post(add_comment(), event="issue_comment", delivery="d-add").status_code == 202
    assert service.post(issues_event(), event="issues", delivery="d-bad", secret="wrong").status_code == 401
    assert drain(service.queue) == 2
    assert [(j["kind"], j["action"]) for j in service.ran] == [("issue", "opened"), ("issue", "add")]


# --------------------------------------------------------------------------- the Action


def actions_payload(kind: str, number: int, body: str) -> dict[str, Any]:
    """An `issues` or `issue_comment` event as a workflow sees it (no installation)."""
    p = issues_event(body) if kind == "issues" else add_comment(body, association="OWNER")
    p.pop("installation", None)
    p["issue"].update(number=number, state="open", pull_request=None)
    p["repository"]["full_name"] = REPO
    return p


def test_the_action_answers_issues_and_adds_then_reviews_the_pull_request_it_opened(runner):  # noqa: F811
    gh = runner.gh
    gh.add_repo(REPO)
    gh.put_file(REPO, "README.md", LIST, ref="main")
    gh.add_issue(REPO, 20, "Please add https://arxiv.org/abs/2401.01335")
    r = runner.action("issues", actions_payload("issues", 20, "https://arxiv.org/abs/2401.01335"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "issue answered: comment created" in r.stdout
    (answer,) = answers(gh, 20)
    assert "(*Arxiv 2024.01*) Self-Play Fine-Tuning" in answer["body"]  # no record here: arXiv's month
    gh.repo(REPO).permissions["Codertocat"] = "write"
    r = runner.action("issue_comment", actions_payload("issue_comment", 20, "/add"))
    assert r.returncode == 0, r.stdout + r.stderr
    (pull,) = gh.repo(REPO).pulls.values()
    assert pull.user == "github-actions[bot]" and pull.body.startswith("Closes #20")
    # A pull request opened with the workflow's token starts no workflow: the same run reviewed it.
    (summary,) = [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    assert summary["_number"] == pull.number and "✅ ok" in summary["body"]
    assert gh.repo(REPO).check_runs[-1]["conclusion"] == "success"
    assert f"/add: Opened #{pull.number}" in r.stdout


def test_the_action_says_when_actions_may_not_open_pull_requests(runner):  # noqa: F811
    gh = runner.gh
    gh.add_repo(REPO)
    gh.put_file(REPO, "README.md", LIST, ref="main")
    gh.add_issue(REPO, 21, "https://arxiv.org/abs/2401.01335")
    gh.actions_can_open_pulls = False
    gh.repo(REPO).permissions["Codertocat"] = "write"
    r = runner.action("issue_comment", actions_payload("issue_comment", 21, "/add"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert gh.repo(REPO).pulls == {}
    assert "Allow GitHub Actions to create and approve pull requests" in replies(gh, 21)[0]


def test_a_signed_issues_delivery_is_answered_by_the_service(env):
    """The receiver, the queue and the real job: GitHub's delivery in, the answer on the issue out."""
    import threading

    from werkzeug.serving import make_server

    from bot.service.app import create_app
    from bot.service.queue import make_queue
    from tests.test_webhook import SECRET

    gh, _, _, settings = env
    settings = dataclasses.replace(settings, webhook_secret=SECRET)
    gh.add_issue(REPO, 30, "https://arxiv.org/abs/2401.01335")
    connections = Connections(settings)
    queue = make_queue(
        settings, lambda job, _s: connections.review(job, github=adapter(settings)), name="issues"
    )
    server = make_server("127.0.0.1", 0, create_app(settings, queue), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        payload = issues_event("https://arxiv.org/abs/2401.01335")
        payload["issue"]["number"], payload["repository"]["full_name"] = 30, REPO
        payload.pop("installation")
        svc = Service(f"http://127.0.0.1:{server.server_port}", queue, [])
        assert svc.post(payload, event="issues", delivery="d-30").status_code == 202
        assert drain(queue) == 1
    finally:
        server.shutdown()
    assert queue.record("d-30")["state"] == "done"
    (answer,) = answers(gh, 30)
    assert "Self-Play Fine-Tuning Converts Weak Language Models" in answer["body"]
