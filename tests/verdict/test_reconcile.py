"""bot.core.verdict.reconcile without HTTP: what to write given what GitHub holds, and that running it on what
it wrote asks for nothing more (the property that makes a re-run of a job safe)."""

from __future__ import annotations

from dataclasses import replace

from bot.core.verdict import held, writes
from bot.core.verdict import reconcile as rc
from bot.core.verdict.applied import ApplyResult
from bot.core.verdict.held import CheckRun, Comment, Existing, PullFile, Review, Status, review_marker
from bot.core.verdict.plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan
from bot.core.verdict.reconcile import reconcile
from bot.core.verdict.review import COMMENT_LIMIT
from bot.core.verdict.writes import (
    AddLabels,
    CreateCheckRun,
    CreateSummary,
    DismissReview,
    EditCheckRun,
    EditSummary,
    PostReview,
    Refusal,
    RemoveLabel,
    SetStatus,
)

HEAD = "a" * 40
OLD = "b" * 40
PATCH = "@@ -1,3 +1,5 @@\n # Papers\n \n - [A](x)\n+- [B](y)\n+- [C](z)"  # lines 1-5 of the new file
ON_DIFF = InlineComment("README.md", 4, "Use the arXiv abs link.")
CONTEXT = InlineComment("README.md", 2, "a context line: GitHub takes it")
OFF_DIFF = InlineComment("README.md", 99, "far outside the diff")
NO_PATCH = InlineComment("big.md", 40, "only GitHub can tell")
FILES = (
    PullFile("README.md", "modified", PATCH),
    PullFile("big.md", "modified", None),
    PullFile("gone.md", "removed", None),
)


def plan(**kw: object) -> ReviewPlan:
    base = ReviewPlan(
        head_sha=HEAD,
        event="REQUEST_CHANGES",
        review_body="Two entries need a fix.",
        comments=[ON_DIFF, CONTEXT],
        summary=f"{SUMMARY_MARKER}\n### review of {HEAD[:7]}",
        labels={"needs-changes"},
        managed_labels={"needs-changes", "passed", "not-verified"},
        conclusion="failure",
        check_title="Changes needed",
        check_summary="2 errors",
        annotations=[Annotation("README.md", 4, "failure", "Use the arXiv abs link.", "arxiv-link")],
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def ours(head: str, state: str = "CHANGES_REQUESTED", review_id: int = 1) -> Review:
    return Review(review_id, state, f"body\n\n{review_marker(head)}")


def perform(existing: Existing, actions: list[writes.Action], new_id: int = 100) -> Existing:
    """What GitHub holds after the actions, as the adapter would read it again."""
    for action in actions:
        new_id += 1
        match action:
            case PostReview():
                existing = existing.with_review(Review(new_id, "X", action.body), action.comments)
            case DismissReview():
                existing = replace(
                    existing,
                    reviews=tuple(
                        replace(r, state="DISMISSED") if r.id == action.review_id else r
                        for r in existing.reviews
                    ),
                )
            case CreateSummary() | EditSummary():
                existing = replace(existing, summary=Comment(new_id, action.body))
            case AddLabels():
                existing = replace(existing, labels=existing.labels | set(action.names))
            case RemoveLabel():
                existing = replace(existing, labels=existing.labels - {action.name})
            case CreateCheckRun() | EditCheckRun():
                held = 0 if isinstance(action, CreateCheckRun) else existing.check_run.annotations  # type: ignore[union-attr]
                count = held + sum(map(len, action.chunks))
                run = CheckRun(new_id, action.title, action.summary, "completed", action.conclusion, count)
                existing = replace(existing, check_run=run)
            case SetStatus():
                existing = replace(existing, status=Status(action.state, action.description))
    return existing


def apply(p: ReviewPlan, existing: Existing) -> tuple[Existing, list[writes.Action]]:
    """The adapter's two rounds: the review first when one is due, then the rest."""
    done: list[writes.Action] = []
    actions = reconcile(p, existing)
    if actions and isinstance(actions[0], PostReview):
        done.append(actions[0])
        existing = perform(existing, actions[:1])
        actions = reconcile(p, existing)
    done += actions
    return perform(existing, actions), done


# --------------------------------------------------------------------------- the review


def test_a_review_due_comes_alone_with_its_fallbacks() -> None:
    p = plan(comments=[ON_DIFF, NO_PATCH, CONTEXT, OFF_DIFF, InlineComment("gone.md", 1, "removed")])

    (post,) = reconcile(p, Existing(files=FILES))

    assert isinstance(post, PostReview) and post.event == "REQUEST_CHANGES" and post.head_sha == HEAD
    assert post.body.endswith(review_marker(HEAD)) and post.body.startswith("Two entries need a fix.")
    assert post.comments == (ON_DIFF, CONTEXT, NO_PATCH)  # checked anchors first; never one off the diff
    assert post.fallbacks == ((ON_DIFF, CONTEXT), ())  # without the unverifiable ones, then none


def test_the_ladder_steps_down_on_anchor_refusals_and_comments_on_an_own_pull_request() -> None:
    (post,) = reconcile(plan(comments=[ON_DIFF, NO_PATCH]), Existing(files=FILES))

    second = rc.after_refusal(post, Refusal.ANCHORS)
    third = rc.after_refusal(second, Refusal.ANCHORS)  # type: ignore[arg-type]

    assert second is not None and second.comments == (ON_DIFF,)
    assert third is not None and third.comments == () and third.fallbacks == ()
    assert rc.after_refusal(third, Refusal.ANCHORS) is None  # nothing left to drop: give up
    assert rc.after_refusal(post, Refusal.OTHER) is None
    own = rc.after_refusal(post, Refusal.OWN_PULL)
    assert own is not None and (own.event, own.comments) == ("COMMENT", post.comments)
    assert rc.after_refusal(own, Refusal.OWN_PULL) is None  # a comment is refused for another reason


def test_a_patch_that_cannot_be_read_leaves_the_anchor_to_github() -> None:
    files = (PullFile("README.md", "modified", "@@ -1,2 +1,9 @@\n+only one line"),)
    (post,) = reconcile(plan(comments=[ON_DIFF]), Existing(files=files))
    assert post.comments == (ON_DIFF,) and post.fallbacks == ((),)  # type: ignore[union-attr]


def test_refused_anchors_go_into_the_summary_and_a_rerun_writes_nothing() -> None:
    p = plan(comments=[ON_DIFF, NO_PATCH, OFF_DIFF])
    (post,) = reconcile(p, Existing(files=FILES))
    taken = rc.after_refusal(post, Refusal.ANCHORS)  # GitHub refused NO_PATCH's anchor
    existing = Existing(files=FILES).with_review(Review(7, "CHANGES_REQUESTED", post.body), taken.comments)  # type: ignore[union-attr, arg-type]

    actions = reconcile(p, existing)

    summary = next(a for a in actions if isinstance(a, CreateSummary))
    assert "could not be attached to the diff" in summary.body
    assert "`big.md` line 40: only GitHub can tell" in summary.body
    assert "`README.md` line 99: far outside the diff" in summary.body
    assert "line 4:" not in summary.body  # placed on the diff: not repeated
    assert held.rejected(p, existing) == [NO_PATCH, OFF_DIFF]
    after = perform(existing, actions)
    assert reconcile(p, after) == []  # idempotent: the same plan again asks for nothing


def test_a_clean_plan_posts_no_review_and_dismisses_old_change_requests() -> None:
    p = plan(event=None, comments=[], labels={"passed"}, conclusion="success")
    existing = Existing(
        files=FILES,
        reviews=(ours(OLD, review_id=1), ours(OLD, "COMMENTED", review_id=2)),
        labels=frozenset({"needs-changes"}),
    )

    actions = reconcile(p, existing)

    assert actions[0] == DismissReview(1, f"Superseded by the review of {HEAD[:7]}.")
    assert not any(isinstance(a, PostReview) for a in actions)
    assert not any(isinstance(a, DismissReview) and a.review_id == 2 for a in actions)


def test_a_new_change_request_keeps_the_old_ones() -> None:
    existing = Existing(files=FILES, reviews=(ours(OLD), ours(HEAD, review_id=3)), placed=frozenset())
    assert not any(isinstance(a, DismissReview) for a in reconcile(plan(), existing))


# --------------------------------------------------------------------------- summary and labels


def test_the_summary_is_created_edited_or_left_alone() -> None:
    existing = Existing(
        files=FILES, reviews=(ours(HEAD),), placed=frozenset({(ON_DIFF.path, 4), (CONTEXT.path, 2)})
    )
    p = plan(summary="### no marker yet")

    (create,) = [a for a in reconcile(p, existing) if isinstance(a, CreateSummary)]
    assert create.body == f"{SUMMARY_MARKER}\n### no marker yet"
    same = replace(existing, summary=Comment(5, create.body))
    assert not any(isinstance(a, (CreateSummary, EditSummary)) for a in reconcile(p, same))
    stale = replace(existing, summary=Comment(5, "old text"))
    assert EditSummary(5, create.body) in reconcile(p, stale)
    huge = plan(summary=SUMMARY_MARKER + "\n" + "x\n" * 40_000)
    (cut,) = [a for a in reconcile(huge, existing) if isinstance(a, CreateSummary)]
    assert len(cut.body) <= COMMENT_LIMIT and cut.body.endswith("65,536 characters in a comment)\n")


def test_labels_are_a_set_the_bot_owns_only_its_own() -> None:
    existing = Existing(
        files=FILES,
        reviews=(ours(HEAD),),
        labels=frozenset({"good first paper", "Not-Verified", "PASSED"}),
    )
    actions = reconcile(plan(labels={"needs-changes", "not-verified"}), existing)
    assert AddLabels(("needs-changes",)) in actions  # case-insensitive: Not-Verified is there already
    assert [a for a in actions if isinstance(a, RemoveLabel)] == [RemoveLabel("PASSED")]  # foreign one kept
    assert not any(
        isinstance(a, (AddLabels, RemoveLabel))
        for a in reconcile(plan(labels=set(), managed_labels=set()), existing)
    )


# --------------------------------------------------------------------------- the verdict


def test_annotations_go_fifty_a_request_and_a_rerun_appends_only_the_missing() -> None:
    anns = [Annotation("README.md", 4, "warning", f"problem {i}", "rule") for i in range(120)]
    p = plan(annotations=anns)
    existing = Existing(files=FILES, reviews=(ours(HEAD),), checks=True)

    (create,) = [a for a in reconcile(p, existing) if isinstance(a, CreateCheckRun)]
    assert [len(c) for c in create.chunks] == [50, 50, 20] and create.conclusion == "failure"
    assert (create.title, create.summary) == ("Changes needed", "2 errors")

    cut_short = replace(
        existing, check_run=CheckRun(9, "Changes needed", "2 errors", "completed", "failure", 70)
    )
    (edit,) = [a for a in reconcile(p, cut_short) if isinstance(a, EditCheckRun)]
    assert (
        edit.run_id == 9
        and [len(c) for c in edit.chunks] == [50]
        and edit.chunks[0][0].message == "problem 70"
    )

    done = replace(cut_short, check_run=replace(cut_short.check_run, annotations=120))  # type: ignore[arg-type]
    assert not any(isinstance(a, (CreateCheckRun, EditCheckRun)) for a in reconcile(p, done))
    verdict = plan(annotations=anns, conclusion="neutral")  # same text, another conclusion: edited in place
    (again,) = [a for a in reconcile(verdict, done) if isinstance(a, EditCheckRun)]
    assert again.chunks == ((),) and again.conclusion == "neutral"
    other = plan(annotations=anns, check_title="All good")  # another verdict: a fresh run
    assert any(isinstance(a, CreateCheckRun) for a in reconcile(other, done))


def test_without_an_app_a_commit_status_carries_the_verdict() -> None:
    existing = Existing(files=FILES, reviews=(ours(HEAD),))
    p = plan(conclusion="neutral", check_title="x" * 200)
    (status,) = [a for a in reconcile(p, existing) if isinstance(a, SetStatus)]
    assert (status.state, status.description, status.head_sha) == ("success", "x" * 140, HEAD)
    assert not any(
        isinstance(a, SetStatus) for a in reconcile(p, replace(existing, status=Status("success", "x" * 140)))
    )
    assert not any(isinstance(a, (CreateCheckRun, EditCheckRun)) for a in reconcile(p, existing))


# --------------------------------------------------------------------------- the whole round trip


def test_applying_twice_writes_once_and_the_result_says_what_happened() -> None:
    p = plan(comments=[ON_DIFF, OFF_DIFF])
    start = Existing(files=FILES, checks=True, labels=frozenset({"passed"}))

    after, first = apply(p, start)
    again, second = apply(p, after)

    assert [type(a).__name__ for a in first] == [
        "PostReview",
        "CreateSummary",
        "AddLabels",
        "RemoveLabel",
        "CreateCheckRun",
    ]
    assert second == [] and again == after
    result = ApplyResult.start(p, after)
    assert (result.review, result.summary, result.check) == ("exists", "unchanged", "unchanged")
    assert result.rejected == [OFF_DIFF]
    fresh = ApplyResult.start(p, start)
    for action, new_id in zip(first, (11, 12, None, None, 13), strict=True):
        fresh.record(action, new_id)
    assert (fresh.review, fresh.review_id, fresh.summary, fresh.summary_comment_id) == (
        "created",
        11,
        "created",
        12,
    )
    assert (fresh.labels_added, fresh.labels_removed, fresh.check, fresh.check_run_id) == (
        ["needs-changes"],
        ["passed"],
        "created",
        13,
    )
    assert fresh.annotations_posted == 1


def test_a_dismissal_github_refused_is_not_reported_as_done() -> None:
    result = ApplyResult(HEAD)
    result.record(DismissReview(4, "m"), None)
    result.record(DismissReview(5, "m"), 5)
    assert result.dismissed_reviews == [5]


def test_only_the_bots_own_marker_and_author_count() -> None:
    marker = review_marker(HEAD)
    assert held.is_ours(f"x {marker}", "bot[bot]", "bot[bot]", held.REVIEW_MARKER_PREFIX)
    assert not held.is_ours(f"pasted {marker}", "contributor", "bot[bot]", held.REVIEW_MARKER_PREFIX)
    assert not held.is_ours("no marker", "bot[bot]", "bot[bot]", held.REVIEW_MARKER_PREFIX)
    assert not held.is_ours(None, "bot[bot]", "bot[bot]", SUMMARY_MARKER)
    assert held.is_ours(SUMMARY_MARKER, None, None, SUMMARY_MARKER)  # a dry run does not know its login
