"""Which section of a list a paper belongs in: its title (and abstract) compared with the titles each
paper section already holds. Each entry (its title and its section's heading) is a TF-IDF vector; a
section scores the mean cosine similarity of the paper to its ``NEAREST`` most similar entries (nearest
neighbours). On the corpus this names the maintainers' section more often than the cosine to each
section's centroid did (bench/section_choice.py: 56.0% against 50.5% first, 66.5% against 59.5%
named), and stemming (Snowball) made both worse (45.5%, 56.0%): plain words, no dependency. TF-IDF
over a few thousand titles is a few dozen lines; scikit-learn would bring numpy, scipy and joblib into
a bot that needs none of them, and rank-bm25 (numpy too) has had no release since 2022.

Only sections that hold entries are candidates: the bot never invents one. A list ordered by date
in its headings (`## 2024`, `### 2024-12`, `Top papers of the week (June 2 - June 8) - 2025`) is
matched on the paper's year and month first, the titles deciding among the sections that fit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..read.document import Document

CLOSE = 0.8  # a second section is named when it scores at least this share of the first
NEAREST = 3  # entries a section is judged by
_WORD = re.compile(r"[^\W_]+")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_YEAR_MONTH = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)[-./](0?[1-9]|1[0-2])(?!\d)")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
            ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
            ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ),
        1,
    )
    for m in names
}  # fmt: skip
STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "over",
        "the",
        "their",
        "this",
        "to",
        "towards",
        "toward",
        "via",
        "vs",
        "with",
        "without",
        "using",
        "use",
        "we",
        "our",
        "can",
        "do",
        "does",
        "how",
        "what",
        "when",
        "which",
        "why",
        "via",
        "new",
    ]
)


def words(text: str) -> list[str]:
    """Lower-case word tokens without stop words, numbers or single letters."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return [w for w in _WORD.findall(text) if len(w) > 1 and w not in STOP and not w.isdigit()]


@dataclass(frozen=True)
class Ranked:
    section: str
    score: float


@dataclass(frozen=True)
class Choice:
    """The section named first, and the runner-up when it scores close to it."""

    first: str
    second: str | None = None
    sure: bool = True  # False: no section's papers share a word with this one (a guess, said as one)

    @property
    def named(self) -> tuple[str, ...]:
        return (self.first,) if self.second is None else (self.first, self.second)


class SectionIndex:
    """TF-IDF vectors of a list's entries by paper section (section name → the titles it holds)."""

    def __init__(self, sections: dict[str, list[str]]) -> None:
        self.names = [s for s, texts in sections.items() if texts]
        self.sizes = {s: len(sections[s]) for s in self.names}
        self.heads = [frozenset(_WORD.findall(name.casefold())) for name in self.names]
        self.dates = [_dates(name) for name in self.names]
        bags = [
            (n, Counter(words(t) + words(name))) for n, name in enumerate(self.names) for t in sections[name]
        ]
        df = Counter(w for _, bag in bags for w in bag)
        self.idf = {w: math.log((1 + len(bags)) / (1 + d)) + 1.0 for w, d in df.items()}
        self.entries = [(n, self._vector(bag)) for n, bag in bags]

    def _vector(self, bag: Counter[str]) -> dict[str, float]:
        return _unit({w: (1 + math.log(c)) * self.idf[w] for w, c in bag.items() if w in self.idf})

    def rank(
        self, text: str, when: Iterable[tuple[int, int | None]] = (), venues: Iterable[str] = ()
    ) -> list[Ranked]:
        """Every section with its score, best first: cosine similarity of ``text``, plus 1 where the
        section's heading names the paper's year (and month, where it names one) given in ``when``,
        or the venue it appeared at (a list organised by venue)."""
        query = self._vector(Counter(words(text)))
        similar: list[list[float]] = [[] for _ in self.names]
        for n, vec in self.entries:
            similar[n].append(sum(v * vec.get(w, 0.0) for w, v in query.items()))
        dates = list(when)
        at = {v.casefold() for v in venues if v}
        out = []
        for name, sims, named, heads in zip(self.names, similar, self.dates, self.heads, strict=True):
            score = sum(sorted(sims, reverse=True)[:NEAREST]) / NEAREST
            if named and any(_fits(named, d) for d in dates):
                score += 1.0
            if at & heads:
                score += 1.0
            out.append(Ranked(name, score))
        out.sort(key=lambda r: -r.score)
        return out

    def choose(
        self, text: str, when: Iterable[tuple[int, int | None]] = (), venues: Iterable[str] = ()
    ) -> Choice | None:
        ranked = self.rank(text, when, venues)
        if not ranked:
            return None
        first = ranked[0]
        second = ranked[1] if len(ranked) > 1 else None
        close = second is not None and second.score > 0 and second.score >= CLOSE * first.score
        return Choice(first.section, second.section if close else None, first.score > 0)


def index(doc: Document, skip: Iterable[int] = ()) -> SectionIndex:
    """The index of a document's paper sections (items starting on a ``skip`` line left out)."""
    left_out = set(skip)
    sections: dict[str, list[str]] = {}
    for item in doc.items:
        if item.in_scope and item.entry and item.entry.title and item.line not in left_out:
            sections.setdefault(item.section, []).append(item.entry.title)
    return SectionIndex(sections)


def _dates(name: str) -> tuple[tuple[int, int | None], ...]:
    """The (year, month) a heading names; month None where it names a year alone."""
    found: list[tuple[int, int | None]] = [(int(m[1]), int(m[2])) for m in _YEAR_MONTH.finditer(name)]
    if found:
        return tuple(found)
    years = [int(y) for y in _YEAR.findall(name)]
    months = [_MONTHS[w] for w in _WORD.findall(name.casefold()) if w in _MONTHS]
    return tuple((y, m) for y in years for m in months) or tuple((y, None) for y in years)


def _fits(named: tuple[tuple[int, int | None], ...], when: tuple[int, int | None]) -> bool:
    year, month = when
    return any(y == year and (m is None or month is None or m == month) for y, m in named)


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {w: v / norm for w, v in vec.items()} if norm else {}
