"""The last reviews, for the status page: what the bot did, without reading GitHub.

The job records one small summary per finished review into the queue's key/value store, one key per
review (``review:<time>:<delivery>``): each key has one writer, so two workers finishing at once
never overwrite each other's entry, as they would appending to one shared list. An index of the keys
by time (bot.service.store) lets the status page read the newest without reading the store. The list
is capped at :data:`KEEP` entries by the queue's periodic recovery, oldest dropped first. Works the same on
SQLite and Redis (Huey's storage), which the process's composition root (bot.service.connections)
passes in: this module opens nothing itself.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

log = logging.getLogger(__name__)

PREFIX = "review:"
INDEX = "reviews"
KEEP = 200  # stored; the page shows the newest 50


def summarize(
    job: Any, plan: Any, result: Any, now: float | None = None, private: bool = True
) -> dict[str, Any]:
    """The row the status page shows: repo, PR, head, verdict, findings by severity, time, dry run,
    and whether the repository is private (the page shows those only to who has the STATUS_TOKEN)."""
    return {
        "repo": job.repo,
        "number": job.number,
        "head_sha": plan.head_sha,
        "delivery": job.delivery_id,
        "action": job.action,
        "conclusion": plan.conclusion,  # success | neutral | failure
        "verdict": plan.check_title,
        "counts": {
            s: plan.counts.get(s, 0) for s in ("error", "warning", "notice")
        },  # all, not the annotated
        "dry_run": bool(result.dry_run),
        "private": bool(private),
        "time": time.time() if now is None else now,
    }


def record_review(storage: Any, job: Any, plan: Any, result: Any, private: bool = True) -> None:
    """Store the review's summary; never raises: the review is posted, the page is a nicety."""
    try:
        entry = summarize(job, plan, result, now=storage.now(), private=private)  # the store's clock
        key = f"{PREFIX}{entry['time']:017.6f}:{entry['delivery']}"  # sorts by time as text
        storage.put_data(key, json.dumps(entry, separators=(",", ":")).encode())
        storage.index_add(INDEX, key, entry["time"])
    except Exception:
        log.warning("could not record the review for the status page", exc_info=True)


def recent(storage: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The newest ``limit`` summaries, newest first."""
    rows: list[dict[str, Any]] = []
    for key, _time in storage.index_range(INDEX, limit, newest=True):
        raw = storage.peek_data(key)
        try:
            entry = json.loads(bytes(raw))
        except (ValueError, TypeError):
            continue
        if isinstance(entry, dict):
            rows.append(entry)
    return rows


def prune(storage: Any, keys: list[str]) -> None:
    """Drop all but the newest KEEP summaries. The queue's periodic recovery calls it with the keys
    it has just read, so no job has to scan the whole store after posting."""
    ours = sorted(k for k in keys if k.startswith(PREFIX))
    for old in ours[: max(0, len(ours) - KEEP)]:
        storage.pop_data(old)
        storage.index_remove(INDEX, old)
