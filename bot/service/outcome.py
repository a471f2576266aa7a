"""What a review job did: a typed value the queue reads, never a string it matches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.verdict.applied import ApplyResult
from bot.core.verdict.plan import ReviewPlan


class Skip(Enum):
    """Why a job reviewed nothing."""

    SUPERSEDED = "superseded"  # an older head's delivery: the PR's current head was reviewed already
    REVIEWED_ALREADY = "reviewed already"  # another delivery of this head was reviewed
    DRAFT = "draft"  # a draft, and the repository does not review drafts
    NO_LIST_FILE = "no list file changed"
    NOT_ALLOWED = "the /recheck or /add author cannot push to the repository"
    NOT_AN_OPEN_ISSUE = "not an open issue"


@dataclass(frozen=True)
class Skipped:
    reason: Skip


@dataclass(frozen=True)
class Reviewed:
    plan: ReviewPlan
    result: ApplyResult
    reviewed: str | None = None  # "head:base" reviewed (None: the plan went stale), for the queue


JobOutcome = Reviewed | Skipped
