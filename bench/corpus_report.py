"""The bot with no config on every list of ../shared/corpus and the seed, and on the real history of
contributions to them: one row per list file.

Run: python bench/corpus_report.py [--history] [--errors N] [--write-figures]

Per list file, offline, the whole file judged as `check` judges it (calibrated on itself):
- read: the items read in the paper sections, against the corpus's own count of the list's entries
  (../shared/corpus/README.md; a list kept in several files is compared on the sum of its files).
  That count takes in every bullet and row, a list's tools, leaderboards and models too;
- papers: the lines of the file that link a paper (a paper host's URL, outside code and comments),
  and the share of them inside an item read as an entry in a paper section: the paper items read,
  counted without the reader. An introduction's link to the authors' survey counts against it;
- explained: the share of those items the learnt templates explain (under EXPLAINED the format is
  withheld: `w` in the row);
- errors: errors on the whole file, and per item read;
- the format learnt, on one line.
With --errors N, the first N errors of each list, to be read by hand. With --history: for entries that
maintainers later fixed by hand (fixes.jsonl, kinds a check can see offline), the share flagged with an
error or a warning when added (recall), each judged as an added line of its list as it is now (the
format and the calibration learnt from the list); for entries added and never touched again
(add_checks.jsonl, still in the list as added), the share with an error in the whole-file check.
--write-figures writes tests/corpus_figures.json, the ratchet tests/test_corpus.py holds every list to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.arxiv_id import parse_ref  # noqa: E402
from bot.core.config import config as config_mod  # noqa: E402
from bot.core.read import document  # noqa: E402
from bot.core.read.labels import is_paper_url  # noqa: E402
from bot.core.titles import normalize  # noqa: E402
from bot.core.verdict import judge, pipeline  # noqa: E402

SHARED = ROOT.parent / "shared"
FIGURES = ROOT / "tests" / "corpus_figures.json"
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


# The rules a kind of fix is about: a hit by another (an entry added at the top of its section out of
# order, say) flags the entry by chance.
ABOUT = {
    "arxiv_host_normalized": ("arxiv-link", "links"),
    "arxiv_pdf_suffix_changed": ("arxiv-link",),
    "arxiv_pdf_to_abs": ("arxiv-link",),
    "arxiv_version_changed": ("arxiv-link",),
    "broken_markdown_fixed": ("entry-syntax", "links"),
    "date_tag_corrected": ("arxiv-date", "venue-tag"),
    "duplicate_removed": ("duplicate",),
    "link_normalized": ("arxiv-link", "links"),
    "venue_tag_case_or_spacing": ("venue-tag", "entry-syntax"),
    "venue_tag_corrected": ("venue-tag", "entry-syntax", "venue-published", "venue-claim"),
}
assert set(ABOUT) == CATCHABLE


def lists() -> list[Path]:
    return [*sorted((SHARED / "corpus" / "lists").glob("*.md")), SHARED / "seed" / "README.md"]


def repo_file(repo: str) -> Path | None:
    name = repo.replace("/", "__") + ".md"
    p = SHARED / "corpus" / "lists" / name
    return p if p.exists() else None


def list_of(path: Path) -> str:
    """The list a file belongs to: `owner__name` (a list kept in several files has `__<file>` after)."""
    return "__".join(path.stem.split("__")[:2]) if path.parent.name == "lists" else "seed"


def corpus_counts() -> dict[str, int]:
    """Entries per list, as the corpus counts them (its README's table), by `owner__name`."""
    out = {"seed": 9}
    for row in (SHARED / "corpus" / "README.md").read_text().splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", row.strip().strip("|"))]  # `\|` is in a cell
        if len(cells) == 6 and "/" in cells[0] and re.fullmatch(r"[\d,]+", cells[3]):
            out[cells[0].replace("/", "__")] = int(cells[3].replace(",", ""))
    return out


@dataclass
class Figures:
    """One list file judged whole, as `check` judges it."""

    read: int  # items in the paper sections
    explained: int  # those the learnt templates explain
    errors: int  # errors on the whole file
    withheld: bool  # format advice withheld
    format: str
    findings: list
    doc: object
    papers: int = 0  # lines that link a paper
    papers_read: int = 0  # those inside an item read as an entry in a paper section


def figures(path: Path) -> Figures:
    text, bad = document.decode(path.read_bytes())
    parsed = document.parse(text)
    cfg = pipeline.resolve(config_mod.loads(""), parsed)
    doc = pipeline.prepare(parsed, cfg, base=cfg, bad_bytes=bad)
    found = judge.judge(doc, cfg, path.name, today=TODAY)  # calibrated on the file itself
    read, explained = pipeline.coverage(doc)
    errors = [f for f in found if f.severity == "error"]
    withheld = bool(doc.config.calibration and doc.config.calibration.withheld)
    papers, papers_read = paper_lines(doc)
    return Figures(
        read, explained, len(errors), withheld, doc.grammar.describe(), found, doc, papers, papers_read
    )


_URL = re.compile(r"""https?://[^\s)"'<>\]]+""")


def paper_lines(doc) -> tuple[int, int]:
    """(lines that link a paper, those inside an item read as an entry in a paper section)."""
    read = {n for i in doc.items if i.in_scope and i.entry for n in range(i.line, i.end + 1)}
    fence = comment = False
    total = hit = 0
    for n, line in enumerate(doc.lines, 1):
        s = line.strip()
        if s.startswith(("```", "~~~")):
            fence = not fence
        if "<!--" in s and "-->" not in s[s.index("<!--") :]:
            comment = True
        elif comment and "-->" in s:
            comment = False
            continue
        if fence or comment or not any(is_paper_url(u) for u in _URL.findall(line)):
            continue
        total += 1
        hit += n in read
    return total, hit


def table(show: int) -> dict[str, dict]:
    counts = corpus_counts()
    rows = {p: figures(p) for p in lists()}
    read_by_list: Counter[str] = Counter()
    for p, f in rows.items():
        read_by_list[list_of(p)] += f.read
    print(f"{'list file':58} {'read':>15} {'papers':>13} {'explained':>9} {'errors':>13}  format")
    out: dict[str, dict] = {}
    papers_by_list: dict[str, list[int]] = {}
    for p in rows:
        papers_by_list[list_of(p)] = [0, 0]
    for p, f in rows.items():
        name = list_of(p)
        want = counts.get(name, 0)
        per = f.errors / max(1, f.read)
        mark = "w" if f.withheld else " "
        print(
            f"{p.name[:58]:58} {f.read:5d} {read_by_list[name] / max(1, want):6.1%}{'*' if read_by_list[name] != f.read else ' '}"
            f" {f.papers:5d} {f.papers_read / max(1, f.papers):6.1%}"
            f"   {f.explained / max(1, f.read):6.1%}{mark} {f.errors:5d} {per:6.1%}  {f.format[:90]}"
        )
        for finding in [x for x in f.findings if x.severity == "error"][:show]:
            print(f"     E {finding.line} {finding.rule}/{finding.kind}: {finding.message[:110]}")
            print(f"         | {f.doc.lines[finding.line - 1][:150]}")
        out[p.name] = {
            "read": f.read,
            "explained": f.explained,
            "errors": f.errors,
            "entries": want,
            "papers": f.papers,
            "papers_read": f.papers_read,
        }
        papers_by_list[name][0] += f.papers
        papers_by_list[name][1] += f.papers_read
    lists_read = {n: read_by_list[n] / counts[n] for n in read_by_list if counts.get(n)}
    over = sum(1 for f in rows.values() if f.errors > 0.03 * max(1, f.read))
    print(
        f"   read >= 97% on {sum(x >= 0.97 for x in lists_read.values())} of {len(lists_read)} lists "
        f"(of the corpus's count); paper lines read >= 97% on "
        f"{sum(h >= 0.97 * t for t, h in papers_by_list.values())} of {len(papers_by_list)} lists "
        f"({sum(h for _, h in papers_by_list.values())} of {sum(t for t, _ in papers_by_list.values())}); "
        f"errors <= 3% per item on {len(rows) - over} of {len(rows)} files; "
        f"format withheld on {sum(f.withheld for f in rows.values())}; "
        f"errors in all {sum(f.errors for f in rows.values())} on {sum(f.read for f in rows.values())} items"
    )
    print("   (* a list in several files: its read share is the sum of its files')")
    return out


def _judge_added(list_path: Path, fix: dict, cache: dict) -> list:
    """The entry as a pull request added it (`fix["before"]`), judged as a line added at the top of
    its own section (the first paper section where that heading is gone), the list as it is now its
    base, its format and calibration learnt from it. The base holds no copy of the same paper: for an
    edit, every entry of the paper (its fixed form among them) is left out, so the entry is never
    a duplicate of its own later self; for a removal, the line left in the list is the twin it
    duplicated, and stays."""
    if list_path not in cache:
        text, _ = document.decode(list_path.read_bytes())
        cfg = pipeline.calibrated(config_mod.loads(""), document.parse(text))
        cache[list_path] = (text.split("\n"), cfg)
    rows, cfg = cache[list_path]
    entry = fix["before"]
    body = rows
    if fix["after"] is not None:
        body = [r for r in rows if r.strip() not in (entry.strip(), fix["after"].split("\n")[0].strip())]
        body = _without_paper(body, entry, cfg)
    doc = pipeline.prepare("\n".join(body), cfg, base=cfg)
    want = _heading(fix.get("section_after") or fix.get("section_before") or "")
    paper = [i for i in doc.items if i.in_scope]
    into = next((i for i in paper if want and _heading(i.section) == want), paper[0] if paper else None)
    at = into.line if into else len(body)
    # Where the list keeps a blank line between its entries (paragraphs), the added one has its own.
    gap = [""] if at >= 2 and not body[at - 2].strip() else []
    new = [*body[: at - 1], *entry.split("\n"), *gap, *body[at - 1 :]]
    doc = pipeline.prepare("\n".join(new), cfg, base=cfg)
    return judge.judge(doc, doc.config, "README.md", checked=frozenset({at}), today=TODAY)


def _heading(name: str) -> str:
    return normalize(re.sub(r"^[\d.\s]+", "", name))


def _without_paper(body: list[str], entry: str, cfg) -> list[str]:
    """The list less every entry of the paper `entry` names (by an arXiv id or its title)."""
    probe = pipeline.prepare("\n".join([entry, "", *body]), cfg, base=cfg)
    me = next((i.entry for i in probe.items if i.line == 1 and i.entry), None)
    if me is None:
        return body
    ids = {x.id for k in me.links if (x := parse_ref(k.url)) and x.valid}
    title = normalize(me.title)
    doc = pipeline.prepare("\n".join(body), cfg, base=cfg)
    gone: set[int] = set()
    for i in doc.items:
        e = i.entry
        theirs = {x.id for k in e.links if (x := parse_ref(k.url)) and x.valid} if e else set()
        if e and ((ids & theirs) or (title and normalize(e.title) == title)):
            gone.update(range(i.line, i.end + 1))
    return [r for n, r in enumerate(body, 1) if n not in gone]


_WORD = re.compile(r"[A-Za-z]+|\d+")


def _another_venue(before: str, after: str) -> bool:
    """The fix names another venue or year (`CVPRW` → `ECCV`, `2018` → `2019`), not the same one
    written otherwise (`CVPR22` → `CVPR 2022`): what the paper became, not how the list writes it."""
    a, b = before.split("\n")[0], after.split("\n")[0]
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            continue
        x, y = _WORD.findall(a[max(0, i1 - 12) : i2 + 12]), _WORD.findall(b[max(0, j1 - 12) : j2 + 12])
        words = [w.casefold() for w in x if not w.isdigit()], [w.casefold() for w in y if not w.isdigit()]
        years = [int(w) % 100 for w in x if w.isdigit()], [int(w) % 100 for w in y if w.isdigit()]
        if words[0] != words[1] or (years[0] and years[1] and years[0] != years[1]):
            return True
    return False


def history(dump: Path | None = None) -> None:
    """`dump`: one JSON line per fix judged (its list, kinds, the entry, what was found), to compare."""
    out = dump.open("w") if dump else None
    cache: dict = {}
    fixed_before: set[tuple[str, str]] = set()
    hits = Counter()
    total = Counter()
    facts = [0, 0]  # venue fixes to another venue or year: (all, flagged)
    own = Counter()  # flagged by a rule the fix is about (not by order or another rule by chance)
    for line in (SHARED / "corpus" / "fixes.jsonl").read_text().splitlines():
        r = json.loads(line)
        fixed_before.add((r["repo"], r["before"].strip()))
        kinds = CATCHABLE & set(r["labels"])
        p = repo_file(r["repo"])
        if not kinds or not p or r.get("bulk"):
            continue
        found = [f for f in _judge_added(p, r, cache) if f.severity in ("error", "warning")]
        if out:
            said = [f"{f.rule}/{f.kind}" for f in found]
            out.write(
                json.dumps({"repo": r["repo"], "kinds": sorted(kinds), "before": r["before"], "found": said})
                + "\n"
            )
        for k in kinds:
            total[k] += 1
            hits[k] += bool(found)
            own[k] += any(f.rule in ABOUT[k] for f in found)
        if kinds == {"venue_tag_corrected"} and _another_venue(r["before"], r["after"] or ""):
            facts[0] += 1
            facts[1] += bool(found)
    print("== recall on entries maintainers later fixed (flagged with an error or warning when added)")
    for k in sorted(total):
        print(f"   {k}: {hits[k]}/{total[k]} = {hits[k] / total[k]:.0%} (by a rule it is about: {own[k]})")
    print(
        f"   all: {sum(hits.values())}/{sum(total.values())} = {sum(hits.values()) / max(1, sum(total.values())):.1%}"
    )
    print(
        f"   flagged by a rule the fix is about: {sum(own.values())}/{sum(total.values())} = "
        f"{sum(own.values()) / max(1, sum(total.values())):.1%}"
    )
    seen, caught = sum(total.values()) - facts[0], sum(hits.values()) - facts[1]
    print(
        f"   venue fixes that name another venue or year (a fact no offline check can see): {facts[1]}/{facts[0]}; "
        f"all less those: {caught}/{seen} = {caught / max(1, seen):.1%}"
    )
    # Entries added and never touched again are still in the list as they were added: judge each
    # list once and read the errors on their lines.
    audits: dict[Path, dict[str, list]] = {}
    clean = wrong = 0
    by_rule = Counter()
    examples: list[tuple[str, str, str]] = []
    for line in (SHARED / "corpus" / "add_checks.jsonl").read_text().splitlines():
        r = json.loads(line)
        p = repo_file(r["repo"])
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
            by_rule.update({f"{f.rule}/{f.kind}" for f in errs})
            if len(examples) < 15:
                examples.append((r["repo"], f"{errs[0].rule}/{errs[0].kind}", r["entry"][:140]))
    print("== entries added and never touched again (still in the list as added): share with an error")
    print(f"   {wrong}/{clean} = {wrong / max(1, clean):.1%}; by kind {dict(by_rule.most_common())}")
    for repo, kind, entry in examples:
        print(f"   {repo} {kind}: {entry}")


def _audit(path: Path) -> dict[str, list]:
    """Each line of the list → the errors on the entry that starts there (whole-file check)."""
    f = figures(path)
    by_line: dict[int, list] = {}
    for x in f.findings:
        if x.severity == "error":
            by_line.setdefault(x.line, []).append(x)
    return {i.text.split("\n")[0].strip(): by_line.get(i.line, []) for i in f.doc.items if i.in_scope}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--errors", type=int, default=0, help="show the first N errors of each list")
    ap.add_argument("--history", action="store_true")
    ap.add_argument("--dump", type=Path, help="with --history: each fix judged, as JSON lines, to PATH")
    ap.add_argument("--write-figures", action="store_true", help=f"write {FIGURES.relative_to(ROOT)}")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent")
    out = table(args.errors)
    if args.write_figures:
        FIGURES.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
        print(f"wrote {FIGURES.relative_to(ROOT)}")
    if args.history:
        history(args.dump)


if __name__ == "__main__":
    main()
