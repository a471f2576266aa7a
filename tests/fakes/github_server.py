"""One local, stateful GitHub REST server for every test, over real HTTP on loopback.

Why a server and not mocks: the adapter's behaviour that matters (pagination through ``Link``
headers, retries inside urllib3, a 422 that creates nothing, App JWT → installation token) lives in
the HTTP exchange itself, so tests talk to a real socket and assert what the server received.

The server answers in GitHub's JSON shapes with its own host in every URL (PyGithub refuses to follow
absolute URLs to another host). Writes need a valid token (401 otherwise); check runs need an
installation token (GitHub Apps only, 403 otherwise). Review comment anchors are validated like
GitHub does: ``line`` (side RIGHT) must be a line the diff adds or keeps as context, else 422 and
nothing is created.

Fault injection: :meth:`FakeGitHub.script` queues scripted responses per route (method + path
regex); each request consumes at most one. :meth:`FakeGitHub.reject_anchor` makes GitHub disagree
with an anchor the diff contains. Every request is logged in :attr:`FakeGitHub.requests`.

Typical use (see ``github_plugin.py`` for the pytest fixture)::

    gh.add_repo("octo/list")
    gh.add_pull("octo/list", 7, head_sha=..., files=[FakeFile("README.md", patch=...)])
    gh.add_token("t0k3n")
    gh.script("GET", r"/repos/octo/list/pulls/7/files", Fault.status(502), Fault.status(502))
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, Response, request
from werkzeug.serving import BaseWSGIServer, make_server

from tests.fakes.github_git import FakeIssue, GitAndIssues

DOCS = "https://docs.github.com/rest"
BOT_LOGIN = "awesome-review[bot]"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def iso(ts: float) -> str:
    """GitHub's timestamp format (UTC, seconds, ``Z``)."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fake_sha(seed: str) -> str:
    """A deterministic 40-hex SHA for readable tests."""
    return hashlib.sha1(seed.encode()).hexdigest()


def diff_lines(patch: str | None) -> tuple[set[int], set[int]]:
    """(RIGHT lines, LEFT lines) a review comment may anchor on: added/context, removed/context."""
    right: set[int] = set()
    left: set[int] = set()
    if not patch:
        return right, left
    old = new = 0
    in_hunk = False
    for raw in patch.split("\n"):
        m = _HUNK.match(raw)
        if m:
            old, new, in_hunk = int(m.group(1)), int(m.group(3)), True
            continue
        if not in_hunk or raw.startswith("\\"):
            continue
        tag = raw[:1]
        if tag == "+":
            right.add(new)
            new += 1
        elif tag == "-":
            left.add(old)
            old += 1
        elif tag in (" ", ""):
            if raw == "" and tag == "":
                continue  # trailing newline of the patch text
            right.add(new)
            left.add(old)
            new += 1
            old += 1
    return right, left


# --------------------------------------------------------------------------- state


@dataclass
class FakeFile:
    """One entry of GET /pulls/{n}/files. ``patch`` is the true diff; ``hide_patch`` omits it from the
    listing (GitHub does so for large diffs) while anchors are still validated against it."""

    filename: str
    patch: str | None = None
    status: str = "modified"
    hide_patch: bool = False
    previous_filename: str | None = None

    def counts(self) -> tuple[int, int]:
        lines = (self.patch or "").split("\n")
        add = sum(1 for x in lines if x.startswith("+"))
        rem = sum(1 for x in lines if x.startswith("-"))
        return add, rem


@dataclass
class FakePull:
    number: int
    head_sha: str
    base_sha: str
    files: list[FakeFile]
    user: str = "contributor"
    draft: bool = False
    state: str = "open"
    title: str = "Add a paper"
    body: str | None = "Please add this paper."
    head_ref: str = "patch-1"
    base_ref: str = "main"
    shas: list[str] = field(default_factory=list)  # every head this PR has had
    from_branch: bool = False  # opened through the API from a branch of the repository itself
    anchors_rejected: set[tuple[str, int]] = field(default_factory=set)


@dataclass
class FakeRepo:
    owner: str
    name: str
    id: int
    default_branch: str = "main"
    private: bool = False
    archived: bool = False
    installations: frozenset[int] = frozenset()  # for a private repository: who may see it (404 else)
    pulls: dict[int, FakePull] = field(default_factory=dict)
    contents: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (ref, path) -> bytes
    issue_labels: dict[int, list[str]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # repo label catalogue
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    annotations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    permissions: dict[str, str] = field(default_factory=dict)  # login -> admin | maintain | write | read
    reactions: list[dict[str, Any]] = field(default_factory=list)  # on issue comments
    issues: dict[int, FakeIssue] = field(default_factory=dict)  # plain issues (pull requests: `pulls`)
    branches: dict[str, str] = field(default_factory=dict)  # name -> head commit
    commits: list[dict[str, Any]] = field(default_factory=list)  # made through the contents API

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


@dataclass
class Principal:
    """Who a token authenticates: a user (PAT), an App installation, or the App itself (JWT)."""

    kind: str  # "user" | "installation" | "app"
    login: str
    installation_id: int | None = None
    expires_at: float | None = None
    checks: bool = True  # an installation token's `checks` permission (Actions: the workflow's block)
    app: str = ""  # an installation token: the slug of the App whose installation it is
    contents_write: bool = True  # its `contents: write` (False: refs, files and pulls are 403)


@dataclass
class Fault:
    """A scripted response. ``status=None`` means: wait ``delay`` seconds, then answer normally."""

    status: int | None = 502
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def status_code(cls, status: int, message: str | None = None) -> Fault:
        return cls(status, {"message": message or "Server Error", "documentation_url": DOCS})

    @classmethod
    def bad_gateway(cls) -> Fault:
        return cls(502, {"message": "Server Error"})

    @classmethod
    def secondary_rate_limit(cls, retry_after: int | None = None) -> Fault:
        """403 for a secondary (abuse) limit, with or without ``Retry-After`` like GitHub sends."""
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        body = {
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you "
            "try again. If you reach out to GitHub Support for help, please include the request ID.",
            "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        }
        return cls(403, body, headers)

    @classmethod
    def primary_rate_limit(cls, reset: int, status: int = 403) -> Fault:
        """403 (or 429) with ``x-ratelimit-remaining: 0`` and the epoch second the quota resets."""
        body = {
            "message": "API rate limit exceeded for installation ID 1.",
            "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api",
        }
        headers = {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-used": "5000",
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-resource": "core",
        }
        return cls(status, body, headers)

    @classmethod
    def too_many_requests(cls, retry_after: int | None = None) -> Fault:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return cls(429, {"message": "Too Many Requests"}, headers)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, but only after ``seconds`` (longer than the client timeout, typically)."""
        return cls(None, None, {}, seconds)


class Outage:
    """A storm in time rather than in count: ``fault`` for every matching request while ``active()``
    says GitHub is down (a test's clock decides), nothing once it is over. Stands where a queue of
    scripted faults stands (``bool`` and ``popleft``)."""

    def __init__(self, fault: Fault, active: Callable[[], bool]) -> None:
        self.fault, self.active, self.served = fault, active, 0

    def __bool__(self) -> bool:
        return self.active()

    def __len__(self) -> int:
        return int(self.active())

    def popleft(self) -> Fault:
        self.served += 1
        return self.fault


@dataclass
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    authorization: str | None
    json: Any
    status: int = 0

    @property
    def is_write(self) -> bool:
        return self.method in ("POST", "PUT", "PATCH", "DELETE")


class _Reply(Exception):
    """Raised inside a handler to answer with a GitHub error body."""

    def __init__(self, status: int, message: str, errors: list[Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"message": message, "documentation_url": DOCS}
        if errors is not None:
            self.body["errors"] = errors
            self.body["status"] = str(status)


# --------------------------------------------------------------------------- server


class FakeGitHub(GitAndIssues):
    """A GitHub REST API with in-memory state (issues, branches, commits: tests/fakes/github_git). Start with :meth:`start`, or use it as a context manager."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._lock = threading.RLock()
        self._ids = itertools.count(1000)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self.repos: dict[str, FakeRepo] = {}
        self.tokens: dict[str, Principal] = {}
        self.installations: dict[int, str] = {}  # id -> account login
        self.app_id: int | None = None
        self.app_slug = "awesome-review"
        self._app_public_key: str | None = None
        self.token_ttl = 3600.0
        self.requests: list[Recorded] = []
        self.app_manifests: list[dict[str, Any]] = []  # received through the manifest flow
        self._faults: list[tuple[str, re.Pattern[str], deque[Fault]]] = []
        self.large_file_threshold = 1024 * 1024  # contents API: "encoding": "none" above this
        self.app = self._build_app()
        self._reply = _Reply
        self._file_type = FakeFile

    # ---- lifecycle

    def start(self) -> FakeGitHub:
        self._server = make_server(self._host, self._port, self.app, threaded=True)
        self._server.daemon_threads = True  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-github", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to give the client as ``GITHUB_API_URL``."""
        assert self._server is not None, "server not started"
        return f"http://{self._host}:{self._server.server_port}"

    # ---- setup helpers

    def add_repo(
        self,
        full_name: str,
        *,
        default_branch: str = "main",
        archived: bool = False,
        private_to: Iterable[int] | None = None,
    ) -> FakeRepo:
        """A repository; GET /repos/{owner}/{name} answers 404 for any name not added. ``private_to``:
        a private repository that only these App installations (and user tokens) can see."""
        owner, name = full_name.split("/", 1)
        with self._lock:
            repo = FakeRepo(owner, name, next(self._ids), default_branch, archived=archived)
            if private_to is not None:
                repo.private, repo.installations = True, frozenset(private_to)
            self.repos[full_name.lower()] = repo
            return repo

    def repo(self, full_name: str) -> FakeRepo:
        return self.repos[full_name.lower()]

    def add_pull(
        self,
        full_name: str,
        number: int,
        *,
        head_sha: str,
        base_sha: str | None = None,
        files: Iterable[FakeFile] = (),
        **kw: Any,
    ) -> FakePull:
        repo = self.repo(full_name)
        with self._lock:
            pull = FakePull(number, head_sha, base_sha or fake_sha(f"base{number}"), list(files), **kw)
            pull.shas.append(head_sha)
            repo.pulls[number] = pull
            repo.issue_labels.setdefault(number, [])
            return pull

    def push(
        self, full_name: str, number: int, head_sha: str, files: Iterable[FakeFile] | None = None
    ) -> None:
        """A new commit on the PR's branch (``synchronize``)."""
        with self._lock:
            pull = self.repo(full_name).pulls[number]
            pull.head_sha = head_sha
            pull.shas.append(head_sha)
            if files is not None:
                pull.files = list(files)

    def put_file(self, full_name: str, path: str, text: str | bytes, *, ref: str) -> None:
        data = text.encode() if isinstance(text, str) else text
        with self._lock:
            self.repo(full_name).contents[(ref, path)] = data

    def add_token(self, token: str, login: str = "maintainer") -> None:
        """A personal access token the server accepts."""
        self.tokens[token] = Principal("user", login)

    def add_actions_token(self, token: str, *, checks: bool = True) -> None:
        """The GITHUB_TOKEN of a workflow run: an installation token of the github-actions App, whose
        author is github-actions[bot]; ``checks=False``: the workflow's permissions leave out checks."""
        self.tokens[token] = Principal(
            "installation", "github-actions[bot]", None, None, checks, "github-actions"
        )

    def add_app_token(self, token: str, slug: str = "list-keeper", *, checks: bool = True) -> None:
        """An App's installation token handed to a workflow (actions/create-github-app-token): it
        writes as `<slug>[bot]`, and may not read GET /user either."""
        self.tokens[token] = Principal("installation", f"{slug}[bot]", None, None, checks, slug)

    def register_app(self, app_id: int, public_key_pem: str, *, installation_id: int, account: str) -> None:
        """A GitHub App whose JWTs (RS256) the server verifies, installed once."""
        self.app_id = app_id
        self._app_public_key = public_key_pem
        self.installations[installation_id] = account

    def reject_anchor(self, full_name: str, number: int, path: str, line: int) -> None:
        """Make GitHub refuse an anchor even though the diff contains it (422, like a stale diff)."""
        with self._lock:
            self.repo(full_name).pulls[number].anchors_rejected.add((path, line))

    def script(self, method: str, path_regex: str, *faults: Fault) -> None:
        """Queue scripted responses for requests whose method matches and whose path fully matches."""
        with self._lock:
            self._faults.append((method.upper(), re.compile(path_regex), deque(faults)))

    def outage(self, method: str, path_regex: str, fault: Fault, active: Callable[[], bool]) -> Outage:
        """Answer matching requests with ``fault`` for as long as ``active()`` is true."""
        down = Outage(fault, active)
        with self._lock:
            self._faults.append((method.upper(), re.compile(path_regex), down))  # type: ignore[arg-type]
        return down

    # ---- assertions helpers

    def calls(self, method: str | None = None, path_regex: str | None = None) -> list[Recorded]:
        """Logged requests, filtered by method and a full-match path regex."""
        rx = re.compile(path_regex) if path_regex else None
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper()) and (rx is None or rx.fullmatch(r.path))
            ]

    def writes(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.is_write]

    def labels_of(self, full_name: str, number: int) -> set[str]:
        return set(self.repo(full_name).issue_labels.get(number, []))

    # ---- JSON shapes

    def _user(self, login: str) -> dict[str, Any]:
        uid = int(hashlib.sha1(login.encode()).hexdigest()[:7], 16)
        return {
            "login": login,
            "id": uid,
            "node_id": f"U_{uid}",
            "avatar_url": f"{self.url}/avatars/{login}",
            "gravatar_id": "",
            "url": f"{self.url}/users/{quote(login)}",
            "html_url": f"{self.url}/{quote(login)}",
            "type": "Bot" if login.endswith("[bot]") else "User",
            "site_admin": False,
        }

    def _app_json(self, slug: str) -> dict[str, Any]:
        aid = 15368 if slug == "github-actions" else int(hashlib.sha1(slug.encode()).hexdigest()[:6], 16)
        return {
            "id": aid,
            "slug": slug,
            "node_id": f"A_{aid}",
            "name": slug,
            "owner": self._user("github" if slug == "github-actions" else "octo"),
            "html_url": f"{self.url}/apps/{slug}",
        }

    def _repo_json(self, repo: FakeRepo) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        return {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self._user(repo.owner),
            "private": repo.private,
            "html_url": f"{self.url}/{repo.full_name}",
            "description": None,
            "fork": False,
            "url": api,
            "pulls_url": f"{api}/pulls{{/number}}",
            "issues_url": f"{api}/issues{{/number}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "default_branch": repo.default_branch,
            "archived": repo.archived,
            "disabled": False,
            "visibility": "private" if repo.private else "public",
            "created_at": iso(0),
            "updated_at": iso(0),
            "pushed_at": iso(0),
        }

    def _pull_json(self, repo: FakeRepo, pull: FakePull) -> dict[str, Any]:
        api = f"{self.url}/repos/{repo.full_name}"
        labels = [self._label_json(repo, n) for n in repo.issue_labels.get(pull.number, [])]
        rj = self._repo_json(repo)
        return {
            "url": f"{api}/pulls/{pull.number}",
            "id": repo.id * 10000 + pull.number,
            "node_id": f"PR_{repo.id}_{pull.number}",
            "html_url": f"{self.url}/{repo.full_name}/pull/{pull.number}",
            "diff_url": f"{self.url}/{repo.full_name}/pull/{pull.number}.diff",
            "patch_url": f"{self.url}/{repo.full_name}/pull/{pull.number}.patch",
            "issue_url": f"{api}/issues/{pull.number}",
            "commits_url": f"{api}/pulls/{pull.number}/commits",
            "review_comments_url": f"{api}/pulls/{pull.number}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": f"{api}/issues/{pull.number}/comments",
            "statuses_url": f"{api}/statuses/{pull.head_sha}",
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "user": self._user(pull.user),
            "body": pull.body,
            "labels": labels,
            "milestone": None,
            "created_at": iso(0),
            "updated_at": iso(0),
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": {
                "label": f"{pull.user}:{pull.head_ref}",
                "ref": pull.head_ref,
                "sha": pull.head_sha,
                "user": self._user(pull.user),
                "repo": rj,
            },
            "base": {
                "label": f"{repo.owner}:{pull.base_ref}",
                "ref": pull.base_ref,
                "sha": pull.base_sha,
                "user": self._user(repo.owner),
                "repo": rj,
            },
            "_links": {"self": {"href": f"{api}/pulls/{pull.number}"}},
            "author_association": "CONTRIBUTOR",
            "draft": pull.draft,
            "merged": False,
            "mergeable": True,
            "mergeable_state": "clean",
            "comments": sum(1 for c in repo.issue_comments if c["_number"] == pull.number),
            "review_comments": sum(1 for c in repo.review_comments if c["_number"] == pull.number),
            "commits": len(pull.shas),
            "additions": sum(f.counts()[0] for f in pull.files),
            "deletions": sum(f.counts()[1] for f in pull.files),
            "changed_files": len(pull.files),
        }

    def _file_json(self, repo: FakeRepo, pull: FakePull, f: FakeFile) -> dict[str, Any]:
        add, rem = f.counts()
        ref = pull.head_sha
        out: dict[str, Any] = {
            "sha": fake_sha(f"{ref}:{f.filename}"),
            "filename": f.filename,
            "status": f.status,
            "additions": add,
            "deletions": rem,
            "changes": add + rem,
            "blob_url": f"{self.url}/{repo.full_name}/blob/{ref}/{quote(f.filename)}",
            "raw_url": f"{self.url}/{repo.full_name}/raw/{ref}/{quote(f.filename)}",
            "contents_url": f"{self.url}/repos/{repo.full_name}/contents/{quote(f.filename)}?ref={ref}",
        }
        if f.patch is not None and not f.hide_patch:
            out["patch"] = f.patch
        if f.previous_filename:
            out["previous_filename"] = f.previous_filename
        return out

    def _label_json(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        label = repo.labels.get(name.lower())
        if label is None:
            lid = next(self._ids)
            label = {
                "id": lid,
                "node_id": f"LA_{lid}",
                "url": f"{self.url}/repos/{repo.full_name}/labels/{quote(name)}",
                "name": name,
                "color": "ededed",
                "default": False,
                "description": None,
            }
            repo.labels[name.lower()] = label
        return label

    def _check_run_json(self, repo: FakeRepo, run: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in run.items() if not k.startswith("_")}
        out["output"] = dict(run["output"])
        out["output"]["annotations_count"] = len(repo.annotations.get(run["id"], []))
        out["output"]["annotations_url"] = f"{run['url']}/annotations"
        return out

    # ---- request plumbing

    def _principal(self, auth: str | None) -> Principal | None:
        """Who the Authorization header names; raises 401 for a header that names nobody."""
        if not auth:
            return None
        scheme, _, cred = auth.partition(" ")
        scheme = scheme.lower()
        if scheme in ("token", "bearer") and cred in self.tokens:
            p = self.tokens[cred]
            if p.expires_at is not None and p.expires_at <= time.time():
                raise _Reply(401, "Bad credentials")
            return p
        if scheme == "bearer" and cred.count(".") == 2:
            return self._verify_jwt(cred)
        raise _Reply(401, "Bad credentials")

    def _verify_jwt(self, token: str) -> Principal:
        """RS256 signature, ``iss`` = the App id, ``exp`` in the future and at most 10 minutes away."""
        import jwt  # PyJWT, installed with PyGithub; imported here to keep import time free of work

        if self._app_public_key is None or self.app_id is None:
            raise _Reply(401, "A JSON web token could not be decoded")
        try:
            claims = jwt.decode(
                token,
                self._app_public_key,
                algorithms=["RS256"],
                options={"require": ["iat", "exp", "iss"]},
                leeway=0,
            )
        except jwt.ExpiredSignatureError as e:
            raise _Reply(401, "'Expiration time' claim ('exp') must be a numeric value.") from e
        except jwt.PyJWTError as e:
            raise _Reply(401, "A JSON web token could not be decoded") from e
        if str(claims["iss"]) != str(self.app_id):
            raise _Reply(401, "'Issuer' claim ('iss') must be an Integer")
        if claims["exp"] - time.time() > 600 + 5:
            raise _Reply(401, "'Expiration time' claim ('exp') is too far in the future")
        return Principal("app", self.app_slug)

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for m, rx, queue in self._faults:
                if m == method and rx.fullmatch(path) and queue:
                    return queue.popleft()
        return None

    def _build_app(self) -> Flask:
        app = Flask("fake_github")
        server = self

        @app.before_request
        def _record_and_fault() -> Response | None:
            body: Any = None
            if request.data:
                try:
                    body = json.loads(request.data)
                except ValueError:
                    body = request.data.decode("utf-8", "replace")
            rec = Recorded(
                request.method,
                request.path,
                dict(request.args),
                request.headers.get("Authorization"),
                body,
            )
            with server._lock:
                server.requests.append(rec)
            request.environ["fake.record"] = rec
            fault = server._take_fault(request.method, request.path)
            if fault is None:
                return None
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status is None:
                return None
            return server._json(fault.body, fault.status, fault.headers)

        @app.after_request
        def _finish(resp: Response) -> Response:
            rec: Recorded | None = request.environ.get("fake.record")
            if rec is not None:
                rec.status = resp.status_code
            return resp

        @app.errorhandler(_Reply)
        def _reply(e: _Reply) -> Response:
            return server._json(e.body, e.status)

        @app.errorhandler(404)
        def _not_found(_e: Exception) -> Response:
            return server._json({"message": "Not Found", "documentation_url": DOCS}, 404)

        routes = [
            ("GET", "/rate_limit", self.h_rate_limit),
            ("GET", "/user", self.h_user),
            ("GET", "/app", self.h_app),
            ("POST", "/app/installations/<int:inst>/access_tokens", self.h_access_token),
            ("GET", "/repos/<owner>/<name>", self.h_repo),
            ("GET", "/repos/<owner>/<name>/pulls/<int:n>", self.h_pull),
            ("GET", "/repos/<owner>/<name>/pulls/<int:n>/files", self.h_pull_files),
            ("GET", "/repos/<owner>/<name>/contents/<path:path>", self.h_contents),
            ("GET", "/repos/<owner>/<name>/git/blobs/<sha>", self.h_blob),
            ("GET", "/repos/<owner>/<name>/pulls/<int:n>/reviews", self.h_reviews),
            ("POST", "/repos/<owner>/<name>/pulls/<int:n>/reviews", self.h_create_review),
            ("PUT", "/repos/<owner>/<name>/pulls/<int:n>/reviews/<int:rid>/dismissals", self.h_dismiss),
            ("GET", "/repos/<owner>/<name>/pulls/<int:n>/comments", self.h_review_comments),
            ("GET", "/repos/<owner>/<name>/issues/<int:n>/comments", self.h_issue_comments),
            ("POST", "/repos/<owner>/<name>/issues/<int:n>/comments", self.h_create_issue_comment),
            ("PATCH", "/repos/<owner>/<name>/issues/comments/<int:cid>", self.h_edit_issue_comment),
            ("GET", "/repos/<owner>/<name>/issues/<int:n>/labels", self.h_labels),
            ("PUT", "/repos/<owner>/<name>/issues/<int:n>/labels", self.h_set_labels),
            ("POST", "/repos/<owner>/<name>/issues/<int:n>/labels", self.h_add_labels),
            ("DELETE", "/repos/<owner>/<name>/issues/<int:n>/labels/<path:label>", self.h_remove_label),
            ("POST", "/repos/<owner>/<name>/check-runs", self.h_create_check_run),
            ("PATCH", "/repos/<owner>/<name>/check-runs/<int:cid>", self.h_update_check_run),
            ("GET", "/repos/<owner>/<name>/check-runs/<int:cid>", self.h_get_check_run),
            ("GET", "/repos/<owner>/<name>/commits/<sha>/check-runs", self.h_commit_check_runs),
            ("POST", "/repos/<owner>/<name>/statuses/<sha>", self.h_create_status),
            ("GET", "/repos/<owner>/<name>/commits/<sha>/statuses", self.h_commit_statuses),
            ("GET", "/repos/<owner>/<name>/collaborators/<user>/permission", self.h_permission),
            ("POST", "/repos/<owner>/<name>/issues/comments/<int:cid>/reactions", self.h_reaction),
            ("GET", "/repos/<owner>/<name>/statuses/<sha>", self.h_commit_statuses),
            ("GET", "/repos/<owner>/<name>/issues/<int:n>", self.h_issue),
            ("GET", "/repos/<owner>/<name>/git/ref/heads/<path:branch>", self.h_git_ref),
            ("POST", "/repos/<owner>/<name>/git/refs", self.h_create_ref),
            ("PUT", "/repos/<owner>/<name>/contents/<path:path>", self.h_put_contents),
            ("GET", "/repos/<owner>/<name>/pulls", self.h_list_pulls),
            ("POST", "/repos/<owner>/<name>/pulls", self.h_create_pull),
        ]
        for method, rule, fn in routes:
            app.add_url_rule(rule, f"{method} {rule}", self._wrap(fn), methods=[method])
        # The manifest flow: github.com's form (a browser POST, no token) and its API exchange.
        for rule in ("/settings/apps/new", "/organizations/<org>/settings/apps/new"):
            app.add_url_rule(rule, f"POST {rule}", self.h_new_app_form, methods=["POST"])
        app.add_url_rule(
            "/app-manifests/<code>/conversions",
            "manifest conversion",
            self.h_manifest_conversion,
            methods=["POST"],
        )
        return app

    def _wrap(self, fn: Any) -> Any:
        def view(**kw: Any) -> Response:
            principal = self._principal(request.headers.get("Authorization"))
            if request.method != "GET" and principal is None:
                raise _Reply(401, "Requires authentication")
            if principal is not None and principal.kind == "app" and not request.path.startswith("/app"):
                raise _Reply(401, "A JSON web token could not be decoded")  # JWTs only work on /app
            with self._lock:
                return fn(principal, **kw)

        return view

    def _json(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        resp = Response(
            "" if body is None and status == 204 else json.dumps(body),
            status=status,
            content_type="application/json; charset=utf-8",
        )
        resp.headers.setdefault("x-ratelimit-limit", "5000")
        resp.headers.setdefault("x-ratelimit-remaining", "4999")
        resp.headers.setdefault("x-ratelimit-reset", str(int(time.time()) + 3600))
        resp.headers["x-github-api-version-selected"] = "2022-11-28"
        for k, v in (headers or {}).items():
            resp.headers[k] = v
        return resp

    def _page(self, items: list[Any], wrap: str | None = None) -> Response:
        """GitHub pagination: ``per_page`` (default 30, max 100), ``page``, and a ``Link`` header."""
        per_page = max(1, min(int(request.args.get("per_page", 30)), 100))
        page = max(1, int(request.args.get("page", 1)))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        args = {k: v for k, v in request.args.items() if k not in ("page", "per_page")}

        def link(p: int) -> str:
            return f"{self.url}{request.path}?{urlencode({**args, 'per_page': per_page, 'page': p})}"

        rels = []
        if page < last:
            rels += [f'<{link(page + 1)}>; rel="next"', f'<{link(last)}>; rel="last"']
        if page > 1:
            rels += [f'<{link(page - 1)}>; rel="prev"', f'<{link(1)}>; rel="first"']
        body: Any = {"total_count": len(items), wrap: chunk} if wrap else chunk
        return self._json(body, 200, {"Link": ", ".join(rels)} if rels else None)

    def _get_repo(self, owner: str, name: str) -> FakeRepo:
        repo = self.repos.get(f"{owner}/{name}".lower())
        if repo is None:
            raise _Reply(404, "Not Found")
        return repo

    def _get_pull(self, owner: str, name: str, n: int) -> tuple[FakeRepo, FakePull]:
        repo = self._get_repo(owner, name)
        pull = repo.pulls.get(n)
        if pull is None:
            raise _Reply(404, "Not Found")
        return repo, pull

    @staticmethod
    def _login(p: Principal | None) -> str:
        return p.login if p else "anonymous"

    @staticmethod
    def _body() -> dict[str, Any]:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise _Reply(400, "Problems parsing JSON")
        return data

    # ---- handlers

    def h_new_app_form(self, org: str | None = None) -> Response:
        """github.com/settings/apps/new with a `manifest` form field: the maintainer confirms (here at
        once), GitHub redirects to the manifest's redirect_url with a one-time code and the state."""
        try:
            manifest = json.loads(request.form.get("manifest", ""))
        except ValueError:
            return Response("Invalid GitHub App configuration: the manifest is not JSON", status=422)
        if not isinstance(manifest, dict) or not manifest.get("url") or not manifest.get("redirect_url"):
            return Response("Invalid GitHub App configuration: url and redirect_url are required", status=422)
        code = hashlib.sha1(f"{next(self._ids)}{time.time()}".encode()).hexdigest()[:20]
        with self._lock:
            self.app_manifests.append({"org": org, "manifest": manifest, "code": code})
        query = urlencode({"code": code, "state": request.args.get("state", "")})
        return Response(status=302, headers={"Location": f"{manifest['redirect_url']}?{query}"})

    def h_manifest_conversion(self, code: str) -> Response:
        """POST /app-manifests/{code}/conversions: the App's credentials, once per code. The App is
        registered here, so its key signs JWTs this server accepts (installed as id + 1)."""
        with self._lock:
            entry = next((e for e in self.app_manifests if e["code"] == code and not e.get("used")), None)
            if entry is None:
                return self._json({"message": "Not Found", "documentation_url": DOCS}, 404)
            entry["used"] = True
            m = entry["manifest"]
            private, public = make_app_key()
            app_id = next(self._ids)
            self.app_slug = re.sub(r"[^a-z0-9]+", "-", str(m.get("name", "app")).lower()).strip("-")
            self.register_app(app_id, public, installation_id=app_id + 1, account=entry["org"] or "octo")
            body = {
                "id": app_id,
                "slug": self.app_slug,
                "node_id": f"A_{app_id}",
                "name": m.get("name"),
                "owner": self._user(entry["org"] or "octo"),
                "external_url": m["url"],
                "html_url": f"{self.url}/apps/{self.app_slug}",
                "permissions": m.get("default_permissions", {}),
                "events": m.get("default_events", []),
                "client_id": f"Iv1.{code[:16]}",
                "client_secret": hashlib.sha1(code.encode()).hexdigest(),
                "webhook_secret": hashlib.sha256(code.encode()).hexdigest(),
                "pem": private,
            }
            return self._json(body, 201)

    def h_rate_limit(self, _p: Principal | None) -> Response:
        core = {"limit": 5000, "remaining": 4999, "reset": int(time.time()) + 3600, "used": 1}
        return self._json({"resources": {"core": core, "search": core}, "rate": core})

    def h_user(self, p: Principal | None) -> Response:
        """The authenticated user; an installation token may not ask (like GitHub)."""
        if p is None:
            raise _Reply(401, "Requires authentication")
        if p.kind != "user":
            raise _Reply(403, "Resource not accessible by integration")
        return self._json(self._user(p.login))

    def h_app(self, p: Principal | None) -> Response:
        """The App itself, for a JWT: its slug names its bot user (`<slug>[bot]`)."""
        if p is None or p.kind != "app":
            raise _Reply(401, "A JSON web token is required")
        return self._json(
            {
                "id": self.app_id,
                "slug": self.app_slug,
                "name": self.app_slug,
                "owner": self._user("octo"),
                "node_id": f"A_{self.app_id}",
                "html_url": f"{self.url}/apps/{self.app_slug}",
            }
        )

    def h_access_token(self, p: Principal | None, inst: int) -> Response:
        if p is None or p.kind != "app":
            raise _Reply(401, "A JSON web token could not be decoded")
        if inst not in self.installations:
            raise _Reply(404, "Not Found")
        token = f"ghs_{next(self._ids)}{hashlib.sha1(str(time.time()).encode()).hexdigest()[:20]}"
        expires = time.time() + self.token_ttl
        self.tokens[token] = Principal("installation", BOT_LOGIN, inst, expires, app=self.app_slug)
        body = {
            "token": token,
            "expires_at": iso(expires),
            "permissions": {"pull_requests": "write", "checks": "write", "contents": "read"},
            "repository_selection": "all",
        }
        return self._json(body, 201)

    def h_repo(self, p: Principal | None, owner: str, name: str) -> Response:
        repo = self._get_repo(owner, name)
        if repo.private and (
            p is None or (p.kind == "installation" and p.installation_id not in repo.installations)
        ):
            raise _Reply(404, "Not Found")  # GitHub hides a private repository from who cannot see it
        return self._json(self._repo_json(repo))

    def h_pull(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo, pull = self._get_pull(owner, name, n)
        return self._json(self._pull_json(repo, pull))

    def h_pull_files(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo, pull = self._get_pull(owner, name, n)
        return self._page([self._file_json(repo, pull, f) for f in pull.files])

    def _content_ref(self, repo: FakeRepo) -> str:
        return request.args.get("ref") or repo.default_branch

    def h_contents(self, _p: Principal | None, owner: str, name: str, path: str) -> Response:
        repo = self._get_repo(owner, name)
        ref = self._content_ref(repo)
        data = repo.contents.get((ref, path))
        if data is None:
            raise _Reply(404, "Not Found")
        sha = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        api = f"{self.url}/repos/{repo.full_name}"
        large = len(data) > self.large_file_threshold
        body = {
            "type": "file",
            "encoding": "none" if large else "base64",
            "size": len(data),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": "" if large else base64.encodebytes(data).decode(),
            "sha": sha,
            "url": f"{api}/contents/{quote(path)}?ref={ref}",
            "git_url": f"{api}/git/blobs/{sha}",
            "html_url": f"{self.url}/{repo.full_name}/blob/{ref}/{quote(path)}",
            "download_url": f"{self.url}/{repo.full_name}/raw/{ref}/{quote(path)}",
            "_links": {"self": f"{api}/contents/{quote(path)}?ref={ref}", "git": f"{api}/git/blobs/{sha}"},
        }
        return self._json(body)

    def h_blob(self, _p: Principal | None, owner: str, name: str, sha: str) -> Response:
        repo = self._get_repo(owner, name)
        for data in repo.contents.values():
            if hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest() == sha:
                body = {
                    "sha": sha,
                    "node_id": f"B_{sha[:8]}",
                    "size": len(data),
                    "url": f"{self.url}/repos/{repo.full_name}/git/blobs/{sha}",
                    "content": base64.encodebytes(data).decode(),
                    "encoding": "base64",
                }
                return self._json(body)
        raise _Reply(404, "Not Found")

    def _review_json(self, repo: FakeRepo, r: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in r.items() if not k.startswith("_")}

    def h_reviews(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo, _pull = self._get_pull(owner, name, n)
        items = [self._review_json(repo, r) for r in repo.reviews if r["_number"] == n]
        return self._page(items)

    def h_create_review(self, p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo, pull = self._get_pull(owner, name, n)
        data = self._body()
        commit = data.get("commit_id") or pull.head_sha
        if commit not in pull.shas:
            raise _Reply(422, "Unprocessable Entity", ["Commit is not part of the pull request"])
        event = data.get("event")
        body = data.get("body") or ""
        states = {"APPROVE": "APPROVED", "REQUEST_CHANGES": "CHANGES_REQUESTED", "COMMENT": "COMMENTED"}
        if event is not None and event not in states:
            raise _Reply(422, "Unprocessable Entity", [f"Event {event!r} is not a valid event"])
        if event in ("REQUEST_CHANGES", "COMMENT") and not body and not data.get("comments"):
            raise _Reply(422, "Unprocessable Entity", [f"Review body is required for {event}"])
        if event == "REQUEST_CHANGES" and self._login(p) == pull.user:
            raise _Reply(422, "Unprocessable Entity", ["Can not request changes on your own pull request"])
        files = {f.filename: f for f in pull.files}
        comments = data.get("comments") or []
        parsed: dict[str, tuple[set[int], set[int]]] = {}  # once per file: a patch can be megabytes
        for c in comments:
            if not isinstance(c, dict) or not c.get("path") or not c.get("body"):
                raise _Reply(422, "Invalid request.", ["comments items need path and body"])
            f = files.get(c["path"])
            if f is None:
                raise _Reply(422, "Unprocessable Entity", ["Path could not be resolved"])
            if "line" not in c:
                raise _Reply(
                    422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]
                )
            if f.filename not in parsed:
                parsed[f.filename] = diff_lines(f.patch)
            right, left = parsed[f.filename]
            lines = left if c.get("side", "RIGHT") == "LEFT" else right
            if (
                c["line"] not in lines
                or (c.get("start_line") or c["line"]) not in lines
                or (c["path"], c["line"]) in pull.anchors_rejected
            ):
                raise _Reply(
                    422, "Unprocessable Entity", ["Pull request review thread line must be part of the diff"]
                )
        rid = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}"
        review = {
            "id": rid,
            "node_id": f"PRR_{rid}",
            "user": self._user(self._login(p)),
            "body": body,
            "state": states.get(event or "", "PENDING"),
            "html_url": f"{self.url}/{repo.full_name}/pull/{n}#pullrequestreview-{rid}",
            "pull_request_url": f"{api}/pulls/{n}",
            "commit_id": commit,
            "submitted_at": iso(time.time()) if event else None,
            "author_association": "NONE",
            "_links": {
                "html": {"href": f"{self.url}/{repo.full_name}/pull/{n}#pullrequestreview-{rid}"},
                "pull_request": {"href": f"{api}/pulls/{n}"},
            },
            "_number": n,
        }
        repo.reviews.append(review)
        for c in comments:
            cid = next(self._ids)
            repo.review_comments.append(
                {
                    "id": cid,
                    "node_id": f"PRRC_{cid}",
                    "url": f"{api}/pulls/comments/{cid}",
                    "pull_request_review_id": rid,
                    "diff_hunk": "",
                    "path": c["path"],
                    "position": None,
                    "original_position": None,
                    "line": c["line"],
                    "original_line": c["line"],
                    "side": c.get("side", "RIGHT"),
                    "start_line": c.get("start_line"),
                    "commit_id": commit,
                    "original_commit_id": commit,
                    "user": self._user(self._login(p)),
                    "body": c["body"],
                    "created_at": iso(time.time()),
                    "updated_at": iso(time.time()),
                    "html_url": f"{self.url}/{repo.full_name}/pull/{n}#discussion_r{cid}",
                    "pull_request_url": f"{api}/pulls/{n}",
                    "author_association": "NONE",
                    "_links": {"self": {"href": f"{api}/pulls/comments/{cid}"}},
                    "_number": n,
                }
            )
        return self._json(self._review_json(repo, review))

    def h_dismiss(self, _p: Principal | None, owner: str, name: str, n: int, rid: int) -> Response:
        repo, _pull = self._get_pull(owner, name, n)
        for r in repo.reviews:
            if r["id"] == rid and r["_number"] == n:
                if r["state"] == "PENDING":
                    raise _Reply(422, "Unprocessable Entity", ["Can not dismiss a pending review"])
                r["state"] = "DISMISSED"
                return self._json(self._review_json(repo, r))
        raise _Reply(404, "Not Found")

    def h_review_comments(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo, _pull = self._get_pull(owner, name, n)
        items = [{k: v for k, v in c.items() if not k.startswith("_")} for c in repo.review_comments]
        return self._page(
            [c for c, raw in zip(items, repo.review_comments, strict=True) if raw["_number"] == n]
        )

    def _issue_comment_json(self, c: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in c.items() if not k.startswith("_")}

    def h_issue_comments(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        return self._page([self._issue_comment_json(c) for c in repo.issue_comments if c["_number"] == n])

    def h_create_issue_comment(self, p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        body = self._body().get("body")
        if not isinstance(body, str) or not body:
            raise _Reply(422, "Validation Failed", [{"resource": "IssueComment", "code": "missing_field"}])
        cid = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}"
        now = iso(time.time())
        comment = {
            "id": cid,
            "node_id": f"IC_{cid}",
            "url": f"{api}/issues/comments/{cid}",
            "html_url": f"{self.url}/{repo.full_name}/pull/{n}#issuecomment-{cid}",
            "issue_url": f"{api}/issues/{n}",
            "body": body,
            "user": self._user(self._login(p)),
            "created_at": now,
            "updated_at": now,
            "author_association": "NONE",
            # GitHub names the App whose installation wrote the comment (github-actions for a
            # workflow's GITHUB_TOKEN); null for a person's token.
            "performed_via_github_app": self._app_json(p.app) if p is not None and p.app else None,
            "_number": n,
        }
        repo.issue_comments.append(comment)
        return self._json(self._issue_comment_json(comment), 201)

    def h_edit_issue_comment(self, p: Principal | None, owner: str, name: str, cid: int) -> Response:
        repo = self._get_repo(owner, name)
        body = self._body().get("body")
        for c in repo.issue_comments:
            if c["id"] == cid:
                if c["user"]["login"] != self._login(p):
                    raise _Reply(403, "Resource not accessible by integration")
                c["body"] = body
                c["updated_at"] = iso(time.time())
                return self._json(self._issue_comment_json(c))
        raise _Reply(404, "Not Found")

    def h_labels(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        return self._page([self._label_json(repo, x) for x in repo.issue_labels.get(n, [])])

    def _label_names(self) -> list[str]:
        data = request.get_json(silent=True)
        names = data.get("labels") if isinstance(data, dict) else data
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            raise _Reply(422, "Invalid request.", ["labels must be a list of strings"])
        return names

    def h_set_labels(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        names = list(dict.fromkeys(self._label_names()))
        repo.issue_labels[n] = names
        return self._json([self._label_json(repo, x) for x in names])

    def h_add_labels(self, _p: Principal | None, owner: str, name: str, n: int) -> Response:
        repo = self._get_issue(owner, name, n)
        current = repo.issue_labels.setdefault(n, [])
        for x in self._label_names():
            if x.lower() not in {c.lower() for c in current}:
                current.append(x)
        return self._json([self._label_json(repo, x) for x in current])

    def h_remove_label(self, _p: Principal | None, owner: str, name: str, n: int, label: str) -> Response:
        repo = self._get_issue(owner, name, n)
        current = repo.issue_labels.setdefault(n, [])
        match = [c for c in current if c.lower() == label.lower()]
        if not match:
            raise _Reply(404, "Label does not exist")
        current.remove(match[0])
        return self._json([self._label_json(repo, x) for x in current])

    def _require_app(self, p: Principal | None) -> Principal:
        if p is None or p.kind != "installation":
            raise _Reply(403, "You must authenticate via a GitHub App.")
        if not p.checks:
            raise _Reply(403, "Resource not accessible by integration")
        return p

    @staticmethod
    def _check_annotations(output: dict[str, Any] | None) -> list[dict[str, Any]]:
        anns = (output or {}).get("annotations") or []
        if len(anns) > 50:
            raise _Reply(
                422,
                "Invalid request.",
                ["Only 50 annotations are allowed per request; use PATCH to add more."],
            )
        for a in anns:
            missing = {"path", "start_line", "end_line", "annotation_level", "message"} - set(a)
            if missing:
                raise _Reply(422, "Invalid request.", [f"annotation is missing {sorted(missing)}"])
            if a["annotation_level"] not in ("notice", "warning", "failure"):
                raise _Reply(422, "Invalid request.", ["annotation_level must be notice, warning or failure"])
        return anns

    def h_create_check_run(self, p: Principal | None, owner: str, name: str) -> Response:
        self._require_app(p)
        repo = self._get_repo(owner, name)
        data = self._body()
        if not data.get("name") or not data.get("head_sha"):
            raise _Reply(422, "Invalid request.", ["name and head_sha are required"])
        output = data.get("output") or {}
        if output and not ("title" in output and "summary" in output):
            raise _Reply(422, "Invalid request.", ["output needs title and summary"])
        anns = self._check_annotations(output)
        cid = next(self._ids)
        api = f"{self.url}/repos/{repo.full_name}"
        now = iso(time.time())
        status = data.get("status") or ("completed" if data.get("conclusion") else "queued")
        run = {
            "id": cid,
            "node_id": f"CR_{cid}",
            "head_sha": data["head_sha"],
            "external_id": data.get("external_id", ""),
            "url": f"{api}/check-runs/{cid}",
            "html_url": f"{self.url}/{repo.full_name}/runs/{cid}",
            "details_url": data.get("details_url"),
            "status": status,
            "conclusion": data.get("conclusion"),
            "started_at": data.get("started_at", now),
            "completed_at": data.get("completed_at", now if status == "completed" else None),
            "output": {
                "title": output.get("title"),
                "summary": output.get("summary"),
                "text": output.get("text"),
            },
            "name": data["name"],
            "check_suite": {"id": 1},
            "app": {"id": self.app_id, "slug": self.app_slug, "name": self.app_slug},
            "pull_requests": [],
        }
        repo.check_runs.append(run)
        repo.annotations[cid] = list(anns)
        return self._json(self._check_run_json(repo, run), 201)

    def h_update_check_run(self, p: Principal | None, owner: str, name: str, cid: int) -> Response:
        self._require_app(p)
        repo = self._get_repo(owner, name)
        data = self._body()
        run = next((r for r in repo.check_runs if r["id"] == cid), None)
        if run is None:
            raise _Reply(404, "Not Found")
        output = data.get("output")
        anns = self._check_annotations(output)
        for key in ("name", "status", "conclusion", "details_url", "external_id", "completed_at"):
            if key in data:
                run[key] = data[key]
        if data.get("conclusion") and "status" not in data:
            run["status"] = "completed"
        if run["status"] == "completed" and not run.get("completed_at"):
            run["completed_at"] = iso(time.time())
        if output:
            for key in ("title", "summary", "text"):
                if key in output:
                    run["output"][key] = output[key]
        repo.annotations.setdefault(cid, []).extend(anns)  # GitHub appends, never replaces
        return self._json(self._check_run_json(repo, run))

    def h_get_check_run(self, _p: Principal | None, owner: str, name: str, cid: int) -> Response:
        repo = self._get_repo(owner, name)
        for run in repo.check_runs:
            if run["id"] == cid:
                return self._json(self._check_run_json(repo, run))
        raise _Reply(404, "Not Found")

    def h_commit_check_runs(self, p: Principal | None, owner: str, name: str, sha: str) -> Response:
        if p is not None and p.kind == "installation" and not p.checks:
            raise _Reply(403, "Resource not accessible by integration")  # no checks permission at all
        repo = self._get_repo(owner, name)
        want = request.args.get("check_name")
        runs = [
            self._check_run_json(repo, r)
            for r in reversed(repo.check_runs)  # newest first, like GitHub
            if r["head_sha"] == sha and (want is None or r["name"] == want)
        ]
        return self._page(runs, wrap="check_runs")

    def h_create_status(self, p: Principal | None, owner: str, name: str, sha: str) -> Response:
        repo = self._get_repo(owner, name)
        data = self._body()
        if data.get("state") not in ("error", "failure", "pending", "success"):
            raise _Reply(
                422, "Validation Failed", [{"resource": "Status", "field": "state", "code": "invalid"}]
            )
        if len(data.get("description") or "") > 140:
            raise _Reply(422, "Validation Failed", [{"resource": "Status", "field": "description"}])
        sid = next(self._ids)
        now = iso(time.time())
        status = {
            "url": f"{self.url}/repos/{repo.full_name}/statuses/{sha}",
            "id": sid,
            "node_id": f"SC_{sid}",
            "state": data["state"],
            "description": data.get("description"),
            "target_url": data.get("target_url"),
            "context": data.get("context") or "default",
            "created_at": now,
            "updated_at": now,
            "creator": self._user(self._login(p)),
            "_sha": sha,
        }
        repo.statuses.append(status)
        return self._json({k: v for k, v in status.items() if not k.startswith("_")}, 201)

    def h_permission(self, p: Principal | None, owner: str, name: str, user: str) -> Response:
        if p is None:
            raise _Reply(401, "Requires authentication")
        return self._json(_permission_body(self, self._get_repo(owner, name), user))

    def h_reaction(self, p: Principal | None, owner: str, name: str, cid: int) -> Response:
        repo = self._get_repo(owner, name)
        content = self._body().get("content")
        if content not in ("+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"):
            raise _Reply(422, "Validation Failed", [{"resource": "Reaction", "field": "content"}])
        reaction = {
            "id": next(self._ids),
            "content": content,
            "user": self._user(self._login(p)),
            "_comment": cid,
        }
        repo.reactions.append(reaction)
        return self._json({k: v for k, v in reaction.items() if not k.startswith("_")}, 201)

    def h_commit_statuses(self, _p: Principal | None, owner: str, name: str, sha: str) -> Response:
        repo = self._get_repo(owner, name)
        items = [{k: v for k, v in s.items() if not k.startswith("_")} for s in reversed(repo.statuses)]
        return self._page(
            [i for i, s in zip(items, reversed(repo.statuses), strict=True) if s["_sha"] == sha]
        )


def _permission_body(self: FakeGitHub, repo: FakeRepo, user: str) -> dict[str, Any]:
    # A token's own user administers the repository; anyone else reads it, unless told otherwise.
    owners = {p.login for p in self.tokens.values() if p.kind == "user"}
    permission = repo.permissions.get(user, "admin" if user in owners else "read")
    return {"permission": permission, "role_name": permission, "user": self._user(user)}


@contextmanager
def running(**kw: Any) -> Iterator[FakeGitHub]:
    """Start a server for the duration of a ``with`` block."""
    server = FakeGitHub(**kw).start()
    try:
        yield server
    finally:
        server.stop()


def make_patch(old_start: int, lines: list[str]) -> str:
    """A one-hunk unified diff from lines prefixed with ``+``, ``-`` or a space."""
    old_len = sum(1 for x in lines if not x.startswith("+"))
    new_len = sum(1 for x in lines if not x.startswith("-"))
    return f"@@ -{old_start},{old_len} +{old_start},{new_len} @@\n" + "\n".join(lines)


def make_app_key() -> tuple[str, str]:
    """(private PEM, public PEM) of a fresh 2048-bit RSA key, as GitHub issues for an App's JWTs."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public
