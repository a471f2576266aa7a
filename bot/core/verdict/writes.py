"""The writes reconcile asks of the adapter, one value each, and why GitHub may refuse a review.

Typed values, not calls: bot.core.verdict.reconcile returns them, the adapter performs them in order
(bot.adapters.github_apply) and the result records each one done (bot.core.verdict.applied).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .plan import Annotation, InlineComment


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
