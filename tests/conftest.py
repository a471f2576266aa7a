"""Shared helpers: judge a snippet of a list the way `check` does; where ../shared lives."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.core.config import config as config_mod
from bot.core.model import ArxivLookup, Finding, RecordLookup
from bot.core.verdict import judge, pipeline

pytest_plugins = ["tests.fakes.plugin", "tests.fakes.github_plugin", "tests.fakes.redis_plugin"]

SHARED = Path(__file__).resolve().parents[2] / "shared"
TODAY = dt.date(2026, 11, 27)
HEAD = "# A list\n\n## Related Works\n"


def shared(*parts: str) -> Path:
    p = SHARED.joinpath(*parts)
    if not p.exists():
        pytest.skip(f"{p} is absent (../shared is not beside the project)")
    return p


JOB_CONFIG = (
    "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
    "semantic_scholar:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
    "openreview:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n"
)


@pytest.fixture(scope="session", autouse=True)
def _local_record_sources():
    """No test reaches the internet: Semantic Scholar's and OpenReview's default addresses, for this
    process and every process a test starts, are local servers that know no paper (tests that need
    records start their own with `scholar_server` or `openreview_server`, and point the environment
    or the config at it)."""
    from bot.adapters import openreview, semantic_scholar
    from tests.fakes.openreview_server import FakeOpenReview
    from tests.fakes.scholar_server import FakeScholar

    with FakeScholar() as s2, FakeOpenReview([]) as notes, pytest.MonkeyPatch.context() as mp:
        mp.setenv("SEMANTIC_SCHOLAR_API_URL", s2.url)
        mp.setattr(semantic_scholar, "DEFAULT_API_URL", s2.url)
        mp.setenv("OPENREVIEW_API_URL", notes.url)
        mp.setattr(openreview, "DEFAULT_API_URL", notes.url)
        yield s2


@pytest.fixture
def job_env(github_server, arxiv_server, tmp_path, monkeypatch):
    """The local GitHub and arXiv, and token Settings for the review job pointing at them, run in a
    fresh directory whose config.yml only makes arXiv fast to ask (no spacing, one retry)."""
    from bot.settings import Settings
    from tests.fakes.scenario import TOKEN

    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text(JOB_CONFIG)
    settings = Settings(
        github_token=TOKEN,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "data",
    )
    return github_server, arxiv_server, settings


def run_rules(
    body: str,
    *,
    cfg: config_mod.Config | str | None = None,
    checked: set[int] | None = None,
    arxiv: ArxivLookup | None = None,
    head: str = HEAD,
    base: str | None = None,
    repos: dict[str, str] | None = None,
    records: RecordLookup | None = None,
) -> list[Finding]:
    """Findings for a list made of `head` + `body`; `checked` counts lines of `body` from 1. The
    format is learnt from `base` (a whole file) when given, else from the list itself; `repos`: the
    code repositories' statuses, `records` the publication records (None: not looked up)."""
    if isinstance(cfg, str) or cfg is None:
        cfg = config_mod.loads(cfg or "")
    offset = head.count("\n")
    text = head + body
    lines = None if checked is None else frozenset(n + offset for n in checked)
    if base is None and lines is not None:
        base = pipeline.without(text, lines)  # as `check --diff` does: the list before the change
    doc = pipeline.prepare(text, cfg, base=base)
    found = judge.judge(
        doc, doc.config, "README.md", checked=lines, arxiv=arxiv, today=TODAY, repos=repos, records=records
    )
    return [dataclasses.replace(f, line=f.line - offset, end_line=f.end_line - offset) for f in found]


def rules_of(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.rule, f.severity) for f in findings]
