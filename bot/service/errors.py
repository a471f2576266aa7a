"""Errors shared by the webhook receiver, the queue and the review job."""

from __future__ import annotations


class BadPayload(ValueError):
    """A webhook body that does not have the shape GitHub documents: the receiver answers 400."""

    def __init__(self, field: str, problem: str = "missing or of the wrong type") -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class QueueUnavailable(RuntimeError):
    """The queue store could not record a delivery: the receiver answers 503, never 2xx."""


class RetryLater(Exception):
    """Raised by the review job when an outside service failed transiently (GitHub 5xx, rate limit,
    arXiv down): the queue runs the job again later with backoff instead of judging the contributor.

    ``delay`` (seconds), when known (``Retry-After``, ``x-ratelimit-reset``), overrides the backoff.
    """

    def __init__(self, reason: str = "", delay: float | None = None) -> None:
        self.reason = reason
        self.delay = delay
        super().__init__(reason or "retry later")
