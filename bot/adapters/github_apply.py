"""The writes on a pull request: :meth:`PullWrites.apply`, mixed into the adapter (bot.adapters.github,
which reads and translates errors) and tried again after a 5xx; each try a :class:`PullWriter`,
which reads what the bot already wrote and makes the writes bot.core.verdict.reconcile asks for (the
review, the summary, labels, the check run or commit status), in PyGithub's terms."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from github import GithubException
from github.GithubException import UnknownObjectException

from bot.adapters.github_retry import GitHubUnavailable, error_text, header_wait
from bot.core.lines import split_lines
from bot.core.verdict import held, writes
from bot.core.verdict import reconcile as rc
from bot.core.verdict.applied import ApplyResult
from bot.core.verdict.held import PullFile, is_ours
from bot.core.verdict.plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan
from bot.core.verdict.writes import CreateCheckRun, EditCheckRun

if TYPE_CHECKING:
    from bot.adapters.github import PullSnapshot

log = logging.getLogger(__name__)

STATUS_CONTEXT = "awesome-review"
_ANCHOR_WORDS = ("line", "path", "position", "hunk", "diff")


def _annotation_json(a: Annotation) -> dict[str, Any]:
    return {
        "path": a.path,
        "start_line": a.line,
        "end_line": a.line,
        "annotation_level": a.level,
        "message": a.message[:60000],
        "title": a.title[:255],
    }


def _refusal(e: GithubException) -> writes.Refusal:
    """What a refused review post says, in reconcile's terms."""
    if e.status != 422:
        return writes.Refusal.OTHER
    if "own pull request" in error_text(e):
        return writes.Refusal.OWN_PULL
    data = e.data if isinstance(e.data, dict) else {}
    errors = " ".join(str(x) for x in data.get("errors") or []).lower()
    return writes.Refusal.ANCHORS if any(w in errors for w in _ANCHOR_WORDS) else writes.Refusal.OTHER


def _transient(e: GithubException) -> bool:
    return e.status >= 500 or e.status == 429 or "rate limit" in error_text(e)


def not_permitted(e: GithubException) -> bool:
    """403 for a missing permission ("Resource not accessible by integration", "You must authenticate
    via a GitHub App"), not a rate limit, which also answers 403."""
    return e.status == 403 and not _transient(e) and header_wait(e.headers, time.time) is None


def _status_of(commit: Any) -> held.Status | None:
    latest = next((s for s in commit.get_statuses() if s.context == STATUS_CONTEXT), None)
    return None if latest is None else held.Status(latest.state, latest.description or "")


def login_of(item: Any) -> str | None:
    user = getattr(item, "user", None)
    return None if user is None else user.login


def by_app(item: Any, *, performed: bool = True) -> bool:
    """Written by a GitHub App: a Bot author and (an issue comment says it) the App that performed it.
    Read from the JSON GitHub sent, never by asking again (PyGithub completes a missing attribute)."""
    raw = getattr(item, "_rawData", None) or {}
    bot = (raw.get("user") or {}).get("type") == "Bot"
    return bot and (not performed or bool(raw.get("performed_via_github_app")))


class PullWriter:
    """Posts one plan on one pull request, as ``login`` (who the bot is: its review and summary are
    found by author and marker). ``mode``: "app" (check runs) or "token" (a commit status, or a check
    run with ``check_runs`` when the token may write checks). ``before_write`` runs before every
    write: the queue's fence, which raises when the job no longer holds its pull request's lease."""

    def __init__(
        self,
        *,
        login: str | None,
        mode: str,
        app_id: str | None,
        check_runs: bool,
        before_write: Callable[[], None] | None = None,
    ) -> None:
        self.login, self.mode, self.app_id, self.check_runs = login, mode, app_id, check_runs
        self._before_write = before_write or (lambda: None)

    def apply(self, repo: Any, gh_pull: Any, plan: ReviewPlan, files: Sequence[PullFile]) -> ApplyResult:
        """Read what exists, then write what reconcile asks for: the review first (what GitHub refuses
        of it goes into the summary), then the summary, labels, and the check run or status."""
        existing, handles = self.existing(repo, gh_pull, plan.head_sha, files)
        actions = rc.reconcile(plan, existing)
        posted: tuple[writes.PostReview, int] | None = None
        if actions and isinstance(actions[0], writes.PostReview):
            review, placed = self._post_review(repo, gh_pull, actions[0])
            posted = (actions[0], review.id)
            existing = existing.with_review(review, placed)
            actions = rc.reconcile(plan, existing)
        result = ApplyResult.start(plan, existing)
        if posted is not None:
            result.record(*posted)
        for action in actions:
            try:
                result.record(action, self._perform(repo, gh_pull, action, handles))
            except GithubException as e:
                if not (isinstance(action, CreateCheckRun) and self.mode == "token" and not_permitted(e)):
                    raise
                # The token reads checks but may not write them: a commit status instead.
                log.info("github: this token may not write checks (%s): a commit status", error_text(e))
                fallback = replace(existing, checks=False, status=_status_of(repo.get_commit(plan.head_sha)))
                result.check = "status-unchanged"
                for status in (a for a in rc.reconcile(plan, fallback) if isinstance(a, writes.SetStatus)):
                    result.record(status, self._perform(repo, gh_pull, status, handles))
        return result

    def existing(
        self, repo: Any, pull: Any, head_sha: str, files: Sequence[PullFile]
    ) -> tuple[held.Existing, dict[tuple[str, int], Any]]:
        """What the bot wrote on the pull request before: its reviews (and the comments of the one at
        this head), its summary, the labels, and its check run or commit status; and the PyGithub
        objects read, by kind and id, for the writes that edit them."""
        me = self.login
        handles: dict[tuple[str, int], Any] = {}
        found = None
        app = me == held.ANY_APP
        if app:  # which App we are shows on the summary it wrote: then its reviews are by that login
            found = next(
                (
                    c
                    for c in pull.get_issue_comments()
                    if is_ours(c.body, login_of(c), me, SUMMARY_MARKER, by_app=by_app(c))
                ),
                None,
            )
            me = login_of(found) if found is not None else me
        ours = [
            r
            for r in pull.get_reviews()
            if is_ours(r.body, login_of(r), me, held.REVIEW_MARKER_PREFIX, by_app=by_app(r, performed=False))
        ]
        handles.update((("review", r.id), r) for r in ours)
        reviews = tuple(held.Review(r.id, r.state, r.body) for r in ours)
        current = held.review_at(reviews, head_sha)
        placed = (
            frozenset(
                (c.path, c.line) for c in pull.get_review_comments() if c.pull_request_review_id == current.id
            )
            if current is not None
            else frozenset()
        )
        if not app:
            found = next(
                (c for c in pull.get_issue_comments() if is_ours(c.body, login_of(c), me, SUMMARY_MARKER)),
                None,
            )
        summary = None
        if found is not None:
            handles["comment", found.id] = found
            summary = held.Comment(found.id, found.body)
        labels = frozenset(label.name for label in pull.get_labels())
        commit = repo.get_commit(head_sha)
        run = status = None
        checks = self.mode == "app" or (self.mode == "token" and self.check_runs)
        if checks:
            try:
                run = self._newest_run(commit, handles)
            except GithubException as e:
                if self.mode == "app" or not not_permitted(e):
                    raise
                log.info(
                    "github: this token may not read checks (%s): a commit status instead", error_text(e)
                )
                checks = False
        if not checks:
            status = _status_of(commit)
        existing = held.Existing(
            files=tuple(files),
            reviews=reviews,
            placed=placed,
            summary=summary,
            labels=labels,
            checks=checks,
            check_run=run,
            status=status,
        )
        return existing, handles

    def _newest_run(self, commit: Any, handles: dict[tuple[str, int], Any]) -> held.CheckRun | None:
        """The newest check run of the bot's name for the commit (the App's own, in App mode)."""
        runs = (
            r
            for r in commit.get_check_runs(check_name=rc.CHECK_NAME)
            if self.app_id is None or r.app is None or str(r.app.id) == str(self.app_id)
        )
        newest = next(runs, None)  # newest first
        if newest is None:
            return None
        handles["run", newest.id] = newest
        out = newest.output
        return held.CheckRun(
            newest.id,
            out.title or "",
            out.summary or "",
            newest.status,
            newest.conclusion,
            out.annotations_count or 0,
        )

    def _post_review(
        self, repo: Any, pull: Any, post: writes.PostReview
    ) -> tuple[held.Review, tuple[InlineComment, ...]]:
        """Post the review, trying what reconcile says next each time GitHub refuses it."""
        commit = repo.get_commit(post.head_sha)
        attempt = post
        while True:
            payload = [
                {"path": c.path, "line": c.line, "side": "RIGHT", "body": c.body}
                | ({"start_line": c.start_line, "start_side": "RIGHT"} if c.start_line else {})
                for c in attempt.comments
            ]
            try:
                self._before_write()
                review = pull.create_review(
                    commit=commit, body=attempt.body, event=attempt.event, comments=payload
                )
            except GithubException as e:
                following = rc.after_refusal(attempt, _refusal(e))
                if following is None:
                    raise
                log.warning("github: review refused (%s); trying again with less", error_text(e))
                attempt = following
            else:
                return held.Review(review.id, review.state, attempt.body), attempt.comments

    def _perform(
        self, repo: Any, pull: Any, action: writes.Action, handles: dict[tuple[str, int], Any]
    ) -> int | None:
        """One write; returns the id of what GitHub created (see ApplyResult.record)."""
        self._before_write()
        match action:
            case writes.DismissReview(review_id=review_id, message=message):
                try:
                    handles["review", review_id].dismiss(message)
                except GithubException as e:  # protected branch: not ours to dismiss
                    if _transient(e):
                        raise  # run again later, or a stale change request keeps blocking
                    log.warning("github: could not dismiss review %s: %s", review_id, error_text(e))
                    return None
                return review_id
            case writes.CreateSummary(body=body):
                return pull.create_issue_comment(body).id
            case writes.EditSummary(comment_id=comment_id, body=body):
                handles["comment", comment_id].edit(body)
            case writes.AddLabels(names=names):
                pull.add_to_labels(*names)
            case writes.RemoveLabel(name=name):
                with contextlib.suppress(UnknownObjectException):  # removed meanwhile: fine as it is
                    pull.remove_from_labels(name)
            case CreateCheckRun():
                first, *rest = action.chunks
                run = repo.create_check_run(
                    name=rc.CHECK_NAME,
                    head_sha=action.head_sha,
                    status="completed",
                    conclusion=action.conclusion,
                    output=self._output(action, first),
                )
                for chunk in rest:
                    self._before_write()
                    run.edit(output=self._output(action, chunk))
                return run.id
            case EditCheckRun():
                run = handles["run", action.run_id]
                for chunk in action.chunks:
                    self._before_write()
                    run.edit(
                        status="completed", conclusion=action.conclusion, output=self._output(action, chunk)
                    )
            case writes.SetStatus():
                repo.get_commit(action.head_sha).create_status(
                    state=action.state, description=action.description, context=STATUS_CONTEXT
                )
        return None

    @staticmethod
    def _output(run: CreateCheckRun | EditCheckRun, chunk: Sequence[Annotation]) -> dict[str, Any]:
        return {
            "title": run.title,
            "summary": run.summary,
            "annotations": [_annotation_json(a) for a in chunk],
        }


class PullWrites:
    """What the adapter writes on a pull request: :meth:`apply`. Mixed into
    :class:`bot.adapters.github.GitHubAdapter` (``self``), through its client, errors and dry run."""

    _gh: Any
    _options: Any  # ClientOptions
    _check_runs: bool
    dry_run: bool
    mode: str
    app_id: str | None

    if TYPE_CHECKING:  # the adapter's

        def own_login(self) -> str | None: ...

        def _translate(self, what: str) -> contextlib.AbstractContextManager[None]: ...

    def apply(
        self, repo_full_name: str, number: int, plan: ReviewPlan, *, pull: PullSnapshot | None = None
    ) -> ApplyResult:
        """Post the plan; safe to call again for the same head SHA (nothing is duplicated).

        Reads what the bot already wrote, then performs what bot.core.verdict.reconcile asks for: the review
        first (what GitHub refuses of it goes into the summary), then the summary, labels, and the
        check run (App) or commit status (token). Pass the snapshot from :meth:`read_pull` as ``pull``
        to save requests; the head is re-read anyway so a stale plan writes nothing.
        """
        if self.dry_run:
            self._log_plan(repo_full_name, number, plan)
            return ApplyResult(plan.head_sha, dry_run=True, review="skipped", check="skipped")
        # A write GitHub failed with a 5xx (or a dropped connection) is tried again here, after a
        # short wait, before the job fails: each try reads what exists first, so what GitHub did
        # before failing is not done twice. A timeout (GitHub may still be writing) or a rate limit
        # (GitHub says how long) goes to the queue with its delay instead.
        for wait in (*self._options.write_retries, None):
            try:
                return self._apply(repo_full_name, number, plan, pull)
            except GitHubUnavailable as exc:
                if wait is None or exc.delay is not None:
                    raise
                log.warning("github: %s; applying again in %gs", exc, wait)
                self._options.sleep(wait)
        raise AssertionError("unreachable")

    def _apply(
        self, repo_full_name: str, number: int, plan: ReviewPlan, pull: PullSnapshot | None
    ) -> ApplyResult:
        with self._translate(f"apply to {repo_full_name}#{number}"):
            repo = self._gh.get_repo(repo_full_name)
            gh_pull = repo.get_pull(number)
            if gh_pull.head.sha != plan.head_sha:
                log.info("github: %s#%s moved past %s; plan dropped", repo_full_name, number, plan.head_sha)
                return ApplyResult(plan.head_sha, stale=True)
            if pull is None or pull.head_sha != plan.head_sha:
                files = [PullFile(f.filename, f.status, f.patch) for f in gh_pull.get_files()]
            else:
                files = pull.files
            writer = PullWriter(
                login=self.own_login(),
                mode=self.mode,
                app_id=self.app_id,
                check_runs=self._check_runs,
                before_write=self._options.before_write,
            )
            result = writer.apply(repo, gh_pull, plan, files)
        log.info("github: applied %s#%s@%s: %s", repo_full_name, number, plan.head_sha[:7], result)
        return result

    def _log_plan(self, repo_full_name: str, number: int, plan: ReviewPlan) -> None:
        log.info(
            "github (dry run): %s#%s@%s event=%s comments=%d labels=%s conclusion=%s annotations=%d",
            repo_full_name,
            number,
            plan.head_sha[:7],
            plan.event,
            len(plan.comments),
            sorted(plan.labels),
            plan.conclusion,
            len(plan.annotations),
        )
        for c in plan.comments:
            log.info("github (dry run):   %s:%s %s", c.path, c.line, split_lines(c.body)[0] if c.body else "")
        log.info("github (dry run): summary:\n%s", plan.summary)
