"""What to write on GitHub so a pull request shows a ReviewPlan, given what GitHub already holds.

Pure, as gidgethub's ``sansio`` is: the GitHub adapter reads :class:`Existing`, performs the actions
:func:`reconcile` returns, in order, and maps GitHub's errors (a refused review becomes a
:class:`Refusal`, and :func:`after_refusal` says what to try next). Every decision lives here: what
to create, edit, dismiss, label and annotate, the fallback when GitHub refuses anchors, the
annotation chunks. Running it again on what it produced asks for nothing, which is what makes a
re-run of a job (after a crash, a retry, a redelivery) safe, and it is tested without HTTP.

The values it decides on live beside it: what GitHub holds (bot.core.verdict.held), the writes it
returns (bot.core.verdict.writes), and what applying them did (bot.core.verdict.applied).
"""

from __future__ import annotations

from dataclasses import replace

from ..diff import DiffError, patch_anchors
from .held import Existing, ExistingIssue, Status, rejected, review_at, review_marker
from .plan import SUMMARY_MARKER, Annotation, InlineComment, IssuePlan, ReviewPlan
from .review import fit_comment, with_rejected_section
from .writes import (
    Action,
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

CHECK_NAME = "awesome-review"
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit per check-run request; an edit appends more
STATUS_STATES = {"success": "success", "neutral": "success", "failure": "failure"}  # conclusion → state


def reconcile(plan: ReviewPlan, existing: Existing) -> list[Action]:
    """The writes that make GitHub show ``plan``, in order; none when it already does.

    While the bot has no review at the plan's head and the plan has one, the only action is the
    review to post: the summary lists the comments GitHub would not place, which only the post tells.
    Post it, add it with :meth:`Existing.with_review`, and call again for the rest.
    """
    marker = review_marker(plan.head_sha)
    if plan.event is not None and review_at(existing.reviews, plan.head_sha) is None:
        return [_review(plan, plan.event, existing, marker)]
    actions: list[Action] = []
    if plan.event != "REQUEST_CHANGES":  # an old change request would keep blocking the PR
        message = f"Superseded by the review of {plan.head_sha[:7]}."
        actions += [
            DismissReview(r.id, message)
            for r in existing.reviews
            if r.state == "CHANGES_REQUESTED" and marker not in r.body
        ]
    actions += _summary(plan, existing)
    actions += _labels(plan, existing)
    actions += _check_run(plan, existing) if existing.checks else _status(plan, existing)
    return actions


def reconcile_issue(plan: IssuePlan, existing: ExistingIssue) -> list[Action]:
    """The writes that make an issue show ``plan``: its one comment, created or edited in place, and
    its labels as a set. An issue that names no paper gets nothing, unless the bot had commented."""
    body = plan.body or (plan.gone if existing.comment is not None else "")
    actions: list[Action] = []
    if body:
        body = fit_comment(body)
        if existing.comment is None:
            actions.append(CreateSummary(body))
        elif existing.comment.body != body:
            actions.append(EditSummary(existing.comment.id, body))
    return actions + _labels(plan, existing)


def after_refusal(post: PostReview, refusal: Refusal) -> PostReview | None:
    """The next try after GitHub refused ``post``, or None to give up. A 422 creates nothing, so
    each try starts clean."""
    if refusal is Refusal.OWN_PULL and post.event == "REQUEST_CHANGES":
        return replace(post, event="COMMENT")  # a maintainer's token on their own PR: say it, do not block
    if refusal is Refusal.ANCHORS and post.fallbacks:
        return replace(post, comments=post.fallbacks[0], fallbacks=post.fallbacks[1:])
    return None


def _review(plan: ReviewPlan, event: str, existing: Existing, marker: str) -> PostReview:
    """All comments whose anchor is on the diff or cannot be checked (no patch); then only the checked
    ones; then none. A comment on a line outside the diff is never sent."""
    files = {f.filename: f for f in existing.files}
    verified: list[InlineComment] = []
    unverified: list[InlineComment] = []
    anchors: dict[str, frozenset[int] | None] = {}  # parsed once per file: a patch can be megabytes
    for c in plan.comments:
        f = files.get(c.path)
        if f is None or f.status == "removed":
            continue  # not in the diff at all: rejected without asking
        if c.path not in anchors:
            anchors[c.path] = _anchors(f.patch)
        lines = anchors[c.path]
        if lines is None:
            unverified.append(c)  # patch omitted (large diff): only GitHub can tell
        elif c.line in lines and (
            c.start_line is None or all(n in lines for n in range(c.start_line, c.line))
        ):
            verified.append(c)
    tries = [verified + unverified]
    if unverified:
        tries.append(verified)
    if verified:
        tries.append([])
    body = f"{plan.review_body.rstrip()}\n\n{marker}" if plan.review_body.strip() else marker
    return PostReview(plan.head_sha, event, body, tuple(tries[0]), tuple(tuple(t) for t in tries[1:]))


def _anchors(patch: str | None) -> frozenset[int] | None:
    if patch is None:
        return None
    try:
        return patch_anchors(patch)
    except DiffError:  # a patch we cannot read: GitHub can still tell
        return None


def _summary(plan: ReviewPlan, existing: Existing) -> list[Action]:
    """The one summary comment, with the notes GitHub would not place on the diff, so none is lost."""
    body = with_rejected_section(plan.summary, rejected(plan, existing))
    if not body.strip():
        return []
    if SUMMARY_MARKER not in body:
        body = f"{SUMMARY_MARKER}\n{body}"
    body = fit_comment(body)
    if existing.summary is None:
        return [CreateSummary(body)]
    return [] if existing.summary.body == body else [EditSummary(existing.summary.id, body)]


def _labels(plan: ReviewPlan | IssuePlan, existing: Existing | ExistingIssue) -> list[Action]:
    """Labels as a set: add what applies, remove what the bot owns and no longer applies, keep the rest."""
    if not plan.labels and not plan.managed_labels:
        return []
    lower = {name.lower() for name in existing.labels}
    wanted = {name.lower() for name in plan.labels}
    owned = {name.lower() for name in plan.managed_labels}
    add = tuple(sorted(name for name in plan.labels if name.lower() not in lower))
    remove = sorted(n for n in existing.labels if n.lower() in owned and n.lower() not in wanted)
    return [*([AddLabels(add)] if add else []), *map(RemoveLabel, remove)]


def _check_run(plan: ReviewPlan, existing: Existing) -> list[Action]:
    """One check run per head SHA. GitHub can only append annotations, so an identical re-run
    appends just the missing ones; a changed verdict for the same SHA gets a fresh run (the newest
    run of a name is the one GitHub shows), rather than a run mixing stale and new annotations."""
    title = plan.check_title or CHECK_NAME
    summary = plan.check_summary or plan.conclusion
    run = existing.check_run
    if run is not None and run.title == title and run.summary == summary:
        todo = plan.annotations[run.annotations :]
        if run.status == "completed" and run.conclusion == plan.conclusion and not todo:
            return []
        return [EditCheckRun(run.id, plan.conclusion, title, summary, _chunks(todo))]
    return [CreateCheckRun(plan.head_sha, plan.conclusion, title, summary, _chunks(plan.annotations))]


def _chunks(annotations: list[Annotation]) -> tuple[tuple[Annotation, ...], ...]:
    """Annotations in GitHub's batches of 50; one empty batch when there are none (the write itself
    still sets the verdict)."""
    step = ANNOTATIONS_PER_REQUEST
    return tuple(tuple(annotations[i : i + step]) for i in range(0, len(annotations), step)) or ((),)


def _status(plan: ReviewPlan, existing: Existing) -> list[Action]:
    """Without an App there are no check runs: a commit status carries the verdict."""
    state = STATUS_STATES.get(plan.conclusion, "error")
    description = (plan.check_title or plan.conclusion)[:140]
    if existing.status == Status(state, description):
        return []
    return [SetStatus(plan.head_sha, state, description)]
