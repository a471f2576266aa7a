"""The review job end to end over real HTTP: the local GitHub and the local arXiv, nothing mocked."""

from __future__ import annotations

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.errors import RetryLater
from bot.service.connections import Connections
from bot.service.outcome import Reviewed, Skip, Skipped
from bot.settings import Settings
from tests.fakes.arxiv_server import Scripted
from tests.fakes.scenario import BAD, FIXED, GOOD, LAST, REPO, job, open_pr, push, with_lines


@pytest.fixture
def env(job_env):
    return job_env


def adapter(settings: Settings) -> GitHubAdapter:
    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))


def reviews(gh):
    return gh.repo(REPO).reviews


def summaries(gh):
    return [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]


def test_opened_pr_gets_inline_comments_with_suggestions_summary_labels_and_status(env):
    gh, ax, settings = env
    head = open_pr(gh, 1, with_lines(GOOD, BAD))
    out = Connections(settings).review(job(1, head), github=adapter(settings))

    (review,) = reviews(gh)
    assert review["state"] == "CHANGES_REQUESTED"
    comments = gh.repo(REPO).review_comments
    assert [c["line"] for c in comments] == [6]  # only the bad line, anchored on the added line
    body = comments[0]["body"]
    assert "venue-tag" in body and "arxiv-link" in body
    assert f"```suggestion\n{FIXED}\n```" in body  # one suggestion carrying both fixes
    (summary,) = summaries(gh)
    assert "README.md:5" in summary["body"] and "✅ ok" in summary["body"]
    assert "README.md:6" in summary["body"] and "❌ needs changes" in summary["body"]
    assert gh.labels_of(REPO, 1) == {"review: needs changes"}
    assert gh.repo(REPO).statuses[-1]["state"] == "failure"
    assert len(ax.requests) == 1  # both ids in one batched request
    assert out.plan.event == "REQUEST_CHANGES"


def test_same_head_again_posts_nothing_new(env):
    gh, ax, settings = env
    head = open_pr(gh, 2, with_lines(BAD, after=LAST))
    Connections(settings).review(job(2, head), github=adapter(settings))
    writes = len(gh.writes())
    Connections(settings).review(job(2, head, delivery="d-2"), github=adapter(settings))
    assert len(reviews(gh)) == 1 and len(summaries(gh)) == 1
    assert len(gh.writes()) == writes  # nothing written the second time
    assert len(ax.requests) == 1  # the arXiv cache answered the second time


def test_fix_pushed_edits_summary_in_place_and_turns_green(env):
    gh, _, settings = env
    head = open_pr(gh, 3, with_lines(BAD, after=LAST))
    Connections(settings).review(job(3, head), github=adapter(settings))
    head2 = push(gh, 3, with_lines(FIXED, after=LAST), "h2")
    Connections(settings).review(job(3, head2, delivery="d-3"), github=adapter(settings))
    (summary,) = summaries(gh)
    assert head2[:7] in summary["body"] and "✅ ok" in summary["body"] and "❌" not in summary["body"]
    assert gh.labels_of(REPO, 3) == {"review: passed"}
    assert gh.repo(REPO).statuses[-1]["state"] == "success"


def test_arxiv_id_of_another_paper_is_caught(env):
    gh, _, settings = env
    wrong = "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward Modeling for Language Models [[paper](https://arxiv.org/abs/2411.00418)]"
    head = open_pr(gh, 4, with_lines(wrong))
    Connections(settings).review(job(4, head), github=adapter(settings))
    body = gh.repo(REPO).review_comments[0]["body"]
    assert "arxiv-title" in body and "Self-Evolved Reward Learning for LLMs" in body


def test_arxiv_outage_gives_not_verified_then_retry_upgrades_the_summary(env):
    gh, ax, settings = env
    ax.script(*[Scripted(status=503)] * 2)  # max_retries 1: two tries, both refused
    head = open_pr(gh, 5, with_lines(GOOD))
    with pytest.raises(RetryLater):
        Connections(settings).review(job(5, head), github=adapter(settings))
    (summary,) = summaries(gh)
    assert "not verified" in summary["body"]
    assert gh.repo(REPO).statuses[-1]["state"] != "failure"  # never a verdict against the contributor
    assert "review: not verified" in gh.labels_of(REPO, 5)
    Connections(settings).review(job(5, head), github=adapter(settings))  # arXiv is back
    (summary,) = summaries(gh)
    assert "✅ ok" in summary["body"] and "not verified" not in summary["body"]
    assert gh.labels_of(REPO, 5) == {"review: passed"}


def test_missing_patch_is_diffed_locally(env):
    gh, _, settings = env
    head = open_pr(gh, 6, with_lines(BAD, after=LAST), hide_patch=True)
    Connections(settings).review(job(6, head), github=adapter(settings))
    assert [c["line"] for c in gh.repo(REPO).review_comments] == [9]


def test_a_delivery_for_an_old_head_reviews_the_current_head(env):
    gh, _, settings = env
    old = open_pr(gh, 7, with_lines(BAD))
    new = push(gh, 7, with_lines(FIXED), "h2")
    out = Connections(settings).review(job(7, old), github=adapter(settings))
    assert out.result.head_sha == new and out.reviewed.startswith(f"{new}:")
    assert "review: passed" in gh.labels_of(REPO, 7)  # FIXED, the current head, is what was judged


def test_a_head_reviewed_already_is_superseded_for_an_old_delivery(env):
    gh, _, settings = env
    old = open_pr(gh, 7, with_lines(BAD))
    push(gh, 7, with_lines(FIXED), "h2")
    first = Connections(settings).review(job(7, old), github=adapter(settings))
    writes = len(gh.writes())
    again = {**job(7, old, "d-2"), "reviewed": first.reviewed}
    assert Connections(settings).review(again, github=adapter(settings)) == Skipped(Skip.SUPERSEDED)
    assert len(gh.writes()) == writes  # nothing posted
    recheck = {
        **again,
        "action": "recheck",
        "head_sha": "",
        "delivery_id": "d-3",
        "requested_by": "maintainer",
    }
    assert isinstance(
        Connections(settings).review(recheck, github=adapter(settings)), Reviewed
    )  # always runs


def test_a_pasted_marker_does_not_make_a_contributors_comment_the_bots(env):
    """The review and summary are found by author and marker: a contributor cannot spoof either."""
    from bot.core.verdict.held import review_marker
    from bot.core.verdict.plan import SUMMARY_MARKER as MARK

    gh, _, settings = env
    head = open_pr(gh, 8, with_lines(BAD, after=LAST))
    gh.add_token("ghp_contributor", login="mallory")
    api = {"Authorization": "token ghp_contributor"}
    import requests

    base = f"{gh.url}/repos/{REPO}"
    requests.post(
        f"{base}/issues/8/comments", json={"body": f"{MARK}\nlooks fine to me"}, headers=api, timeout=5
    )
    requests.post(
        f"{base}/pulls/8/reviews",
        json={"body": f"ok {review_marker(head)}", "event": "COMMENT", "commit_id": head},
        headers=api,
        timeout=5,
    )
    Connections(settings).review(job(8, head), github=adapter(settings))
    mine = [r for r in reviews(gh) if r["user"]["login"] != "mallory"]
    assert len(mine) == 1 and mine[0]["state"] == "CHANGES_REQUESTED"
    bots = [c for c in summaries(gh) if c["user"]["login"] != "mallory"]
    assert len(bots) == 1 and "❌ needs changes" in bots[0]["body"]
    assert [c["body"] for c in summaries(gh) if c["user"]["login"] == "mallory"] == [
        f"{MARK}\nlooks fine to me"
    ]


def test_a_duplicate_gets_a_suggestion_that_deletes_the_line(env):
    gh, _, settings = env
    dup = "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/pdf/2408.02666v2)]"
    head = open_pr(gh, 9, with_lines(dup))
    Connections(settings).review(job(9, head), github=adapter(settings))
    (comment,) = gh.repo(REPO).review_comments
    assert "`duplicate`" in comment["body"] and "line 7" in comment["body"]
    assert comment["body"].endswith("```suggestion\n```")  # GitHub: apply = remove the line


def test_the_format_is_learnt_from_the_base_branch_never_from_the_prs_head(env):
    """A PR that rewrites every entry into another style (and adds one) cannot make that style the
    list's: the format comes from the base branch's file, so every rewritten line is judged by it."""
    gh, _, settings = env
    from tests.fakes.scenario import SEED

    restyled = SEED.replace("- (*Arxiv ", "* (Arxiv ").replace("*) ", ") ")
    restyled = restyled.replace(
        "## Related Works\n",
        "## Related Works\n* (Arxiv 2025.02) New [[paper](https://arxiv.org/abs/2502.12853)]\n",
    )
    head = open_pr(gh, 9, restyled)
    Connections(settings).review(job(9, head), github=adapter(settings))
    syntax = [c for c in gh.repo(REPO).review_comments if "entry-syntax" in c["body"]]
    assert len(syntax) >= 5, [c["body"][:80] for c in gh.repo(REPO).review_comments]
    assert all("- (*Arxiv" in c["body"] for c in syntax)  # the fix is in the base's own style
    (summary,) = summaries(gh)
    quoted = summary["body"].split("Entries follow this format:", 1)[1].split("```")[1].strip()
    assert quoted in SEED.splitlines()  # the reminder quotes one of the list's own entries
    # The base was read from the API at the PR's base commit, as data.
    reads = gh.calls("GET", rf"/repos/{REPO}/contents/README\.md")
    assert len({c.query.get("ref") for c in reads}) == 2


def test_formats_are_learnt_once_per_base_blob():
    from bot.core.config import config as config_mod
    from bot.service.job import Formats

    rows = [
        f"- (*Arxiv 2024.{m:02d}*) Paper {m} [[paper](https://arxiv.org/abs/24{m:02d}.0000{m})]"
        for m in range(9, 0, -1)
    ]
    SEED = "# L\n\n## Related Works\n" + "\n".join(rows) + "\n"  # enough entries to learn from
    formats, cfg = Formats(size=2), config_mod.loads("")
    first = formats.resolve(cfg, SEED)
    assert formats.resolve(cfg, SEED) is first  # the same blob: not read again
    assert first.learnt and "grammar.entry" in first.inferred
    other = formats.resolve(cfg, SEED.replace("(*Arxiv ", "(*arXiv "))
    assert other is not first and other["grammar"]["preprint_tag"] == ["arXiv {yyyy}.{mm}"]
    set_by_hand = config_mod.loads("grammar:\n  entry: '- {title} {links}'\n")
    assert formats.resolve(set_by_hand, SEED)["grammar"]["entry"] == "- {title} {links}"  # config wins


def test_a_review_is_calibrated_on_the_base_once_per_blob(env, monkeypatch):
    """A list that links the pdf of most papers: the base says so, and a contribution in that style is
    not told otherwise; a second pull request against the same base is judged by the same calibration,
    read from the cache by the base's blob SHA."""
    from bot.service import job as job_mod
    from tests.fakes.scenario import SEED

    gh, _, settings = env
    rows = [
        f"- (*Arxiv 2023.{m:02d}*) Paper {m} on Self-Play [[paper](https://arxiv.org/{'pdf' if m > 3 else 'abs'}/23{m:02d}.1{m:04d})]"
        for m in range(12, 0, -1)
    ]
    base = SEED.replace("## Contributing", "\n".join(rows) + "\n\n## Contributing")
    pdf = "- (*Arxiv 2025.02*) S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning [[paper](https://arxiv.org/pdf/2502.12853)]"
    monkeypatch.setattr(job_mod, "FORMATS", job_mod.Formats())  # this process's cache, from empty
    before = job_mod.FORMATS.learnt
    for number in (21, 22):
        head = open_pr(
            gh, number, base.replace("## Related Works\n", f"## Related Works\n{pdf}\n"), base=base
        )
        out = Connections(settings).review(job(number, head), github=adapter(settings))
        assert out.plan.event is None, [c.body for c in out.plan.comments]  # the list's own style
        assert gh.labels_of(REPO, number) == {"review: passed"}
    assert job_mod.FORMATS.learnt == before + 1  # the second review read the calibration from the cache
    # A pull request that makes the same link on a base that links abstracts is told of it.
    head = open_pr(gh, 23, with_lines(pdf))
    Connections(settings).review(job(23, head), github=adapter(settings))
    (comment,) = gh.repo(REPO).review_comments[-1:]
    assert "arxiv-link" in comment["body"] and "https://arxiv.org/abs/2502.12853" in comment["body"]
    assert job_mod.FORMATS.learnt == before + 2
