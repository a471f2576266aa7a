"""Requests for publication records (Semantic Scholar, OpenReview) per review and per whole-list
audit, cold and warm.

A list of 1,000 entries (arXiv preprints, every other one since published at a venue DBLP names;
one in ten links the paper on the ACL Anthology, one in twenty on OpenReview, its arXiv id beside)
is judged by the same `pipeline.review_file` as `check` and the
review job, against the local arXiv and Semantic Scholar servers, through the cached clients the
deployment builds (SQLite caches, the file gates). Cold: empty caches; warm: the same caches again.
A review is a pull request adding 5 entries to that list.

Goals: the audit sends ceil(ids / 500) requests to Semantic Scholar and ceil(ids / 100) to
OpenReview cold, none warm; a review sends one to each source it has ids for, cold, and none warm;
asking one id per request, as a client without a batch endpoint would, costs `ids` requests: the
ratio is printed beside. Every stale preprint tag is reported.

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
from bot.adapters.openreview import OpenReviewClient
from bot.adapters.records import SCHEMA, CachedRecords, RecordSources, load_record
from bot.adapters.semantic_scholar import ScholarClient
from bot.core.config import config as config_mod
from bot.core.model import Paper
from bot.core.verdict import pipeline
from tests.fakes.arxiv_server import FakeArxiv
from tests.fakes.openreview_server import FakeOpenReview, note
from tests.fakes.scholar_server import FakeScholar, paper, venue

TODAY = dt.date(2026, 11, 27)
ICML = venue("International Conference on Machine Learning", "ICML")
ACL = venue("Annual Meeting of the Association for Computational Linguistics", "ACL")


def corpus(n: int) -> tuple[list[str], dict[str, Paper], list[dict], list[dict]]:
    """n entries, newest first, with their arXiv metadata, publication records and OpenReview notes."""
    lines, papers, records, notes = [], {}, [], []
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
        if m % 20 == 5:  # the paper link is OpenReview's (accepted at ICLR 2024), the arXiv id beside it
            notes.append(note(f"Note{m:06d}", title, "ICLR 2024 poster", "ICLR.cc/2024/Conference"))
            links = f"[[paper](https://openreview.net/forum?id=Note{m:06d})] [[arxiv](https://arxiv.org/abs/{arxiv_id})]"
        elif m % 10 == 0:  # the paper link is the ACL Anthology's, the arXiv id beside it
            acl = dict(publication_venue=ACL, dblp=f"conf/acl/Author{m}24")
            records.append(paper(f"acl-{m}", title, year=2024, acl=f"2024.acl-long.{m}", **acl))
            links = f"[[paper](https://aclanthology.org/2024.acl-long.{m}/)] [[arxiv](https://arxiv.org/abs/{arxiv_id})]"
        else:
            links = f"[[paper](https://arxiv.org/abs/{arxiv_id})]"
        lines.append(f"- (*Arxiv 2024.01*) {title} {links}")
    return lines, papers, records, notes


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--added", type=int, default=5)
    args = ap.parse_args(argv)

    lines, papers, records, notes = corpus(args.entries)
    head = "# A list\n\n## Related Works\n"
    listed = (head + "\n".join(lines) + "\n").encode()
    cfg = config_mod.loads("")
    # A PR adding `added` new entries at the top: their lines, in the file with them.
    new_lines, new_papers, new_records, new_notes = corpus(args.entries + args.added)
    pr = (head + "\n".join(new_lines) + "\n").encode()
    added = frozenset(range(4, 4 + args.added))
    papers |= new_papers
    known = {r["paperId"] for r in records}
    records += [r for r in new_records if r["paperId"] not in known]
    notes += [n for n in new_notes if n["id"] not in {x["id"] for x in notes}]

    with (
        FakeArxiv(papers) as ax,
        FakeScholar(records) as s2,
        FakeOpenReview(notes) as orv,
        tempfile.TemporaryDirectory() as tmp,
    ):
        data = Path(tmp)

        def sources():
            arxiv = CachedArxiv(
                ArxivClient(ax.url, min_interval=0, gate=FileGate(data / "arxiv.lock")),
                SqliteCache(data / "arxiv.sqlite3"),
            )

            def cache(table: str) -> RecordsCache:
                return RecordsCache(data / "records.sqlite3", table=table, schema=SCHEMA, load=load_record)

            recs = RecordSources(
                CachedRecords(
                    ScholarClient(s2.url, min_interval=0, gate=FileGate(data / "s2.lock")), cache("records")
                ),
                CachedRecords(
                    OpenReviewClient(orv.url, min_interval=0, gate=FileGate(data / "or.lock")),
                    cache("openreview"),
                ),
            )
            return arxiv, recs

        rows = []
        for what, text, checked in (("audit", listed, None), ("review", pr, added)):
            for run in ("cold", "warm"):
                if run == "cold":
                    ids_before = len(s2.asked) + sum(len(r.ids) for r in orv.requests)
                arxiv, recs = sources()  # a new process each time: only the caches carry over
                before, or_before, t0 = len(s2.requests), len(orv.requests), time.perf_counter()
                found = pipeline.review_file(
                    text, "README.md", cfg, checked, today=TODAY, lookup=arxiv.lookup,
                    records_lookup=recs.lookup,
                )  # fmt: skip
                wall = time.perf_counter() - t0
                sent, or_sent = len(s2.requests) - before, len(orv.requests) - or_before
                asked = len(s2.asked) + sum(len(r.ids) for r in orv.requests)
                ids = asked - ids_before if run == "cold" else 0
                or_ids = sum(len(r.ids) for r in orv.requests[or_before:])
                stale = sum(f.rule == "venue-published" for f in found.findings)
                rows.append((what, run, len(found.items), sent, or_sent, ids, or_ids, stale, wall))
            if what == "audit":
                # the review's cold run must not find the audit's records cached: a fresh data directory
                for f in data.glob("*.sqlite3*"):
                    f.unlink()

    print(f"Record requests: a {args.entries}-entry list, a PR adding {args.added} entries")
    print(f"{'':8}{'run':<6}{'entries':>8}{'S2 req':>8}{'goal':>6}{'OR req':>8}{'goal':>6}{'ids asked':>11}"
          f"{'1 id/request':>14}{'ratio':>8}{'stale tags':>12}{'wall s':>8}")  # fmt: skip
    ok = True
    for what, run, entries, sent, or_sent, ids, or_ids, stale, wall in rows:
        goal = 0 if run == "warm" else math.ceil((ids - or_ids) / 500)
        or_goal = 0 if run == "warm" else math.ceil(or_ids / 100)
        naive = ids if run == "cold" else 0
        ratio = f"{naive / (sent + or_sent):.0f}x" if sent + or_sent else "-"
        print(
            f"{what:<8}{run:<6}{entries:>8}{sent:>8}{goal:>6}{or_sent:>8}{or_goal:>6}{ids:>11}{naive:>14}"
            f"{ratio:>8}{stale:>12}{wall:>8.2f}"
        )
        ok &= sent == goal and or_sent == or_goal
        # published: every other paper (DBLP, the ACL Anthology), and those accepted on OpenReview
        want_stale = (
            sum(m % 2 == 0 or m % 20 == 5 for m in range(1, entries + 1)) if what == "audit" else None
        )
        ok &= want_stale is None or stale == want_stale
    print("goals met" if ok else "GOALS NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
