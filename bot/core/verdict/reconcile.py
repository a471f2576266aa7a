"""What to write on GitHub so a pull request shows a ReviewPlan, given what GitHub already holds.

Pure, as gidgethub's ``sansio`` is: the GitHub adapter reads :class:`Existing`, performs the actions
:func:`reconcile` returns, in order, and maps GitHub's errors (a refused review becomes a
:class:`Refusal`, and :func:`after_refusal` says what to try next). Every decision lives here: what
to create, edit, dismiss, label and annotate, the fallback when GitHub refuses anchors, the
annotation chunks. Running it again on what it produced asks for nothing, which is what makes a
re-run of a job (after a crash, a retry, a redelivery) safe, and it is tested without HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from ..diff import DiffError, patch_anchors
from .plan import SUMMARY_MARKER, Annotation, InlineComment, IssuePlan, ReviewPlan
from .review import fit_comment, with_rejected_section

CHECK_NAME = "awesome-review"
REVIEW_MARKER_PREFIX = "<!-- awesome-review:review:"
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit per check-run request; an edit appends more
STATUS_STATES = {"success": "success", "neutral": "success", "failure": "failure"}  # conclusion → state


def review_marker(head_sha: str) -> str:
    """Hidden marker in a review body: at most one review per head SHA."""
    return f"{REVIEW_MARKER_PREFIX}{head_sha} -->"


# Who the bot is when its token may not say: an installation token (a workflow's GITHUB_TOKEN, an
# App's `ghs_` token from actions/create-github-app-token) gets 403 on GET /user.
ANY_APP = "<a GitHub App>"


def is_ours(
    body: str | None, author: str | None, me: str | None, marker: str, *, by_app: bool = False
) -> bool:
    """The bot's own review or comment: its marker *and* its author (None: the login is unknown, in a
    dry run). A contributor can paste the hidden marker into a comment of their own, but cannot write
    as an App: with `me` ANY_APP, the author must be a Bot whose App performed the write (`by_app`)."""
    if not body or marker not in body:
        return False
    if me == ANY_APP:
        return by_app
    return me is None or author == me


# --------------------------------------------------------------------------- what GitHub holds


@dataclass(frozen=True)
class PullFile:
    filename: str
    status: str  # added | modified | removed | renamed | copied | changed | unchanged
    patch: str | None  # None: GitHub omitted it (large diff) — fall back to contents at base/head
    previous_filename: str | None = None


@dataclass(frozen=True)
class Review:
    id: int
    state: str  # GitHub's: COMMENTED | CHANGES_REQUESTED | DISMISSED | APPROVED
    body: str


@dataclass(frozen=True)
class Comment:
    id: int
    body: str


@dataclass(frozen=True)
class CheckRun:
    id: int
    title: str
    summary: str
    status: str
    conclusion: str | None
    annotations: int  # how many it holds: GitHub can only append


@dataclass(frozen=True)
class Status:
    state: str
    description: str


@dataclass(frozen=True)
class Existing:
    """The bot's own things on one pull request, as the adapter read them."""

    files: tuple[PullFile, ...] = ()  # the PR's changed files, for the anchors a review may use
    reviews: tuple[Review, ...] = ()  # the bot's reviews, any head
    placed: frozenset[tuple[str, int]] = frozenset()  # (path, line) of the comments of its review at the head
    summary: Comment | None = None
    labels: frozenset[str] = frozenset()  # every label of the PR, the bot's or not
    checks: bool = False  # a GitHub App: a check run carries the verdict; otherwise a commit status
    check_run: CheckRun | None = None  # the newest of the App's runs for the head
    status: Status | None = None  # the newest commit status of the bot's context

    def with_review(self, review: Review, comments: tuple[InlineComment, ...]) -> Existing:
        """After the review was posted with ``comments`` (what GitHub took)."""
        placed = frozenset((c.path, c.line) for c in comments)
        return replace(self, reviews=(*self.reviews, review), placed=placed)


def review_at(reviews: tuple[Review, ...], head_sha: str) -> Review | None:
    """The bot's review of this head SHA, if it posted one."""
    marker = review_marker(head_sha)
    return next((r for r in reviews if marker in r.body), None)


def rejected(plan: ReviewPlan, existing: Existing) -> list[InlineComment]:
    """The plan's inline comments that are not on the diff: GitHub would not take their anchors."""
    if review_at(existing.reviews, plan.head_sha) is None:
        return []
    return [c for c in plan.comments if (c.path, c.line) not in existing.placed]


# --------------------------------------------------------------------------- what to write


@dataclass(frozen=True)
class PostReview:
    head_sha: str
    event: str  # REQUEST_CHANGES | COMMENT
    body: str
    comments: tuple[InlineComment, ...]
    fallbacks: tuple[tuple[InlineComment, ...], ...] = ()  # the next tries while GitHub refuses anchors


@dataclass(frozen=True)
class DismissReview:
    review_id: int
    message: str


@dataclass(frozen=True)
class CreateSummary:
    body: str


@dataclass(frozen=True)
class EditSummary:
    comment_id: int
    body: str


@dataclass(frozen=True)
class AddLabels:
    names: tuple[str, ...]


@dataclass(frozen=True)
class RemoveLabel:
    name: str


@dataclass(frozen=True)
class CreateCheckRun:
    head_sha: str
    conclusion: str
    title: str
    summary: str
    chunks: tuple[tuple[Annotation, ...], ...]  # the first goes with the run, each other in an edit


@dataclass(frozen=True)
class EditCheckRun:
    run_id: int
    conclusion: str
    title: str
    summary: str
    chunks: tuple[tuple[Annotation, ...], ...]  # one edit each, appending its annotations


@dataclass(frozen=True)
class SetStatus:
    head_sha: str
    state: str
    description: str


Action = (
    PostReview
    | DismissReview
    | CreateSummary
    | EditSummary
    | AddLabels
    | RemoveLabel
    | CreateCheckRun
    | EditCheckRun
    | SetStatus
)


class Refusal(Enum):
    """Why GitHub refused a review (422), as the adapter reads its error."""

    ANCHORS = "anchors"  # a comment's line is not on the diff (GitHub does not say which)
    OWN_PULL = "own pull request"  # a change request on one's own pull request
    OTHER = "other"


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


@dataclass(frozen=True)
class ExistingIssue:
    """The bot's own comment on an issue (found by marker and author) and the issue's labels."""

    comment: Comment | None = None
    labels: frozenset[str] = frozenset()


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


# --------------------------------------------------------------------------- what was done


@dataclass
class ApplyResult:
    """What applying a plan did, for the log, the status page and tests."""

    head_sha: str
    dry_run: bool = False
    stale: bool = False  # the PR's head moved past plan.head_sha: nothing was written
    review: str = "none"  # created | exists | none (plan.event is None) | skipped
    review_id: int | None = None
    dismissed_reviews: list[int] = field(default_factory=list)
    summary: str = "skipped"  # created | updated | unchanged | skipped
    summary_comment_id: int | None = None
    labels_added: list[str] = field(default_factory=list)
    labels_removed: list[str] = field(default_factory=list)
    check: str = "none"  # created | updated | unchanged | status | status-unchanged | none
    check_run_id: int | None = None
    annotations_posted: int = 0
    rejected: list[InlineComment] = field(default_factory=list)  # anchors GitHub would not take

    @classmethod
    def start(cls, plan: ReviewPlan, existing: Existing) -> ApplyResult:
        """The result when none of reconcile's actions is needed; :meth:`record` adds each one done."""
        result = cls(head_sha=plan.head_sha, rejected=rejected(plan, existing))
        if (review := review_at(existing.reviews, plan.head_sha)) is not None:
            result.review, result.review_id = "exists", review.id
        if existing.summary is not None and plan.summary.strip():
            result.summary, result.summary_comment_id = "unchanged", existing.summary.id
        if not existing.checks:
            result.check = "status-unchanged"
        elif existing.check_run is not None:
            result.check, result.check_run_id = "unchanged", existing.check_run.id
        return result

    def record(self, action: Action, new_id: int | None = None) -> None:
        """``action`` went through; ``new_id`` is what GitHub gave back: the id of what it created
        (for a dismissal: the review's id, or None when GitHub would not dismiss it)."""
        match action:
            case PostReview():
                self.review, self.review_id = "created", new_id
            case DismissReview():
                if new_id is not None:
                    self.dismissed_reviews.append(new_id)
            case CreateSummary():
                self.summary, self.summary_comment_id = "created", new_id
            case EditSummary():
                self.summary, self.summary_comment_id = "updated", action.comment_id
            case AddLabels():
                self.labels_added += action.names
            case RemoveLabel():
                self.labels_removed.append(action.name)
            case CreateCheckRun():
                self.check, self.check_run_id = "created", new_id
                self.annotations_posted += sum(map(len, action.chunks))
            case EditCheckRun():
                self.check, self.check_run_id = "updated", action.run_id
                self.annotations_posted += sum(map(len, action.chunks))
            case SetStatus():
                self.check = "status"
