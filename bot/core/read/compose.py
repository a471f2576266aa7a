"""An entry written in a list's own format from what the sources say about a paper: its title, its tag
in the list's style (a venue a record is sure of, else the preprint tag with arXiv's month), its
date, authors, paper link and the code link an issue gave. The same writer serves `check`'s fix for
a bare link line (bot.core.rules.format) and the entry the bot proposes on an issue."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..arxiv_id import id_month
from ..model import Paper, Record
from ..records import Aliases, published
from ..titles import short
from .grammar import Grammar
from .markup import literal
from .slots import Line, Link, Slot
from .tags import Tag
from .templates import Template, marker_kind

_TIDY = re.compile(r"(?<!\s)\s+([.,;:])|([.,;:])(?=[.,;:])")  # a run of spaces tried from its start only
_DATE = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Facts:
    """What goes into an entry."""

    title: str
    url: str  # the paper link
    when: tuple[int, int] | None  # (year, month) of the preprint's first version, or the record's date
    venue: tuple[str, int] | None = None  # (the list's name for the venue, year): a record sure of it
    authors: tuple[str, ...] = ()
    code: str | None = None
    preprint: bool = True  # on arXiv (or another preprint server): the preprint tag fits

    def tag(self, grammar: Grammar) -> Tag | None:
        if self.venue is not None:
            return Tag("venue", self.venue[1], None, self.venue[0])
        if self.when is None or not self.preprint:
            return None
        server = grammar.preprint[0].server if grammar.preprint else "Arxiv"
        return Tag("preprint", self.when[0], self.when[1], server)


def facts(
    url: str,
    paper: Paper | None,
    record: Record | None,
    aliases: Aliases,
    code: str | None = None,
) -> Facts | None:
    """The facts of one paper from arXiv's metadata and its publication record (either may be None);
    None when neither gives a title."""
    title = clean_title(paper.title if paper else record.title if record else "")
    if not title:
        return None
    pub = published(record, aliases) if record is not None else None
    venue = (pub.venue, pub.year) if pub is not None and pub.year else None
    when = v1_month(paper) if paper else _record_month(record)
    on_arxiv = paper is not None or bool(record and record.arxiv)
    authors = paper.authors if paper else ()
    return Facts(title, url, when, venue, authors, code, on_arxiv)


def clean_title(title: str) -> str:
    return " ".join(title.split())


def v1_month(paper: Paper) -> tuple[int, int]:
    if len(paper.published) >= 7 and paper.published[:4].isdigit() and paper.published[5:7].isdigit():
        return int(paper.published[:4]), int(paper.published[5:7])
    return id_month(paper.id) or (2000, 1)


def _record_month(record: Record | None) -> tuple[int, int] | None:
    if record is None:
        return None
    if record.arxiv and (m := id_month(record.arxiv)):
        return m
    if m := _DATE.match(record.publication_date or ""):
        return int(m[1]), int(m[2])
    return None


def write(facts: Facts, grammar: Grammar, marker: str = "-", *, details: bool = True) -> str | None:
    """The entry as the list writes one: its first template that the facts can fill, and (``details``)
    the lines below it that hold what the first line has no place for (authors, links, a date);
    several lines are joined by "\\n". None when the list's format needs a field the facts lack."""
    values = _values(facts, grammar)
    template = _pick(grammar.entry, values)
    if template is None:
        return None
    links = _links(facts, grammar)
    first_roles = {s.role for s in template.slots}
    titled = any("{paper}" in s.form for s in template.slots)  # the title is the paper link
    rest = links[1:] if titled else links
    below = details and "links" not in first_roles and bool(rest) and _holds(grammar.details, "links")
    text = _render(grammar, template, values, [] if below else links, facts.url)
    if text is None:
        return None
    mk = marker if marker_kind(marker) in grammar.markers else template.marker
    out = [f"{mk} {text}" if mk not in ("", "|") else text]
    if details:
        left = {r for r in ("authors", "date", "tag") if r in values and r not in first_roles}
        if below:
            left.add("links")
        blank, indent = _detail_layout(grammar, mk)
        for t in grammar.details:
            roles = {s.role for s in t.slots} - {"lit", "badges"}
            if not roles & left or not roles <= left | {"note"}:
                continue
            own = {r: v for r, v in values.items() if r in roles}
            line = _render(grammar, t, own, rest if "links" in roles else [], facts.url)
            if line:
                out += [""] * (blank and len(out) == 1)
                out.append(f"{indent}{t.marker + ' ' if t.marker else ''}{line}")
                left -= roles
    return "\n".join(out)


def _values(facts: Facts, grammar: Grammar) -> dict[str, str]:
    """The facts as the entry writes them; a source's text escaped, so it links nothing (markup.literal)."""
    values = {"title": literal(facts.title)}
    tag = facts.tag(grammar)
    if tag is not None:
        values["tag"] = grammar.render(tag)
    if facts.when is not None:
        y, m = facts.when
        style = grammar.dates[0] if grammar.dates else None
        values["date"] = style.render(Tag("date", y, m)) if style else f"{y}.{m:02d}"
    if facts.authors:
        values["authors"] = literal(clean_title(", ".join(facts.authors)))
    if ":" in facts.title:
        values["name"] = literal(short(facts.title).strip())
    return values


def _pick(templates: tuple[Template, ...], values: dict[str, str]) -> Template | None:
    """The first template whose fields the facts fill, but for a note; else the one missing fewest."""

    def missing(t: Template) -> int:
        if not any(s.role == "title" or "{paper}" in s.form for s in t.slots):
            return 99  # a shape whose title the reader does not place: nothing to write it into
        return sum(
            1 for s in t.slots if s.role not in values and s.role not in ("links", "badges", "lit", "note")
        )

    ranked = sorted(templates, key=lambda t: (missing(t), templates.index(t)))
    return ranked[0] if ranked and missing(ranked[0]) == 0 else None


def _links(facts: Facts, grammar: Grammar) -> list[Link]:
    label = grammar.paper_labels[0] if grammar.paper_labels else "paper"
    links = [Link(label, facts.url, 0)]
    if facts.code:
        links.append(Link(grammar.code_labels[0] if grammar.code_labels else "code", facts.code, 0))
    return links


def _holds(templates: tuple[Template, ...], role: str) -> bool:
    return any(s.role == role for t in templates for s in t.slots)


def _render(
    grammar: Grammar, template: Template, values: dict[str, str], links: list[Link], paper: str
) -> str | None:
    """``template`` filled with ``values`` and ``links``; a note the facts cannot give is left out with
    its markup; the paper link goes in the title where the list links the title."""
    if any("{paper}" in s.form for s in template.slots):
        links = [k for k in links if k.url != paper]
    else:
        paper = ""
    kept = [s for s in template.slots if s.role != "note" or s.role in values]
    body = template.body
    if len(kept) != len(template.slots):  # cut the unknown fields out of the template's text
        for s in sorted(set(template.slots) - set(kept), key=lambda s: -s.start):
            body = body[: s.start] + body[s.end :]
        template = Template.parse(_with_marker(template, _TIDY.sub(r"\1\2", body).strip()))
    line = Line([Slot("title", "{}", values.get("title", ""), 0, 0)] if "title" in values else [], links)
    fill = {r: v for r, v in values.items() if r in {s.role for s in template.slots}}
    if paper:
        fill["paper"] = paper
    return grammar.render_line(template, line, values=fill)


def _with_marker(template: Template, body: str) -> str:
    if template.marker == "|" or not template.marker:
        return f"{template.indent}{body}"
    return f"{template.indent}{template.marker} {body}"


def _detail_layout(grammar: Grammar, marker: str) -> tuple[bool, str]:
    """How the list writes the lines under an entry, as in its own example: after a blank line or not,
    and how far indented (else: right under the entry's text)."""
    for example in (grammar.example, *grammar.examples):
        lines = example.split("\n")
        below = next((x for x in lines[1:] if x.strip()), None)
        if below is not None:
            return not lines[1].strip(), below[: len(below) - len(below.lstrip())]
    return False, " " * (len(marker) + 1)
