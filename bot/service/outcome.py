"""What a review job did: a typed value the queue reads, never a string it matches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.core.plan import ReviewPlan
from bot.core.reconcile import ApplyResult


class Skip(Enum):
    """Why a job reviewed nothing."""

    SUPERSEDED = "superseded"  # the PR's head moved on: a newer job reviews it
    DRAFT = "draft"  # a draft, and the repository does not review drafts
    NO_LIST_FILE = "no list file changed"


@dataclass(frozen=True)
class Skipped:
    reason: Skip


@dataclass(frozen=True)
class Reviewed:
    plan: ReviewPlan
    result: ApplyResult


JobOutcome = Reviewed | Skipped
