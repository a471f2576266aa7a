"""Where real defects sit and where a list's style sits: the data behind calibration's thresholds
(bot/core/verdict/calibration.py: SHARE, MIN_COUNT, EXPLAINED).

Run: python bench/calibration.py [--kinds] [--list SUBSTRING] [--cache FILE]

Every list of ../shared/corpus and the seed is judged whole, offline, with no calibration (the raw
hits of bot.core.verdict.judge.hits). A kind of finding (rule, kind, detail) fires on some share of
the items its rule judges: that share is what calibration reads on a list's base.

- --kinds: every list's kinds with their counts and shares.
- Defects: every entry maintainers later fixed by hand (fixes.jsonl, the fix kinds an offline check can
  see, not bulk edits), judged as an added line of its list: the kinds that fire on it (error or
  warning), with the share each has on its list. A real defect's kind should be rare on its list.
- Style: every entry added and never touched again (add_checks.jsonl, still in the list as added):
  the kinds that give it an error, with their share. These entries were accepted as they are: an
  error on them is the list's style read as a defect.
- A sweep of the thresholds: for each (share, min count) and explained share, the recall on the
  defects, the share of untouched entries with an error, and the errors per entry on the whole files.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.corpus_report import CATCHABLE, SHARED, TODAY, lists, repo_file  # noqa: E402
from bot.core.config import config as config_mod  # noqa: E402
from bot.core.read import document  # noqa: E402
from bot.core.rules.base import Context  # noqa: E402
from bot.core.verdict import judge, pipeline  # noqa: E402
from bot.core.verdict.calibration import calibrate  # noqa: E402

Key = tuple[str, str, str]
Said = set[tuple[Key, str, bool]]  # (kind, level, format advice) on one item

SHARES = (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.01)
COUNTS = (1, 2, 3, 5)
EXPLAINED = (0.0, 0.5, 0.7, 0.8, 0.9, 0.95)


def _raw(doc, cfg, checked=None) -> dict[int, Said]:
    """Item line → what the rules say on it, kind by kind, before calibration."""
    ctx = Context(doc, cfg, doc.grammar, checked, TODAY)
    out: dict[int, Said] = {}
    for item, said in judge.hits(doc, ctx):
        out[item.line] = {
            ((rule.RULE.id, k.id, d), judge.level_of(sev, h), k.format)
            for rule, sev, h in said
            for k, d in h.kinds
            if not k.fact
        }
    return out


class ListFacts:
    """One list judged whole: its calibration counts and what is said on each of its paper items."""

    def __init__(self, path: Path) -> None:
        text, bad = document.decode(path.read_bytes())
        parsed = document.parse(text)
        self.cfg = pipeline.resolve(config_mod.loads(""), parsed)
        self.text = text
        doc = pipeline.prepare(parsed, self.cfg, base=self.cfg, bad_bytes=bad)
        ctx = Context(doc, self.cfg, doc.grammar, None, TODAY)
        said = judge.hits(doc, ctx)
        self.cal = calibrate(doc, self.cfg, said)
        self.cal = type(self.cal)(self.cal.items, self.cal.explained, self.cal.fired, self.cal.judged)
        raw = _raw(doc, self.cfg)
        self.items = [
            (i.text.split("\n")[0].strip(), raw.get(i.line, set())) for i in doc.items if i.in_scope
        ]
        self.explained = self.cal.explained / max(1, self.cal.items)

    def share(self, key: Key) -> float:
        return self.cal.share(key)

    def count(self, key: Key) -> int:
        return self.cal.fired.get(key, 0)


def reported(
    said: Said,
    facts: ListFacts,
    share: float,
    count: int,
    explained: float,
    level: set[str],
    cap: float = 1e9,
) -> bool:
    """Something of `level` is said on an item under these thresholds (`cap`: a kind on this many
    items is a style whatever its share)."""
    for key, lv, fmt in said:
        if lv not in level:
            continue
        if fmt and (facts.explained < explained or facts.cal.items < 5):
            continue
        if facts.count(key) >= count and (facts.share(key) > share or facts.count(key) >= cap):
            continue
        return True
    return False


def added_raw(facts: ListFacts, entry: str) -> Said:
    """What is said on `entry` added at the top of the list's first paper section (the list now,
    without the entry), before calibration."""
    rows = [r for r in facts.text.split("\n") if r.strip() != entry.strip()]
    doc = pipeline.prepare("\n".join(rows), facts.cfg, base=facts.cfg)
    first = next((i for i in doc.items if i.in_scope), None)
    at = first.line if first else len(rows)
    new = [*rows[: at - 1], entry, *rows[at - 1 :]]
    doc = pipeline.prepare("\n".join(new), facts.cfg, base=facts.cfg)
    return _raw(doc, facts.cfg, frozenset({at})).get(at, set())


def quartiles(xs: list[float]) -> str:
    if not xs:
        return "-"
    qs = statistics.quantiles(xs, n=4) if len(xs) > 1 else [xs[0]] * 3
    return f"n={len(xs)} q1 {qs[0]:.1%} median {qs[1]:.1%} q3 {qs[2]:.1%}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kinds", action="store_true", help="print every list's kinds and shares")
    ap.add_argument("--list", default="", help="only lists whose file name holds this")
    ap.add_argument("--cache", type=Path, help="keep what was judged in this file, and read it from there")
    args = ap.parse_args()
    if not SHARED.exists():
        sys.exit(f"{SHARED} is absent")
    if args.cache and args.cache.exists():
        facts, defects, untouched = pickle.loads(args.cache.read_bytes())
    else:
        facts, defects, untouched = judged(args.list)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((facts, defects, untouched)))
    if args.kinds:
        for p, f in facts.items():
            print(f"== {p.name}: {f.cal.items} paper items, explained {f.explained:.0%}")
            for key, n in sorted(f.cal.fired.items(), key=lambda kv: -f.share(kv[0])):
                print(f"   {f.share(key):6.1%} {n:5d}  {'/'.join(x for x in key if x)}")

    report(facts, defects, untouched)


def judged(only: str):
    facts: dict[Path, ListFacts] = {}
    for p in lists():
        if only in p.name:
            facts[p] = ListFacts(p)
    # Defects maintainers fixed later, judged as they were added.
    defects: list[tuple[ListFacts, Said, set[str]]] = []
    for line in (SHARED / "corpus" / "fixes.jsonl").read_text().splitlines():
        r = json.loads(line)
        kinds = CATCHABLE & set(r["labels"])
        p = repo_file(r["repo"])
        if not kinds or p is None or p not in facts or r.get("bulk"):
            continue
        defects.append((facts[p], added_raw(facts[p], r["before"]), kinds))
    fixed_before = set()
    for line in (SHARED / "corpus" / "fixes.jsonl").read_text().splitlines():
        r = json.loads(line)
        fixed_before.add((r["repo"], r["before"].strip()))
    untouched: list[tuple[ListFacts, Said]] = []
    for line in (SHARED / "corpus" / "add_checks.jsonl").read_text().splitlines():
        r = json.loads(line)
        p = repo_file(r["repo"])
        if p is None or p not in facts or (r["repo"], r["entry"].strip()) in fixed_before:
            continue
        said = dict(facts[p].items).get(r["entry"].strip())
        if said is not None:
            untouched.append((facts[p], said))
    for f in facts.values():
        del f.cfg, f.text  # what the report reads is kept, and pickles
    return facts, defects, untouched


def report(facts, defects, untouched) -> None:

    print("== where the kinds sit: their share on their list")
    defect_shares: dict[str, list[float]] = defaultdict(list)
    for f, said, labels in defects:
        for key, lv, _ in said:
            if lv in ("error", "warning"):
                for label in labels:
                    defect_shares[label].append(f.share(key))
    for label, xs in sorted(defect_shares.items()):
        print(f"   defect {label}: {quartiles(xs)}")
    print(f"   defect, all kinds: {quartiles([x for xs in defect_shares.values() for x in xs])}")
    style = [f.share(key) for f, said in untouched for key, lv, _ in said if lv == "error"]
    print(f"   untouched entries' error kinds: {quartiles(style)}")
    by_kind = Counter(key[:2] for f, said in untouched for key, lv, _ in said if lv == "error")
    print(f"   untouched entries' error kinds, most common: {by_kind.most_common(12)}")

    deciles = [i / 10 for i in range(1, 10)]
    for name, xs in (
        ("defects", [x for v in defect_shares.values() for x in v]),
        ("untouched errors", style),
    ):
        qs = statistics.quantiles(xs, n=10) if len(xs) > 1 else []
        print(
            f"   deciles of {name}: "
            + " ".join(f"{d:.0%}:{q:.1%}" for d, q in zip(deciles, qs, strict=False))
        )
    print("== recall by fix kind, and untouched entries' errors by kind, at min count 3, explained 80%")
    cuts = (0.02, 0.05, 0.1, 0.2, 0.3, 1.01)
    print("   " + " " * 28 + "".join(f"{c:>8.0%}" for c in cuts))
    labels = sorted({label for _, _, ls in defects for label in ls})
    for label in labels:
        mine = [(f, s) for f, s, ls in defects if label in ls]
        row = [
            sum(reported(s, f, c, 3, 0.8, {"error", "warning"}) for f, s in mine) / len(mine) for c in cuts
        ]
        print(f"   {label[:26]:26} {len(mine):3d}" + "".join(f"{x:8.0%}" for x in row))
    for c in (0.05, 0.1, 0.2, 0.3):
        left = Counter()
        for f, said in untouched:
            for key, lv, fmt in said:
                if lv == "error" and reported({(key, lv, fmt)}, f, c, 3, 0.8, {"error"}):
                    left["/".join(key[:2])] += 1
        print(f"   untouched errors left at {c:.0%}: {left.most_common(10)}")

    # Which rule would catch each kind of fix: a fixed entry flagged only by another rule was flagged by
    # coincidence (its list's order, its pdf link), not for what the maintainer fixed.
    own = {
        "duplicate_removed": {"duplicate"},
        "arxiv_pdf_to_abs": {"arxiv-link"},
        "arxiv_version_changed": {"arxiv-link"},
        "arxiv_host_normalized": {"arxiv-link"},
        "arxiv_pdf_suffix_changed": {"arxiv-link"},
        "date_tag_corrected": {"arxiv-date", "venue-tag"},
        "venue_tag_corrected": {"venue-tag"},
        "venue_tag_case_or_spacing": {"venue-tag"},
        "broken_markdown_fixed": {"entry-syntax"},
        "link_normalized": {"links", "arxiv-link"},
    }
    lost = [
        (s, ls)
        for f, s, ls in defects
        if reported(s, f, 1.01, 3, 0.0, {"error", "warning"})
        and not reported(s, f, 0.05, 3, 0.9, {"error", "warning"}, 50)
    ]
    by_own = sum(
        any(k[0] in own[label] for k, lv, _ in s if lv != "notice" for label in ls) for s, ls in lost
    )
    print(
        f"== calibration (5%, 3, 50; gate 90%) no longer flags {len(lost)} of the {len(defects)} fixed "
        f"entries; {by_own} of them were flagged by the rule of what the maintainer fixed, the others by "
        "another rule's finding"
    )
    print(
        "== a cap: a kind on this many items is a style whatever its share (share 5%, min 3, explained 90%)"
    )
    for cap in (5, 10, 20, 25, 30, 40, 50, 70, 100, 1e9):
        hit = sum(reported(s, f, 0.05, 3, 0.9, {"error", "warning"}, cap) for f, s, _ in defects)
        bad = sum(reported(s, f, 0.05, 3, 0.9, {"error"}, cap) for f, s in untouched)
        print(
            f"   cap {cap:>5.0f}: recall {hit / max(1, len(defects)):6.1%}  untouched {bad / max(1, len(untouched)):6.1%}"
        )
    print("== sweep: share, min count, explained -> recall on defects, untouched with an error, whole files")
    print("   share  min  expl  recall   untouched  entries with an error: median  max  lists>3%")
    for explained in EXPLAINED:
        for count in COUNTS:
            for share in SHARES:
                hit = sum(
                    reported(s, f, share, count, explained, {"error", "warning"}) for f, s, _ in defects
                )
                bad = sum(reported(s, f, share, count, explained, {"error"}) for f, s in untouched)
                per = []
                for f in facts.values():
                    errs = sum(reported(s, f, share, count, explained, {"error"}) for _, s in f.items)
                    per.append(errs / max(1, len(f.items)))
                print(
                    f"   {share:5.0%} {count:4d} {explained:5.0%}  {hit / max(1, len(defects)):6.1%}"
                    f"   {bad / max(1, len(untouched)):6.1%}        {statistics.median(per):6.1%} {max(per):6.1%}"
                    f"  {sum(x > 0.03 for x in per):3d}"
                )


if __name__ == "__main__":
    main()
