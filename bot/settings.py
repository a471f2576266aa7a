"""Deployment settings from the environment: secrets and endpoints, never from a repository."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    webhook_secret: str | None = None
    status_token: str | None = None  # shows private repositories' reviews on the status page
    github_token: str | None = None
    github_app_id: str | None = None
    github_app_private_key: str | None = None
    github_api_url: str = "https://api.github.com"
    arxiv_api_url: str | None = None  # None: take config.yml's arxiv.api_url
    semantic_scholar_api_url: str | None = None  # None: config.yml's semantic_scholar.api_url
    semantic_scholar_api_key: str | None = None  # sent as x-api-key
    openreview_api_url: str | None = None  # None: config.yml's openreview.api_url
    redis_url: str | None = None
    config_path: str | None = None
    data_dir: Path = Path(".bot")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        key = env.get("GITHUB_APP_PRIVATE_KEY") or None
        key_path = env.get("GITHUB_APP_PRIVATE_KEY_PATH")
        if not key and key_path:
            key = Path(key_path).read_text(encoding="utf-8")
        if key and "\n" not in key:  # one line with \n escapes, as .env files and PaaS settings hold it
            key = key.replace("\\n", "\n")
        return cls(
            webhook_secret=env.get("GITHUB_WEBHOOK_SECRET") or None,
            status_token=env.get("STATUS_TOKEN") or None,
            github_token=env.get("GITHUB_TOKEN") or None,
            github_app_id=env.get("GITHUB_APP_ID") or None,
            github_app_private_key=key,
            github_api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
            arxiv_api_url=env.get("ARXIV_API_URL") or None,
            semantic_scholar_api_url=env.get("SEMANTIC_SCHOLAR_API_URL") or None,
            semantic_scholar_api_key=env.get("SEMANTIC_SCHOLAR_API_KEY") or None,
            openreview_api_url=env.get("OPENREVIEW_API_URL") or None,
            redis_url=env.get("REDIS_URL") or None,
            config_path=env.get("BOT_CONFIG") or None,
            data_dir=Path(env.get("BOT_DATA_DIR") or ".bot"),
        )

    @property
    def dry_run(self) -> bool:
        """No credentials: read public repositories anonymously and post nothing."""
        return not (self.github_token or (self.github_app_id and self.github_app_private_key))

    def __repr__(self) -> str:  # secrets never reach a log line through repr
        return (
            f"Settings(github_api_url={self.github_api_url!r}, redis={'yes' if self.redis_url else 'no'}, "
            f"data_dir={str(self.data_dir)!r}, dry_run={self.dry_run})"
        )
