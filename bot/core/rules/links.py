"""links: the paper link is missing, a label is not allowed, a URL is malformed, a placeholder or not
https, or a code link is not a repository on an allowed host."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

from ..model import Edit
from ..options import Example, Option
from ..read.document import Item
from ..read.grammar import Grammar
from ..read.labels import is_page, may_be_paper, names_a_resource
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope, label_in

NO_PAPER = Kind("paper-link-missing", "Links, but none to the paper.")
LABEL = Kind("label-not-used-here", "A link label that is not one the list uses.", format=True)
URL = Kind("url-broken", "A URL that is empty, a placeholder, malformed or not a web address.")
HTTP = Kind("http", "A link over http.")
NOT_REPO = Kind("code-not-repo", "A code link that is not a repository on an allowed host.")

RULE = Rule(
    "links",
    Severity.ERROR,
    "The paper link is missing, a label is not one the list uses, a URL is empty, a placeholder, "
    "malformed or not https, or a code link is not a repository on an allowed host.",
    (
        Option(
            "code_hosts",
            ["github.com", "gitlab.com", "huggingface.co"],
            "Hosts a code link may point to.",
            "strings",
        ),
    ),
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] "
        "[[code](https://sites.google.com/view/new-paper)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)] "
        "[[code](https://github.com/owner/new-paper)]",
    ),
    kinds=(NO_PAPER, LABEL, URL, HTTP, NOT_REPO),
)
ID = RULE.id

_SEGMENT = re.compile(r"[A-Za-z0-9_.\-]{1,100}")
_PLACEHOLDER = re.compile(  # anchored: used with fullmatch
    r"\A(?:#?|(?:https?://)?(?:link|url|urls?|link[-_ ]?to[-_ ]?(?:paper|code|pdf|repo)|paper[-_ ]?link|"
    r"code[-_ ]?link|todo|tbd|xxx+|\.\.\.|…|<[^>]*>|\(url\)|your[-_ ]?link)/?)",
    re.IGNORECASE,
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    g = ctx.grammar
    inferred, allowed, hosts, labels = _once(ctx)
    # Missing only where every link names another kind of resource (code, a demo, data): a link
    # labelled `Technical Report` or `System Card` may be the paper, whatever the list calls it. A
    # project page or a blog post leads to the work: the paper may be there, so it is a warning.
    if entry.links and ctx.paper_link(entry) is None and not any(may_be_paper(k.label) for k in entry.links):
        link = g.links[0].replace("{label}", g.paper_labels[0] if g.paper_labels else "paper")
        page = any(is_page(k.label) for k in entry.links)
        yield Hit(
            NO_PAPER,
            f"The paper link is missing: add `{link.replace('{url}', 'URL')}`{_where(g)}"
            + (" (the entry links only a page about the work)." if page else "."),
            minor=page,
        )
    for link in entry.links:
        label, url = link.label, link.url
        told = labels.get(label)
        if told is None:  # a list's labels repeat: each told once
            told = labels[label] = (label_in(label, allowed), label_in(label, g.code_labels))
        if link.style not in ("title", "{url}") and not told[0]:
            yield Hit(
                LABEL,
                f"The link label `{label}` is not one this list uses: use {', '.join(allowed)}.",
                minor=inferred,
            )
        name = label or "paper"
        if link.style == "title":
            name = "paper"
        arxiv = ctx.ref(url) is not None
        problem = None if arxiv else _url_problem(url)  # arxiv-link judges arXiv URLs in every form
        if (
            problem
            and not url.strip()
            and not names_a_resource(label)
            and (not told[0] or label in _statuses(ctx))
        ):
            problem = None  # `[Coming soon]()`: a status written as an empty link, not a lost URL
        if problem:
            yield Hit(URL, f"The {name} link {problem}.")
            continue
        if url.startswith("http://") and not arxiv:
            fixed = "https://" + url[len("http://") :]
            yield Hit(HTTP, f"Use https for the {name} link.", (Edit(url, fixed),), minor=True)
        if told[1] and not _is_repo(url, hosts):
            yield Hit(  # a warning where the labels were learnt: lists label project pages "code" too
                NOT_REPO,
                f"The code link should point to the repository itself, like https://github.com/owner/repo (on {', '.join(hosts)}).",
                minor=inferred,
            )


def _once(ctx: Context) -> tuple[bool, tuple[str, ...], tuple[str, ...], dict[str, tuple[bool, bool]]]:
    """What every entry is held to, once per file: the labels were learnt, the labels allowed, the
    code hosts; and each label told (allowed, a code label) as it comes."""
    got = ctx.memo.get(ID)
    if got is None:
        g = ctx.grammar
        labels = g.paper_labels + g.code_labels + g.other_labels
        got = ctx.memo[ID] = (
            "grammar.paper_labels" in ctx.config.inferred,
            labels,
            tuple(ctx.option(ID, "code_hosts")),
            {},
        )
    return got


def _statuses(ctx: Context) -> frozenset[str]:
    """Labels the list writes mostly as empty links, three times or more (`[Coming soon]()` in a
    code column): a status it shows on purpose, even where the labels were learnt from it."""
    got = ctx.memo.get(f"{ID}:statuses")
    if got is None:
        uses: dict[str, list[int]] = {}
        for e in ctx.doc.entries:
            for k in e.links:
                n = uses.setdefault(k.label, [0, 0])
                n[0] += 1
                n[1] += not k.url.strip()
        got = ctx.memo[f"{ID}:statuses"] = frozenset(
            label for label, (n, empty) in uses.items() if empty >= 3 and 2 * empty >= n
        )
    return got


def _where(g: Grammar) -> str:
    """Where the list's format puts its links, for the message that asks for the paper link."""
    template = g.entry[0] if g.entry else None
    if template is None:
        return ""
    if template.marker == "|":
        return " in its column"
    roles = [r for r in template.roles if r != "badges"]
    at = roles.index("links") if "links" in roles else -1
    if at > 0 and roles[at - 1] == "title":
        return " right after the title"
    return " at the end of the entry" if at == len(roles) - 1 else ""


@lru_cache(maxsize=65536)
def _url_problem(url: str) -> str | None:
    if not url.strip():
        return "is empty: put the URL between the parentheses"
    if _PLACEHOLDER.fullmatch(url.strip()):
        return f"is a placeholder (`{url[:40]}`): put the paper's real URL there"
    if url.startswith("#"):
        return None  # a link within the list
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"is not a valid URL: `{url[:80]}`"
    if parts.scheme not in ("http", "https") or not parts.netloc or "." not in parts.netloc:
        return f"is not a web address: `{url[:80]}` (it should start with https://)"
    return None


@lru_cache(maxsize=65536)
def _is_repo(url: str, hosts: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    if host not in hosts:
        return False
    segs = [s for s in parts.path.split("/") if s]
    if host == "huggingface.co" and segs[:1] in (["spaces"], ["datasets"]):
        segs = segs[1:]
    if host == "github.com":
        return len(segs) >= 2 and all(_SEGMENT.fullmatch(s) for s in segs[:2])
    return len(segs) >= 2 and all(_SEGMENT.fullmatch(s) for s in segs)
