"""`review`: the service's review job, run once in this process, for a GitHub Actions event file
(`pull_request`, `pull_request_target`, `issue_comment` /recheck and /add, `issues`) or for OWNER/REPO#N
from a terminal.

Nothing here reads, judges, plans or applies: the event goes through the receiver's triage
(bot.service.events) and the job (bot.service.job.run). This is the process's composition root: it
builds the job's GitHub adapter, arXiv and Semantic Scholar clients from the runner's environment
(GITHUB_TOKEN, GITHUB_API_URL, ARXIV_API_URL, SEMANTIC_SCHOLAR_API_URL/_KEY), the way bot.service.connections does for the service. The list file
is read through the API, as data, so a workflow on `pull_request_target` never checks out or runs a
fork's content.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, TextIO

OK, ERRORS, USAGE, UNREACHABLE = 0, 1, 2, 3
_TARGET = re.compile(r"\A(?P<repo>[^#\s]+)#(?P<number>[0-9]{1,10})")  # anchored: used with fullmatch


class UsageError(Exception):
    """Exit 2 with this message."""


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    from .. import configfile
    from ..adapters.github import GitHubError, GitHubUnavailable
    from ..core.config.config import ConfigError
    from ..errors import RetryLater
    from ..settings import Settings
    from .errors import BadPayload

    # Retry chatter is for the service's logs; here the outcome is one line (and the exit code).
    logging.basicConfig(level=logging.ERROR, stream=stderr, format="%(levelname)s %(name)s: %(message)s")
    env = os.environ
    try:
        job = _job_from_target(args.target) if args.target else _job_from_event(args.event, env)
        if isinstance(job, str):  # an event the service would not review either
            stdout.write(f"awesome-review: nothing to review: {job}\n")
            return OK
        settings = Settings.from_env(env)
        if args.event and env.get("GITHUB_ACTIONS") == "true" and not settings.config_path:
            # The workspace may hold the pull request's checkout: a config.yml there must not set the
            # rules it is judged by (they come from .github/awesome-review.yml on the default branch).
            settings = dataclasses.replace(settings, config_path=configfile.EMBEDDED)
        if not (args.dry_run or settings.github_token):
            raise UsageError(
                "GITHUB_TOKEN is not set: the review cannot be posted (`--dry-run` prints it instead)"
            )
    except (UsageError, BadPayload) as exc:
        stderr.write(f"error: {exc}\n")
        return USAGE
    if settings.redis_url:  # the arXiv gate and cache would live there: say at once if they cannot
        from ..adapters.redis_url import RedisUrlError, check

        try:
            check(settings.redis_url)
        except RedisUrlError as exc:
            stderr.write(f"error: {exc}\n")
            return USAGE if exc.usage else UNREACHABLE

    with tempfile.TemporaryDirectory(prefix="awesome-review-") as scratch:
        if not env.get("BOT_DATA_DIR"):  # the arXiv cache of this run only
            settings = dataclasses.replace(settings, data_dir=Path(scratch))
        login = getattr(args, "login", None) or env.get("AWESOME_REVIEW_LOGIN")
        gh = _Recorder(_adapter(settings, dry_run=args.dry_run, login=login))
        try:
            outcome = _run_job(job, settings, gh)
        except ConfigError as exc:
            stderr.write(f"error: {exc}\n")
            return USAGE
        except GitHubError as exc:  # 401, 403, 404, 422: a token, a permission or a name to fix
            stderr.write(f"error: {exc}\n")
            return USAGE
        except GitHubUnavailable as exc:
            stderr.write(f"error: GitHub could not be reached: {exc}\n")
            return UNREACHABLE
        except RetryLater:  # after posting: arXiv or Semantic Scholar did not answer for some entries
            _report(gh, args.dry_run, stdout)
            stderr.write(
                "error: arXiv or Semantic Scholar could not be reached for some entries; they are marked "
                "not verified: run the workflow again later, or comment /recheck\n"
            )
            return UNREACHABLE
    said = _issue_line(outcome)
    if said:
        stdout.write(said)
    if gh.plan is None:
        if not said:
            stdout.write(f"awesome-review: nothing posted: {_skipped(outcome)}\n")
        return OK
    _report(gh, args.dry_run, stdout)
    return ERRORS if gh.plan.conclusion == "failure" else OK


def _run_job(job: dict[str, Any], settings, gh) -> Any:
    """The service's job with this process's connections; no status-page history (no service)."""
    from ..adapters.arxiv_cache import make_arxiv
    from ..adapters.records import make_records
    from . import issue_job
    from . import job as review_job

    cfg = review_job.load_config(settings)
    arxiv = make_arxiv(cfg["arxiv"], settings)
    records = make_records(cfg.data, settings)
    if job.get("kind") == "issue":
        out = issue_job.run(job, settings, github=gh, arxiv=arxiv, records=records)
        if isinstance(out, issue_job.Added) and out.opened and out.pull is not None:
            # A pull request opened with a workflow's token starts no workflow: review it in this run.
            pr = _job(job["repo"], out.pull, f"{job['delivery_id']}-pr")
            review_job.run(pr, settings, github=gh, arxiv=arxiv, records=records)
        return out
    return review_job.run(job, settings, github=gh, arxiv=arxiv, records=records)


def _issue_line(outcome: Any) -> str:
    """What an issue job did, in one line (a pull request it opened is reported as a review too)."""
    from .issue_job import Added, Answered

    if isinstance(outcome, Answered):
        what = "no paper link" if not outcome.plan.body else f"comment {outcome.result.comment}"
        return f"awesome-review: issue answered: {what}\n"
    if isinstance(outcome, Added):
        return f"awesome-review: /add: {outcome.reply}\n"
    return ""


def _adapter(settings, *, dry_run: bool, login: str | None) -> Any:
    """The runner's token: a check run when it may write checks, else a commit status. An
    installation token (a workflow's GITHUB_TOKEN, or an App's from actions/create-github-app-token)
    may not ask GitHub who it is: the adapter then knows its own comments by marker, Bot author and
    the App that performed them, unless `login` (--login, the Action's `login` input) says who."""
    from ..adapters.github import GitHubAdapter

    return GitHubAdapter(settings, None, dry_run=dry_run or None, login=login or None, check_runs=True)


def _job_from_target(target: str) -> dict[str, Any]:
    from ..core.repo_name import valid_full_name

    m = _TARGET.fullmatch(target)
    if not m or not valid_full_name(m["repo"]):
        raise UsageError(f"{target!r}: expected OWNER/REPO#NUMBER, e.g. octo/awesome-list#12")
    # Like /recheck: the pull request's current head, drafts included.
    return _job(m["repo"], int(m["number"]), "cli")


def _job(repo: str, number: int, delivery: str) -> dict[str, Any]:
    return {
        "delivery_id": delivery,
        "repo": repo,
        "number": number,
        "head_sha": "",
        "base_ref": "",
        "installation_id": None,
        "action": "recheck",
        "draft": False,
    }


def _job_from_event(path: str | None, env) -> dict[str, Any] | str:
    """The job the service would queue for this event, or why it would queue none."""
    from .events import Ignore, Ping, classify

    path = path or env.get("GITHUB_EVENT_PATH")
    if not path:
        raise UsageError(
            "no event: pass --event PATH (GitHub Actions sets GITHUB_EVENT_PATH) or OWNER/REPO#N"
        )
    try:
        payload = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise UsageError(f"{path}: no such event file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the event file ({exc.strerror})") from None
    except ValueError as exc:
        raise UsageError(f"{path}: not JSON ({exc})") from None
    name = env.get("GITHUB_EVENT_NAME") or _event_name(payload)
    if name == "pull_request_target":  # the base repository's workflow, with the same payload
        name = "pull_request"
    run_id = env.get("GITHUB_RUN_ID", "")
    delivery = f"actions-{run_id}-{env.get('GITHUB_RUN_ATTEMPT', '1')}" if run_id.isdigit() else "cli"
    # Drafts: the job decides, with the repository's own config.
    outcome = classify(name, {"X-GitHub-Delivery": delivery}, payload, review_drafts=True)
    if isinstance(outcome, Ignore | Ping):
        return getattr(outcome, "reason", "a ping")
    repo = env.get("GITHUB_REPOSITORY")
    if repo and repo.lower() != outcome.repo.lower():
        raise UsageError(f"{path}: the event is about {outcome.repo}, but GITHUB_REPOSITORY is {repo}")
    return outcome.to_dict()


def _event_name(payload: Any) -> str:
    if isinstance(payload, dict) and "comment" in payload and "issue" in payload:
        return "issue_comment"
    if isinstance(payload, dict) and "issue" in payload:
        return "issues"
    if isinstance(payload, dict) and "pull_request" in payload:
        return "pull_request"
    raise UsageError("cannot tell which event this is: set GITHUB_EVENT_NAME")


def _skipped(outcome: Any) -> str:
    reason = getattr(outcome, "reason", None)
    return str(getattr(reason, "value", reason or "nothing to review"))


class _Recorder:
    """The adapter, remembering the plan the job asked it to apply: the job raises after applying
    when arXiv left entries unverified, and this command still says what it posted."""

    def __init__(self, gh: Any) -> None:
        self._gh = gh
        self.plan: Any = None
        self.result: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._gh, name)

    def apply(self, repo: str, number: int, plan: Any, **kw: Any) -> Any:
        self.plan = plan
        self.result = self._gh.apply(repo, number, plan, **kw)
        return self.result


def _report(gh: _Recorder, dry_run: bool, out: TextIO) -> None:
    if gh.plan is None:
        return
    if dry_run:
        from ..core.verdict.plan import as_markdown

        out.write(
            as_markdown(gh.plan, f"Dry run: the review at `{gh.plan.head_sha[:7]}` (nothing was posted)")
        )
        return
    r, p = gh.result, gh.plan
    check = {"status": "commit status set", "status-unchanged": "commit status unchanged"}.get(
        r.check, f"check run {r.check}"
    )
    labels = (
        ", ".join([*(f"+{x}" for x in r.labels_added), *(f"-{x}" for x in r.labels_removed)]) or "unchanged"
    )
    out.write(
        f"awesome-review: {p.check_title} ({p.conclusion}) at {p.head_sha[:7]}\n"
        f"  review {r.review} ({p.event or 'none needed'}, {len(p.comments)} inline comments); "
        f"summary {r.summary}; labels {labels}; {check}\n"
    )
