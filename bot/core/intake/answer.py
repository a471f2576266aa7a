"""The bot's answer to an issue that names papers: for each paper, the entry in the list's format,
the section and line it belongs at, or why there is none (already in the list, a source that could
not be reached, an id nobody knows). Pure: the lookups were made before, one batch per source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..arxiv_id import id_month
from ..model import ArxivLookup, RecordLookup
from ..read.compose import Facts, facts, write
from ..read.document import Document, heading_name
from ..records import record_id, source_of
from ..rules.base import Context
from ..titles import normalize
from . import sections
from .links import Found, PaperLink
from .place import Spot, insert, spot


@dataclass(frozen=True)
class Proposal:
    """What the bot says about one paper an issue names."""

    link: PaperLink
    title: str = ""  # as the sources give it ("" when none answered)
    entry: str | None = None  # the entry in the list's format (lines joined by "\n")
    choice: sections.Choice | None = None
    spot: Spot | None = None
    duplicate: tuple[int, str] | None = None  # (line, title) of the entry already in the list
    unverified: tuple[str, ...] = ()  # sources that could not be reached
    unknown: str = ""  # why no source knows the paper ("" when one does)
    requested: str = ""  # a section a maintainer named that the list does not have

    @property
    def addable(self) -> bool:
        return bool(self.entry and self.spot and not self.duplicate and not self.unverified)


@dataclass(frozen=True)
class Answer:
    proposals: tuple[Proposal, ...]
    dropped: int = 0  # papers past the per-issue limit

    @property
    def unverified(self) -> bool:
        return any(p.unverified for p in self.proposals)

    @property
    def duplicates(self) -> bool:
        return any(p.duplicate for p in self.proposals)


def record_ids(found: Found) -> list[str]:
    """The publication-record ids to ask for (one batch per source): every paper's own."""
    return [p.key for p in found.papers]


def arxiv_ids(found: Found) -> list[str]:
    return [p.arxiv for p in found.papers if p.arxiv]


def propose(
    doc: Document,
    found: Found,
    arxiv: ArxivLookup | None,
    records: RecordLookup | None,
    *,
    today: dt.date,
    section: str | None = None,
) -> Answer:
    """The answer for the papers ``found``, against the list ``doc`` (read with its learnt format).
    ``arxiv``/``records`` None: not asked (offline). ``section``: a maintainer's choice, by name."""
    ctx = Context(doc, doc.config, doc.grammar, frozenset(), today, arxiv)
    index = sections.index(doc)
    out = []
    for link in found.papers:
        out.append(_one(doc, ctx, index, link, arxiv, records, section))
    return Answer(tuple(out), found.dropped)


def _one(
    doc: Document,
    ctx: Context,
    index: sections.SectionIndex,
    link: PaperLink,
    arxiv: ArxivLookup | None,
    records: RecordLookup | None,
    section: str | None,
) -> Proposal:
    paper = arxiv.papers.get(link.arxiv) if arxiv is not None and link.arxiv else None
    record = records.papers.get(link.key) if records is not None else None
    unverified = []
    if link.arxiv and arxiv is not None and link.arxiv in arxiv.unverified:
        unverified.append("arXiv")
    if records is not None and link.key in records.unverified:
        unverified.append(source_of(link.key))
    title = (paper.title if paper else record.title if record else "").strip()
    dup = _duplicate(doc, ctx, link, title, record.arxiv if record else "")
    if dup is not None:
        return Proposal(link, title, duplicate=dup, unverified=tuple(unverified))
    if not title:
        if link.arxiv and arxiv is not None and link.arxiv in arxiv.missing:
            why = f"arXiv has no paper {link.arxiv}"
        elif not unverified:
            why = (
                f"{source_of(link.key)} does not know this paper" if records is not None else "not looked up"
            )
        else:
            why = ""
        return Proposal(link, unverified=tuple(unverified), unknown=why)
    known = facts(link.url, paper, record, ctx.aliases, link.code)
    entry = write(known, doc.grammar) if known else None
    when = _dates(known, link)
    venues = [known.venue[0]] if known and known.venue else []
    text = " ".join([title, paper.abstract if paper else ""])
    choice = index.choose(text, when, venues)
    requested = ""
    if section is not None:
        named = _named(index.names, section)
        if named is None:
            requested = section
        else:
            choice = sections.Choice(named)
    where = spot(doc, ctx, choice.first, _key(known, link)) if choice and not requested else None
    return Proposal(link, title, entry, choice, where, None, tuple(unverified), "", requested)


def _named(names: list[str], wanted: str) -> str | None:
    """The section a maintainer named: exactly, else without case and markup (never a guess)."""
    if wanted in names:
        return wanted
    key = heading_name(wanted)
    matches = [n for n in names if heading_name(n) == key]
    return matches[0] if len(matches) == 1 else None


def _duplicate(
    doc: Document, ctx: Context, link: PaperLink, title: str, arxiv_id: str
) -> tuple[int, str] | None:
    """The entry already in the list for this paper: the same arXiv id in any URL form, the same record
    id (a DOI, an ACL Anthology or OpenReview link), or the same title."""
    for aid in filter(None, (link.arxiv, arxiv_id)):
        if hits := ctx.by_id.get(aid):
            return hits[0].line, hits[0].title
    for e in doc.entries:
        if any(record_id(k.url) == link.key for k in e.links):
            return e.line, e.title
    if title and (hits := ctx.by_title.get(normalize(title))):
        return hits[0].line, hits[0].title
    return None


def _dates(known: Facts | None, link: PaperLink) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    if known and known.when:
        out.append(known.when)
    elif link.arxiv and (m := id_month(link.arxiv)):
        out.append(m)
    if known and known.venue:
        out.append((known.venue[1], None))
    return out


def _key(known: Facts | None, link: PaperLink) -> tuple[int, int] | None:
    """The order key the `order` rule would read from the written entry."""
    if link.arxiv and (m := id_month(link.arxiv)):
        return m
    if known and known.venue:
        return known.venue[1], 0
    return known.when if known else None


def inserted(text: str, answer: Answer) -> str:
    """The list with every addable entry at its place."""
    return insert(text, [(p.spot, p.entry) for p in answer.proposals if p.addable and p.spot and p.entry])
