"""The order a list keeps (newest or oldest first) and whether it lists a paper in two sections on
purpose, learnt from its entries' arXiv ids and dates."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ..arxiv_id import ArxivRef, id_month, parse_ref
from ..read.document import Parsed
from ..read.slots import Line
from ..read.tags import read_any

ORDERED = 0.8  # share of neighbours in order for a list to be ordered (mistakes accumulate)


def arxiv_id(lines: list[Line], ref: Callable[[str], ArxivRef | None] = parse_ref) -> str | None:
    """The first valid arXiv id in an entry's links (`ref`: a URL's reference, the file's memo)."""
    for ln in lines:
        for k in ln.links:
            if (r := ref(k.url)) and r.valid:
                return r.id
    return None


def _date(lines: list[Line], aid: str | None) -> tuple[int, int] | None:
    if aid and (m := id_month(aid)):
        return m
    for ln in lines:
        for s in ln.slots:
            if s.role in ("tag", "date") and (got := read_any(s.value)) and got[0].year:
                return got[0].year, got[0].month or 0
    return None


def list_order(parsed: Parsed, papers: list[int], ids: dict[int, str | None]) -> tuple[str, tuple[int, int]]:
    st = parsed.structure
    newer_above = older_above = 0
    prev: dict[int, tuple[int, int]] = {}
    for i in papers:
        h = st.blocks[i].heading
        d = _date(parsed.fields[i], ids[i])
        if d is None:
            continue
        p = prev.get(h)
        if p is not None:
            a, b = (p[0], p[1]), d
            if a[0] != b[0] or (a[1] and b[1] and a[1] != b[1]):
                if a > b:
                    newer_above += 1
                else:
                    older_above += 1
        prev[h] = d
    n = newer_above + older_above
    if n < 3:  # too few neighbours to tell: the seed list's order, unless they say otherwise
        return ("oldest-first" if older_above > newer_above else "newest-first"), (newer_above, older_above)
    if newer_above >= ORDERED * n:
        return "newest-first", (newer_above, older_above)
    if older_above >= ORDERED * n:
        return "oldest-first", (newer_above, older_above)
    return "none", (newer_above, older_above)


def cross_listing(parsed: Parsed, papers: list[int], ids: dict[int, str | None]) -> tuple[str, int]:
    st = parsed.structure
    where: dict[str, set[int]] = defaultdict(set)
    for i in papers:
        if ids[i]:
            where[ids[i]].add(st.blocks[i].heading)
    cross = sum(len(v) > 1 for v in where.values())
    # Lists whose maintainers remove a paper found in a second section (the corpus history shows it)
    # have a few by mistake; one that cross-lists on purpose has more than one in a hundred.
    if cross >= 3 and cross >= 0.01 * max(1, len(where)):
        return "section", cross
    return "file", cross
