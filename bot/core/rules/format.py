"""Entries written in the list's own style, from arXiv metadata: what a fix suggests."""

from __future__ import annotations

from ..arxiv_id import ABS, id_month
from ..grammar import Grammar, Tag
from ..model import Paper


def clean_title(title: str) -> str:
    return " ".join(title.split())


def preprint_tag(paper: Paper, grammar: Grammar) -> str:
    y, m = v1_month(paper)
    return f"(*{grammar.render(Tag('preprint', y, m))}*)"


def format_entry(paper: Paper, grammar: Grammar) -> str:
    return f"- {preprint_tag(paper, grammar)} {clean_title(paper.title)} [[{grammar.paper_labels[0]}]({ABS}{paper.id})]"


def v1_month(paper: Paper) -> tuple[int, int]:
    if len(paper.published) >= 7 and paper.published[:4].isdigit() and paper.published[5:7].isdigit():
        return int(paper.published[:4]), int(paper.published[5:7])
    return id_month(paper.id) or (2000, 1)
