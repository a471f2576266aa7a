"""Synthetic paper lists for the order rule's scale tests and bench/order_speed.py."""

from __future__ import annotations

import random

HEAD = ["# L", "", "## Related Works"]


def entries(keys: list[tuple[int, int]], start: int = 0) -> list[str]:
    """One preprint entry per (year, month), numbered from ``start``."""
    return [
        f"- (*Arxiv {y}.{m:02d}*) Paper {i} [[paper](https://arxiv.org/abs/{y % 100:02d}{m:02d}.{i:05d})]"
        for i, (y, m) in enumerate(keys, start)
    ]


def newest_first(n: int, seed: int = 1) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    return sorted(((rng.randint(2018, 2025), rng.randint(1, 12)) for _ in range(n)), reverse=True)


def interleaved(n: int) -> str:
    """A newest-first list in which every other entry is an old paper: half the entries are out of
    order, and each belongs far down the list (the worst case for a scan of every anchor)."""
    keys = [k if i % 2 else (2016, 1) for i, k in enumerate(newest_first(n))]
    return "\n".join([*HEAD, *entries(keys)]) + "\n"
