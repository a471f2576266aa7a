"""The issue's one comment: inert whatever the titles, section names and entries hold (GitHub's own
renderer makes no link, image, mention or HTML of them), and reconciled like the PR summary."""

from __future__ import annotations

import cmarkgfm

from bot.core.intake.answer import Answer, Proposal
from bot.core.intake.comment import plan, pull_body, pull_title
from bot.core.intake.links import PaperLink
from bot.core.intake.place import Spot
from bot.core.intake.sections import Choice
from bot.core.verdict.held import Comment, ExistingIssue
from bot.core.verdict.plan import ISSUE_MARKER
from bot.core.verdict.reconcile import reconcile_issue
from bot.core.verdict.writes import AddLabels, CreateSummary, EditSummary, RemoveLabel

LABELS = {"duplicate": "duplicate", "not_verified": "review: not verified"}
HOSTILE = (
    "[click](https://evil.example) ![x](https://evil.example/i.png) @admin #1 <b>hi</b> www.evil.example ```"
)


def hostile_answer() -> Answer:
    link = PaperLink(
        "https://arxiv.org/abs/2401.01335",
        "ARXIV:2401.01335",
        f"https://arxiv.org/abs/2401.01335?{HOSTILE}",
        1,
    )
    entry = f"- (*Arxiv 2024.01*) {HOSTILE} [[paper](https://arxiv.org/abs/2401.01335)]"
    placed = Proposal(link, HOSTILE, entry, Choice(HOSTILE, f"{HOSTILE} 2"), Spot(HOSTILE, None, None, 7))
    dup = Proposal(link, HOSTILE, duplicate=(3, HOSTILE))
    return Answer((placed, dup))


def rendered(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown)


def test_the_comment_and_the_pull_request_are_inert():
    p = plan(hostile_answer(), LABELS, number=4)
    for html in (rendered(p.body), rendered(pull_body(hostile_answer(), 4))):
        assert "<a " not in html and "<img" not in html and "<b>" not in html
    assert "@admin" not in pull_title(hostile_answer()) and "@\u200badmin" in pull_title(hostile_answer())
    assert p.labels == {"duplicate"}


def test_the_one_comment_is_created_edited_in_place_and_said_gone():
    p = plan(hostile_answer(), LABELS, number=4)
    assert reconcile_issue(p, ExistingIssue()) == [CreateSummary(p.body), AddLabels(("duplicate",))]
    same = ExistingIssue(Comment(9, p.body), frozenset({"duplicate", "help wanted"}))
    assert reconcile_issue(p, same) == []
    assert reconcile_issue(p, ExistingIssue(Comment(9, "old"), frozenset())) == [
        EditSummary(9, p.body),
        AddLabels(("duplicate",)),
    ]
    empty = plan(Answer(()), LABELS, number=4)
    assert reconcile_issue(empty, ExistingIssue(labels=frozenset({"help wanted"}))) == []  # no link: nothing
    gone = reconcile_issue(empty, same)
    assert gone[0] == EditSummary(9, f"{ISSUE_MARKER}\nThis issue no longer links a paper.")
    assert gone[1:] == [RemoveLabel("duplicate")]  # only the labels the bot owns
