"""What applying a plan did: the result the adapter builds as it performs reconcile's writes.

Kept apart from the decisions (bot.core.verdict.reconcile) because it is read by the service, for
the log, the status page and the queue's outcome, long after the writes were made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .held import Existing, rejected, review_at
from .plan import InlineComment, ReviewPlan
from .writes import (
    Action,
    AddLabels,
    CreateCheckRun,
    CreateSummary,
    DismissReview,
    EditCheckRun,
    EditSummary,
    PostReview,
    RemoveLabel,
    SetStatus,
)


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
