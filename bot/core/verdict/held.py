"""What GitHub already holds of the bot's on a pull request or an issue, and how the bot knows its own.

The adapter reads these values (bot.adapters.github_apply) and bot.core.verdict.reconcile decides on
them; both need the same markers and the same test of authorship, so they live here, with no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .plan import InlineComment, ReviewPlan

REVIEW_MARKER_PREFIX = "<!-- awesome-review:review:"


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


@dataclass(frozen=True)
class ExistingIssue:
    """The bot's own comment on an issue (found by marker and author) and the issue's labels."""

    comment: Comment | None = None
    labels: frozenset[str] = frozenset()
