"""The GitHub client: reads a pull request, hands the writes that bot.core.verdict.reconcile decides to
bot.adapters.github_apply, and maps GitHub's errors. With github_apply (the writes), github_issues
(issues and /add), github_retry (waits and retries) and github_auth (App tokens), the only modules that
import PyGithub.

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
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import requests
from github import Auth, Github, GithubException
from github.GithubException import UnknownObjectException

from bot.adapters.github_apply import PullWrites, by_app, login_of, not_permitted
from bot.adapters.github_auth import InstallationAuth, InstallationTokens
from bot.adapters.github_issues import IssueWrites
from bot.adapters.github_retry import (
    ClientOptions,
    GitHubError,
    GitHubUnavailable,
    error_text,
    header_wait,
    make_retry,
)
from bot.adapters.http import AnswerTooLarge, RedirectRefused, bound_pygithub
from bot.core.repo_name import valid_full_name
from bot.core.verdict import held
from bot.core.verdict.applied import ApplyResult
from bot.core.verdict.held import PullFile
from bot.settings import Settings

log = logging.getLogger(__name__)

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


# --------------------------------------------------------------------------- the adapter


_TOKEN_LOGINS: dict[tuple[str, str], str] = {}  # (API URL, token digest) → login, for this process


def _public_status(repo: Any) -> str:
    """A repository only the token can see (private, or internal to an enterprise) is "missing"."""
    if repo.private or (repo.visibility or "public") != "public":
        return "missing"
    return "archived" if repo.archived else "ok"


class GitHubAdapter(IssueWrites, PullWrites):
    """Reads and writes one installation's (or token's) view of GitHub (writes on a pull request:
    github_apply; issues: github_issues)."""

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
        bound_pygithub(self._gh.requester, o.max_answer_bytes)

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
                _TOKEN_LOGINS[key] = held.ANY_APP if self._installation_token else self._who()
            return _TOKEN_LOGINS[key]
        return None

    def _mine(self, comments: Any, marker: str) -> Any | None:
        """The first of an issue's ``comments`` that is the bot's own and carries ``marker``."""
        me = self.own_login()
        return next(
            (c for c in comments if held.is_ours(c.body, login_of(c), me, marker, by_app=by_app(c))), None
        )

    def _who(self) -> str:
        """GET /user; an installation token GitHub will not answer for (403) is some App's."""
        try:
            return self._gh.get_user().login
        except GithubException as e:
            if not_permitted(e):
                return held.ANY_APP
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
            text = error_text(e)
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
        except RuntimeError as e:  # PyGithub's refusal of a 301 to another host or scheme: not followed
            if "redirected" not in str(e):
                raise
            raise GitHubError(301, f"{what}: {e}") from e
        except (AnswerTooLarge, RedirectRefused) as e:  # it would be the same next time
            raise GitHubError(413 if isinstance(e, AnswerTooLarge) else 307, f"{what}: {e}") from e
        except requests.exceptions.ReadTimeout as e:  # GitHub may still be doing it: look once it is done
            raise GitHubUnavailable(
                f"{what}: {type(e).__name__}: {e}", delay=self._options.write_settle
            ) from e
        except requests.exceptions.RequestException as e:
            raise GitHubUnavailable(f"{what}: {type(e).__name__}: {e}") from e

    # ---- reads

    def read_pull(self, repo_full_name: str, number: int) -> PullSnapshot:
        """The PR's head/base and every changed file with its patch (None when GitHub omits it). The
        head is read before the files and again after them: a push landing in between would pair
        the new head with the old files (or the old head with the new ones), so the PR is read again."""
        with self._translate(f"read {repo_full_name}#{number}"):
            repo = self._gh.get_repo(repo_full_name)
            for _ in range(3):
                pull = repo.get_pull(number)
                head = pull.head.sha  # the pull request itself first (PyGithub reads it lazily)
                files = [
                    PullFile(f.filename, f.status, f.patch, f.previous_filename or None)
                    for f in pull.get_files()
                ]
                if repo.get_pull(number).head.sha == head:
                    break
                log.info("github: %s#%s moved while it was read; reading it again", repo_full_name, number)
            else:
                raise GitHubUnavailable(f"read {repo_full_name}#{number}: its head kept moving")
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
        self._fence()
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
        """Status per "owner/name" as the public sees it: ok, archived, or missing (absent, or private:
        the token, an installation's, may see the organisation's private repositories, and a contributor
        must not learn their names from the bot; one answer for both); one GET
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
                        status = _public_status(self._gh.get_repo(name))
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
