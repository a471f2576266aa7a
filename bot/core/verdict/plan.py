"""What the bot will do on one pull request at one head SHA: the contract between the pure review
planner (bot.core.verdict.review) and bot.core.verdict.reconcile, which turns it into writes given what GitHub holds."""

from __future__ import annotations

from dataclasses import dataclass, field

SUMMARY_MARKER = "<!-- awesome-review:summary -->"
ISSUE_MARKER = "<!-- awesome-review:issue -->"  # the one comment on an issue that names papers


@dataclass(frozen=True)
class InlineComment:
    path: str
    line: int  # a line the diff adds, in the new file (anchored with side="RIGHT")
    body: str  # markdown; may end with a ```suggestion block
    start_line: int | None = None  # an entry over several lines: the comment (and suggestion) spans them


@dataclass(frozen=True)
class Annotation:
    path: str
    line: int
    level: str  # "failure" | "warning" | "notice" (GitHub's annotation_level)
    message: str
    title: str


@dataclass
class ReviewPlan:
    head_sha: str
    event: str | None  # "REQUEST_CHANGES" | "COMMENT" | None (clean: no review)
    review_body: str
    comments: list[InlineComment] = field(default_factory=list)
    summary: str = ""  # the PR's one summary comment; starts with SUMMARY_MARKER
    labels: set[str] = field(default_factory=set)  # labels that apply now
    managed_labels: set[str] = field(default_factory=set)  # every label the bot owns
    conclusion: str = "success"  # check run: success | neutral | failure
    check_title: str = ""
    check_summary: str = ""
    annotations: list[Annotation] = field(default_factory=list)
    # Findings by severity, all of them: the annotations stop at review.MAX_ANNOTATIONS.
    counts: dict[str, int] = field(default_factory=dict)


def as_markdown(plan: ReviewPlan, heading: str) -> str:
    """Everything the plan would post, as one markdown document under `heading`: the review with its
    inline comments, the summary comment, the labels and the check (`review --dry-run`, `check
    --format markdown`)."""
    out = [f"# {heading}", ""]
    if plan.event:
        out += [f"## Review: {plan.event}", "", plan.review_body, ""]
        for c in plan.comments:
            where = f"lines {c.start_line}-{c.line}" if c.start_line else f"line {c.line}"
            out += [f"### `{c.path}` {where}", "", c.body, ""]
    else:
        out += ["## Review: none (no comments to make)", ""]
    out += ["## Summary comment", "", plan.summary, ""]
    out += [f"## Labels: {', '.join(f'`{x}`' for x in sorted(plan.labels)) or 'none'}", ""]
    out += [f"## Check: {plan.conclusion}: {plan.check_title}", "", plan.check_summary, ""]
    return "\n".join(out)


@dataclass
class IssuePlan:
    """What the bot shows on an issue that names papers: one comment and its labels."""

    body: str  # the comment; "" when the issue names no paper (none is posted)
    labels: set[str] = field(default_factory=set)
    managed_labels: set[str] = field(default_factory=set)
    gone: str = ""  # the comment's text when an earlier one exists and the issue names no paper now
