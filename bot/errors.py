"""The one error the adapters and the service share: an outside service failed for now."""

from __future__ import annotations


class RetryLater(Exception):
    """An outside service failed transiently (GitHub 5xx, rate limit, arXiv down): the queue runs the
    job again later with backoff instead of judging the contributor. The adapters raise it, the
    review job too (arXiv could not verify every id), and the queue catches it.

    ``delay`` (seconds), when known (``Retry-After``, ``x-ratelimit-reset``), overrides the backoff.
    """

    def __init__(self, reason: str = "", delay: float | None = None) -> None:
        self.reason = reason
        self.delay = delay
        super().__init__(reason or "retry later")
