"""code-repo: the repository a code link points to does not exist (or is private), or is archived.

Reads ``ctx.repos``, looked up through the GitHub API before judging (like ``ctx.arxiv``); None
(offline, no token) means the rule skips, and a repository GitHub could not answer for is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Example
from ..read.document import Item
from ..repo_name import parse_github_repo
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope, label_in

MISSING = Kind("no-such-repo", "The code repository does not exist or is private.", fact=True)
ARCHIVED = Kind("archived", "The code repository is archived.", fact=True)

RULE = Rule(
    "code-repo",
    Severity.WARNING,
    "A GitHub code link whose repository does not exist or is private, or is archived (one API request "
    "per distinct repository, cached; `check` only with `GITHUB_TOKEN`).",
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] "
        "[[code](https://github.com/owner/new-papr)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] "
        "[[code](https://github.com/owner/new-paper)]",
        repos=(("owner/new-papr", "missing"), ("owner/new-paper", "ok")),
    ),
    needs=("repos",),
    kinds=(MISSING, ARCHIVED),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or ctx.repos is None:
        return
    for owner, repo in code_repos(entry, ctx.grammar.code_labels):
        name = f"{owner}/{repo}"
        status = ctx.repos.get(name.lower())
        if status == "missing":
            yield Hit(
                MISSING,
                f"The code repository {name} does not exist or is private: check the link "
                "(copy it from the repository's page), or leave the code link out until the code is public.",
            )
        elif status == "archived":
            yield Hit(
                ARCHIVED,
                f"The code repository {name} is archived (read-only): fine if that is intended; "
                "link the maintained repository if the code moved.",
                minor=True,
            )


def code_repos(entry, code_labels: tuple[str, ...] | list[str]) -> list[tuple[str, str]]:
    """(owner, repo) of every GitHub code link of the entry, without repeats (case-insensitive)."""
    out: dict[str, tuple[str, str]] = {}
    for link in entry.links:
        if label_in(link.label, code_labels) and (parsed := parse_github_repo(link.url)):
            out.setdefault(f"{parsed[0]}/{parsed[1]}".lower(), parsed)
    return list(out.values())
