"""Each rule's declared example, run: the bad entry added to a short list in the seed's format gets the
rule's finding, and the fixed one does not. The tests run every example; `awesome-review rule ID` shows
one with the message the rule really gives. Pure: the facts come from the declaration, and the day is
fixed, so an example reads the same on any date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..config import config as config_mod
from ..model import ArxivLookup, Finding, RecordLookup
from ..options import Example, Rule
from . import pipeline

DAY = dt.date(2025, 3, 1)
PATH = "README.md"
HEAD = ("# Awesome-Self-Play-LLMs", "", "## Related Works")
ENTRIES = (
    "- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]",
    "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]",
    "- (*NeurIPS 24'*) Self-playing Adversarial Language Game Enhances LLM Reasoning "
    "[[paper](https://arxiv.org/abs/2404.10642)] [[code](https://github.com/Linear95/SPAG)]",
    "- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]",
    "- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game "
    "[[paper](https://arxiv.org/abs/2311.08045)] [[code](https://github.com/Linear95/APO)]",
)
TAIL = ("", "## Contributing", "Open a pull request with one line per paper.")


@dataclass(frozen=True)
class Placed:
    """A list with an example's lines in it, and where they are (1-based file lines)."""

    text: str
    lines: frozenset[int]


def place(example: Example, fixed: bool = False) -> Placed:
    """The short list with the example's bad entry added (or its fix in place; a removal: the list)."""
    entries, tail = list(ENTRIES), list(TAIL)
    new = (example.fixed if fixed else example.bad) or ""
    added = new.split("\n") if new else []
    if example.section and not fixed:
        at = len(HEAD) + len(entries) + len(tail)
        tail += added
    else:
        index = example.fixed_at if fixed and example.fixed_at is not None else example.at
        at = len(HEAD) + index
        entries[index:index] = added
    text = "\n".join([*HEAD, *entries, *tail]) + "\n"
    return Placed(text, frozenset(range(at + 1, at + 1 + len(added))))


def run(rule: Rule, fixed: bool = False) -> list[Finding]:
    """The rule's findings on its example's bad entry (or on the fixed list), judged as a pull request
    adding those lines is judged: the format learnt from the list without them."""
    example = rule.example
    if example is None:
        raise ValueError(f"{rule.id} declares no example")
    placed = place(example, fixed)
    checked = placed.lines or None  # a removal: the whole list, which must be clean of the rule
    base = pipeline.without(placed.text, placed.lines) if placed.lines else placed.text
    found = pipeline.review_file(
        placed.text.encode(),
        PATH,
        config_mod.loads("", "<defaults>"),
        checked,
        today=DAY,
        base=base,
        lookup=_arxiv(example),
        records_lookup=_records(example),
        repo_lookup=_repos(example),
    )
    return [f for f in found.findings if f.rule == rule.id]


def _arxiv(example: Example):
    if not (example.papers or example.missing):
        return None
    papers = {p.id: p for p in example.papers}
    return lambda ids: ArxivLookup(
        {i: papers[i] for i in ids if i in papers}, {i for i in ids if i in example.missing}
    )


def _records(example: Example):
    if not example.records:
        return None
    records = dict(example.records)
    return lambda keys: RecordLookup({k: records[k] for k in keys if k in records})


def _repos(example: Example):
    if not example.repos:
        return None
    status = {name.lower(): s for name, s in example.repos}
    return lambda names: {n.lower(): status[n.lower()] for n in names if n.lower() in status}
