"""The real lists and the real history of contributions in ../shared/corpus (skipped where absent)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import SHARED, TODAY, run_rules, shared

from bot.core.config import config as config_mod
from bot.core.read import document
from bot.core.verdict import judge, pipeline
from tests.config.test_config import GRAPH_CONFIG

LISTS = sorted((SHARED / "corpus" / "lists").glob("*.md")) if SHARED.exists() else []


def test_seed_list_is_clean_with_the_shipped_config():
    text = shared("seed", "README.md").read_text()
    doc = pipeline.prepare(text, config_mod.loads(""))
    assert len([i for i in doc.items if i.entry and i.in_scope]) == 9
    assert judge.judge(doc, doc.config, "README.md", today=TODAY) == []


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
@pytest.mark.parametrize("sections", [None, "sections: ['*']\n"])
def test_every_corpus_list_is_judged_without_crashing(path, sections):
    cfg = config_mod.loads(sections or "")
    text, bad = document.decode(path.read_bytes())
    doc = pipeline.prepare(text, cfg, bad_bytes=bad)
    findings = judge.judge(doc, doc.config, path.name, today=TODAY)
    assert all(f.line >= 1 and f.message for f in findings)


def _history(repos: set[str]):
    for line in shared("corpus", "add_checks.jsonl").read_text().splitlines():
        row = json.loads(line)
        if row["repo"] in repos:
            yield row


@pytest.mark.parametrize(
    "check, rule",
    [
        ("arxiv_pdf_link", "arxiv-link"),
        ("arxiv_versioned_link", "arxiv-link"),
        ("date_tag_mismatch_arxiv_id", "arxiv-date"),
    ],
)
def test_defects_real_contributors_made_are_caught(check, rule):
    """Entries that contributors really added to lists in this template, with a defect found at the time."""
    rows = [
        r
        for r in _history({"XiaoxinHe/Awesome-Graph-LLM", "Lemonnn7/Awesome-Summarization-LLM"})
        if any(c.startswith(check) and not _month_before(c) for c in r["checks"])
    ]
    if not rows:
        pytest.skip("no such rows")
    caught = sum(any(f.rule == rule for f in run_rules(r["entry"] + "\n", cfg=GRAPH_CONFIG)) for r in rows)
    assert caught / len(rows) >= 0.9, f"{caught}/{len(rows)}"


def _month_before(check: str) -> bool:
    """`date_tag_mismatch_arxiv_id(2023.05 vs 2306)`: the month before the id month is accepted by design."""
    m = re.search(r"\((\d{4})\.(\d{2}) vs (\d{2})(\d{2})\)", check)
    if not m:
        return False
    tag = (int(m[1]), int(m[2]))
    y, mo = 2000 + int(m[3]), int(m[4])
    return tag == ((y - 1, 12) if mo == 1 else (y, mo - 1))


# The ratchet: each list's figures as bench/corpus_report.py measures them (tests/corpus_figures.json,
# `python bench/corpus_report.py --write-figures` writes it). No list may get worse than its row.
FIGURES = Path(__file__).resolve().parent / "corpus_figures.json"
ALL = [*LISTS, SHARED / "seed" / "README.md"] if SHARED.exists() else []
REGENERATE = (
    "better? run `python bench/corpus_report.py --write-figures` and commit tests/corpus_figures.json"
)


def _row(path: Path) -> dict:
    rows = json.loads(FIGURES.read_text())
    assert path.name in rows, f"{path.name} has no row: every list is held to one ({REGENERATE})"
    return rows[path.name]


def test_the_ratchet_has_a_row_for_every_list_and_no_other():
    shared("corpus", "lists")
    assert set(json.loads(FIGURES.read_text())) == {p.name for p in ALL}


@pytest.mark.parametrize("path", ALL, ids=[p.name for p in ALL])
def test_no_list_reads_explains_or_errs_worse_than_its_row(path):
    from bench.corpus_report import figures

    row, got = _row(path), figures(path)
    now = (got.read, got.explained / max(1, got.read), got.errors / max(1, got.read))
    was = (row["read"], row["explained"] / max(1, row["read"]), row["errors"] / max(1, row["read"]))
    assert now[0] >= was[0], f"items read {now[0]} < {was[0]}"
    assert got.papers_read >= row["papers_read"], f"paper lines read {got.papers_read} < {row['papers_read']}"
    assert now[1] >= was[1] - 1e-9, f"explained {now[1]:.1%} < {was[1]:.1%}"
    assert now[2] <= was[2] + 1e-9, f"errors per item {now[2]:.1%} > {was[2]:.1%}"


@pytest.mark.parametrize("path", LISTS, ids=[p.name for p in LISTS])
def test_init_on_every_corpus_list_writes_a_valid_config_that_holds_its_entries(path):
    from bot.cli.init_cmd import render
    from bot.core.format import infer as infer_mod

    text, _ = document.decode(path.read_bytes())
    found = infer_mod.infer(document.parse(text))
    cfg = config_mod.loads(render(found, path.name, 0, 0))  # valid, whatever the list
    doc = pipeline.prepare(text, cfg)
    items, ok = pipeline.coverage(doc)
    row = _row(path)  # the learnt format, written down, explains the list as well as zero config
    assert ok / max(1, items) >= row["explained"] / max(1, row["read"]) - 1e-9, (ok, items)
