"""Every rule declares the kinds of problem it finds (Rule.kinds), and says nothing of another kind."""

from __future__ import annotations

import pytest

from bot.core.config import config as config_mod
from bot.core.model import ArxivLookup, Paper
from bot.core.read import document
from bot.core.rules import RULES
from bot.core.rules.base import Context
from bot.core.verdict import judge, pipeline
from tests.conftest import SHARED, TODAY
from tests.rules.conftest import NAMED, NUMBERED, SEED, SUBITEMS

ONLINE = {"arxiv-exists", "arxiv-title", "code-repo", "venue-published", "venue-claim", "paper-title"}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.RULE.id)
def test_each_rule_declares_its_kinds_once_with_a_doc(rule):
    kinds = rule.RULE.kinds
    assert kinds, rule.RULE.id
    assert len({k.id for k in kinds}) == len(kinds)
    assert all(k.doc.endswith(".") and k.id == k.id.lower() for k in kinds)
    if rule.RULE.id in ONLINE:  # what a lookup says is a fact about one paper, never a list's style
        assert all(k.fact for k in kinds)


BAD_LINES = [
    "* (Arxiv 2025.02) S2R [paper](https://arxiv.org/pdf/2502.12853v2)",
    "- (*NeurIPS 2024*) Title  One [[paper](http://arxiv.org/abs/2404.10642)] [[code](https://sites.google.com/x)] ",
    "- (*Arxiv 2031.13*) Title Two [[paper](https://arxiv.org/abs/2401.99999)",
    "- (*NeurIPS’24*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]",
    "- (*Neurips 24'*) Title Four [[pdf](https://export.arxiv.org/abs/2401.10021)] [[blog](https://x.org)]",
    "- Title Five",
]


def _lists():
    yield from (
        f"# L\n\n## Related Works\n{p.body}" + "\n".join(BAD_LINES) + "\n"
        for p in (SEED, NUMBERED, NAMED, SUBITEMS)
    )
    if SHARED.exists():
        yield from (
            p.read_text(errors="replace") for p in sorted((SHARED / "corpus" / "lists").glob("*.md"))[:12]
        )


def test_every_hit_is_of_a_kind_its_rule_declares():
    arxiv = ArxivLookup({"2401.10020": Paper("2401.10020", "Another Title Altogether")}, {"2401.99999"})
    seen = set()
    for text in _lists():
        doc = pipeline.prepare(document.parse(text), config_mod.loads(""))
        ctx = Context(doc, doc.config, doc.grammar, None, TODAY, arxiv)
        for _, said in judge.hits(doc, ctx):
            for rule, _, hit in said:
                for kind, _ in hit.kinds:
                    assert kind in rule.RULE.kinds, (rule.RULE.id, kind.id)
                    seen.add((rule.RULE.id, kind.id))
    assert len({r for r, _ in seen}) >= 8  # the lists above make most rules speak
