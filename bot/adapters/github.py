"""The GitHub adapter: read a pull request, apply a :class:`ReviewPlan` idempotently. The only module
that imports PyGithub.

Authentication, in order of preference:

- GitHub App (``github_app_id`` + ``github_app_private_key`` and the event's installation id): a JWT
  buys an installation token, cached per installation in :class:`InstallationTokens` until five
  minutes before it expires (PyGithub's own ``AppInstallationAuth`` refreshes only 20 s before, and
  its cache dies with the ``Github`` object; ours is shared by every job of the process). Check runs
  need this mode.
- A token (``github_token``): commit statuses instead of check runs.
- Anonymous (no credentials, ``settings.dry_run``): reads public repositories and only logs the plan.

Retries: one mechanism, urllib3's, through PyGithub's ``retry=`` hook (:class:`GithubRetry`, which
already understands GitHub's 403 rate-limit bodies). Our subclass adds:

- 429 is retried, and ``x-ratelimit-remaining: 0`` + ``x-ratelimit-reset`` wins over any backoff
  (measured with an injectable clock); otherwise ``Retry-After``; otherwise the secondary-limit wait
  for 403/429, else exponential backoff.
- Sleeping goes through ``ClientOptions.sleep`` (tests pass a recorder), and a wait longer than
  ``ClientOptions.max_wait`` is not slept at all: it raises :class:`GitHubUnavailable` with the delay,
  so the queue reschedules the job instead of pinning a worker for an hour.
- POST and PATCH are never resent after a 5xx or a read timeout (GitHub may have done the work: a
  second review, duplicated annotations); they are resent only after a rate-limit refusal, which
  GitHub documents as "not processed". The job as a whole is safe to run again because
  :meth:`GitHubAdapter.apply` looks up what already exists first.

``seconds_between_requests``/``seconds_between_writes`` default to None (PyGithub would sleep 0.25 s
per request and 1 s per write); a deployment that posts a lot may set them in :class:`ClientOptions`.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests
from github import Auth, Github, GithubException, GithubIntegration, GithubRetry
from github.GithubException import UnknownObjectException

from bot.core.lines import split_lines
from bot.core.markdown import code
from bot.core.plan import SUMMARY_MARKER, Annotation, InlineComment, ReviewPlan
from bot.core.repo_name import valid_full_name
from bot.service import metrics
from bot.service.errors import RetryLater
from bot.settings import Settings

log = logging.getLogger(__name__)

CHECK_NAME = "awesome-review"
STATUS_CONTEXT = "awesome-review"
REVIEW_MARKER_PREFIX = "<!-- awesome-review:review:"
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit per check-run request; PATCH appends more
_REPLAYABLE = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})  # same effect when sent twice
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_ANCHOR_WORDS = ("line", "path", "position", "hunk", "diff")
COMMENT_LIMIT = 65_536  # GitHub answers 422 for a longer comment body: the summary would be lost
MAX_REPO_LOOKUPS = 100  # code repositories looked up per call; a huge PR leaves the rest unchecked


def review_marker(head_sha: str) -> str:
    """Hidden marker in a review body: at most one review per head SHA."""
    return f"{REVIEW_MARKER_PREFIX}{head_sha} -->"


# --------------------------------------------------------------------------- values and errors


@dataclass(frozen=True)
class PullFile:
    filename: str
    status: str  # added | modified | removed | renamed | copied | changed | unchanged
    patch: str | None  # None: GitHub omitted it (large diff) — fall back to contents at base/head
    previous_filename: str | None = None


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


@dataclass
class ApplyResult:
    """What :meth:`GitHubAdapter.apply` did, for the log and for tests."""

    head_sha: str
    dry_run: bool = False
    stale: bool = False  # the PR's head moved past plan.head_sha: nothing was written
    review: str = "none"  # created | exists | none (plan.event is None) | skipped
    review_id: int | None = None
    dismissed_reviews: list[int] = field(default_factory=list)
    summary: str = "skipped"  # created | updated | unchanged | skipped
    summary_comment_id: int | None = None
    labels_added: list[str] = field(default_factory=list)
    labels_removed: list[str] = field(default_factory=list)
    check: str = "none"  # created | updated | unchanged | status | status-unchanged | none
    check_run_id: int | None = None
    annotations_posted: int = 0
    rejected: list[InlineComment] = field(default_factory=list)  # anchors GitHub would not take


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


REPO_STATUS_CACHE = RepoStatusCache()


class GitHubError(Exception):
    """GitHub refused for good (401, 404, 422 that no retry fixes): the job should fail loudly."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


class GitHubUnavailable(RetryLater):
    """GitHub failed transiently (5xx, rate limit, timeout): run the job again later, judge no one."""


@dataclass
class ClientOptions:
    """Knobs for the HTTP client; the defaults suit production, tests shrink the waits."""

    timeout: int = 15
    retries: int = 4
    backoff_factor: float = 0.5
    secondary_rate_wait: float = 60.0  # GitHub: wait at least a minute after a bare secondary limit
    max_wait: float = 120.0  # longer waits are handed to the queue (GitHubUnavailable.delay)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    seconds_between_requests: float | None = None
    seconds_between_writes: float | None = None
    per_page: int = 100
    token_refresh_margin: float = 300.0
    user_agent: str = "awesome-review"


# --------------------------------------------------------------------------- retries


class _Retry(GithubRetry):
    """GithubRetry with an injectable sleep/clock, 429 support, a wait cap and no blind replays of
    non-idempotent writes (see the module docstring)."""

    def __init__(
        self,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        max_wait: float = 120.0,
        **kw: Any,
    ) -> None:
        self._sleeper = sleep
        self._clock = clock
        self._max_wait = max_wait
        super().__init__(**kw)

    def new(self, **kw: Any) -> _Retry:
        kw.update(sleep=self._sleeper, clock=self._clock, max_wait=self._max_wait)
        kw["status_forcelist"] = sorted(
            set(kw.get("status_forcelist") or self.status_forcelist or []) - {403}
        )
        return super().new(**kw)

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        # urllib3 asks this once per response received: the hook that counts GitHub requests.
        metrics.github_call(ok=status_code < 500 and status_code not in (403, 429))
        if status_code >= 500 and method.upper() not in _REPLAYABLE:
            return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method: str | None = None, url: str | None = None, *args: Any, **kw: Any) -> Any:
        error = kw.get("error") if "error" in kw else (args[1] if len(args) > 1 else None)
        if error is not None:  # no response at all (refused, reset, timeout): a failed request
            metrics.github_call(ok=False)
        if error is not None and self._is_read_error(error) and (method or "").upper() not in _REPLAYABLE:
            raise error  # the server may have acted on it: let the job decide, never resend
        return super().increment(method, url, *args, **kw)

    def wait_for(self, response: Any | None) -> float:
        """Seconds to wait before the next attempt, from the response's headers or the backoff."""
        if response is not None:
            headers = response.headers
            reset = str(headers.get("x-ratelimit-reset") or "")
            if str(headers.get("x-ratelimit-remaining")) == "0" and reset.isdigit():
                return max(int(reset) - self._clock(), 0.0) + 1.0
            try:
                after = self.get_retry_after(response)
            except Exception:  # an unparsable Retry-After: fall back to the backoff
                after = None
            if after is not None:
                return float(after)
            if response.status in (403, 429):
                return max(self.get_backoff_time(), float(self.secondary_rate_wait))
        return self.get_backoff_time()

    def sleep(self, response: Any | None = None) -> None:
        wait = self.wait_for(response)
        if wait > self._max_wait:
            raise GitHubUnavailable(f"GitHub asks to wait {wait:.0f}s", delay=wait)
        if wait > 0:
            log.info("github: waiting %.1fs before retrying", wait)
            self._sleeper(wait)

    def sleep_for_retry(self, response: Any) -> bool:  # redirects with Retry-After
        self.sleep(response)
        return True


def _make_retry(o: ClientOptions) -> _Retry:
    return _Retry(
        sleep=o.sleep,
        clock=o.clock,
        max_wait=o.max_wait,
        secondary_rate_wait=o.secondary_rate_wait,
        total=o.retries,
        backoff_factor=o.backoff_factor,
        status_forcelist=[*range(500, 600), 429],
        raise_on_status=False,  # the last response reaches PyGithub, which raises with its status
    )


# --------------------------------------------------------------------------- App authentication


class InstallationTokens:
    """Installation tokens of one GitHub App, cached per installation until ``token_refresh_margin``
    seconds before they expire. Create one per process and share it between adapters."""

    def __init__(self, settings: Settings, options: ClientOptions | None = None) -> None:
        if not (settings.github_app_id and settings.github_app_private_key):
            raise ValueError("GitHub App authentication needs GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY")
        self._settings = settings
        self._options = options or ClientOptions()
        app_id = settings.github_app_id
        self.app_id: int | str = int(app_id) if app_id.isdigit() else app_id
        self._app_auth = Auth.AppAuth(self.app_id, settings.github_app_private_key)
        self._integration: GithubIntegration | None = None
        self._login: str | None = None
        self._cache: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def token(self, installation_id: int) -> str:
        """A valid token for the installation, asking GitHub only when the cached one is near expiry."""
        o = self._options
        with self._lock:
            hit = self._cache.get(installation_id)
            if hit is not None and hit[1] - o.token_refresh_margin > o.clock():
                return hit[0]
            grant = self._get_integration().get_access_token(installation_id)
            self._cache[installation_id] = (grant.token, grant.expires_at.timestamp())
            log.info("github: new installation token for %s", installation_id)
            return grant.token

    def bot_login(self) -> str:
        """The App's bot user, `<slug>[bot]`: the author of everything the App writes."""
        with self._lock:
            if self._login is None:
                self._login = f"{self._get_integration().get_app().slug}[bot]"
            return self._login

    def _get_integration(self) -> GithubIntegration:
        if self._integration is None:
            o = self._options
            self._integration = GithubIntegration(
                auth=self._app_auth,
                base_url=self._settings.github_api_url,
                timeout=o.timeout,
                user_agent=o.user_agent,
                retry=_make_retry(o),
                seconds_between_requests=o.seconds_between_requests,
                seconds_between_writes=o.seconds_between_writes,
            )
        return self._integration

    def forget(self, installation_id: int) -> None:
        """Drop a token GitHub no longer accepts (revoked, clock skew)."""
        with self._lock:
            self._cache.pop(installation_id, None)


class _InstallationAuth(Auth.Auth):
    """PyGithub asks for the token on every request, so a refreshed token is used at once."""

    def __init__(self, tokens: InstallationTokens, installation_id: int) -> None:
        self._tokens = tokens
        self._installation_id = installation_id

    @property
    def token_type(self) -> str:
        return "token"

    @property
    def token(self) -> str:
        return self._tokens.token(self._installation_id)

    @property
    def _masked_token(self) -> str:
        return "token (installation token removed)"


# --------------------------------------------------------------------------- helpers


def commentable_lines(patch: str | None) -> set[int]:
    """New-file lines a review comment may anchor on (side RIGHT): added and context lines."""
    lines: set[int] = set()
    if not patch:
        return lines
    new = 0
    in_hunk = False
    for raw in split_lines(patch):
        m = _HUNK.match(raw)
        if m:
            new, in_hunk = int(m.group(1)), True
        elif in_hunk and raw[:1] in ("+", " "):
            lines.add(new)
            new += 1
    return lines


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
        body = c.body.strip().replace("\n", "\n  ")
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


def _is_anchor_error(e: GithubException) -> bool:
    data = e.data if isinstance(e.data, dict) else {}
    errors = " ".join(str(x) for x in data.get("errors") or []).lower()
    return e.status == 422 and any(w in errors for w in _ANCHOR_WORDS)


def _header_delay(headers: dict[str, Any] | None, clock: Callable[[], float]) -> float | None:
    h = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    if h.get("x-ratelimit-remaining") == "0" and h.get("x-ratelimit-reset", "").isdigit():
        return max(int(h["x-ratelimit-reset"]) - clock(), 0.0) + 1.0
    if h.get("retry-after", "").isdigit():
        return float(h["retry-after"])
    return None


# --------------------------------------------------------------------------- the adapter


_TOKEN_LOGINS: dict[tuple[str, str], str] = {}  # (API URL, token digest) → login, for this process


def _by(item: Any, login: str | None) -> bool:
    user = getattr(item, "user", None)
    return login is None or (user is not None and user.login == login)


class GitHubAdapter:
    """Reads and writes one installation's (or token's) view of GitHub."""

    def __init__(
        self,
        settings: Settings,
        installation_id: int | None = None,
        *,
        options: ClientOptions | None = None,
        tokens: InstallationTokens | None = None,
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
        auth: Auth.Auth | None
        if settings.github_app_id and settings.github_app_private_key and installation_id is not None:
            self.mode = "app"
            self._tokens = tokens or InstallationTokens(settings, o)
            auth = _InstallationAuth(self._tokens, installation_id)
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
            retry=_make_retry(o),
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
                _TOKEN_LOGINS[key] = self._gh.get_user().login
            return _TOKEN_LOGINS[key]
        return None

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
            delay = _header_delay(e.headers, self._options.clock)
            rate_limited = e.status == 429 or (
                e.status == 403 and (delay is not None or "rate limit" in text)
            )
            if e.status >= 500 or rate_limited:
                if rate_limited and delay is None:  # a bare secondary limit: GitHub asks for a minute
                    delay = self._options.secondary_rate_wait
                raise GitHubUnavailable(f"{what}: GitHub {e.status} {text}", delay=delay) from e
            raise GitHubError(e.status, f"{what}: GitHub {e.status} {text}") from e
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
            )

    def default_branch(self, repo_full_name: str) -> str:
        """The repository's default branch (one request)."""
        with self._translate(f"read {repo_full_name}"):
            return self._gh.get_repo(repo_full_name).default_branch

    def repo_status(self, full_names: Sequence[str], cache: RepoStatusCache | None = None) -> dict[str, str]:
        """Status per "owner/name": ok, missing (404: absent or private) or archived; one GET
        /repos/{owner}/{name} per distinct name not in the cache. Names that are not valid GitHub
        names are never sent; a repository GitHub could not answer for is left out (no verdict)."""
        cache = REPO_STATUS_CACHE if cache is None else cache
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

    def get_text(self, repo_full_name: str, path: str, ref: str) -> str | None:
        """A file's text at ``ref``, or None when there is no such file (or it is a directory)."""
        with self._translate(f"read {repo_full_name}:{path}@{ref}"):
            repo = self._gh.get_repo(repo_full_name)
            try:
                content = repo.get_contents(path, ref=ref)
            except UnknownObjectException:
                return None
            if isinstance(content, list) or content.type != "file":
                return None
            if content.encoding == "base64":
                data = content.decoded_content
            else:  # over 1 MB the contents API sends no content: the blob API still does
                data = base64.b64decode(repo.get_git_blob(content.sha).content)
            return data.decode("utf-8", errors="replace")

    # ---- writes

    def apply(
        self, repo_full_name: str, number: int, plan: ReviewPlan, *, pull: PullSnapshot | None = None
    ) -> ApplyResult:
        """Post the plan; safe to call again for the same head SHA (nothing is duplicated).

        Order: review first (its rejected anchors go into the summary), then summary, labels, and
        the check run (App) or commit status (token). Pass the snapshot from :meth:`read_pull` as
        ``pull`` to save requests; the head is re-read anyway so a stale plan writes nothing.
        """
        result = ApplyResult(head_sha=plan.head_sha, dry_run=self.dry_run)
        if self.dry_run:
            self._log_plan(repo_full_name, number, plan)
            result.review = result.summary = result.check = "skipped"
            return result
        with self._translate(f"apply to {repo_full_name}#{number}"):
            repo = self._gh.get_repo(repo_full_name)
            gh_pull = repo.get_pull(number)
            if gh_pull.head.sha != plan.head_sha:
                log.info("github: %s#%s moved past %s; plan dropped", repo_full_name, number, plan.head_sha)
                result.stale = True
                return result
            if pull is None or pull.head_sha != plan.head_sha:
                files = [PullFile(f.filename, f.status, f.patch) for f in gh_pull.get_files()]
            else:
                files = pull.files
            self._apply_review(repo, gh_pull, plan, files, result)
            self._apply_summary(gh_pull, with_rejected_section(plan.summary, result.rejected), result)
            self._apply_labels(gh_pull, plan, result)
            if self.mode == "app":
                self._apply_check_run(repo, plan, result)
            elif self._check_runs:
                try:
                    self._apply_check_run(repo, plan, result)
                except GithubException as e:
                    if e.status != 403 or _header_delay(e.headers, self._options.clock) is not None:
                        raise
                    if "rate limit" in _error_text(e).lower():
                        raise
                    log.info(
                        "github: this token may not write checks (%s); a commit status instead",
                        _error_text(e),
                    )
                    self._apply_status(repo, plan, result)
            else:
                self._apply_status(repo, plan, result)
        plan.rejected = list(result.rejected)
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

    def _apply_review(
        self, repo: Any, pull: Any, plan: ReviewPlan, files: Sequence[PullFile], result: ApplyResult
    ) -> None:
        marker = review_marker(plan.head_sha)
        me = self.own_login()
        ours = [r for r in pull.get_reviews() if r.body and REVIEW_MARKER_PREFIX in r.body and _by(r, me)]
        existing = next((r for r in ours if marker in r.body), None)
        if existing is not None:
            result.review, result.review_id = "exists", existing.id
            placed = {
                (c.path, c.line)
                for c in pull.get_review_comments()
                if c.pull_request_review_id == existing.id
            }
            result.rejected = [c for c in plan.comments if (c.path, c.line) not in placed]
        elif plan.event is not None:
            self._post_review(repo, pull, plan, marker, files, result)
        if plan.event != "REQUEST_CHANGES":  # an old change request would keep blocking the PR
            for r in ours:
                if r.state == "CHANGES_REQUESTED" and marker not in r.body:
                    try:
                        r.dismiss(f"Superseded by the review of {plan.head_sha[:7]}.")
                        result.dismissed_reviews.append(r.id)
                    except GithubException as e:  # protected branch: not ours to dismiss
                        if e.status >= 500 or e.status == 429 or "rate limit" in _error_text(e):
                            raise  # transient: run again later, or a stale change request keeps blocking
                        log.warning("github: could not dismiss review %s: %s", r.id, _error_text(e))

    def _post_review(
        self,
        repo: Any,
        pull: Any,
        plan: ReviewPlan,
        marker: str,
        files: Sequence[PullFile],
        result: ApplyResult,
    ) -> None:
        """Post once; on a 422 for anchors, drop what cannot be verified, then every inline comment.

        A 422 creates nothing, so each attempt is clean; GitHub does not say which anchor failed.
        """
        by_path = {f.filename: f for f in files}
        verified: list[InlineComment] = []
        unverified: list[InlineComment] = []
        anchors: dict[str, set[int]] = {}  # parsed once per file: a patch can be megabytes
        for c in plan.comments:
            f = by_path.get(c.path)
            if f is None or f.status == "removed":
                continue  # not in the diff at all: rejected without asking
            if f.patch is None:
                unverified.append(c)  # patch omitted (large diff): only GitHub can tell
                continue
            if c.path not in anchors:
                anchors[c.path] = commentable_lines(f.patch)
            if c.line in anchors[c.path]:
                verified.append(c)
        attempts: list[list[InlineComment]] = [verified + unverified]
        if unverified:
            attempts.append(verified)
        if verified:
            attempts.append([])
        body = f"{plan.review_body.rstrip()}\n\n{marker}" if plan.review_body.strip() else marker
        event = plan.event
        commit = repo.get_commit(plan.head_sha)
        for i, batch in enumerate(attempts):
            payload = [{"path": c.path, "line": c.line, "side": "RIGHT", "body": c.body} for c in batch]
            try:
                review = pull.create_review(commit=commit, body=body, event=event, comments=payload)
            except GithubException as e:
                if e.status == 422 and "own pull request" in _error_text(e) and event == "REQUEST_CHANGES":
                    event = "COMMENT"  # a maintainer's token on their own PR: say it, do not block
                    review = pull.create_review(commit=commit, body=body, event=event, comments=payload)
                elif _is_anchor_error(e) and i + 1 < len(attempts):
                    log.warning("github: review anchors refused (%s); retrying with fewer", _error_text(e))
                    continue
                else:
                    raise
            kept = set(map(id, batch))
            result.rejected = [c for c in plan.comments if id(c) not in kept]
            result.review, result.review_id = "created", review.id
            return

    def _apply_summary(self, pull: Any, summary: str, result: ApplyResult) -> None:
        if not summary.strip():
            return
        if SUMMARY_MARKER not in summary:
            summary = f"{SUMMARY_MARKER}\n{summary}"
        summary = fit_comment(summary)
        me = self.own_login()
        found = next(
            (c for c in pull.get_issue_comments() if c.body and SUMMARY_MARKER in c.body and _by(c, me)), None
        )
        if found is None:
            created = pull.create_issue_comment(summary)
            result.summary, result.summary_comment_id = "created", created.id
        elif found.body == summary:
            result.summary, result.summary_comment_id = "unchanged", found.id
        else:
            found.edit(summary)
            result.summary, result.summary_comment_id = "updated", found.id

    def _apply_labels(self, pull: Any, plan: ReviewPlan, result: ApplyResult) -> None:
        """Labels as a set: add what applies, remove what we own and no longer applies, keep the rest."""
        if not plan.labels and not plan.managed_labels:
            return
        current = {label.name for label in pull.get_labels()}
        lower = {name.lower() for name in current}
        wanted = {name.lower() for name in plan.labels}
        owned = {name.lower() for name in plan.managed_labels}
        add = sorted(name for name in plan.labels if name.lower() not in lower)
        remove = sorted(name for name in current if name.lower() in owned and name.lower() not in wanted)
        if add:
            pull.add_to_labels(*add)
        for name in remove:
            with contextlib.suppress(UnknownObjectException):  # removed meanwhile: fine as it is
                pull.remove_from_labels(name)
        result.labels_added, result.labels_removed = add, remove

    def _apply_check_run(self, repo: Any, plan: ReviewPlan, result: ApplyResult) -> None:
        """One check run per head SHA. GitHub can only append annotations, so an identical re-run
        appends just the missing ones; a changed verdict for the same SHA gets a fresh run (the newest
        run of a name is the one GitHub shows), rather than a run mixing stale and new annotations."""
        title = plan.check_title or CHECK_NAME
        summary = plan.check_summary or plan.conclusion
        anns = [_annotation_json(a) for a in plan.annotations]
        runs = [
            r
            for r in repo.get_commit(plan.head_sha).get_check_runs(check_name=CHECK_NAME)
            if self.app_id is None or r.app is None or str(r.app.id) == str(self.app_id)
        ]
        existing = runs[0] if runs else None  # newest first
        if existing is not None and existing.output.title == title and existing.output.summary == summary:
            todo = anns[existing.output.annotations_count or 0 :]
            result.check_run_id = existing.id
            if existing.status == "completed" and existing.conclusion == plan.conclusion and not todo:
                result.check = "unchanged"
                return
            chunks = [
                todo[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(todo), ANNOTATIONS_PER_REQUEST)
            ]
            for chunk in chunks or [[]]:
                output = {"title": title, "summary": summary, "annotations": chunk}
                existing.edit(status="completed", conclusion=plan.conclusion, output=output)
                result.annotations_posted += len(chunk)
            result.check = "updated"
            return
        first, rest = anns[:ANNOTATIONS_PER_REQUEST], anns[ANNOTATIONS_PER_REQUEST:]
        run = repo.create_check_run(
            name=CHECK_NAME,
            head_sha=plan.head_sha,
            status="completed",
            conclusion=plan.conclusion,
            output={"title": title, "summary": summary, "annotations": first},
        )
        result.check, result.check_run_id, result.annotations_posted = "created", run.id, len(first)
        for i in range(0, len(rest), ANNOTATIONS_PER_REQUEST):
            chunk = rest[i : i + ANNOTATIONS_PER_REQUEST]
            run.edit(output={"title": title, "summary": summary, "annotations": chunk})
            result.annotations_posted += len(chunk)

    def _apply_status(self, repo: Any, plan: ReviewPlan, result: ApplyResult) -> None:
        """Without an App there are no check runs: a commit status carries the verdict."""
        state = {"success": "success", "neutral": "success", "failure": "failure"}.get(
            plan.conclusion, "error"
        )
        description = (plan.check_title or plan.conclusion)[:140]
        commit = repo.get_commit(plan.head_sha)
        latest = next((s for s in commit.get_statuses() if s.context == STATUS_CONTEXT), None)
        if latest is not None and latest.state == state and latest.description == description:
            result.check = "status-unchanged"
            return
        commit.create_status(state=state, description=description, context=STATUS_CONTEXT)
        result.check = "status"
