"""GitHub owner/repo from a contributor's URL, strictly validated before it goes into an API path.

Why strict: the two segments are pasted into ``/repos/{owner}/{repo}``; anything that could add a
segment (``..``, ``/``, ``%2F``), a query or a fragment to that path must never get through.
Pure: no network, and no text makes these functions raise.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Logins: ASCII letters, digits and hyphens, 1-39, not starting with a hyphen. No ``.``, ``/``, ``%``,
# ``?`` or ``#`` can ever pass, which is what keeps an API path from being redirected.
_OWNER = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}")
# Repository names: up to 100 of ASCII letters, digits, ``.``, ``-``, ``_``; never ``.`` or ``..``.
_REPO = re.compile(r"[A-Za-z0-9._-]{1,100}")
_HOSTS = frozenset({"github.com", "www.github.com"})
# First path segments of github.com pages that are not users or organisations.
_NOT_OWNERS = frozenset(
    [
        "about",
        "apps",
        "collections",
        "contact",
        "enterprise",
        "events",
        "explore",
        "features",
        "login",
        "marketplace",
        "new",
        "notifications",
        "orgs",
        "organizations",
        "pricing",
        "pulls",
        "search",
        "security",
        "settings",
        "sponsors",
        "topics",
        "trending",
        "users",
    ]
)


def valid_owner(owner: str) -> bool:
    """A user or organisation login in GitHub's character set."""
    return isinstance(owner, str) and _OWNER.fullmatch(owner) is not None


def valid_repo(repo: str) -> bool:
    """A repository name in GitHub's character set (``.`` and ``..`` are path tricks, not names)."""
    return isinstance(repo, str) and _REPO.fullmatch(repo) is not None and repo not in (".", "..")


def valid_name(owner: str, repo: str) -> bool:
    """GitHub's own character rules for an owner and a repository name; never ``.`` or ``..``."""
    return valid_owner(owner) and valid_repo(repo)


def valid_full_name(full_name: str) -> bool:
    """``owner/name`` with exactly one slash and both parts valid (e.g. a payload's full_name)."""
    if not isinstance(full_name, str):
        return False
    owner, sep, repo = full_name.partition("/")
    return bool(sep) and valid_name(owner, repo)


def parse_github_repo(url: str) -> tuple[str, str] | None:
    """``("owner", "repo")`` for an https://github.com/owner/repo[/...] URL, else None.

    Deeper paths (``/tree/main``), a query or a fragment may follow and are dropped, never returned;
    a trailing ``.git`` is dropped. Credentials, ports, other hosts, encoded characters, whitespace
    and dot segments anywhere in the path make the whole URL None.
    """
    if not isinstance(url, str) or len(url) > 2000:
        return None
    url = url.strip()
    if any(c.isspace() or ord(c) < 32 or c == "\\" for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("https", "http") or port is not None or "@" in parts.netloc:
        return None
    if (parts.hostname or "").lower() not in _HOSTS:
        return None
    segs = parts.path.split("/")
    if len(segs) < 3 or segs[0] != "" or any(s in (".", "..") for s in segs):
        return None
    owner, repo = segs[1], segs[2]
    if repo.endswith(".git"):
        repo = repo[: -len(".git")]
    if owner.lower() in _NOT_OWNERS:
        return None
    return (owner, repo) if valid_name(owner, repo) else None
