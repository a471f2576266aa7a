"""Entries written in the list's own format, from arXiv metadata: what a fix suggests."""

from __future__ import annotations

from ..arxiv_id import ABS, id_month
from ..model import Paper
from ..read.grammar import Grammar, marker_kind
from ..read.slots import Line, Link, Slot
from ..read.tags import Tag


def clean_title(title: str) -> str:
    return " ".join(title.split())


def preprint_tag(paper: Paper, grammar: Grammar) -> str:
    y, m = v1_month(paper)
    return grammar.render(Tag("preprint", y, m, grammar.preprint[0].server if grammar.preprint else "Arxiv"))


def format_entry(paper: Paper, grammar: Grammar, marker: str = "-") -> str | None:
    """The paper as the list's first template writes an entry (tagged as a preprint, dated by v1)."""
    if not grammar.entry:
        return None
    template = grammar.entry[0]
    url = f"{ABS}{paper.id}"
    title = clean_title(paper.title)
    y, m = v1_month(paper)
    label = grammar.paper_labels[0] if grammar.paper_labels else "paper"
    title_link = any("{paper}" in s.form for s in template.slots)
    line = Line(
        [Slot("title", "{}", title, 0, 0)],
        [Link(title, url, 0, "title")] if title_link else [Link(label, url, 0)],
    )
    values = {"title": title}
    roles = {s.role for s in template.slots}
    if "tag" in roles:
        values["tag"] = preprint_tag(paper, grammar)
    if "date" in roles:
        style = grammar.dates[0] if grammar.dates else None
        values["date"] = style.render(Tag("date", y, m)) if style else f"{y}.{m:02d}"
    if "authors" in roles:
        values["authors"] = ", ".join(paper.authors) if paper.authors else ""
        if not values["authors"]:
            return None
    text = grammar.render_line(template, line, values=values)
    if text is None:
        return None
    mk = marker if marker_kind(marker) in grammar.markers else template.marker
    return f"{mk} {text}" if mk not in ("", "|") else text


def v1_month(paper: Paper) -> tuple[int, int]:
    if len(paper.published) >= 7 and paper.published[:4].isdigit() and paper.published[5:7].isdigit():
        return int(paper.published[:4]), int(paper.published[5:7])
    return id_month(paper.id) or (2000, 1)
