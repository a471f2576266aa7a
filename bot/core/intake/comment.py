"""The one comment the bot keeps on an issue that names papers (edited in place), the one-line replies
to `/add`, and the pull request `/add` opens. Contributor and record text is shown, never obeyed:
titles and section names are escaped, entries and links are code."""

from __future__ import annotations

from ..verdict.markdown import code, code_block, escape, plain
from ..verdict.plan import ISSUE_MARKER, IssuePlan
from .answer import Answer, Proposal

ADD = "/add"


def plan(answer: Answer, labels: dict[str, str], *, number: int) -> IssuePlan:
    """The comment and labels for ``answer``; an issue that names no paper gets none of either
    (but an earlier comment of the bot's says so, and its labels go)."""
    managed = {labels["duplicate"], labels["not_verified"]}
    if not answer.proposals:
        return IssuePlan("", set(), managed, gone=f"{ISSUE_MARKER}\nThis issue no longer links a paper.")
    wanted = set()
    if answer.duplicates:
        wanted.add(labels["duplicate"])
    if answer.unverified:
        wanted.add(labels["not_verified"])
    return IssuePlan(body(answer), wanted, managed)


def body(answer: Answer) -> str:
    many = len(answer.proposals) > 1
    out = [ISSUE_MARKER, f"### {'These papers' if many else 'This paper'} in the list"]
    for n, p in enumerate(answer.proposals, 1):
        out += ["", _one(p, n if many else 0)]
    if answer.dropped:
        out += ["", f"{answer.dropped} more paper link{'s' if answer.dropped > 1 else ''} left out: "
                    "the bot answers for at most 20 papers per issue."]  # fmt: skip
    if any(p.addable for p in answer.proposals):
        out += [
            "",
            f"<sub>A maintainer can comment {code(ADD)} to open a pull request that adds "
            f"{'these entries' if sum(p.addable for p in answer.proposals) > 1 else 'this entry'} there "
            f"({code(ADD + ' section: NAME')} for another section).</sub>",
        ]
    if answer.unverified:
        out += [
            "",
            "<sub>Some sources could not be reached: the bot will check again and edit this comment.</sub>",
        ]
    return "\n".join(out) + "\n"


def _one(p: Proposal, n: int) -> str:
    head = f"**{n}. {escape(p.title)}**" if n and p.title else f"**{escape(p.title)}**" if p.title else ""
    link = code(p.link.written)
    lines = [f"{head} ({link})" if head else (f"**{n}.** {link}" if n else link)]
    if p.duplicate is not None:
        line, title = p.duplicate
        lines.append(f"Already in the list at line {line}: “{escape(title[:200])}”.")
        return "\n".join(lines)
    if p.unverified and not p.title:
        lines.append(
            f"Not verified: {' and '.join(p.unverified)} could not be reached; the bot will ask again."
        )
        return "\n".join(lines)
    if not p.title:
        lines.append(f"No entry: {escape(p.unknown or 'no source knows this paper')}.")
        return "\n".join(lines)
    if p.entry is None:
        lines.append("No entry: this list's format needs a field the paper's metadata does not give.")
        return "\n".join(lines)
    lines += ["", "The entry, in this list's format:", code_block(p.entry), ""]
    if p.requested:
        lines.append(f"The list has no paper section named {code(p.requested)}.")
    elif p.choice is None:
        lines.append("The list has no section of papers yet to put it in.")
    elif p.choice is not None and p.spot is not None:
        where = f"In {code(p.choice.first)}"
        if not p.choice.sure:
            where = (
                f"No section of this list holds papers like this one: {code(p.choice.first)} is only a "
                f"guess ({code(ADD + ' section: NAME')} to choose). In {code(p.choice.first)}"
            )
        elif p.choice.second:
            where += f" (or {code(p.choice.second)}, which fits almost as well)"
        if p.spot.after is not None:
            title = p.spot.after.entry.title if p.spot.after.entry else ""
            where += f", after line {p.spot.after.end}: “{escape(title[:120])}”."
        else:
            where += f", first in the section, above line {p.spot.line}."
        lines.append(where)
    if p.unverified:
        lines.append(
            f"Not verified: {' and '.join(p.unverified)} could not be reached (the venue may be missing)."
        )
    return "\n".join(lines)


def pull_title(answer: Answer) -> str:
    """The pull request's title: plain text, as GitHub shows it (no reference may link)."""
    added = [p for p in answer.proposals if p.addable]
    if len(added) == 1:
        return plain(f"Add “{added[0].title[:150]}”")
    return f"Add {len(added)} papers"


def pull_body(answer: Answer, number: int) -> str:
    added = [p for p in answer.proposals if p.addable]
    out = [f"Closes #{number}", "", "Entries written by awesome-review from the papers this issue names:"]
    for p in added:
        where = p.spot.section if p.spot else ""
        out += ["", f"- {escape(p.title)}, in {code(where)}:", "", code_block(p.entry or "")]
    return "\n".join(out) + "\n"


def refused(login: str) -> str:
    return f"Only a maintainer (write access) can {code(ADD)} a paper, @{escape(login)}: a maintainer will look at it."


def opened(number: int) -> str:
    return f"Opened #{number} with the entry."


def already(number: int) -> str:
    return f"This issue's pull request is #{number}: {code(ADD)} does not open a second one."


def nothing(answer: Answer) -> str:
    if not answer.proposals:
        return f"Nothing to {code(ADD)}: this issue links no paper."
    reasons = []
    for p in answer.proposals:
        if p.duplicate:
            reasons.append(f"already in the list at line {p.duplicate[0]}")
        elif p.requested:
            reasons.append(f"the list has no paper section named {code(p.requested)}")
        elif p.unverified:
            reasons.append(f"{' and '.join(p.unverified)} could not be reached")
        elif not p.entry:
            reasons.append("no entry could be written")
    return f"Nothing to {code(ADD)}: {'; '.join(dict.fromkeys(reasons)) or 'no entry to add'}."


def missing_permission(what: str) -> str:
    return (
        f"{code(ADD)} cannot open a pull request: the bot lacks the {what} permission on this repository. "
        "A maintainer can grant it in the App's settings (or the workflow's `permissions:`)."
    )
