"""The issue job: an issue that names papers gets the entries written in the list's format and their
places, in one comment edited in place; `/add` by a maintainer opens the pull request that inserts
them. read (the issue, the list file on the default branch) → lookups (one batch per source) →
bot.core.intake (pure) → apply (the GitHub adapter)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.config.config import Config
from ..core.intake import comment, links
from ..core.intake.answer import Answer, arxiv_ids, inserted, propose, record_ids
from ..core.model import ArxivLookup, RecordLookup
from ..core.verdict import pipeline
from ..errors import RetryLater
from ..settings import Settings
from .events import ReviewJob
from .job import FORMATS, UNVERIFIED_RETRY_SECONDS, load_config, repo_config
from .outcome import Skip, Skipped

if TYPE_CHECKING:
    from ..adapters.arxiv_cache import CachedArxiv
    from ..adapters.github import GitHubAdapter
    from ..adapters.github_issues import IssueResult
    from ..adapters.records import RecordSources
    from ..core.verdict.plan import IssuePlan

log = logging.getLogger(__name__)
BRANCH = "awesome-review/issue-{number}"  # the branch `/add` opens its pull request from


@dataclass(frozen=True)
class Answered:
    """The issue's comment and labels, as planned and as applied."""

    plan: IssuePlan
    result: IssueResult


@dataclass(frozen=True)
class Added:
    """`/add` answered: the pull request it opened or found (None: none, and why in ``reply``)."""

    pull: int | None
    reply: str
    opened: bool = False


def run(
    job: dict[str, Any],
    settings: Settings,
    *,
    github: GitHubAdapter,
    arxiv: CachedArxiv | None,
    records: RecordSources | None = None,
    record: Any = None,
) -> Answered | Added | Skipped:
    """Answer the job's issue (``action`` opened/edited/reopened) or run its `/add`. Raises RetryLater
    when a source could not be reached (after posting what is known)."""
    j = ReviewJob.from_dict(job)
    gh = github
    if j.action == "add" and j.requested_by and not gh.can_write(j.repo, j.requested_by):
        gh.react(j.repo, j.comment_id, "confused")
        gh.reply(j.repo, j.number, comment.refused(j.requested_by), _marker("refused", j))
        return Skipped(Skip.NOT_ALLOWED)
    issue = gh.read_issue(j.repo, j.number)
    if issue.is_pull or issue.state != "open":
        return Skipped(Skip.NOT_AN_OPEN_ISSUE)
    cfg, _ = repo_config(gh, j.repo, issue.default_branch, load_config(settings))
    ask = _Ask(gh, j, cfg, issue.default_branch, links.find(issue.body), arxiv, records)
    if j.action == "add":
        return _add(ask)
    answered = ask.answer() if ask.found.papers else (Answer(()), "", "")  # no link: no comment, no label
    if answered is None:
        return Skipped(Skip.NO_LIST_FILE)
    answer, _, path = answered
    plan = comment.plan(answer, cfg["labels"], number=j.number)
    result = gh.apply_issue(j.repo, j.number, plan)
    log.info(
        "%s#%s: %d papers (%s): comment %s", j.repo, j.number, len(answer.proposals), path, result.comment
    )
    if answer.unverified:
        raise RetryLater(
            "some papers could not be verified (a source was unreachable)", UNVERIFIED_RETRY_SECONDS
        )
    return Answered(plan, result)


@dataclass(frozen=True)
class _Ask:
    """What answering one issue reads: the list on the default branch, and the papers' sources."""

    gh: GitHubAdapter
    job: ReviewJob
    cfg: Config
    branch: str  # the default branch
    found: links.Found
    arxiv: CachedArxiv | None
    records: RecordSources | None

    def answer(self, section: str | None = None) -> tuple[Answer, str, str] | None:
        """The answer, the list's text and its path (the config's first list file), or None when the
        default branch has no such file. Each source is asked once, for every paper at a time."""
        path = self.cfg["files"][0]
        text = self.gh.get_text(self.job.repo, path, self.branch)
        if text is None:
            log.info("%s#%s: no list file %s on %s", self.job.repo, self.job.number, path, self.branch)
            return None
        doc = pipeline.prepare(text, FORMATS.resolve(self.cfg, text))
        looked = _ask(self.arxiv, arxiv_ids(self.found), ArxivLookup)
        recs = _ask(self.records, record_ids(self.found), RecordLookup)
        return propose(doc, self.found, looked, recs, today=dt.date.today(), section=section), text, path


def _ask(source: Any, ids: list[str], empty: type) -> Any:
    """What ``source`` says of ``ids``; None when the source is turned off (offline)."""
    if source is None:
        return None
    return source.lookup(ids) if ids else empty()


def _add(ask: _Ask) -> Added:
    gh, j = ask.gh, ask.job
    gh.react(j.repo, j.comment_id, "eyes")  # taken: the maintainer sees it at once
    branch = BRANCH.format(number=j.number)
    first = gh.pull_from(j.repo, branch)
    if first is not None:
        return _done(gh, j, Added(first, comment.already(first)))
    answered = ask.answer(j.argument or None) if ask.found.papers else None
    if answered is None:
        return _done(gh, j, Added(None, comment.nothing(Answer(()))))
    answer, text, path = answered
    if any(p.unverified for p in answer.proposals if not p.duplicate):
        raise RetryLater("/add: a source could not be reached", delay=UNVERIFIED_RETRY_SECONDS)
    if not any(p.addable for p in answer.proposals):
        return _done(gh, j, Added(None, comment.nothing(answer)))
    from ..adapters.github_issues import MissingPermission  # PyGithub: loaded by workers only

    try:
        number = gh.open_pull(
            j.repo,
            branch=branch,
            base=ask.branch,
            path=path,
            text=inserted(text, answer),
            message=f"{comment.pull_title(answer)} (#{j.number})",
            title=comment.pull_title(answer),
            body=comment.pull_body(answer, j.number),
        )
    except MissingPermission as exc:
        return _done(gh, j, Added(None, comment.missing_permission(exc.what)))
    if number is None:  # a dry run
        return Added(None, "would open a pull request (dry run)")
    return _done(gh, j, Added(number, comment.opened(number), opened=True))


def _done(gh: GitHubAdapter, j: ReviewJob, out: Added) -> Added:
    gh.reply(j.repo, j.number, out.reply, _marker("add", j))
    gh.react(j.repo, j.comment_id, "+1" if out.pull is not None else "confused")
    return out


def _marker(what: str, j: ReviewJob) -> str:
    """One reply per command comment, however often its job runs."""
    return f"<!-- awesome-review:{what}:{j.comment_id or j.delivery_id} -->"
