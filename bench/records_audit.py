"""Requests to Semantic Scholar per review and per whole-list audit, cold and warm.

A list of 1,000 entries (arXiv preprints, every other one since published at a venue DBLP names;
one in ten links the paper on the ACL Anthology, its arXiv id beside) is judged by the same `pipeline.review_file` as `check` and the
review job, against the local arXiv and Semantic Scholar servers, through the cached clients the
deployment builds (SQLite caches, the file gates). Cold: empty caches; warm: the same caches again.
A review is a pull request adding 5 entries to that list.

Goals: the audit sends ceil(ids / 500) requests cold and none warm; a review sends one cold and none
warm; asking one id per request, as a client without the batch endpoint would, costs `ids` requests:
the ratio is printed beside. Every stale preprint tag is reported.

Run: .venv/bin/python bench/records_audit.py [--entries 1000] [--added 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere without installing

from bot.adapters.arxiv_cache import CachedArxiv, SqliteCache
from bot.adapters.arxiv_client import ArxivClient
from bot.adapters.cache import SqliteCache as RecordsCache
from bot.adapters.gate import FileGate
from bot.adapters.records import SCHEMA, CachedRecords, load_record
from bot.adapters.semantic_scholar import ScholarClient
from bot.core import config as config_mod
from bot.core import pipeline
from bot.core.model import Paper
from tests.fakes.arxiv_server import FakeArxiv
from tests.fakes.scholar_server import FakeScholar, paper, venue

TODAY = dt.date(2026, 11, 27)
ICML = venue("International Conference on Machine Learning", "ICML")
ACL = venue("Annual Meeting of the Association for Computational Linguistics", "ACL")


def corpus(n: int) -> tuple[list[str], dict[str, Paper], list[dict]]:
    """n entries, newest first, with their arXiv metadata and their publication records."""
    lines, papers, records = [], {}, []
    for m in range(n, 0, -1):
        arxiv_id = f"2401.{m:05d}"
        title = f"Synthetic Paper {m} on Self-Improving Language Models"
        papers[arxiv_id] = Paper(arxiv_id, title, ("A. Author",), "2024-01-15T12:00:00Z")
        published = m % 2 == 0
        records.append(
            paper(
                f"s2-{m}",
                title,
                year=2024,
                publication_venue=ICML if published else None,
                arxiv=arxiv_id,
                dblp=f"conf/icml/Author{m}24" if published else f"journals/corr/abs-2401-{m:05d}",
            )
        )
        if m % 10 == 0:  # the paper link is the ACL Anthology's, the arXiv id beside it
            acl = dict(publication_venue=ACL, dblp=f"conf/acl/Author{m}24")
            records.append(paper(f"acl-{m}", title, year=2024, acl=f"2024.acl-long.{m}", **acl))
            links = f"[[paper](https://aclanthology.org/2024.acl-long.{m}/)] [[arxiv](https://arxiv.org/abs/{arxiv_id})]"
        else:
            links = f"[[paper](https://arxiv.org/abs/{arxiv_id})]"
        lines.append(f"- (*Arxiv 2024.01*) {title} {links}")
    return lines, papers, records


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--added", type=int, default=5)
    args = ap.parse_args(argv)

    lines, papers, records = corpus(args.entries)
    head = "# A list\n\n## Related Works\n"
    listed = (head + "\n".join(lines) + "\n").encode()
    cfg = config_mod.loads("")
    # A PR adding `added` new entries at the top: their lines, in the file with them.
    new_lines, new_papers, new_records = corpus(args.entries + args.added)
    pr = (head + "\n".join(new_lines) + "\n").encode()
    added = frozenset(range(4, 4 + args.added))
    papers |= new_papers
    known = {r["paperId"] for r in records}
    records += [r for r in new_records if r["paperId"] not in known]

    with (
        FakeArxiv(papers) as ax,
        FakeScholar(records) as s2,
        tempfile.TemporaryDirectory() as tmp,
    ):
        data = Path(tmp)

        def sources():
            arxiv = CachedArxiv(
                ArxivClient(ax.url, min_interval=0, gate=FileGate(data / "arxiv.lock")),
                SqliteCache(data / "arxiv.sqlite3"),
            )
            recs = CachedRecords(
                ScholarClient(s2.url, min_interval=0, gate=FileGate(data / "s2.lock")),
                RecordsCache(data / "records.sqlite3", table="records", schema=SCHEMA, load=load_record),
            )
            return arxiv, recs

        rows = []
        for what, text, checked in (("audit", listed, None), ("review", pr, added)):
            for run in ("cold", "warm"):
                if run == "cold":
                    ids_before = len(s2.asked)
                arxiv, recs = sources()  # a new process each time: only the caches carry over
                before, t0 = len(s2.requests), time.perf_counter()
                found = pipeline.review_file(
                    text, "README.md", cfg, checked, today=TODAY, lookup=arxiv.lookup,
                    records_lookup=recs.lookup,
                )  # fmt: skip
                wall = time.perf_counter() - t0
                sent = len(s2.requests) - before
                ids = len(s2.asked) - ids_before if run == "cold" else 0
                stale = sum(f.rule == "venue-published" for f in found.findings)
                rows.append((what, run, len(found.items), sent, ids, stale, wall))
            if what == "audit":
                # the review's cold run must not find the audit's records cached: a fresh data directory
                for f in data.glob("*.sqlite3*"):
                    f.unlink()

    print(f"Semantic Scholar requests: a {args.entries}-entry list, a PR adding {args.added} entries")
    print(f"{'':8}{'run':<6}{'entries':>8}{'requests':>10}{'goal':>6}{'ids asked':>11}{'1 id/request':>14}"
          f"{'ratio':>8}{'stale tags':>12}{'wall s':>8}")  # fmt: skip
    ok = True
    for what, run, entries, sent, ids, stale, wall in rows:
        goal = 0 if run == "warm" else math.ceil(ids / 500)
        naive = ids if run == "cold" else 0
        ratio = f"{naive / sent:.0f}x" if sent else "-"
        print(
            f"{what:<8}{run:<6}{entries:>8}{sent:>10}{goal:>6}{ids:>11}{naive:>14}{ratio:>8}{stale:>12}{wall:>8.2f}"
        )
        ok &= sent == goal
        want_stale = (entries + 1) // 2 if what == "audit" else None
        ok &= want_stale is None or stale == want_stale
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
