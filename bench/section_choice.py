"""How often the section the bot names for a paper is the one the list's maintainers chose.

From every corpus list with two or more paper sections (../shared/corpus/lists), entries are drawn
at random with a fixed seed, the same number from each list (a list of 6,000 entries must not stand
for the whole class). Each drawn entry is removed from its list (its lines deleted, the list read
again), and the bot asks where its title goes, with the dates the bot would know (the arXiv id's
month, the tag's year), through the same `bot.core.intake.sections` index the issue answer uses.
Printed: how often the section named first is the maintainers' section, how often it is one of the
sections named (two when their scores are close), how often two were named, and beside them the
baseline of naming the largest section, as a ratio.

Run: .venv/bin/python bench/section_choice.py [--samples 200] [--seed 18] [--by-list]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from bot.core.arxiv_id import id_month, parse_ref
from bot.core.config import config as config_mod
from bot.core.intake import sections
from bot.core.verdict import pipeline

LISTS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "lists"


def papers(doc) -> list:
    return [i for i in doc.items if i.in_scope and i.entry and i.entry.title]


def when(entry) -> list[tuple[int, int | None]]:
    """What the bot knows of a paper's date: arXiv's month, and the year of its tag."""
    out: list[tuple[int, int | None]] = []
    for link in entry.links:
        ref = parse_ref(link.url)
        if ref and ref.valid and (m := id_month(ref.id)):
            out.append(m)
            break
    tag = entry.claimed()
    if tag is not None and tag.year:
        out.append((tag.year, tag.month if tag.kind != "venue" else None))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--by-list", action="store_true", help="print the figures of each list")
    args = ap.parse_args(argv)
    if not LISTS.is_dir():
        print(f"{LISTS} is absent: the corpus lives in ../shared beside the project")
        return 2
    cfg = config_mod.loads("")
    texts: dict[str, str] = {}
    pools: dict[str, list] = {}
    for path in sorted(LISTS.glob("*.md")):
        text = path.read_text(encoding="utf-8", errors="replace")
        items = papers(pipeline.prepare(text, cfg))
        if len({i.section for i in items}) >= 2:
            texts[path.stem], pools[path.stem] = text, items
    rng = random.Random(args.seed)
    names = sorted(pools)
    for name in names:
        rng.shuffle(pools[name])
    drawn: list[tuple[str, object]] = []
    while len(drawn) < args.samples and any(pools.values()):
        for name in names:
            if pools[name] and len(drawn) < args.samples:
                drawn.append((name, pools[name].pop()))
    t0 = time.perf_counter()
    first = named = two = largest = 0
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, item in drawn:
        without = pipeline.without(texts[name], range(item.line, item.end + 1))
        index = sections.index(pipeline.prepare(without, cfg))
        tag = item.entry.claimed()
        venue = [tag.venue] if tag is not None and tag.kind == "venue" else []
        choice = index.choose(item.entry.title, when(item.entry), venue)
        sizes = index.sizes
        biggest = max(sizes, key=sizes.get) if sizes else None
        hit1 = choice is not None and choice.first == item.section
        hit2 = choice is not None and item.section in choice.named
        first += hit1
        named += hit2
        two += choice is not None and choice.second is not None
        largest += biggest == item.section
        per[name][0] += 1
        per[name][1] += hit1
        per[name][2] += hit2
    n = len(drawn)
    secs = time.perf_counter() - t0
    if args.by_list:
        for name in names:
            total, h1, h2 = per[name]
            print(f"  {name[:60]:60s} {h1:3d}/{total:<3d} first  {h2:3d}/{total:<3d} named")
    print(f"section choice on {n} entries from {len(names)} corpus lists (seed {args.seed}), {secs:.1f}s")
    print(f"  named first is the maintainers' section:    {first:4d}  {first / n:6.1%}")
    print(
        f"  one of the sections named is (1 or 2):      {named:4d}  {named / n:6.1%}  (two named {two / n:.1%})"
    )
    print(f"  baseline, the largest section:              {largest:4d}  {largest / n:6.1%}")
    print(f"  first named / baseline:                     {first / max(largest, 1):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
