"""Progress bars for `check` on a terminal: ids verified against a source, lines read, entries judged.

A bar goes to stderr only when stderr is a terminal (never in a pipe, a file or CI logs), shows how
many are done and the time left, and is cleared when its work ends. A bar for local work appears
only once that work has taken `delay` seconds, so a small list shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TextIO

Progress = Callable[[int, int], None]  # (done, total)


def bar(stream: TextIO, what: str, unit: str, *, delay: float = 0.0) -> Progress | None:
    """A callback that draws `what`'s progress on `stream`; None when `stream` is no terminal."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    from tqdm import tqdm

    shown: list[Any] = []

    def show(done: int, total: int) -> None:
        if not shown or shown[-1].disable or (done < shown[-1].n):  # a new run of work: a new bar
            if shown:
                shown[-1].close()
            shown.append(tqdm(total=total, desc=what, unit=unit, file=stream, leave=False, delay=delay))
        current = shown[-1]
        current.total = total
        current.update(done - current.n)
        if done >= total:
            current.close()

    return show
