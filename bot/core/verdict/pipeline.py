"""One list file → its findings, the same way for `check`, the review job and the Action: text →
document (the format learnt where config leaves it to the list) → arXiv ids, publication-record ids and
code repositories to look up (one batch call each) → findings (:func:`review_file`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from ..arxiv_id import parse_ref
from ..budget import UNLIMITED, Budget
from ..config.config import Config
from ..format.infer import infer
from ..format.syntax import Problem, problems, repair
from ..lines import split_lines
from ..model import ArxivLookup, Finding, Progress, RecordLookup
from ..read import document
from ..read.document import Document, Item, Parsed
from ..read.entry import Entry, remembered
from ..read.grammar import Grammar
from ..read.suppress import Trust
from ..records import record_id
from ..rules import code_repo, paper_title, venue_claim, venue_published
from ..rules.base import Context, arxiv_refs, entry_record_id, paper_link
from . import judge
from .calibration import calibrate, gate

Lookup = Callable[[list[str]], ArxivLookup]
RepoLookup = Callable[[list[str]], dict[str, str]]  # ["owner/name"] -> {"owner/name" lower: status}
RecordsLookup = Callable[[list[str]], RecordLookup]  # ["ARXIV:2106.15928", "DOI:…"] -> records
RECORD_RULES = (venue_published.ID, venue_claim.ID, paper_title.ID)


def resolve(config: Config, parsed: Parsed) -> Config:
    """The config with every "auto" filled in from the list (`parsed`); one that sets the whole
    format is used as it is."""
    if config.learnt or not config.auto:
        return config
    return config.resolved(infer(parsed).config())


# Calibration reads no clock: the kinds that do (a date in the future) are facts, never calibrated.
_NO_CLOCK = dt.date.max


def calibrated(config: Config, base: str | Parsed, budget: Budget = UNLIMITED) -> Config:
    """The config that the base of a change teaches: its format, learnt where config leaves it "auto",
    and the calibration of its accepted entries: what the judge's rules say on every item of the base,
    offline, counted (bot.core.verdict.calibration), the same rules that then judge the change."""
    parsed = base if isinstance(base, Parsed) else document.parse(base, budget)
    cfg = resolve(config, parsed)
    if cfg.calibration is not None:
        return cfg
    doc = prepare(parsed, cfg, base=cfg, budget=budget, keep=True)  # the base of reviews to come
    ctx = Context(doc, cfg, doc.grammar, None, _NO_CLOCK, calibration=gate(doc, cfg), memo_urls=doc.urls)
    return replace(cfg, calibration=calibrate(doc, cfg, judge.hits(doc, ctx, budget)))


def prepare(
    text: str | Parsed,
    config: Config,
    *,
    base: str | Parsed | Config | None = None,
    bad_bytes: Iterable[int] = (),
    budget: Budget = UNLIMITED,
    keep: bool = False,
) -> Document:
    """The document as the rules see it. The format and the calibration are learnt from `base` when
    given (the PR's base version of the file, or a config already calibrated on it: a PR cannot change
    the rules it is judged by), else the format from the text itself (which the judge then calibrates
    on, when it judges the whole file). `budget` is checked between items; `keep`: its entries are
    kept for the next review to find (bot.core.read.reuse), not worth it for a file read once."""
    parsed = text if isinstance(text, Parsed) else document.parse(text, budget)
    if isinstance(base, Config):
        cfg = base
    elif base is not None:
        cfg = calibrated(config, base, budget)
    else:
        cfg = resolve(config, parsed)
    grammar = grammar_of(cfg)
    sections = cfg["sections"] if isinstance(cfg["sections"], list) else ["*"]
    ignore = cfg["ignore_sections"] if isinstance(cfg["ignore_sections"], list) else []
    doc = document.read(parsed, grammar, sections, ignore, budget, keep)
    doc.config = cfg
    doc.bad_bytes = set(bad_bytes)
    for item in doc.items:
        if item.entry and (item.in_scope or item.entry.links):
            budget.check(item.line)
            item.problems = remembered(item.entry, "problems", grammar, _problems)
            if item.problems and item.in_scope:
                item.fixed = remembered(item.entry, "repair", grammar, repair)
    return doc


def without(text: str, lines: Iterable[int]) -> str:
    """The text without the given lines: the base version of a file that a diff only adds to, where
    the base itself is not at hand (`check --diff`)."""
    drop = set(lines)
    return "\n".join(line for n, line in enumerate(split_lines(text), 1) if n not in drop)


def _problems(entry: Entry, grammar: Grammar) -> tuple[Problem, ...]:
    return tuple(problems(entry, grammar))


_GRAMMARS: dict[str, Grammar] = {}
GRAMMARS_KEPT = 64


def grammar_of(cfg: Config) -> Grammar:
    """The config's grammar, one object for one grammar: what an entry's memo keeps is worked out
    for a grammar object (bot.core.read.entry.remembered), and reviews of one base share theirs.
    Keyed by the grammar section as written (its repr), so an equal one is the same; bounded."""
    inferred = "grammar.entry" in cfg.inferred
    key = f"{inferred}{cfg['grammar']!r}"
    got = _GRAMMARS.get(key)
    if got is None:
        if len(_GRAMMARS) >= GRAMMARS_KEPT:
            _GRAMMARS.clear()
        got = _GRAMMARS[key] = Grammar.from_config(cfg["grammar"], inferred=inferred)
    return got


def reviewed_items(doc: Document, checked: frozenset[int] | None) -> list[Item]:
    return [i for i in doc.items if i.in_scope and judge.is_checked(i, checked)]


def coverage(doc: Document, checked: frozenset[int] | None = None) -> tuple[int, int]:
    """(items in the paper sections, those that read as entries in the list's format: their shape is
    one of its templates; a defect inside such an entry, a broken link say, is the rules' to report)."""
    items = reviewed_items(doc, checked)
    ok = sum(1 for i in items if i.entry and i.entry.follows_format)
    return len(items), ok


def arxiv_ids(items: Iterable[Item]) -> list[str]:
    """Valid arXiv ids of the items under review (bare links too), in order, without repeats."""
    ids: list[str] = []
    for item in items:
        refs = arxiv_refs(item.entry) if item.entry else ()
        ids.extend(r.id for r in refs if r.valid)
        if not refs and (r := parse_ref(item.text.strip()[2:].strip())) and r.valid:
            ids.append(r.id)
    return list(dict.fromkeys(ids))


def code_repos(items: Iterable[Item], grammar: Grammar) -> list[str]:
    """Distinct "owner/name" of the GitHub code links of the items under review (validated names)."""
    names: dict[str, str] = {}
    for item in items:
        if item.entry:
            for owner, repo in code_repo.code_repos(item.entry, grammar.code_labels):
                names.setdefault(f"{owner}/{repo}".lower(), f"{owner}/{repo}")
    return list(names.values())


def record_ids(items: Iterable[Item], grammar: Grammar) -> list[str]:
    """The publication-record ids of the items under review, in order, without repeats: the one the
    venue rules read (the paper link's, else the first arXiv id's) and the paper link's own."""
    ids: list[str] = []
    for item in items:
        if item.entry:
            if key := entry_record_id(item.entry, grammar):
                ids.append(key)
            link = paper_link(item.entry, grammar)
            if link is not None and (key := record_id(link.url)):
                ids.append(key)
    return list(dict.fromkeys(ids))


def run(
    doc: Document,
    path: str,
    checked: frozenset[int] | None,
    lookup: Lookup | None,
    repo_lookup: RepoLookup | None = None,
    *,
    today: dt.date,
    records_lookup: RecordsLookup | None = None,
    trust: Trust | None = None,
    budget: Budget = UNLIMITED,
    progress: Progress | None = None,
) -> tuple[list[Finding], ArxivLookup | None, RecordLookup | None]:
    """Judge the items under review; `lookup` None means offline (arXiv rules that need metadata skip),
    `repo_lookup` None means code repositories are not looked up (code-repo skips), `records_lookup`
    None means no publication records (venue-published, venue-claim and paper-title skip); `trust`: which
    inline suppressions count (bot.core.read.suppress; None: all)."""
    config = doc.config
    arxiv = None
    items = reviewed_items(doc, checked)
    if lookup is not None:
        ids = arxiv_ids(items)
        arxiv = lookup(ids) if ids else ArxivLookup()
    repos = None
    if repo_lookup is not None and config.severity(code_repo.RULE.id) != "off":
        names = code_repos(items, doc.grammar)
        repos = {k.lower(): v for k, v in repo_lookup(names).items()} if names else {}
    records = None
    if records_lookup is not None and any(config.severity(r) != "off" for r in RECORD_RULES):
        keys = record_ids(items, doc.grammar)
        records = records_lookup(keys) if keys else RecordLookup()
    found = judge.judge(
        doc, config, path, today=today, checked=checked, arxiv=arxiv, repos=repos, records=records,
        trust=trust, budget=budget, progress=progress,
    )  # fmt: skip
    return found, arxiv, records


@dataclass
class FileResult:
    """What :func:`review_file` found in one file."""

    doc: Document
    items: list[Item]  # the items under review
    findings: list[Finding]
    arxiv: ArxivLookup | None  # what arXiv said about their ids; None: offline
    records: RecordLookup | None = None  # what Semantic Scholar said; None: not asked

    @property
    def incomplete(self) -> bool:
        """arXiv could not verify some ids, or a finding waits for a source: run the review again later."""
        return bool(self.arxiv and self.arxiv.unverified) or any(f.unverified for f in self.findings)


def review_file(
    data: bytes,
    path: str,
    config: Config,
    checked: frozenset[int] | None,
    *,
    today: dt.date,
    base: str | Parsed | Config | None = None,
    lookup: Lookup | None = None,
    repo_lookup: RepoLookup | None = None,
    records_lookup: RecordsLookup | None = None,
    parsed: Parsed | None = None,
    trust: Trust | None = None,
    budget: Budget = UNLIMITED,
    progress: Progress | None = None,
) -> FileResult:
    """Judge the file ``data`` (its lines ``checked``; None: all of them), in the format ``config``
    sets or ``base`` teaches (see :func:`prepare`). Invalid UTF-8 never fails: document.decode notes
    the lines that held it, the one place that looks for U+FFFD. ``parsed``: ``data`` already parsed;
    ``trust``: which inline suppressions count (a pull request's: those in its base; None: all);
    ``budget``: checked between items (OverBudget names the file and the line it reached);
    ``progress``: told how many items have been judged, now and then (a terminal's progress bar)."""
    text, bad = document.decode(data)
    budget = budget if budget.file else budget.of(path)
    doc = prepare(
        parsed if parsed is not None else text, config, base=base, bad_bytes=bad, budget=budget,
        keep=checked is not None,  # a review's head: the next review of its base reads it again
    )  # fmt: skip
    findings, arxiv, records = run(
        doc, path, checked, lookup, repo_lookup, today=today, records_lookup=records_lookup, trust=trust,
        budget=budget, progress=progress,
    )  # fmt: skip
    return FileResult(doc, reviewed_items(doc, checked), findings, arxiv, records)
