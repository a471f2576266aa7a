"""bot.core.read.reuse: an entry read before and found again, moved up or down the file, is the entry a
fresh read makes there, in every corpus list (the review of a pull request reads its base's entries
again in the head, shifted by what the change adds or removes above them)."""

from __future__ import annotations

import pytest
from conftest import SHARED, shared

from bot.core.config import config as config_mod
from bot.core.read import document, entry, reuse
from bot.core.read.grammar import Grammar
from bot.core.verdict import pipeline

LISTS = sorted((SHARED / "corpus" / "lists").glob("*.md")) if SHARED.exists() else []
NEW = "- (*Arxiv 2025.12*) A New Paper on Self Play [[paper](https://arxiv.org/abs/2512.00001)]"


def _read(text: str, cfg: config_mod.Config) -> list[tuple]:
    grammar = pipeline.grammar_of(cfg)
    doc = document.read(document.parse(text), grammar, cfg["sections"], cfg["ignore_sections"], keep=True)
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


def test_an_entrys_memo_answers_for_one_grammar_and_is_shared_by_its_moved_copies() -> None:
    pdf, paper = (
        Grammar.from_config({"paper_labels": ["pdf"]}),
        Grammar.from_config({"paper_labels": ["paper"]}),
    )
    e = entry.read(3, 3, NEW, "-", [(3, NEW[2:], 0, "-")], pdf)
    assert e is not None
    labels = lambda _, g: g.paper_labels  # noqa: E731
    assert entry.remembered(e, "order", pdf, labels) == ("pdf",)
    assert entry.remembered(e, "order", paper, labels) == ("paper",)  # another grammar: worked out again
    assert entry.remembered(e, "order", paper, lambda *_: pytest.fail("kept")) == ("paper",)
    down = entry.moved(e, 4)
    assert (down.line, down.end, [k.line for k in down.links]) == (7, 7, [7])
    assert down == entry.read(7, 7, NEW, "-", [(7, NEW[2:], 0, "-")], pdf)
    assert entry.remembered(down, "order", paper, lambda *_: pytest.fail("not shared")) == ("paper",)


def test_answers_worked_out_for_no_grammar_are_not_taken_for_a_grammars() -> None:
    g = Grammar.from_config({})
    e = entry.read(3, 3, NEW, "-", [(3, NEW[2:], 0, "-")], g)
    assert e is not None
    assert entry.remembered(e, "order", None, lambda *_: "none") == "none"
    assert entry.remembered(e, "paper_link", g, lambda *_: 0) == 0
    assert entry.remembered(e, "order", g, lambda *_: "g") == "g"
