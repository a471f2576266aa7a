"""bot.core.read.reuse: an entry read before and found again, moved up or down the file, is the entry a
fresh read makes there, in every corpus list (the review of a pull request reads its base's entries
again in the head, shifted by what the change adds or removes above them)."""

from __future__ import annotations

import pytest
from conftest import SHARED, shared

from bot.core.config import config as config_mod
from bot.core.read import document, reuse
from bot.core.verdict import pipeline

LISTS = sorted((SHARED / "corpus" / "lists").glob("*.md")) if SHARED.exists() else []
NEW = "- (*Arxiv 2025.12*) A New Paper on Self Play [[paper](https://arxiv.org/abs/2512.00001)]"


def _read(text: str, cfg: config_mod.Config) -> list[tuple]:
    grammar = pipeline.grammar_of(cfg)
    doc = document.read(document.parse(text), grammar, cfg["sections"], cfg["ignore_sections"])
    return [(i.line, i.text, i.section, i.in_scope, i.end, i.entry) for i in doc.items]


def _edited(text: str) -> str:
    """The list with two lines added above its first item and one of its middle lines removed."""
    lines = text.split("\n")
    first = next((n for n, ln in enumerate(lines) if ln.lstrip().startswith(("- ", "* ", "| "))), 0)
    lines[first:first] = [NEW, NEW.replace("00001", "00002")]
    del lines[len(lines) // 2]
    return "\n".join(lines)


@pytest.mark.parametrize("path", LISTS, ids=lambda p: p.stem)
def test_entries_found_again_are_those_a_fresh_read_makes(path) -> None:
    shared("corpus", "lists")
    text = path.read_text()
    cfg = pipeline.resolve(config_mod.loads("", "<defaults>"), document.parse(text))
    head = _edited(text)
    reuse._entries.clear()
    fresh = _read(head, cfg)
    reuse._entries.clear()
    _read(text, cfg)  # the base, as a review has read it before
    again = _read(head, cfg)
    assert again == fresh
    assert [e.links if e else None for *_, e in again] == [e.links if e else None for *_, e in fresh]
