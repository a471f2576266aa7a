"""bot.core.verdict.review: findings on a pull request → the plan (review event, comments, summary, labels,
check), without GitHub."""

from __future__ import annotations

from bot.core.config import config as config_mod
from bot.core.model import Finding
from bot.core.read.document import Item
from bot.core.verdict.plan import SUMMARY_MARKER, InlineComment
from bot.core.verdict.review import (
    MAX_ANNOTATIONS,
    FileReview,
    fit_comment,
    plan_review,
    with_rejected_section,
)

HEAD = "c0ffee" + "0" * 34
CFG = config_mod.loads("")
LINE = "- (*ICML 2024*) A Paper [[paper](https://arxiv.org/pdf/2401.01335)]"


def item(line: int, text: str = LINE) -> Item:
    return Item(line, text, "Related Works", True, None)


def finding(rule: str, severity: str, line: int, message: str = "wrong", **kw: object) -> Finding:
    return Finding(rule, severity, "README.md", line, message, **kw)  # type: ignore[arg-type]


def test_a_clean_pull_request_gets_no_review_and_a_green_check() -> None:
    plan = plan_review(HEAD, [FileReview("README.md", [item(5)], [])], CFG)

    assert plan.event is None and plan.comments == []
    assert plan.labels == {"review: passed"} and plan.conclusion == "success"
    assert plan.counts == {"error": 0, "warning": 0, "notice": 0}
    assert plan.summary.startswith(SUMMARY_MARKER) and "✅ ok" in plan.summary
    assert plan.managed_labels == {
        "review: passed",
        "review: needs changes",
        "duplicate",
        "review: not verified",
    }


def test_errors_request_changes_unless_the_config_only_comments() -> None:
    files = [FileReview("README.md", [item(5)], [finding("venue-tag", "error", 5)])]

    plan = plan_review(HEAD, files, CFG)
    polite = plan_review(HEAD, files, config_mod.loads("review:\n  request_changes: false\n"))

    assert (plan.event, plan.conclusion, plan.labels) == (
        "REQUEST_CHANGES",
        "failure",
        {"review: needs changes"},
    )
    assert polite.event == "COMMENT"
    assert "❌ needs changes" in plan.summary and plan.check_title.startswith("Changes needed")


def test_one_comment_per_line_carries_every_finding_and_one_suggestion() -> None:
    fixed = "- (*ICML 24'*) A Paper [[paper](https://arxiv.org/abs/2401.01335)]"
    found = [
        finding("venue-tag", "error", 5, "write 24'", suggestion=fixed),
        finding("whitespace", "notice", 5, "a double space"),
        finding("arxiv-link", "warning", 7, "use abs"),
    ]
    plan = plan_review(HEAD, [FileReview("README.md", [item(5), item(7)], found)], CFG)

    assert [(c.path, c.line) for c in plan.comments] == [("README.md", 5), ("README.md", 7)]
    first = plan.comments[0].body
    assert first.index("**error** `venue-tag`") < first.index("**notice** `whitespace`")  # worst first


def test_a_duplicate_gets_a_suggestion_that_deletes_the_line() -> None:
    found = [finding("duplicate", "error", 5, "already at line 3", suggestion="")]
    plan = plan_review(HEAD, [FileReview("README.md", [item(5)], found)], CFG)
    assert plan.comments[0].body.endswith("```suggestion\n```")
    assert "duplicate" in plan.labels


def test_inline_comments_past_the_cap_are_listed_in_the_summary() -> None:
    items = [item(n) for n in range(1, 6)]
    found = [finding("venue-tag", "warning", n, f"problem {n}") for n in range(1, 6)]
    cfg = config_mod.loads("review:\n  max_inline_comments: 2\n")

    plan = plan_review(HEAD, [FileReview("README.md", items, found)], cfg)

    assert [c.line for c in plan.comments] == [1, 2]
    more = plan.summary.split("More findings (not posted inline)", 1)[1]
    assert "README.md:3" in more and "README.md:5" in more and "problem 4" in more


def test_counts_are_every_finding_though_annotations_stop_at_the_cap() -> None:
    n = MAX_ANNOTATIONS + 20
    found = [finding("venue-tag", "warning", line, "w") for line in range(1, n + 1)]
    plan = plan_review(HEAD, [FileReview("README.md", [item(i) for i in range(1, n + 1)], found)], CFG)

    assert len(plan.annotations) == MAX_ANNOTATIONS
    assert plan.counts == {"error": 0, "warning": n, "notice": 0}  # what the status page shows
    assert f"The first {MAX_ANNOTATIONS} are annotated" in plan.check_summary


def test_an_entry_arxiv_could_not_verify_is_neutral_and_labelled() -> None:
    """The finding says it is unverified (arxiv-exists sets it); no message text is searched."""
    found = [
        finding(
            "arxiv-exists",
            "notice",
            5,
            "Not verified against arXiv (arXiv answered 503); the bot will check again.",
            unverified="arXiv",
        )
    ]
    plan = plan_review(HEAD, [FileReview("README.md", [item(5)], found)], CFG)

    assert plan.conclusion == "neutral" and "review: not verified" in plan.labels
    assert "not verified against arXiv yet" in plan.summary
    assert plan.check_title == "Looks good so far, but arXiv could not be reached to verify some links"


def test_notes_and_file_notes_head_the_summary() -> None:
    files = [FileReview("README.md", [], note="the list file was deleted")]
    plan = plan_review(HEAD, files, CFG, notes=("config.yml was not used",))
    assert "> ⚠️ config.yml was not used" in plan.summary and "the list file was deleted" in plan.summary


def test_rejected_notes_are_appended_and_any_body_fits_a_comment() -> None:
    text = with_rejected_section("summary", [InlineComment("README.md", 9, "first\nsecond")])
    assert "Notes that could not be attached to the diff" in text and "line 9: first\n  second" in text
    assert with_rejected_section("summary", []) == "summary"
    assert fit_comment("short") == "short"
    assert len(fit_comment("x\n" * 50_000)) <= 65_536


def test_a_notice_that_only_mentions_not_verified_is_not_taken_for_one() -> None:
    found = [finding("whitespace", "notice", 5, "Not verified? A contributor's title can say anything.")]
    plan = plan_review(HEAD, [FileReview("README.md", [item(5)], found)], CFG)
    assert plan.conclusion == "success" and "review: not verified" not in plan.labels
