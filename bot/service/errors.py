"""Errors of the service: a webhook body it cannot use, a queue store that is down (RetryLater, which the
adapters raise too, is in bot.errors)."""

from __future__ import annotations

from ..core import budget


class BadPayload(ValueError):
    """A webhook body that does not have the shape GitHub documents: the receiver answers 400."""

    def __init__(self, field: str, problem: str = "missing or of the wrong type") -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class QueueUnavailable(RuntimeError):
    """The queue store could not record a delivery: the receiver answers 503, never 2xx."""


# A review job ran past its time budget (bot.service.job.JOB_BUDGET_SECONDS), between files or inside
# one (the pipeline checks between items): it would again, so the queue gives up on it at once (the
# status page shows the delivery failed, with this reason).
OverBudget = budget.OverBudget


class LeaseLost(Exception):
    """The job's pull request lease went to another worker (this one was judged dead, or could not
    renew it in time): it stops before its next write, and the delivery waits its turn."""
