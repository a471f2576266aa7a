"""The GitHub client: reads a pull request and what the bot wrote on it, performs the writes that
bot.core.verdict.reconcile decides, and maps GitHub's errors. With github_retry (waits and retries) and
github_auth (App tokens), the only modules that import PyGithub.

Authentication, in order of preference:

- GitHub App (``github_app_id`` + ``github_app_private_key`` and the event's installation id): an
  installation token from :class:`~bot.adapters.github_auth.InstallationTokens`, built once per
  process. Check runs need this mode.
- A token (``github_token``): commit statuses; with ``check_runs=True`` (the Action's GITHUB_TOKEN) a
  check run, and a commit status when GitHub says the token may not read or write checks.
- Anonymous (no credentials, ``settings.dry_run``): reads public repositories and only logs the plan.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import requests
from github import Auth, Github, GithubException
from github.GithubException import UnknownObjectException

from bot.adapters.github_auth import InstallationAuth, InstallationTokens
from bot.adapters.github_issues import IssueWrites
from bot.adapters.github_retry import ClientOptions, GitHubError, GitHubUnavailable, header_wait, make_retry
from bot.core.lines import split_lines
from bot.core.repo_name import valid_full_name
from bot.core.verdict import reconcile as rc
from bot.core.verdict.plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan
from bot.core.verdict.reconcile import ApplyResult, PullFile
from bot.settings import Settings

log = logging.getLogger(__name__)

STATUS_CONTEXT = "awesome-review"
_ANCHOR_WORDS = ("line", "path", "position", "hunk", "diff")
MAX_REPO_LOOKUPS = 100  # code repositories looked up per call; a huge PR leaves the rest unchecked

__all__ = [
    "ApplyResult",
    "ClientOptions",
    "GitHubAdapter",
    "GitHubError",
    "GitHubUnavailable",
    "InstallationTokens",
    "PullFile",
    "PullSnapshot",
    "RepoStatusCache",
]


@dataclass(frozen=True)
class PullSnapshot:
    repo: str
    number: int
    head_sha: str
    base_sha: str
    base_ref: str
    draft: bool
    state: str
    author: str
    files: list[PullFile]
    default_branch: str = ""  # the repository's; where its own .github/awesome-review.yml is read
    private: bool = True  # the repository's visibility (unknown: private, so the status page hides it)


class RepoStatusCache:
    """What GitHub said about code repositories, per process, shared by every job: a list PR often
    links repositories other PRs linked. "missing" is kept briefly: the author may publish it.

    Keyed by who asked (``scope``: the API URL and the installation or token), never by the name
    alone: a private repository is "ok" to an installation that can see it and "missing" to every
    other, so a shared answer would tell one tenant the private repository names of another."""

    def __init__(
        self, ttl: float = 6 * 3600.0, missing_ttl: float = 600.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.missing_ttl, self._clock = ttl, missing_ttl, clock
        self._data: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, scope: str, name: str) -> str | None:
        with self._lock:
            hit = self._data.get((scope, name.lower()))
        return hit[0] if hit is not None and hit[1] > self._clock() else None

    def put(self, scope: str, name: str, status: str) -> None:
        ttl = self.missing_ttl if status == "missing" else self.ttl
        with self._lock:
            if len(self._data) > 10000:  # bound memory: drop what has expired
                now = self._clock()
                self._data = {k: v for k, v in self._data.items() if v[1] > now}
            self._data[(scope, name.lower())] = (status, self._clock() + ttl)


def _annotation_json(a: Annotation) -> dict[str, Any]:
    return {
        "path": a.path,
        "start_line": a.line,
        "end_line": a.line,
        "annotation_level": a.level,
        "message": a.message[:60000],
        "title": a.title[:255],
    }


def _error_text(e: GithubException) -> str:
    data = e.data if isinstance(e.data, dict) else {}
    parts = [str(data.get("message") or e.message or "")]
    for err in data.get("errors") or []:
        parts.append(err if isinstance(err, str) else str(err.get("message") or err))
    return "; ".join(p for p in parts if p)


def _refusal(e: GithubException) -> rc.Refusal:
    """What a refused review post says, in reconcile's terms."""
    if e.status != 422:
        return rc.Refusal.OTHER
    if "own pull request" in _error_text(e):
        return rc.Refusal.OWN_PULL
    data = e.data if isinstance(e.data, dict) else {}
    errors = " ".join(str(x) for x in data.get("errors") or []).lower()
    return rc.Refusal.ANCHORS if any(w in errors for w in _ANCHOR_WORDS) else rc.Refusal.OTHER


def _transient(e: GithubException) -> bool:
    return e.status >= 500 or e.status == 429 or "rate limit" in _error_text(e)


def _not_permitted(e: GithubException) -> bool:
    """403 for a missing permission ("Resource not accessible by integration", "You must authenticate
    via a GitHub App"), not a rate limit, which also answers 403."""
    return e.status == 403 and not _transient(e) and header_wait(e.headers, time.time) is None


def _status_of(commit: Any) -> rc.Status | None:
    latest = next((s for s in commit.get_statuses() if s.context == STATUS_CONTEXT), None)
    return None if latest is None else rc.Status(latest.state, latest.description or "")


# --------------------------------------------------------------------------- the adapter


_TOKEN_LOGINS: dict[tuple[str, str], str] = {}  # (API URL, token digest) → login, for this process


def _login(item: Any) -> str | None:
    user = getattr(item, "user", None)
    return None if user is None else user.login


def _by_app(item: Any, *, performed: bool = True) -> bool:
    """Written by a GitHub App: a Bot author and (an issue comment says it) the App that performed it.
    Read from the JSON GitHub sent, never by asking again (PyGithub completes a missing attribute)."""
    raw = getattr(item, "_rawData", None) or {}
    bot = (raw.get("user") or {}).get("type") == "Bot"
    return bot and (not performed or bool(raw.get("performed_via_github_app")))


class GitHubAdapter(IssueWrites):
    """Reads and writes one installation's (or token's) view of GitHub (issues: github_issues)."""

    def __init__(
        self,
        settings: Settings,
        installation_id: int | None = None,
        *,
        options: ClientOptions | None = None,
        tokens: InstallationTokens | None = None,
        repo_statuses: RepoStatusCache | None = None,
        dry_run: bool | None = None,
        login: str | None = None,
        check_runs: bool = False,
    ) -> None:
        """``login``: who the token is when GitHub will not say (an installation token, such as the
        Actions GITHUB_TOKEN, may not read /user). ``check_runs``: with a token, post a check run and
        fall back to a commit status if the token may not write checks (Apps always post check runs)."""
        self._options = o = options or ClientOptions()
        self._login = login
        self._check_runs = check_runs
        self._repo_statuses = repo_statuses or RepoStatusCache()  # share one per process (connections)
        auth: Auth.Auth | None
        if settings.github_app_id and settings.github_app_private_key and installation_id is not None:
            self.mode = "app"
            self._tokens = tokens or InstallationTokens(settings, o)
            auth = InstallationAuth(self._tokens, installation_id)
        elif settings.github_token:
            self.mode = "token"
            auth = Auth.Token(settings.github_token)
        elif settings.github_app_id and settings.github_app_private_key:
            raise ValueError("GitHub App credentials need the event's installation id")
        else:
            self.mode = "anonymous"
            auth = None
        self.installation_id = installation_id
        self.app_id: str | None = settings.github_app_id if self.mode == "app" else None
        self.dry_run = self.mode == "anonymous" if dry_run is None else dry_run
        self._api_url = settings.github_api_url
        self._token_key = hashlib.sha256((settings.github_token or "").encode()).hexdigest()
        # An installation token (GitHub's documented `ghs_` prefix) may not ask who it is.
        self._installation_token = (settings.github_token or "").startswith("ghs_")
        # Who GitHub answers as: what one installation or token may see, another may not.
        principal = {
            "app": f"app:{self.app_id}:installation:{installation_id}",
            "token": f"token:{self._token_key}",
        }.get(self.mode, "anonymous")
        self.cache_scope = f"{self._api_url} {principal}"
        self._gh = Github(
            auth=auth,
            base_url=settings.github_api_url,
            timeout=o.timeout,
            user_agent=o.user_agent,
            per_page=o.per_page,
            retry=make_retry(o),
            seconds_between_requests=o.seconds_between_requests,
            seconds_between_writes=o.seconds_between_writes,
            lazy=True,  # objects are fetched when an attribute is read, not when a handle is made
        )

    def own_login(self) -> str | None:
        """Who the bot is on GitHub. Its review and summary are found by author and marker, never by
        marker alone: a contributor can paste the hidden marker into a comment of their own."""
        if self.mode == "app":
            return self._tokens.bot_login()
        if self.mode == "token":
            if self._login:
                return self._login
            key = (self._api_url, self._token_key)
            if key not in _TOKEN_LOGINS:
                _TOKEN_LOGINS[key] = rc.ANY_APP if self._installation_token else self._who()
            return _TOKEN_LOGINS[key]
        return None

    def _mine(self, comments: Any, marker: str) -> Any | None:
        """The first of an issue's ``comments`` that is the bot's own and carries ``marker``."""
        me = self.own_login()
        return next(
            (c for c in comments if rc.is_ours(c.body, _login(c), me, marker, by_app=_by_app(c))), None
        )

    def _who(self) -> str:
        """GET /user; an installation token GitHub will not answer for (403) is some App's."""
        try:
            return self._gh.get_user().login
        except GithubException as e:
            if _not_permitted(e):
                return rc.ANY_APP
            raise

    # ---- errors

    @contextmanager
    def _translate(self, what: str) -> Iterator[None]:
        """PyGithub/requests errors → GitHubUnavailable (try later) or GitHubError (give up)."""
        try:
            yield
        except GitHubUnavailable:
            raise
        except GithubException as e:
            text = _error_text(e)
            if e.status == 401 and self.mode == "app" and self.installation_id is not None:
                self._tokens.forget(self.installation_id)
            delay = header_wait(e.headers, self._options.clock)
            rate_limited = e.status == 429 or (
                e.status == 403 and (delay is not None or "rate limit" in text)
            )
            if e.status >= 500 or rate_limited:
                if rate_limited and delay is None:  # a bare secondary limit: GitHub asks for a minute
                    delay = self._options.secondary_rate_wait
                if rate_limited and self._options.on_rate_limit is not None:
                    self._options.on_rate_limit(delay or 0.0)
                raise GitHubUnavailable(f"{what}: GitHub {e.status} {text}", delay=delay) from e
            raise GitHubError(e.status, f"{what}: GitHub {e.status} {text}") from e
        except requests.exceptions.ReadTimeout as e:  # GitHub may still be doing it: look once it is done
            raise GitHubUnavailable(
                f"{what}: {type(e).__name__}: {e}", delay=self._options.write_settle
            ) from e
        except requests.exceptions.RequestException as e:
            raise GitHubUnavailable(f"{what}: {type(e).__name__}: {e}") from e

    # ---- reads

    def read_pull(self, repo_full_name: str, number: int) -> PullSnapshot:
        """The PR's head/base and every changed file with its patch (None when GitHub omits it)."""
        with self._translate(f"read {repo_full_name}#{number}"):
            pull = self._gh.get_repo(repo_full_name).get_pull(number)
            files = [
                PullFile(f.filename, f.status, f.patch, f.previous_filename or None) for f in pull.get_files()
            ]
            return PullSnapshot(
                repo=repo_full_name,
                number=number,
                head_sha=pull.head.sha,
                base_sha=pull.base.sha,
                base_ref=pull.base.ref,
                draft=bool(pull.draft),
                state=pull.state,
                author=pull.user.login,
                files=files,
                default_branch=pull.base.repo.default_branch or "",  # in the PR's JSON: no request
                private=pull.base.repo.private is not False,
            )

    def can_write(self, repo_full_name: str, login: str) -> bool:
        """Whether ``login`` may push to the repository (admin, maintain or write), asked of GitHub:
        an organisation MEMBER is not necessarily one. Without credentials nothing can be asked and
        nothing is posted (dry run): the author association the receiver checked stands."""
        if self.mode == "anonymous":
            return True
        if not login:
            return False
        with self._translate(f"read the permission of {login} on {repo_full_name}"):
            try:
                permission = self._gh.get_repo(repo_full_name).get_collaborator_permission(login)
            except UnknownObjectException:
                return False
        return permission in ("admin", "maintain", "write")

    def react(self, repo_full_name: str, comment_id: int | None, content: str) -> None:
        """A reaction on an issue comment (👀 "eyes" when a /recheck is taken, "+1" when done); a
        nicety, so a failure is logged, never raised."""
        if comment_id is None or self.dry_run:
            return
        try:
            with self._translate(f"react to comment {comment_id}"):
                self._gh.requester.requestJsonAndCheck(
                    "POST",
                    f"/repos/{repo_full_name}/issues/comments/{comment_id}/reactions",
                    input={"content": content},
                )
        except (GitHubUnavailable, GitHubError) as exc:
            log.warning("github: could not react to comment %s: %s", comment_id, exc)

    def default_branch(self, repo_full_name: str) -> str:
        """The repository's default branch (one request)."""
        with self._translate(f"read {repo_full_name}"):
            return self._gh.get_repo(repo_full_name).default_branch

    def repo_status(self, full_names: Sequence[str], cache: RepoStatusCache | None = None) -> dict[str, str]:
        """Status per "owner/name": ok, missing (404: absent or private) or archived; one GET
        /repos/{owner}/{name} per distinct name not in the cache. Names that are not valid GitHub
        names are never sent; a repository GitHub could not answer for is left out (no verdict)."""
        cache = self._repo_statuses if cache is None else cache
        out: dict[str, str] = {}
        asked = 0
        for name in dict.fromkeys(full_names):
            if not valid_full_name(name):
                continue
            hit = cache.get(self.cache_scope, name)
            if hit is not None:
                out[name] = hit
                continue
            if asked >= MAX_REPO_LOOKUPS:
                continue
            asked += 1
            try:
                with self._translate(f"read repository {name}"):
                    try:
                        status = "archived" if self._gh.get_repo(name).archived else "ok"
                    except UnknownObjectException:
                        status = "missing"
            except (GitHubUnavailable, GitHubError) as e:
                log.warning("github: code repository %s not checked: %s", name, e)
                continue
            cache.put(self.cache_scope, name, status)
            out[name] = status
        return out

    def get_bytes(self, repo_full_name: str, path: str, ref: str) -> bytes | None:
        """A file's bytes at ``ref``, or None when there is no such file (or it is a directory)."""
        with self._translate(f"read {repo_full_name}:{path}@{ref}"):
            repo = self._gh.get_repo(repo_full_name)
            try:
                content = repo.get_contents(path, ref=ref)
            except UnknownObjectException:
                return None
            if isinstance(content, list) or content.type != "file":
                return None
            if content.encoding == "base64":
                return content.decoded_content
            # over 1 MB the contents API sends no content: the blob API still does
            return base64.b64decode(repo.get_git_blob(content.sha).content)

    def get_text(self, repo_full_name: str, path: str, ref: str) -> str | None:
        """A file's text at ``ref`` (invalid UTF-8 replaced), or None when there is no such file."""
        data = self.get_bytes(repo_full_name, path, ref)
        return None if data is None else data.decode("utf-8", errors="replace")

    # ---- writes

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
            existing, handles = self._existing(repo, gh_pull, plan.head_sha, files)
            actions = rc.reconcile(plan, existing)
            posted: tuple[rc.PostReview, int] | None = None
            if actions and isinstance(actions[0], rc.PostReview):
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
                    if not (
                        isinstance(action, rc.CreateCheckRun) and self.mode == "token" and _not_permitted(e)
                    ):
                        raise
                    # The token reads checks but may not write them: a commit status instead.
                    log.info("github: this token may not write checks (%s): a commit status", _error_text(e))
                    fallback = replace(
                        existing, checks=False, status=_status_of(repo.get_commit(plan.head_sha))
                    )
                    result.check = "status-unchanged"
                    for status in (a for a in rc.reconcile(plan, fallback) if isinstance(a, rc.SetStatus)):
                        result.record(status, self._perform(repo, gh_pull, status, handles))
        log.info("github: applied %s#%s@%s: %s", repo_full_name, number, plan.head_sha[:7], result)
        return result

    def _existing(
        self, repo: Any, pull: Any, head_sha: str, files: Sequence[PullFile]
    ) -> tuple[rc.Existing, dict[tuple[str, int], Any]]:
        """What the bot wrote on the pull request before: its reviews (and the comments of the one at
        this head), its summary, the labels, and its check run or commit status; and the PyGithub
        objects read, by kind and id, for the writes that edit them."""
        me = self.own_login()
        handles: dict[tuple[str, int], Any] = {}
        found = None
        app = me == rc.ANY_APP
        if app:  # which App we are shows on the summary it wrote: then its reviews are by that login
            found = next(
                (
                    c
                    for c in pull.get_issue_comments()
                    if rc.is_ours(c.body, _login(c), me, SUMMARY_MARKER, by_app=_by_app(c))
                ),
                None,
            )
            me = _login(found) if found is not None else me
        ours = [
            r
            for r in pull.get_reviews()
            if rc.is_ours(r.body, _login(r), me, rc.REVIEW_MARKER_PREFIX, by_app=_by_app(r, performed=False))
        ]
        handles.update((("review", r.id), r) for r in ours)
        reviews = tuple(rc.Review(r.id, r.state, r.body) for r in ours)
        current = rc.review_at(reviews, head_sha)
        placed = (
            frozenset(
                (c.path, c.line) for c in pull.get_review_comments() if c.pull_request_review_id == current.id
            )
            if current is not None
            else frozenset()
        )
        if not app:
            found = next(
                (c for c in pull.get_issue_comments() if rc.is_ours(c.body, _login(c), me, SUMMARY_MARKER)),
                None,
            )
        summary = None
        if found is not None:
            handles["comment", found.id] = found
            summary = rc.Comment(found.id, found.body)
        labels = frozenset(label.name for label in pull.get_labels())
        commit = repo.get_commit(head_sha)
        run = status = None
        checks = self.mode == "app" or (self.mode == "token" and self._check_runs)
        if checks:
            try:
                run = self._newest_run(commit, handles)
            except GithubException as e:
                if self.mode == "app" or not _not_permitted(e):
                    raise
                log.info(
                    "github: this token may not read checks (%s): a commit status instead", _error_text(e)
                )
                checks = False
        if not checks:
            status = _status_of(commit)
        existing = rc.Existing(
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

    def _newest_run(self, commit: Any, handles: dict[tuple[str, int], Any]) -> rc.CheckRun | None:
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
        return rc.CheckRun(
            newest.id,
            out.title or "",
            out.summary or "",
            newest.status,
            newest.conclusion,
            out.annotations_count or 0,
        )

    def _post_review(
        self, repo: Any, pull: Any, post: rc.PostReview
    ) -> tuple[rc.Review, tuple[InlineComment, ...]]:
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
                review = pull.create_review(
                    commit=commit, body=attempt.body, event=attempt.event, comments=payload
                )
            except GithubException as e:
                following = rc.after_refusal(attempt, _refusal(e))
                if following is None:
                    raise
                log.warning("github: review refused (%s); trying again with less", _error_text(e))
                attempt = following
            else:
                return rc.Review(review.id, review.state, attempt.body), attempt.comments

    def _perform(
        self, repo: Any, pull: Any, action: rc.Action, handles: dict[tuple[str, int], Any]
    ) -> int | None:
        """One write; returns the id of what GitHub created (see ApplyResult.record)."""
        match action:
            case rc.DismissReview(review_id=review_id, message=message):
                try:
                    handles["review", review_id].dismiss(message)
                except GithubException as e:  # protected branch: not ours to dismiss
                    if _transient(e):
                        raise  # run again later, or a stale change request keeps blocking
                    log.warning("github: could not dismiss review %s: %s", review_id, _error_text(e))
                    return None
                return review_id
            case rc.CreateSummary(body=body):
                return pull.create_issue_comment(body).id
            case rc.EditSummary(comment_id=comment_id, body=body):
                handles["comment", comment_id].edit(body)
            case rc.AddLabels(names=names):
                pull.add_to_labels(*names)
            case rc.RemoveLabel(name=name):
                with contextlib.suppress(UnknownObjectException):  # removed meanwhile: fine as it is
                    pull.remove_from_labels(name)
            case rc.CreateCheckRun():
                first, *rest = action.chunks
                run = repo.create_check_run(
                    name=rc.CHECK_NAME,
                    head_sha=action.head_sha,
                    status="completed",
                    conclusion=action.conclusion,
                    output=self._output(action, first),
                )
                for chunk in rest:
                    run.edit(output=self._output(action, chunk))
                return run.id
            case rc.EditCheckRun():
                run = handles["run", action.run_id]
                for chunk in action.chunks:
                    run.edit(
                        status="completed", conclusion=action.conclusion, output=self._output(action, chunk)
                    )
            case rc.SetStatus():
                repo.get_commit(action.head_sha).create_status(
                    state=action.state, description=action.description, context=STATUS_CONTEXT
                )
        return None

    @staticmethod
    def _output(run: rc.CreateCheckRun | rc.EditCheckRun, chunk: Sequence[Annotation]) -> dict[str, Any]:
        return {
            "title": run.title,
            "summary": run.summary,
            "annotations": [_annotation_json(a) for a in chunk],
        }

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
