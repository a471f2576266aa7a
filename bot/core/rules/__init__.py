"""The rules, one module each. The registry is the only place that lists them."""

from __future__ import annotations

from types import ModuleType

from . import (
    arxiv_date,
    arxiv_exists,
    arxiv_link,
    arxiv_title,
    code_repo,
    duplicate,
    entry_syntax,
    links,
    lookalike,
    order,
    paper_title,
    section,
    suppression,
    venue_claim,
    venue_published,
    venue_tag,
    whitespace,
)

RULES: tuple[ModuleType, ...] = (
    entry_syntax,
    venue_tag,
    links,
    code_repo,
    arxiv_link,
    arxiv_date,
    arxiv_exists,
    arxiv_title,
    venue_published,
    venue_claim,
    paper_title,
    duplicate,
    order,
    section,
    whitespace,
    lookalike,
    suppression,
)
