"""The outside sources a command line run asks (arXiv, publication records, code repositories).

Built once per run, each asked once per id however many files and `--fix` passes ask, and kept out
of `check` itself so `add` asks the same sources the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from pathlib import Path
from typing import TextIO

from ..core.config import config as config_mod
from ..core.model import ArxivLookup, Lookup, RecordLookup
from ..core.verdict import pipeline
from ..settings import Settings
from . import progress


class Sources:
    """The outside sources a run asks, once each however many files and --fix passes ask them."""

    def __init__(self, cfg: config_mod.Config, offline: bool, stderr: TextIO) -> None:
        self.today, self.stderr = dt.date.today(), stderr
        self.arxiv = None if offline else arxiv_lookup(cfg, stderr)
        self.records = None if offline else records_lookup(cfg, stderr)
        self.repos = None if offline or not os.environ.get("GITHUB_TOKEN") else repo_lookup()


def cli_settings(settings: Settings) -> Settings:
    """The service keeps its data in BOT_DATA_DIR (./.bot); `check` runs anywhere, in any project,
    so without BOT_DATA_DIR its arXiv cache lives in the user's cache directory, never in the cwd."""
    if os.environ.get("BOT_DATA_DIR"):
        return settings
    import platformdirs

    return dataclasses.replace(settings, data_dir=Path(platformdirs.user_cache_dir("awesome-review")))


def arxiv_lookup(cfg: config_mod.Config, stderr: TextIO):
    """Batched, cached arXiv lookups; an outage only yields 'not verified' notices. None: turned off."""
    if cfg["arxiv"]["enabled"] is False:
        return None

    def source():
        from ..adapters.arxiv_cache import make_arxiv

        return make_arxiv(cfg["arxiv"], cli_settings(Settings.from_env()))

    return _remembering(source, ArxivLookup(), stderr, "arXiv")


def records_lookup(cfg: config_mod.Config, stderr: TextIO):
    """Publication records (Semantic Scholar, OpenReview), batched and cached. None: both off."""
    if cfg["semantic_scholar"]["enabled"] is False and cfg["openreview"]["enabled"] is False:
        return None

    def source():
        from ..adapters.records import make_records

        return make_records(cfg.data, cli_settings(Settings.from_env()))

    return _remembering(source, RecordLookup(), stderr, "records")


def _remembering(source, known: Lookup, stderr: TextIO, what: str):
    """A lookup that asks each id once per run: `--fix` judges again after each pass."""
    client = functools.cache(source)

    def lookup(ids: list[str]):
        asked = [i for i in ids if not known.knows(i)]
        if asked:
            known.merge(client().lookup(asked, progress=progress.bar(stderr, what, "id")))
        return known

    return lookup


def repo_lookup() -> pipeline.RepoLookup:
    """Code repositories through the GitHub API with GITHUB_TOKEN (and GITHUB_API_URL); without a
    token `check` skips them silently: anonymous calls run out after 60 an hour."""

    @functools.cache
    def github():  # one adapter, so `--fix` passes share what GitHub said
        from ..adapters.github import GitHubAdapter
        from ..settings import Settings

        env = Settings.from_env()
        token_only = Settings(github_token=env.github_token, github_api_url=env.github_api_url)
        return GitHubAdapter(token_only, dry_run=True)

    return lambda names: github().repo_status(names)
