"""GitHub requests per review for 1, 10 and 50 added entries: the count should not grow with the PR.

Run: python bench/github_requests.py
Uses the test suite's local GitHub and arXiv servers over real HTTP; prints reads, writes and
arXiv requests per review, for a first review (everything created) and a re-run (nothing new).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.model import Paper
from bot.errors import RetryLater
from bot.service.connections import Connections
from bot.settings import Settings
from tests.fakes import arxiv_papers
from tests.fakes.arxiv_server import FakeArxiv
from tests.fakes.github_server import FakeGitHub
from tests.fakes.scenario import LAST, TOKEN, job, open_pr, with_lines
from tests.fakes.scholar_server import FakeScholar


def entries(n: int) -> tuple[list[str], dict[str, Paper]]:
    """n new preprints from 2023.12 down, every third one with a pdf link (a finding to comment on)."""
    lines, papers = [], {}
    for i in range(n):
        aid = f"2312.{10000 + i:05d}"
        title = f"Benchmark Paper Number {i}"
        papers[aid] = Paper(aid, title, ("A. Author",), "2023-12-01T00:00:00Z")
        url = f"https://arxiv.org/pdf/{aid}" if i % 3 == 0 else f"https://arxiv.org/abs/{aid}"
        lines.append(f"- (*Arxiv 2023.12*) {title} [[paper]({url})]")
    return lines, papers


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    print(
        f"{'entries':>8} {'findings':>9} {'GH reads':>9} {'GH writes':>10} {'arXiv req':>10} {'re-run reads':>13} {'re-run writes':>14}"
    )
    for n in (1, 10, 50):
        lines, papers = entries(n)
        gh = FakeGitHub().start()
        ax = FakeArxiv({**arxiv_papers.PAPERS, **papers}).start()
        s2 = FakeScholar().start()  # knows no paper: nothing leaves the machine
        try:
            with tempfile.TemporaryDirectory() as tmp:
                settings = Settings(
                    github_token=TOKEN,
                    github_api_url=gh.url,
                    arxiv_api_url=ax.url,
                    semantic_scholar_api_url=s2.url,
                    data_dir=Path(tmp),
                )
                head = open_pr(gh, 1, with_lines(*lines, after=LAST))
                counts = []
                for delivery in ("d1", "d2"):
                    before = len(gh.calls())
                    before_w = len(gh.writes())
                    adapter = GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
                    try:
                        out = Connections(settings).review(job(1, head, delivery), github=adapter)
                    except RetryLater:
                        out = None
                    writes = len(gh.writes()) - before_w
                    counts.append((len(gh.calls()) - before - writes, writes))
                    if delivery == "d1":
                        findings = len(out.plan.comments) if out else -1
                print(
                    f"{n:>8} {findings:>9} {counts[0][0]:>9} {counts[0][1]:>10} {len(ax.requests):>10} {counts[1][0]:>13} {counts[1][1]:>14}"
                )
        finally:
            gh.stop()
            ax.stop()
            s2.stop()


if __name__ == "__main__":
    main()
