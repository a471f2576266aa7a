"""The review job: one pull request at one head SHA, read → pipeline → plan → reconcile → apply.

Idempotent (the adapter writes at most one review, summary, check per head SHA), so the queue may
run it again after a crash. Entries arXiv could not verify get a notice now and a retry later,
which edits the summary in place once arXiv answers. The connections it talks through (GitHub,
arXiv, the status page's history) come from the process's composition root, bot.service.connections.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from .. import configfile
from ..core.budget import UNLIMITED, Budget
from ..core.config import config as config_mod
from ..core.diff import added_between, patch_added_lines, patch_removed_lines
from ..core.lines import split_lines
from ..core.read import document, suppress
from ..core.verdict import pipeline
from ..core.verdict.markdown import code
from ..core.verdict.review import FileReview, plan_review
from ..errors import RetryLater
from ..settings import Settings
from . import repo_limits
from .events import ReviewJob
from .outcome import JobOutcome, Reviewed, Skip, Skipped

if TYPE_CHECKING:
    from ..adapters.arxiv_cache import CachedArxiv
    from ..adapters.github import GitHubAdapter
    from ..adapters.records import RecordSources
    from ..core.verdict.applied import ApplyResult
    from ..core.verdict.plan import ReviewPlan

Recorder = Callable[[ReviewJob, "ReviewPlan", "ApplyResult", bool], None]  # the status page's history

log = logging.getLogger(__name__)

UNVERIFIED_RETRY_SECONDS = 300.0
JOB_BUDGET_SECONDS = 300.0  # whatever a repository holds; arXiv's own budget is 60 s per batch
REPO_CONFIG = ".github/awesome-review.yml"  # a repository's own overrides, read from its default branch


def load_config(settings: Settings) -> config_mod.Config:
    return configfile.resolve(settings.config_path)


def run(
    job: dict[str, Any],
    settings: Settings,
    *,
    github: GitHubAdapter,
    arxiv: CachedArxiv | None,
    records: RecordSources | None = None,
    record: Recorder | None = None,
) -> JobOutcome:
    """Review the job's PR through ``github`` (the job's installation), ``arxiv`` and ``records``
    (Semantic Scholar and OpenReview; either None: turned off in config.yml); ``record`` keeps what was posted for the
    status page. Raises RetryLater on outages."""
    j = ReviewJob.from_dict(job)
    gh = github
    deadline = time.monotonic() + JOB_BUDGET_SECONDS  # a shared worker is never tied up for long
    budget = Budget(
        lambda: time.monotonic() > deadline, f"the job's time budget of {JOB_BUDGET_SECONDS:.0f}s"
    )
    recheck = j.action == "recheck"
    if recheck and j.requested_by:  # a /recheck comment: its author association, MEMBER included,
        if not gh.can_write(j.repo, j.requested_by):  # need not mean write access: ask GitHub
            log.info(
                "%s#%s: /recheck from %s, who cannot push to the repository", j.repo, j.number, j.requested_by
            )
            return Skipped(Skip.NOT_ALLOWED)
        gh.react(j.repo, j.comment_id, "eyes")  # taken: the maintainer sees it at once
    lookup = _asker(arxiv, again=recheck)
    records_lookup = _asker(records, again=recheck)
    # The queue runs one job per PR at a time, so what GitHub says now is what this job reviews:
    # the head of the delivery is only a hint (deliveries come in any order, redeliveries too).
    pull = gh.read_pull(j.repo, j.number)
    reviewed = f"{pull.head_sha}:{pull.base_sha}"
    if j.action != "recheck" and job.get("reviewed") == reviewed:
        older = bool(j.head_sha) and j.head_sha != pull.head_sha
        log.info("%s#%s@%s: reviewed already", j.repo, j.number, pull.head_sha[:7])
        return Skipped(Skip.SUPERSEDED if older else Skip.REVIEWED_ALREADY)
    if j.head_sha and pull.head_sha != j.head_sha:
        log.info(
            "%s#%s: delivered for %s, reviewing the current head %s",
            j.repo,
            j.number,
            j.head_sha[:7],
            pull.head_sha[:7],
        )
    cfg, config_error = repo_config(gh, j.repo, pull.default_branch, load_config(settings))
    if pull.draft and not cfg["review"]["review_drafts"] and j.action != "recheck":
        log.info("%s#%s: draft, and review_drafts is off for this repository", j.repo, j.number)
        return Skipped(Skip.DRAFT)
    listed = _list_files(cfg["files"])
    wanted = [
        f
        for f in pull.files
        if _is_list_file(f.filename, listed) or _is_list_file(f.previous_filename or "", listed)
    ]
    if not wanted:
        log.info("%s#%s: no list file changed", j.repo, j.number)
        return Skipped(Skip.NO_LIST_FILE)

    reviews: list[FileReview] = []
    unverified = False
    today = dt.date.today()
    for f in wanted:
        budget.expire(f"before {f.filename}")
        if f.status == "removed" or not _is_list_file(f.filename, listed):
            reviews.append(
                FileReview(
                    f.previous_filename or f.filename,
                    [],
                    note="this pull request removes or renames the list file; a maintainer should look at it.",
                )
            )
            continue
        data = gh.get_bytes(j.repo, f.filename, pull.head_sha)
        if data is None:
            continue
        # The format and the calibration come from the base branch's version of the file, never from
        # the PR's head: a pull request must not be able to change the rules it is judged by.
        base = gh.get_text(j.repo, f.previous_filename or f.filename, pull.base_sha)
        if f.patch is not None:
            added = patch_added_lines(f.patch)
        else:  # GitHub omits the patch of large diffs: diff base and head ourselves
            added = added_between(base or "", data.decode("utf-8", errors="replace"))
        if base is None:  # a new list file: what it held before the change is nothing
            base = pipeline.without(data.decode("utf-8", errors="replace"), added)
        resolved = FORMATS.resolve(cfg, base, budget.of(f"{f.filename} (base)"))
        # Inline suppressions count only where they stand in the base branch: a pull request cannot
        # silence a rule on its own lines, nor stretch a maintainer's block by deleting its end.
        intact = True
        if suppress.PREFIX.encode() in data:
            if f.patch is not None:
                intact = suppress.none_removed(patch_removed_lines(f.patch))
            else:
                intact = suppress.all_kept(split_lines(base), split_lines(data.decode("utf-8", "replace")))
        found = pipeline.review_file(
            data,
            f.filename,
            resolved,
            added,
            lookup=lookup,
            repo_lookup=gh.repo_status,
            records_lookup=records_lookup,
            today=today,
            trust=suppress.Trust(added, intact),
            budget=budget.of(f.filename),
        )
        unverified = unverified or found.incomplete
        reviews.append(
            FileReview(
                f.filename,
                found.items,
                found.findings,
                grammar=found.doc.grammar,
                added=added,
                withheld=found.doc.config.calibration.withheld,
            )
        )

    notes = []
    if config_error:
        notes.append(
            f"{code(REPO_CONFIG)} was not used, so this review follows the bot's own config: {code(config_error)}"
        )
    if recheck and j.requested_by:  # a /recheck comment; `review OWNER/REPO#N` is no request to say so
        notes.append(
            f"Checked again at the request of @{j.requested_by}: arXiv and "
            "Semantic Scholar were asked anew for every id they had not confirmed."
        )
    plan = plan_review(pull.head_sha, reviews, cfg, tuple(notes))
    budget.expire("before posting")
    result = gh.apply(j.repo, j.number, plan, pull=pull)
    log.info(
        "%s#%s@%s: review %s, summary %s, check %s, labels +%s -%s%s",
        j.repo, j.number, pull.head_sha[:7], result.review, result.summary, result.check,
        result.labels_added, result.labels_removed, " (dry run)" if result.dry_run else "",
    )  # fmt: skip

    if record is not None and not result.stale:
        record(j, plan, result, pull.private)  # the status page: never fails the job
    if recheck:
        gh.react(j.repo, j.comment_id, "+1")  # done, even when nothing had to change
    if unverified and not result.stale:
        raise RetryLater(
            "some entries could not be verified (arXiv or Semantic Scholar)", delay=UNVERIFIED_RETRY_SECONDS
        )
    return Reviewed(plan, result, None if result.stale else reviewed)


def _asker(source: Any, *, again: bool) -> Callable[[list[str]], Any] | None:
    """The source's lookup for this review (None: the source is turned off): at most its
    ``max_ids_per_review`` ids asked, the rest not verified; on /recheck, ids it said it does not
    know are asked again."""
    return None if source is None else source.for_review(again=again)


class Formats:
    """Formats learnt from base versions of list files, and their calibrations, by the file's git blob
    SHA and the config they fill in: a busy list's base rarely changes between pushes, so it is read
    and judged once per process."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[str, str], config_mod.Config] = OrderedDict()
        self.learnt = 0  # bases read and judged (the others came from the cache)

    def resolve(self, cfg: config_mod.Config, base: str, budget: Budget = UNLIMITED) -> config_mod.Config:
        if cfg.calibration is not None:
            return cfg
        data = base.encode("utf-8")
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # git's own id of the file
        key = (blob, repr(cfg.data) + repr(cfg.options) + repr(sorted(cfg.forced)))
        if key in self._seen:
            self._seen.move_to_end(key)
            return self._seen[key]
        resolved = self._seen[key] = pipeline.calibrated(cfg, document.parse(base, budget), budget)
        self.learnt += 1
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return resolved


FORMATS = Formats()


def repo_config(
    gh: Any, repo: str, default_branch: str, base: config_mod.Config
) -> tuple[config_mod.Config, str | None]:
    """The deployment's config with the repository's own file merged over it, and the error when that
    file is invalid (the deployment's config is used then). Read from the default branch, never from
    the PR's head: a pull request must not be able to relax the rules it is reviewed by."""
    text = gh.get_text(repo, REPO_CONFIG, default_branch or gh.default_branch(repo))
    if text is None:
        return base, None
    try:
        repo_limits.check(text, REPO_CONFIG)
        return config_mod.overlay(base, text, REPO_CONFIG), None
    except config_mod.ConfigError as exc:
        log.warning("%s: %s; using the deployment's config", repo, exc)
        return base, str(exc)


def _list_files(files: list[str]) -> frozenset[PurePosixPath]:
    """The configured list files as a set: a PR's files are matched in linear time (20,000 names
    compared with each of 3,000 files took 233 s)."""
    return frozenset(PurePosixPath(f) for f in files)


def _is_list_file(name: str, listed: frozenset[PurePosixPath]) -> bool:
    return bool(name) and PurePosixPath(name) in listed
