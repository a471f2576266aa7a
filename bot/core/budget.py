"""A time budget the pipeline checks between the items of a file (and every few thousand lines).

The core reads no clock: the edge that owns the budget (the review job) passes in `over`, a callable
that says whether the time is spent. A job used to check its budget only between files, so one
large or hostile file could hold a worker for as long as it took.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace


class OverBudget(Exception):
    """The budget ran out; the message says where the pipeline was."""


@dataclass(frozen=True)
class Budget:
    over: Callable[[], bool] = lambda: False
    what: str = "the time budget"  # how the message names it: "the job's time budget of 300s"
    file: str = ""  # the file being read, for the message

    def of(self, file: str) -> Budget:
        return replace(self, file=file)

    def check(self, line: int) -> None:
        """OverBudget, naming the line (and file) reached, once the time is spent."""
        if self.over():
            raise OverBudget(f"over {self.what} at line {line}" + (f" of {self.file}" if self.file else ""))

    def expire(self, where: str) -> None:
        """OverBudget, saying where ("before posting"), once the time is spent."""
        if self.over():
            raise OverBudget(f"over {self.what} {where}")


UNLIMITED = Budget()
EVERY = 4096  # lines between two looks while a file is split into blocks
