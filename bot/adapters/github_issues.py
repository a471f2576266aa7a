"""Issues and the pull requests `/add` opens: the GitHub adapter's reads and writes on an issue (its
one comment, labels, replies) and the branch, commit and pull request that insert an entry. Mixed
into :class:`bot.adapters.github.GitHubAdapter`, through the same client, errors and dry run."""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from typing import Any

from github import GithubException
from github.GithubException import UnknownObjectException

from bot.core.verdict import held, writes
from bot.core.verdict import reconcile as rc
from bot.core.verdict.plan import ISSUE_MARKER, IssuePlan

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IssueSnapshot:
    repo: str
    number: int
    state: str
    body: str
    is_pull: bool
    default_branch: str
    private: bool = True


@dataclass
class IssueResult:
    comment: str = "unchanged"  # created | updated | unchanged | none
    comment_id: int | None = None
    labels_added: list[str] = field(default_factory=list)
    labels_removed: list[str] = field(default_factory=list)
    dry_run: bool = False


class MissingPermission(Exception):
    """GitHub refused a write for want of a permission (403 "Resource not accessible by integration",
    or Actions not allowed to open pull requests): says which."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class IssueWrites:
    """What the bot does on issues; ``self`` is a GitHubAdapter."""

    _gh: Any
    _options: Any  # ClientOptions
    dry_run: bool
    mode: str

    def _fence(self) -> None:
        """Before each write: the queue's lease check (ClientOptions.before_write), if any."""
        if self._options.before_write is not None:
            self._options.before_write()

    def read_issue(self, repo_full_name: str, number: int) -> IssueSnapshot:
        with self._translate(f"read {repo_full_name}#{number}"):  # type: ignore[attr-defined]
            repo = self._gh.get_repo(repo_full_name)
            issue = repo.get_issue(number)
            return IssueSnapshot(
                repo_full_name,
                number,
                issue.state,
                issue.body or "",
                issue.pull_request is not None,
                repo.default_branch or "",
                repo.private is not False,
            )

    def apply_issue(self, repo_full_name: str, number: int, plan: IssuePlan) -> IssueResult:
        """The issue's one comment (found by marker and author, edited in place) and its labels."""
        if self.dry_run:
            log.info("github (dry run): %s#%s issue comment:\n%s", repo_full_name, number, plan.body)
            return IssueResult(comment="none", dry_run=True)
        result = IssueResult()
        with self._translate(f"answer {repo_full_name}#{number}"):  # type: ignore[attr-defined]
            issue = self._gh.get_repo(repo_full_name).get_issue(number)
            found = self._mine(issue.get_comments(), ISSUE_MARKER)  # type: ignore[attr-defined]
            existing = held.ExistingIssue(
                None if found is None else held.Comment(found.id, found.body),
                frozenset(label.name for label in issue.get_labels()),
            )
            if found is not None:
                result.comment_id = found.id
            for action in rc.reconcile_issue(plan, existing):
                match action:
                    case writes.CreateSummary(body=body):
                        self._fence()
                        result.comment, result.comment_id = "created", issue.create_comment(body).id
                    case writes.EditSummary(body=body):
                        self._fence()
                        found.edit(body)
                        result.comment = "updated"
                    case writes.AddLabels(names=names):
                        self._fence()
                        issue.add_to_labels(*names)
                        result.labels_added += names
                    case writes.RemoveLabel(name=name):
                        self._fence()
                        with contextlib.suppress(UnknownObjectException):
                            issue.remove_from_labels(name)
                        result.labels_removed.append(name)
        if found is None and result.comment == "unchanged":
            result.comment = "none"
        return result

    def reply(self, repo_full_name: str, number: int, body: str, marker: str = "") -> None:
        """A one-line answer on an issue; with ``marker``, not posted again when the bot's comment
        carrying it is there already (a job run twice after a crash)."""
        if self.dry_run:
            log.info("github (dry run): %s#%s reply: %s", repo_full_name, number, body)
            return
        with self._translate(f"reply on {repo_full_name}#{number}"):  # type: ignore[attr-defined]
            issue = self._gh.get_repo(repo_full_name).get_issue(number)
            if marker:
                if self._mine(issue.get_comments(), marker) is not None:  # type: ignore[attr-defined]
                    return
                body = f"{body}\n\n{marker}"
            self._fence()
            issue.create_comment(body)

    def pull_from(self, repo_full_name: str, branch: str) -> int | None:
        """The number of a pull request (open or closed) from ``branch`` of the repository itself."""
        owner = repo_full_name.split("/", 1)[0]
        with self._translate(f"read the pull requests of {repo_full_name}"):  # type: ignore[attr-defined]
            pulls = self._gh.get_repo(repo_full_name).get_pulls(state="all", head=f"{owner}:{branch}")
            first = min((p.number for p in pulls), default=None)
        return first

    def open_pull(
        self,
        repo_full_name: str,
        *,
        branch: str,
        base: str,
        path: str,
        text: str,
        message: str,
        title: str,
        body: str,
    ) -> int | None:
        """Commit ``text`` as ``path`` on a new ``branch`` from ``base``'s head and open a pull request
        from it; safe to run again (an existing branch holding the text is used as it is). Returns the
        pull request's number (None in a dry run). Raises MissingPermission naming what is missing."""
        if self.dry_run:
            log.info(
                "github (dry run): %s: would open a pull request from %s:\n%s", repo_full_name, branch, body
            )
            return None
        with self._translate(f"open a pull request on {repo_full_name}"):  # type: ignore[attr-defined]
            repo = self._gh.get_repo(repo_full_name)
            try:
                head = repo.get_git_ref(f"heads/{base}").object.sha
                try:
                    self._fence()
                    repo.create_git_ref(ref=f"refs/heads/{branch}", sha=head)
                except GithubException as e:
                    if e.status != 422:  # "Reference already exists": a run before this one made it
                        raise
                current = repo.get_contents(path, ref=branch)
                if current.decoded_content.decode("utf-8", errors="replace") != text:
                    self._fence()
                    repo.update_file(path, message, text.encode("utf-8"), current.sha, branch=branch)
                self._fence()
                pull = repo.create_pull(
                    base=base, head=branch, title=title, body=body, maintainer_can_modify=True
                )
            except GithubException as e:
                if e.status == 403 and not _rate_limited(e):
                    raise MissingPermission(_permission(e)) from e
                raise
            return pull.number


def _rate_limited(e: GithubException) -> bool:
    data = e.data if isinstance(e.data, dict) else {}
    return "rate limit" in str(data.get("message") or "").lower() or "Retry-After" in (e.headers or {})


def _permission(e: GithubException) -> str:
    data = e.data if isinstance(e.data, dict) else {}
    message = str(data.get("message") or "")
    if "not permitted to create or approve pull requests" in message:
        return (
            "“Allow GitHub Actions to create and approve pull requests” (the repository's Actions settings)"
        )
    return "Contents: write and Pull requests: write"
