"""The review job with publication records: the local GitHub, arXiv and Semantic Scholar over real
HTTP. One batch call per review; an outage is "not verified" and a retry, never a verdict."""

from __future__ import annotations

import dataclasses

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.errors import RetryLater
from bot.service.connections import Connections
from bot.settings import Settings
from tests.fakes.arxiv_server import Scripted
from tests.fakes.scenario import LAST, REPO, job, open_pr, with_lines

SPIN = "- (*Arxiv 2024.01*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models [[paper](https://arxiv.org/abs/2401.01335)]"
ACL = "- (*ACL 20'*) A Wrong Title [[paper](https://aclanthology.org/2020.acl-main.447/)]"


@pytest.fixture
def env(job_env, scholar_server):
    gh, _, settings = job_env
    return gh, scholar_server, dataclasses.replace(settings, semantic_scholar_api_url=scholar_server.url)


def adapter(settings: Settings) -> GitHubAdapter:
    return GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))


def test_a_stale_preprint_and_a_wrong_title_in_one_batch_call(env):
    gh, s2, settings = env
    head = open_pr(gh, 1, with_lines(SPIN, ACL, after=LAST))
    out = Connections(settings).review(job(1, head), github=adapter(settings))
    assert len(s2.requests) == 1  # every added entry's id in one POST
    assert set(s2.requests[0].ids) == {"ARXIV:2401.01335", "ACL:2020.acl-main.447"}
    bodies = {c["line"]: c["body"] for c in gh.repo(REPO).review_comments}
    spin_line = next(n for n, b in bodies.items() if "venue-published" in b)
    assert "Published at ICML 2024" in bodies[spin_line] and "(*ICML 24'*)" in bodies[spin_line]
    assert any("paper-title" in b and "S2ORC" in b for b in bodies.values())
    assert out.plan.event == "COMMENT"  # a notice and a warning: no change request


def test_an_outage_marks_the_entry_not_verified_and_retries(env):
    gh, s2, settings = env
    s2.script(*[Scripted(503)] * 4)
    head = open_pr(gh, 2, with_lines(ACL, after=LAST))
    with pytest.raises(RetryLater):
        Connections(settings).review(job(2, head), github=adapter(settings))
    assert "review: not verified" in gh.labels_of(REPO, 2)
    (summary,) = [c for c in gh.repo(REPO).issue_comments if "not verified" in c["body"]]
    assert "not verified against Semantic Scholar yet" in summary["body"]
    assert gh.repo(REPO).statuses[-1]["state"] != "failure"


def test_turned_off_the_job_asks_nothing(env, tmp_path):
    gh, s2, settings = env
    (tmp_path / "config.yml").write_text(
        "arxiv:\n  min_interval_seconds: 0\nsemantic_scholar:\n  enabled: false\n"
    )
    head = open_pr(gh, 3, with_lines(SPIN, after=LAST))
    Connections(settings).review(job(3, head), github=adapter(settings))
    assert not s2.requests
