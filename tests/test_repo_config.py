"""A repository's own .github/awesome-review.yml: merged over the deployment's config, read from the
default branch only (a PR cannot relax its own rules), deployment-only keys refused by name."""

from __future__ import annotations

import pytest

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.config import config as config_mod
from bot.core.config.config import ConfigError
from bot.core.verdict.plan import SUMMARY_MARKER
from bot.service.connections import Connections
from bot.service.outcome import JobOutcome, Skip, Skipped
from bot.settings import Settings
from tests.fakes.scenario import BAD, GOOD, REPO, job, open_pr, push, with_lines

SOURCE = ".github/awesome-review.yml"
DEPLOYMENT = """\
rules:
  arxiv-title:
    severity: error
    accept_at: 90
  order: off
arxiv:
  min_interval_seconds: 0
"""


@pytest.fixture(scope="module")
def base() -> config_mod.Config:
    return config_mod.loads(DEPLOYMENT, "config.yml")


# --------------------------------------------------------------------------- the merge, as a table

VALID = [
    # (overlay, key getter, expected)
    ("", lambda c: c.severity("arxiv-title"), "error"),
    ("rules:\n  whitespace: off\n", lambda c: c.severity("whitespace"), "off"),
    # a bare severity keeps the deployment's options for the rule
    ("rules:\n  arxiv-title: warning\n", lambda c: (c.severity("arxiv-title"), c.option("arxiv-title", "accept_at")), ("warning", 90)),
    # an option alone keeps the deployment's severity
    ("rules:\n  arxiv-title:\n    error_below: 70\n", lambda c: (c.severity("arxiv-title"), c.option("arxiv-title", "accept_at"), c.option("arxiv-title", "error_below")), ("error", 90, 70)),
    # rules the overlay does not name stay as the deployment set them
    ("rules:\n  whitespace: error\n", lambda c: c.severity("order"), "off"),
    ("sections: ['*']\n", lambda c: c["sections"], ["*"]),
    ("files: [LIST.md, docs/papers.md]\n", lambda c: c["files"], ["LIST.md", "docs/papers.md"]),
    ("grammar:\n  venue_tag: \"{venue}'{yy}\"\n", lambda c: (c["grammar"]["venue_tag"], c["grammar"]["preprint_tag"]), ("{venue}'{yy}", "auto")),  # the rest of the format is still learnt from the list
    ("review:\n  request_changes: false\n", lambda c: (c["review"]["request_changes"], c["review"]["max_inline_comments"]), (False, 50)),
    ("labels:\n  passed: ''\n", lambda c: (c["labels"]["passed"], c["labels"]["duplicate"]), ("", "duplicate")),
    # the deployment's arXiv settings are untouched by any overlay
    ("rules:\n  links: warning\n", lambda c: c["arxiv"]["min_interval_seconds"], 0),
]  # fmt: skip


@pytest.mark.parametrize(("text", "get", "expected"), VALID)
def test_valid_overlays_merge_over_the_deployment(base, text, get, expected):
    cfg = config_mod.overlay(base, text, SOURCE)
    assert get(cfg) == expected
    assert cfg.source == SOURCE


INVALID = [
    ("rules:\n  whitespace: notice\n  arxiv-title: severe\n", f"{SOURCE}:3: rules.arxiv-title: 'severe' is not one of error, warning, notice, off"),
    ("rules:\n  arxiv-title:\n    accept_at: high\n", f"{SOURCE}:3: rules.arxiv-title.accept_at: 'high' should be a number"),
    ("rules:\n  no-such-rule: error\n", f"{SOURCE}:2: rules.no-such-rule: unknown key"),
    ("section: [A]\n", f"{SOURCE}:1: section: unknown key (did you mean 'sections'?)"),
    ("grammar:\n  venue_tag: '{venue}'\n", f"{SOURCE}:2: grammar.venue_tag: '{{venue}}' needs a {{yy}} or {{yyyy}} placeholder"),
    ("files: README.md\n", f"{SOURCE}:1: files: should be a list of strings"),
    ("rules: [a]\n", f"{SOURCE}:1: rules: should be a mapping"),
    ("- a\n- b\n", f"{SOURCE}:1: must be a mapping"),
    ("rules:\n  whitespace: [\n", f"{SOURCE}:3: is not valid YAML"),
]  # fmt: skip

FORBIDDEN = [
    ("arxiv:\n  api_url: http://evil.example/api\n", f"{SOURCE}:2: arxiv.api_url: cannot be set by the repository"),
    ("rules:\n  whitespace: off\narxiv:\n  min_interval_seconds: 0\n", f"{SOURCE}:4: arxiv.min_interval_seconds: cannot be set by the repository"),
    ("arxiv: {}\n", f"{SOURCE}:1: arxiv: cannot be set by the repository"),
    ("arxiv: null\n", f"{SOURCE}:1: arxiv: cannot be set by the repository"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), INVALID + FORBIDDEN)
def test_invalid_or_forbidden_overlays_name_file_line_and_key(base, text, message):
    with pytest.raises(ConfigError) as err:
        config_mod.overlay(base, text, SOURCE)
    assert str(err.value).startswith(message), str(err.value)


def test_forbidden_key_error_says_where_it_belongs(base):
    with pytest.raises(ConfigError) as err:
        config_mod.overlay(base, "arxiv:\n  api_url: http://x\n", SOURCE)
    assert err.value.key == "arxiv.api_url" and "deployment's config.yml" in str(err.value)


def test_overlay_does_not_change_the_base(base):
    config_mod.overlay(base, "rules:\n  arxiv-title: off\nsections: ['*']\n", SOURCE)
    assert base.severity("arxiv-title") == "error" and base["sections"] == "auto"


# --------------------------------------------------------------------------- the job, over HTTP


@pytest.fixture
def env(job_env):
    gh, _, settings = job_env
    return gh, settings


def run(settings: Settings, number: int, head: str) -> JobOutcome:
    return Connections(settings).review(
        job(number, head),
        github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None)),
    )


def summary(gh) -> str:
    (s,) = [c for c in gh.repo(REPO).issue_comments if SUMMARY_MARKER in c["body"]]
    return s["body"]


RELAX = "rules:\n  venue-tag: off\n  arxiv-link: off\n  order: off\n"


def test_default_branch_file_applies(env):
    gh, settings = env
    head = open_pr(gh, 1, with_lines(BAD))
    gh.put_file(REPO, SOURCE, RELAX, ref="main")
    out = run(settings, 1, head)
    assert out.plan.event is None  # BAD's problems (venue-tag, arxiv-link, order) are all off
    assert gh.labels_of(REPO, 1) == {"review: passed"}
    assert gh.calls("GET", rf"/repos/{REPO}/contents/\.github/awesome-review\.yml")[0].query["ref"] == "main"


def test_the_prs_own_branch_cannot_relax_its_rules(env):
    gh, settings = env
    head = open_pr(gh, 2, with_lines(BAD))
    gh.put_file(REPO, SOURCE, RELAX, ref=head)  # the PR adds the overrides on its own branch
    run(settings, 2, head)
    (review,) = gh.repo(REPO).reviews
    assert review["state"] == "CHANGES_REQUESTED"
    assert "venue-tag" in gh.repo(REPO).review_comments[0]["body"]
    assert gh.labels_of(REPO, 2) == {"review: needs changes"}
    refs = [
        r.query.get("ref") for r in gh.calls("GET", rf"/repos/{REPO}/contents/\.github/awesome-review\.yml")
    ]
    assert refs == ["main"]


def test_a_non_main_default_branch_is_the_one_read(env):
    gh, settings = env
    head = open_pr(gh, 3, with_lines(BAD))
    gh.repo(REPO).default_branch = "trunk"
    gh.put_file(REPO, SOURCE, "rules:\n  venue-tag: error\n", ref="main")  # a stale branch: ignored
    gh.put_file(REPO, SOURCE, RELAX, ref="trunk")
    assert run(settings, 3, head).plan.event is None


def test_invalid_file_is_reported_in_the_summary_and_the_deployment_config_used(env):
    gh, settings = env
    head = open_pr(gh, 4, with_lines(BAD))
    gh.put_file(REPO, SOURCE, "rules:\n  whitespace: notice\n  arxiv-title: severe\n", ref="main")
    run(settings, 4, head)
    body = summary(gh)
    assert f"{SOURCE}:3: rules.arxiv-title: 'severe' is not one of error, warning, notice, off" in body
    assert "❌ needs changes" in body  # the deployment's rules judged it
    assert gh.repo(REPO).reviews[0]["state"] == "CHANGES_REQUESTED"


def test_forbidden_key_is_reported_and_the_endpoint_never_used(env):
    gh, settings = env
    head = open_pr(gh, 5, with_lines(GOOD))
    gh.put_file(REPO, SOURCE, "arxiv:\n  api_url: http://127.0.0.1:9/evil\n", ref="main")
    run(settings, 5, head)
    body = summary(gh)
    assert f"{SOURCE}:2: arxiv.api_url: cannot be set by the repository" in body
    assert "✅ ok" in body  # arXiv (the deployment's) answered


def test_files_override_changes_which_file_is_reviewed(env):
    gh, settings = env
    head = open_pr(gh, 6, with_lines(BAD))
    gh.put_file(REPO, SOURCE, "files: [PAPERS.md]\n", ref="main")
    assert run(settings, 6, head) == Skipped(Skip.NO_LIST_FILE)
    gh.put_file(REPO, SOURCE, "", ref="main")  # an empty file: the deployment's config
    head2 = push(gh, 6, with_lines(BAD), "h2")
    assert run(settings, 6, head2).plan.event == "REQUEST_CHANGES"
