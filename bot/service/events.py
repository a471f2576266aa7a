"""Pure webhook triage: (event, headers, payload, drafts flag) → a ReviewJob or a reason to ignore.

No Flask, no queue: the receiver calls :func:`classify` and maps the outcome to a status code.
Every field read from the payload goes through a typed getter, so a malformed body raises
:class:`BadPayload` naming the field (the receiver answers 400), never a KeyError (a 500).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from bot.core.lines import split_lines
from bot.core.repo_name import valid_full_name
from bot.service.errors import BadPayload

T = TypeVar("T")

# Actions after which the list file on the PR head may have changed, or may never have been reviewed.
PR_ACTIONS = frozenset({"opened", "synchronize", "reopened", "ready_for_review", "edited"})
_SHA = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")  # SHA-1, or SHA-256 repositories
_DELIVERY = re.compile(r"[A-Za-z0-9_.:-]{1,100}")


@dataclass(frozen=True)
class ReviewJob:
    """One review to run: a pull request at one head SHA. Serialised as a plain dict in the queue."""

    delivery_id: str
    repo: str  # "owner/name"
    number: int
    head_sha: str
    base_ref: str
    installation_id: int | None
    action: str
    draft: bool
    private: bool = True  # the repository's visibility (the status page hides private ones)
    comment_id: int | None = None  # a /recheck or /add: the comment, which the job reacts to
    requested_by: str = ""  # a /recheck or /add: its author, whose permission the job asks GitHub about
    kind: str = "pull"  # "pull": review a pull request; "issue": answer an issue that names papers
    argument: str = ""  # `/add section: NAME`: the section a maintainer named

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ReviewJob:
        """Rebuild from the queue's dict, validating again: the store is outside this process."""
        inst = data.get("installation_id")
        repo = _typed(data, "repo", str, "job")
        if not valid_full_name(repo):
            raise BadPayload("job.repo", "not owner/name")
        return cls(
            delivery_id=_typed(data, "delivery_id", str, "job"),
            repo=repo,
            number=_int(data, "number", "job"),
            head_sha=_typed(data, "head_sha", str, "job"),
            base_ref=_typed(data, "base_ref", str, "job"),
            installation_id=None if inst is None else _int(data, "installation_id", "job"),
            action=_typed(data, "action", str, "job"),
            draft=_typed(data, "draft", bool, "job"),
            private=_typed(data, "private", bool, "job", default=True),
            comment_id=None if data.get("comment_id") is None else _int(data, "comment_id", "job"),
            requested_by=_typed(data, "requested_by", str, "job", default=""),
            kind=_typed(data, "kind", str, "job", default="pull"),
            argument=_typed(data, "argument", str, "job", default="")[:MAX_ARGUMENT],
        )


@dataclass(frozen=True)
class Ignore:
    """A delivery that needs no review; ``reason`` goes to the log and the 204 response header."""

    reason: str


@dataclass(frozen=True)
class Ping:
    """GitHub's ``ping`` on hook creation: answered 200 so the hook shows as healthy."""

    zen: str = ""


Outcome = ReviewJob | Ignore | Ping


def classify(event: str, headers: Mapping[str, str], payload: Any, review_drafts: bool = False) -> Outcome:
    """Decide what a delivery means. ``headers`` needs ``X-GitHub-Delivery`` (case-insensitive
    mapping, e.g. werkzeug's); ``payload`` is the parsed JSON body, of any type."""
    delivery = headers.get("X-GitHub-Delivery") or ""
    if not _DELIVERY.fullmatch(delivery):
        raise BadPayload("X-GitHub-Delivery", "missing or not a delivery id")
    if not isinstance(payload, dict):
        raise BadPayload("body", "not a JSON object")
    handler = _HANDLERS.get(event)
    if handler is None:
        return Ignore(f"event {event!r} not handled")
    return handler(delivery, payload, review_drafts)


def _ping(delivery: str, payload: dict[str, Any], review_drafts: bool) -> Outcome:
    zen = payload.get("zen")
    return Ping(zen if isinstance(zen, str) else "")


def _pull_request(delivery: str, payload: dict[str, Any], review_drafts: bool) -> Outcome:
    action = _typed(payload, "action", str)
    if action not in PR_ACTIONS:
        return Ignore(f"pull_request action {action!r} not reviewed")
    if action == "edited":
        changes = _typed(payload, "changes", dict)
        if "base" not in changes:  # a title/body edit does not change what the list file looks like
            return Ignore("pull_request edited without a base change")
    pr = _typed(payload, "pull_request", dict)
    head = _typed(pr, "head", dict, "pull_request")
    base = _typed(pr, "base", dict, "pull_request")
    repo = _typed(payload, "repository", dict)
    full_name = _typed(repo, "full_name", str, "repository")
    if not valid_full_name(full_name):  # it goes into API paths: no "..", no extra segments
        raise BadPayload("repository.full_name", "not owner/name")
    sha = _typed(head, "sha", str, "pull_request.head")
    if not _SHA.fullmatch(sha):
        raise BadPayload("pull_request.head.sha", "not a hex commit id")
    number = _int(pr, "number", "pull_request")
    if number <= 0:
        raise BadPayload("pull_request.number", "not a positive integer")
    draft = _typed(pr, "draft", bool, "pull_request", default=False)
    state = _typed(pr, "state", str, "pull_request", default="open")
    if state != "open":
        return Ignore(f"pull request is {state}")
    if draft and not review_drafts:
        return Ignore("draft pull request (review_drafts is off)")
    installation_id = _installation_id(payload)
    return ReviewJob(
        delivery_id=delivery,
        repo=full_name,
        number=number,
        head_sha=sha,
        base_ref=_typed(base, "ref", str, "pull_request.base"),
        installation_id=installation_id,
        action=action,
        draft=draft,
        private=_private(payload),
    )


def _issue_comment(delivery: str, payload: dict[str, Any], review_drafts: bool) -> Outcome:
    """``/recheck`` from someone with write access, on an open pull request: review its current head
    again (after an arXiv outage, or a change of the repository's config). The payload carries no head
    SHA, so the job gets ``head_sha=""`` and reads the head from the API. Anyone else's comment, and
    every other comment, is ignored without a reply: the bot does not argue in threads."""
    action = _typed(payload, "action", str)
    if action != "created":
        return Ignore(f"issue_comment action {action!r} not handled")
    issue = _typed(payload, "issue", dict)
    comment = _typed(payload, "comment", dict)
    body = _typed(comment, "body", str, "comment", default="") or ""
    if not isinstance(issue.get("pull_request"), dict):  # absent (or null) on a plain issue
        return _add(delivery, payload, issue, comment, body)
    if not _is_command(body, RECHECK):
        return Ignore("comment is not a command")
    association = _typed(comment, "author_association", str, "comment", default="NONE")
    if association not in WRITE_ASSOCIATIONS:
        return Ignore(f"{RECHECK} from {association[:20]}, not a maintainer")
    state = _typed(issue, "state", str, "issue", default="open")
    if state != "open":
        return Ignore(f"pull request is {state[:20]}")
    full_name, number = _issue_target(payload, issue)
    installation_id = _installation_id(payload)
    return ReviewJob(
        delivery_id=delivery,
        repo=full_name,
        number=number,
        head_sha="",  # the job reviews the PR's head at the time it runs
        base_ref="",
        installation_id=installation_id,
        action="recheck",
        draft=False,
        private=_private(payload),
        comment_id=comment.get("id") if isinstance(comment.get("id"), int) else None,
        requested_by=_login(comment),
    )


def _issues(delivery: str, payload: dict[str, Any], review_drafts: bool) -> Outcome:
    """An issue opened or edited: the job reads its body, and answers when it links papers."""
    action = _typed(payload, "action", str)
    if action not in ISSUE_ACTIONS:
        return Ignore(f"issues action {action[:20]!r} not answered")
    issue = _typed(payload, "issue", dict)
    if isinstance(issue.get("pull_request"), dict):
        return Ignore("an issue event about a pull request")
    if _typed(issue, "state", str, "issue", default="open") != "open":
        return Ignore("issue is closed")
    if action == "edited" and "body" not in _typed(payload, "changes", dict, default={}):
        return Ignore("issue edited without a body change")
    return _issue_job(delivery, payload, issue, action)


def _add(
    delivery: str, payload: dict[str, Any], issue: dict[str, Any], comment: dict[str, Any], body: str
) -> Outcome:
    """`/add` (or `/add section: NAME`) on an open issue: from anyone, since a stranger gets a reply;
    the job asks GitHub whether the author may push before it writes anything else."""
    command = _first_line(body)
    if command.casefold() != ADD and not command.casefold().startswith(ADD + " "):
        return Ignore("comment on an issue, not a pull request, and not /add")
    if _typed(issue, "state", str, "issue", default="open") != "open":
        return Ignore("issue is closed")
    rest = command[len(ADD) :].strip()
    section = ""
    if rest:
        key, sep, value = rest.partition(":")
        if not sep or key.strip().casefold() != "section" or not value.strip():
            return Ignore("comment is not a command")
        section = value.strip()[:MAX_ARGUMENT]
    job = _issue_job(delivery, payload, issue, "add")
    return ReviewJob(
        **{
            **job.to_dict(),
            "comment_id": comment.get("id") if isinstance(comment.get("id"), int) else None,
            "requested_by": _login(comment),
            "argument": section,
        }
    )


def _issue_job(delivery: str, payload: dict[str, Any], issue: dict[str, Any], action: str) -> ReviewJob:
    full_name, number = _issue_target(payload, issue)
    return ReviewJob(
        delivery_id=delivery,
        repo=full_name,
        number=number,
        head_sha="",
        base_ref="",
        installation_id=_installation_id(payload),
        action=action,
        draft=False,
        private=_private(payload),
        kind="issue",
    )


def _issue_target(payload: dict[str, Any], issue: dict[str, Any]) -> tuple[str, int]:
    """The repository and number of an issue (or pull request) a comment or event is about, validated:
    both go into API paths."""
    number = _int(issue, "number", "issue")
    if number <= 0:
        raise BadPayload("issue.number", "not a positive integer")
    full_name = _typed(_typed(payload, "repository", dict), "full_name", str, "repository")
    if not valid_full_name(full_name):
        raise BadPayload("repository.full_name", "not owner/name")
    return full_name, number


ISSUE_ACTIONS = frozenset({"opened", "edited", "reopened"})
ADD = "/add"
MAX_ARGUMENT = 200
RECHECK = "/recheck"
# author_association values of people who can push to the repository (GitHub's own vocabulary).
WRITE_ASSOCIATIONS = frozenset({"OWNER", "MEMBER", "COLLABORATOR"})


def _is_command(body: str, command: str) -> bool:
    """The comment's first non-blank line is exactly the command (case-insensitive): quoting or
    mentioning ``/recheck`` inside a sentence does not trigger anything."""
    return _first_line(body).casefold() == command


def _first_line(body: str) -> str:
    return next((line.strip() for line in split_lines(body) if line.strip()), "")


_Handler = Callable[[str, dict[str, Any], bool], Outcome]
_HANDLERS: dict[str, _Handler] = {
    "ping": _ping,
    "pull_request": _pull_request,
    "issue_comment": _issue_comment,
    "issues": _issues,
}

_MISSING = object()


def _typed(obj: Mapping[str, Any], key: str, kind: type[T], where: str = "", default: Any = _MISSING) -> T:
    """``obj[key]`` if it is a ``kind``; else BadPayload naming the dotted field."""
    value = obj.get(key, _MISSING)
    if value is _MISSING and default is not _MISSING:
        return default
    # bool is an int subclass: never accept True where a number is expected, and vice versa.
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        name = f"{where}.{key}" if where else key
        raise BadPayload(name, "missing" if value is _MISSING else f"expected {kind.__name__}")
    return value


def _int(obj: Mapping[str, Any], key: str, where: str = "") -> int:
    return _typed(obj, key, int, where)


def _login(comment: Mapping[str, Any]) -> str:
    user = comment.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) and len(login) <= 100 else ""


def _private(payload: Mapping[str, Any]) -> bool:
    """``repository.private``; anything but an explicit false counts as private."""
    repo = payload.get("repository")
    return not (isinstance(repo, dict) and repo.get("private") is False)


def _installation_id(payload: Mapping[str, Any]) -> int | None:
    """The App installation that sent the event (absent for webhooks set up by hand)."""
    if payload.get("installation") is None:
        return None
    return _int(_typed(payload, "installation", dict), "id", "installation")
