"""One review asks each outside source about a bounded number of ids (issue 19, item 8). Was: 3,000
distinct arXiv ids in one pull request took 365 s of arXiv's spaced requests. Now a review asks each
source about at most `max_ids_per_review` (200) ids; the rest are "not verified", as in an outage,
and the retry asks them (the cache answers the first ones). The real job, the local GitHub, arXiv
and Semantic Scholar over HTTP."""

from __future__ import annotations

import dataclasses

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.errors import RetryLater
from bot.service.connections import Connections
from tests.fakes.scenario import REPO, job, open_pr, with_lines

ENTRIES = [
    f"- (*Arxiv 2025.01*) A Paper Numbered {n} [[paper](https://arxiv.org/abs/2501.{n:05d})]"
    for n in range(1, 251)
]


def test_a_review_asks_each_source_about_at_most_200_ids_and_the_retry_asks_the_rest(
    job_env, scholar_server
) -> None:
    gh, ax, settings = job_env
    settings = dataclasses.replace(settings, semantic_scholar_api_url=scholar_server.url)
    head = open_pr(gh, 1, with_lines(*ENTRIES))
    github = GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    connections = Connections(settings)

    with pytest.raises(RetryLater):  # some entries were not verified: the queue runs it again
        connections.review(job(1, head), github=github)
    arxiv_asked = [i for r in ax.requests for i in r.ids]
    assert len(arxiv_asked) == len(set(arxiv_asked)) == 200
    assert len(scholar_server.asked) == 200
    assert "review: not verified" in gh.labels_of(REPO, 1)
    summary = next(c["body"] for c in gh.repo(REPO).issue_comments)
    assert "not verified" in summary

    connections.review(job(1, head, "d-2"), github=github)  # the retry: the other 50, and no RetryLater
    assert len({i for r in ax.requests for i in r.ids}) == 250
    assert len(set(scholar_server.asked)) == 250
    assert "review: not verified" not in gh.labels_of(REPO, 1)
