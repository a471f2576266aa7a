"""The bot with no config on every list of ../shared/corpus and the seed, and on the real history of
contributions to them.

Run: python bench/corpus_report.py [--errors 20] [--history]

Per list: the format it learns (one line), items explained / items in the paper sections, errors
and warnings on the whole file (offline), and with --errors N the first N errors, to be read and
classified by hand. With --history: for entries that maintainers later fixed by hand (fixes.jsonl,
kinds a check can see offline), the share the bot flags when the entry is added (recall); for
entries added and never touched again (add_checks.jsonl), the share that gets an error (false
errors). Each entry is judged as an added line of its list (the list as it is now, without that
entry), its format learnt from the list.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.config import config as config_mod  # noqa: E402
from bot.core.read import document  # noqa: E402
from bot.core.verdict import judge, pipeline  # noqa: E402

SHARED = ROOT.parent / "shared"
TODAY = dt.date(2026, 12, 1)
# Kinds of later fixes that a check on the added entry could have caught offline.
CATCHABLE = {
    "arxiv_pdf_to_abs",
    "arxiv_version_changed",
    "arxiv_host_normalized",
    "arxiv_pdf_suffix_changed",
    "date_tag_corrected",
    "venue_tag_corrected",
    "venue_tag_case_or_spacing",
    "broken_markdown_fixed",
    "duplicate_removed",
    "link_normalized",
}


def lists() -> list[Path]:
    return [*sorted((SHARED / "corpus" / "lists").glob("*.md")), SHARED / "seed" / "README.md"]


def report(path: Path, show: int) -> None:
    text, bad = document.decode(path.read_bytes())
    cfg = pipeline.resolve(config_mod.loads(""), document.parse(text))
    doc = pipeline.prepare(text, cfg, base=cfg, bad_bytes=bad)
    items, ok = pipeline.coverage(doc)
    found = judge.judge(doc, doc.config, path.name, today=TODAY)
    sev = Counter(f.severity for f in found)
    rules = Counter(f.rule for f in found if f.severity == "error")
    print(f"== {path.name}")
    print(f"   format: {doc.grammar.describe()}")
    print(
        f"   sections: {cfg['sections']} ignore {cfg['ignore_sections']}; order {cfg.option('order', 'direction')}; duplicates {cfg.option('duplicate', 'scope')}"
    )
    print(
        f"   explained {ok}/{items} = {ok / max(1, items):.1%}; errors {sev['error']}, warnings {sev['warning']}, notices {sev['notice']}; errors by rule {dict(rules)}"
    )
    lines = doc.lines
    for f in [f for f in found if f.severity == "error"][:show]:
        print(f"   E {f.line} {f.rule}: {f.message[:110]}")
        print(f"       | {lines[f.line - 1][:150]}")


def _repo_file(repo: str) -> Path | None:
    name = repo.replace("/", "__") + ".md"
    p = SHARED / "corpus" / "lists" / name
    return p if p.exists() else None


def _judge_added(list_path: Path, entry: str, cache: dict) -> list:
    if list_path not in cache:
        text, _ = document.decode(list_path.read_bytes())
        cfg = pipeline.resolve(config_mod.loads(""), document.parse(text))
        cache[list_path] = (text.split("\n"), cfg)
    rows, cfg = cache[list_path]
    body = [r for r in rows if r.strip() != entry.strip()]
    doc = pipeline.prepare("\n".join(body), cfg, base=cfg)
    first = next((i for i in doc.items if i.in_scope), None)
    at = first.line if first else len(body)
    new = [*body[: at - 1], entry, *body[at - 1 :]]
    doc = pipeline.prepare("\n".join(new), cfg, base=cfg)
    return judge.judge(doc, doc.config, "README.md", checked=frozenset({at}), today=TODAY)


def history() -> None:
    cache: dict = {}
    fixed_before: set[tuple[str, str]] = set()
    hits = Counter()
    total = Counter()
    for line in (SHARED / "corpus" / "fixes.jsonl").read_text().splitlines():
        r = json.loads(line)
        fixed_before.add((r["repo"], r["before"].strip()))
        kinds = CATCHABLE & set(r["labels"])
        p = _repo_file(r["repo"])
        if not kinds or not p or r.get("bulk"):
            continue
        found = [f for f in _judge_added(p, r["before"], cache) if f.severity in ("error", "warning")]
        for k in kinds:
            total[k] += 1
            hits[k] += bool(found)
    print("== recall on entries maintainers later fixed (flagged with an error or warning when added)")
    for k in sorted(total):
        print(f"   {k}: {hits[k]}/{total[k]} = {hits[k] / total[k]:.0%}")
    print(
        f"   all: {sum(hits.values())}/{sum(total.values())} = {sum(hits.values()) / max(1, sum(total.values())):.1%}"
    )
    # Entries added and never touched again are still in the list as they were added: judge each
    # list once and read the errors on their lines.
    audits: dict[Path, dict[str, list]] = {}
    clean = wrong = 0
    by_rule = Counter()
    examples: list[tuple[str, str, str]] = []
    for line in (SHARED / "corpus" / "add_checks.jsonl").read_text().splitlines():
        r = json.loads(line)
        p = _repo_file(r["repo"])
        if not p or (r["repo"], r["entry"].strip()) in fixed_before:
            continue
        if p not in audits:
            audits[p] = _audit(p)
        errs = audits[p].get(r["entry"].strip())
        if errs is None:
            continue  # no longer in the list as it was added
        clean += 1
        if errs:
            wrong += 1
            by_rule.update({f.rule for f in errs})
            if len(examples) < 15:
                examples.append((r["repo"], errs[0].rule, r["entry"][:140]))
    print("== entries added and never touched again (still in the list as added): share with an error")
    print(f"   {wrong}/{clean} = {wrong / max(1, clean):.1%}; by rule {dict(by_rule)}")
    for repo, rule, entry in examples:
        print(f"   {repo} {rule}: {entry}")


def _audit(path: Path) -> dict[str, list]:
    """Each line of the list → the errors on the entry that starts there (whole-file check)."""
    text, _ = document.decode(path.read_bytes())
    cfg = pipeline.resolve(config_mod.loads(""), document.parse(text))
    doc = pipeline.prepare(text, cfg, base=cfg)
    found = [f for f in judge.judge(doc, doc.config, path.name, today=TODAY) if f.severity == "error"]
    by_line: dict[int, list] = {}
    for f in found:
        by_line.setdefault(f.line, []).append(f)
    return {i.text.split("\n")[0].strip(): by_line.get(i.line, []) for i in doc.items if i.in_scope}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0, help="show the first N errors of each list")
    ap.add_argument("--history", action="store_true")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent")
    for p in lists():
        report(p, args.errors)
    if args.history:
        history()


if __name__ == "__main__":
    main()
