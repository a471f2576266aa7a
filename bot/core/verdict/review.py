"""Findings on a pull request → a ReviewPlan: inline comments with suggestions, summary, labels, check.

Pure: the GitHub adapter applies the plan; the same plan can be logged in dry-run mode.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..config.config import Config
from ..model import RANK, Finding
from ..read.document import Item
from ..read.grammar import Grammar
from .judge import apply_edits
from .markdown import clip, code, code_block, escape, neutralize, plain
from .plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan

ICON = {"error": "❌", "warning": "⚠️", "notice": "ℹ️"}
FORMAT_FREE = "Only what holds in any format is checked: links, arXiv ids, duplicates, broken markdown."
LEVEL = {"error": "failure", "warning": "warning", "notice": "notice"}
# GitHub refuses an issue comment over 65,536 characters (422): the whole summary would be lost. The
# table and the overflow list share this budget; the notes on rejected anchors come after (capped too).
COMMENT_LIMIT = 65_536
SUMMARY_BUDGET = 40_000
OVERFLOW_LINE = 300  # characters of one finding in the overflow list
# Check-run annotations go 50 per request: a 10 MB rewrite would otherwise cost thousands of requests.
MAX_ANNOTATIONS = 500


@dataclass
class FileReview:
    """One list file of the PR: the items it adds and the findings on them."""

    path: str
    items: list[Item]
    findings: list[Finding] = field(default_factory=list)
    note: str = ""  # e.g. "the list file was deleted", shown in the summary
    grammar: Grammar | None = None  # the list's format, for the reminder in the summary
    withheld: str = ""  # why no format advice is given on this file ("" when it is)
    added: frozenset[int] | None = None  # the lines the PR adds (None: unknown, every line)


def plan_review(
    head_sha: str, files: list[FileReview], config: Config, notes: tuple[str, ...] = ()
) -> ReviewPlan:
    """`notes` go on top of the summary (e.g. why the repository's own config was not used)."""
    review_cfg, labels_cfg = config["review"], config["labels"]
    findings = [f for fr in files for f in fr.findings]
    count = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "notice")}
    unverified = _sources(findings)

    comments, overflow = _inline_comments(files, review_cfg["max_inline_comments"])
    if count["error"]:
        event = "REQUEST_CHANGES" if review_cfg["request_changes"] else "COMMENT"
    elif comments:
        event = "COMMENT"
    else:
        event = None
    grammar = next((fr.grammar for fr in files if fr.grammar and not fr.withheld), None)
    labels = {
        labels_cfg["needs_changes"] if count["error"] else labels_cfg["passed"],
        *([labels_cfg["duplicate"]] if any(f.rule == "duplicate" for f in findings) else []),
        *([labels_cfg["not_verified"]] if unverified else []),
    } - {""}
    conclusion = "failure" if count["error"] else "neutral" if (count["warning"] or unverified) else "success"
    verdict = _verdict(count, unverified)
    return ReviewPlan(
        head_sha=head_sha,
        event=event,
        review_body=_review_body(count, verdict),
        comments=comments,
        summary=_summary(head_sha, files, verdict, overflow, grammar, notes),
        labels=labels,
        managed_labels={v for v in labels_cfg.values() if v},
        conclusion=conclusion,
        check_title=verdict,
        check_summary=_counts(count)
        + "."
        + (
            f" The first {MAX_ANNOTATIONS} are annotated; the summary comment lists more."
            if len(findings) > MAX_ANNOTATIONS
            else ""
        ),
        annotations=[
            Annotation(f.path, f.line, LEVEL[f.severity], plain(f.message), f.rule)
            for f in findings[:MAX_ANNOTATIONS]
        ],
        counts=count,
    )


def _inline_comments(files: list[FileReview], cap: int) -> tuple[list[InlineComment], list[InlineComment]]:
    """One comment per line, all its findings together, and one suggestion carrying every fix."""
    out: list[InlineComment] = []
    for fr in files:
        by_line: dict[int, list[Finding]] = defaultdict(list)
        for f in fr.findings:
            by_line[f.line].append(f)
        texts = {i.line: i for i in fr.items}
        for line, found in sorted(by_line.items()):
            found.sort(key=lambda f: -RANK[f.severity])
            body = "\n".join(
                f"{ICON[f.severity]} **{f.severity}** `{f.rule}`: {neutralize(f.message)}" for f in found
            )
            item = texts.get(line)
            suggestion = _suggestion(item, found) if item else None
            start, anchor = None, line
            if item and item.end > item.line:
                span = range(item.line, item.end + 1)
                if fr.added is None or all(n in fr.added for n in span):
                    start, anchor = item.line, item.end  # the suggestion replaces the whole entry
                else:  # only part of the entry is new: comment on its first new line, no suggestion
                    anchor = next(n for n in span if n in fr.added)
                    suggestion = None
            if suggestion is not None:
                # An empty suggestion block deletes the lines it spans on GitHub.
                body += "\n\n" + (
                    code_block(suggestion, "suggestion") if suggestion else "```suggestion\n```"
                )
            out.append(InlineComment(fr.path, anchor, body, start))
    return out[:cap], out[cap:]


def _suggestion(item: Item, found: list[Finding]) -> str | None:
    """The whole corrected line; "" (delete the line) for a paper the list already has."""
    if any(f.suggestion == "" and f.severity == "error" for f in found):
        return ""
    syntax = next((f.suggestion for f in found if f.rule == "entry-syntax" and f.suggestion), None)
    if syntax is not None:
        return syntax  # already carries every other rule's fix
    edits = [e for f in found for e in f.edits]
    fixed = apply_edits(item.fixed or item.text, edits) if edits else None
    return fixed if fixed is not None and fixed != item.text else None


def _sources(found: list[Finding]) -> str:
    """The sources that could not be reached for some findings: "arXiv", "arXiv and Semantic Scholar"."""
    return " and ".join(sorted({f.unverified for f in found if f.unverified}))


def _verdict(count: dict[str, int], unverified: str) -> str:
    if count["error"]:
        return "Changes needed before this can be merged"
    if unverified:
        return f"Looks good so far, but {unverified} could not be reached to verify some links"
    if count["warning"]:
        return "Looks good, with a few suggestions"
    return "All new entries look good"


def _counts(count: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in count.items())


def _review_body(count: dict[str, int], verdict: str) -> str:
    return (
        f"**{verdict}.** {_counts(count)}; see the comments on the lines below. "
        "Each comment with a suggested change can be applied with one click."
    )


def _status(found: list[Finding]) -> str:
    if any(f.severity == "error" for f in found):
        return "❌ needs changes"
    if sources := _sources(found):
        return f"❔ not verified against {sources} yet"
    if any(f.severity == "warning" for f in found):
        return "⚠️ ok, with suggestions"
    return "✅ ok"


def _summary(
    head_sha: str,
    files: list[FileReview],
    verdict: str,
    overflow: list[InlineComment],
    grammar: Grammar | None,
    notes: tuple[str, ...] = (),
) -> str:
    lines = [SUMMARY_MARKER, f"### Paper list review for `{head_sha[:7]}`: {verdict.lower()}", ""]
    lines += [f"> ⚠️ {neutralize(note)}\n" for note in notes]
    rows = []
    for fr in files:
        if fr.note:
            lines.append(f"- {code(fr.path)}: {neutralize(fr.note)}")
        found: dict[int, list[Finding]] = defaultdict(list)
        for f in fr.findings:
            found[f.line].append(f)
        for item in fr.items:
            title = item.entry.title if item.entry else item.text[2:]
            rows.append(
                f"| {escape(fr.path)}:{item.line} | {escape(title[:120])} | {_status(found.get(item.line, []))} |"
            )
    rows, unlisted = _within(rows, SUMMARY_BUDGET * 3 // 4)
    if unlisted:
        rows.append(f"| … | {unlisted:,} more entries, not listed (the comment would be too long) | |")
    if rows:
        lines += ["| Line | Entry | Status |", "|---|---|---|", *rows, ""]
    elif not any(fr.note for fr in files):
        lines.append("This pull request adds no entries to the list files.")
    if overflow:
        lines += ["", "<details><summary>More findings (not posted inline)</summary>", ""]
        more = [
            f"- {code(f'{c.path}:{c.line}')}: {clip(c.body.splitlines()[0], OVERFLOW_LINE)}" for c in overflow
        ]
        more, unlisted = _within(more, SUMMARY_BUDGET - sum(len(x) + 1 for x in lines))
        if unlisted:
            more.append(
                f"- … and {unlisted:,} more lines with findings (`awesome-review check` lists them all)"
            )
        lines += more
        lines += ["", "</details>"]
    for fr in files:
        if fr.withheld:
            lines += ["", f"No format advice on {code(fr.path)}: {neutralize(fr.withheld)}. {FORMAT_FREE}"]
    if grammar is not None and (shown := grammar.example or (grammar.entry[0].text if grammar.entry else "")):
        lines += ["", "Entries follow this format:", code_block(shown)]
    lines.append("")
    lines.append(
        "<sub>Reviewed by awesome-review. Maintainers tune the rules in `.github/awesome-review.yml`"
        " on the default branch.</sub>"
    )
    return "\n".join(lines)


def _within(lines: list[str], budget: int) -> tuple[list[str], int]:
    """The leading lines that fit in `budget` characters, and how many did not fit."""
    used = 0
    for n, line in enumerate(lines):
        used += len(line) + 1
        if used > budget:
            return lines[:n], len(lines) - n
    return lines, 0


def with_rejected_section(summary: str, rejected: Sequence[InlineComment]) -> str:
    """The summary plus the notes GitHub would not place on the diff, so no finding is lost."""
    if not rejected:
        return summary
    parts = [
        summary.rstrip(),
        "",
        "#### Notes that could not be attached to the diff",
        "",
    ]
    used = sum(len(p) + 1 for p in parts)
    for n, c in enumerate(rejected):
        # Indented under the list item at every line break markdown or a reader sees (a lone "\r"
        # too): a quoted line must never start a line of its own, outside its code block.
        body = "\n  ".join(c.body.strip().splitlines())
        note = f"- {code(c.path)} line {c.line}: {body}"
        if used + len(note) + 1 > COMMENT_LIMIT - 500:
            parts.append(f"- … and {len(rejected) - n:,} more (the comment would be too long for GitHub)")
            break
        parts.append(note)
        used += len(note) + 1
    return "\n".join(parts) + "\n"


def fit_comment(body: str, limit: int = COMMENT_LIMIT) -> str:
    """A body GitHub accepts: over ``limit`` characters it is cut at a line end, and says so."""
    if len(body) <= limit:
        return body
    tail = "\n\n… (cut here: GitHub allows 65,536 characters in a comment)\n"
    cut = body[: limit - len(tail)]
    return cut[: cut.rfind("\n") if "\n" in cut else len(cut)] + tail
