"""The composition root: the one place a process builds what it talks to, and hands it on.

``serve`` and ``worker`` (bot.service.serve) and gunicorn's app (bot.service.wsgi) each build one
:class:`Connections` at start. Each part is built on first use and then kept for the life of the
process: the queue and its store (which the status page's history shares, rather than opening a
store of its own), the arXiv client with its politeness gate and metadata cache, the GitHub App's
installation tokens, what GitHub said about code repositories, and the Semantic Scholar client
with its own gate and records cache. A receiver only ever touches the queue, so it never loads PyGithub.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from bot.service import history, issue_job, job
from bot.service.events import ReviewJob
from bot.service.outcome import JobOutcome
from bot.service.queue import ReviewQueue, Tuning, make_huey
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.adapters.arxiv_cache import CachedArxiv
    from bot.adapters.github import ClientOptions, GitHubAdapter, InstallationTokens, RepoStatusCache
    from bot.adapters.records import RecordSources
    from bot.core.verdict.applied import ApplyResult
    from bot.core.verdict.plan import ReviewPlan

T = TypeVar("T")


class Connections:
    """The process's queue, arXiv client and GitHub credentials; :meth:`review` runs one job with them."""

    def __init__(
        self,
        settings: Settings,
        *,
        name: str = "awesome-review",
        tuning: Tuning | None = None,
        github_options: ClientOptions | None = None,
    ) -> None:
        self.settings = settings
        self._name = name
        self._tuning = tuning or Tuning()
        self._github_options = github_options
        self._built: dict[str, Any] = {}
        self._lock = threading.Lock()  # two worker threads starting their first job build it once

    def _once(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return self._built[name]

    @property
    def queue(self) -> ReviewQueue:
        return self._once(
            "queue",
            lambda: ReviewQueue(
                make_huey(self.settings, self._name), self.settings, self.review, self._tuning
            ),
        )

    @property
    def arxiv(self) -> CachedArxiv | None:
        """None: `arxiv.enabled: false` in the deployment's config.yml."""
        from bot.adapters.arxiv_cache import make_arxiv

        return self._once("arxiv", lambda: make_arxiv(job.load_config(self.settings)["arxiv"], self.settings))

    @property
    def records(self) -> RecordSources | None:
        """Publication records (Semantic Scholar, OpenReview); None: both turned off in config.yml."""
        from bot.adapters.records import make_records

        return self._once("records", lambda: make_records(job.load_config(self.settings).data, self.settings))

    @property
    def tokens(self) -> InstallationTokens | None:
        """One token cache per process and App: installation tokens live an hour, jobs a few seconds."""
        if not (self.settings.github_app_id and self.settings.github_app_private_key):
            return None
        from bot.adapters.github import InstallationTokens

        return self._once("tokens", lambda: InstallationTokens(self.settings, self._github_options))

    @property
    def repo_statuses(self) -> RepoStatusCache:
        """What GitHub said about code repositories, kept for every job (keyed by who asked)."""
        from bot.adapters.github import RepoStatusCache

        return self._once("repo_statuses", RepoStatusCache)

    def github(self, installation_id: int | None, fence: Callable[[], None] | None = None) -> GitHubAdapter:
        """GitHub as the job's installation sees it, on the process's token and repository caches;
        ``fence`` runs before every write (the queue's lease check)."""
        import dataclasses

        from bot.adapters.github import ClientOptions, GitHubAdapter

        # A rate limit one worker meets is the installation's (or the token's): every worker waits.
        budget = "token" if installation_id is None else f"installation:{installation_id}"
        options = dataclasses.replace(
            self._github_options or ClientOptions(),
            on_rate_limit=lambda seconds: self.queue.pause_github(budget, seconds),
            before_write=fence,
        )
        return GitHubAdapter(
            self.settings,
            installation_id,
            options=options,
            tokens=self.tokens,
            repo_statuses=self.repo_statuses,
        )

    def record_review(
        self, job: ReviewJob, plan: ReviewPlan, result: ApplyResult, private: bool = True
    ) -> None:
        history.record_review(self.queue.huey.storage, job, plan, result, private)

    def review(
        self,
        payload: dict[str, Any],
        settings: Settings | None = None,
        *,
        github: GitHubAdapter | None = None,
    ) -> JobOutcome:
        """The queue's runner: one review job with this process's connections (``github`` replaces
        the installation's adapter, for tests that inject faults or clocks). Every write to GitHub is
        fenced by the lease the queue holds for the job's pull request or issue."""
        parsed = ReviewJob.from_dict(payload)
        runner = issue_job.run if parsed.kind == "issue" else job.run
        fence = lambda: self.queue.fence(parsed.repo, parsed.number)  # noqa: E731
        return runner(
            payload,
            self.settings,
            github=github or self.github(parsed.installation_id, fence),
            arxiv=self.arxiv,
            records=self.records,
            record=self.record_review,
        )
