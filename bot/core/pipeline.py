"""One list file → its findings, the same way for `check`, the review job and the Action:
bytes + the lines under review → items, arXiv ids, code repositories, findings (:func:`review_file`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import document, judge
from .arxiv_id import parse_ref
from .config import Config
from .document import Document, Item
from .grammar import Grammar
from .model import ArxivLookup, Finding
from .rules import code_repo
from .rules.base import arxiv_refs

Lookup = Callable[[list[str]], ArxivLookup]
RepoLookup = Callable[[list[str]], dict[str, str]]  # ["owner/name"] -> {"owner/name" lower: status}


def load(text: str, config: Config, grammar: Grammar, bad_bytes: Iterable[int] = ()) -> Document:
    doc = document.read(text, grammar, config["sections"])
    doc.bad_bytes = set(bad_bytes)
    return doc


def reviewed_items(doc: Document, checked: frozenset[int] | None) -> list[Item]:
    return [i for i in doc.items if i.in_scope and (checked is None or i.line in checked)]


def arxiv_ids(items: Iterable[Item]) -> list[str]:
    """Valid arXiv ids of the items under review (bare links too), in order, without repeats."""
    ids: list[str] = []
    for item in items:
        refs = arxiv_refs(item.entry) if item.entry else [r for r in [parse_ref(item.text[2:].strip())] if r]
        ids.extend(r.id for r in refs if r.valid)
    return list(dict.fromkeys(ids))


def code_repos(items: Iterable[Item], grammar: Grammar) -> list[str]:
    """Distinct "owner/name" of the GitHub code links of the items under review (validated names)."""
    names: dict[str, str] = {}
    for item in items:
        if item.entry:
            for owner, repo in code_repo.code_repos(item.entry, grammar.code_labels):
                names.setdefault(f"{owner}/{repo}".lower(), f"{owner}/{repo}")
    return list(names.values())


def run(
    doc: Document,
    config: Config,
    path: str,
    grammar: Grammar,
    checked: frozenset[int] | None,
    lookup: Lookup | None,
    repo_lookup: RepoLookup | None = None,
) -> tuple[list[Finding], ArxivLookup | None]:
    """Judge the items under review; `lookup` None means offline (arXiv rules that need metadata skip),
    `repo_lookup` None means code repositories are not looked up (code-repo skips)."""
    arxiv = None
    items = reviewed_items(doc, checked)
    if lookup is not None:
        ids = arxiv_ids(items)
        arxiv = lookup(ids) if ids else ArxivLookup()
    repos = None
    if repo_lookup is not None and config.severity(code_repo.ID) != "off":
        names = code_repos(items, grammar)
        repos = {k.lower(): v for k, v in repo_lookup(names).items()} if names else {}
    found = judge.judge(doc, config, path, checked=checked, arxiv=arxiv, grammar=grammar, repos=repos)
    return found, arxiv


@dataclass
class FileResult:
    """What :func:`review_file` found in one file."""

    doc: Document
    items: list[Item]  # the items under review
    findings: list[Finding]
    arxiv: ArxivLookup | None  # what arXiv said about their ids; None: offline

    @property
    def incomplete(self) -> bool:
        """arXiv could not verify some ids: the review should be run again later."""
        return bool(self.arxiv and self.arxiv.unverified)


def review_file(
    data: bytes,
    path: str,
    config: Config,
    checked: frozenset[int] | None,
    *,
    lookup: Lookup | None = None,
    repo_lookup: RepoLookup | None = None,
    grammar: Grammar | None = None,
) -> FileResult:
    """Judge the file ``data`` (its lines ``checked``; None: all of them). Invalid UTF-8 never fails:
    document.decode notes the lines that held it, the one place that looks for U+FFFD."""
    text, bad = document.decode(data)
    grammar = grammar or Grammar.from_config(config["grammar"])
    doc = load(text, config, grammar, bad)
    findings, arxiv = run(doc, config, path, grammar, checked, lookup, repo_lookup)
    return FileResult(doc, reviewed_items(doc, checked), findings, arxiv)
