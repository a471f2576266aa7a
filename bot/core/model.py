"""Value types shared by the core and the adapters: findings, arXiv metadata, publication records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

SEVERITIES = ("error", "warning", "notice")
LEVELS = (*SEVERITIES, "off")
RANK = {"off": 0, "notice": 1, "warning": 2, "error": 3}
Progress = Callable[[int, int], None]  # (done, total): how far a long piece of work has come
PROGRESS_EVERY = 2048  # lines or entries between two reports


@dataclass(frozen=True)
class Edit:
    """Replace the first `old` in a line by `new`; edits of several rules compose on one line."""

    old: str
    new: str

    def apply(self, line: str) -> str:
        return line.replace(self.old, self.new, 1) if self.old and self.old in line else line


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    message: str
    suggestion: str | None = None
    edits: tuple[Edit, ...] = field(default=(), compare=False, repr=False)
    end_line: int = field(default=0, compare=False)  # the item's last line when it spans several
    # The fix deletes a line or is a guess (a title from arXiv): `check --fix` applies it only with
    # --unsafe-fixes, the distinction ruff makes.
    unsafe: bool = field(default=False, compare=False)
    # The source that could not be reached to check this entry ("arXiv", "Semantic Scholar"): a
    # notice now, a verdict once it answers; "" when nothing is pending.
    unverified: str = field(default="", compare=False)
    kind: str = field(
        default="", compare=False
    )  # the problem within the rule, as it declares it (its Kind's id)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "kind": self.kind or None,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "suggestion": self.suggestion,
            "fix": None if self.suggestion is None else "unsafe" if self.unsafe else "safe",
        }


@dataclass(frozen=True)
class Paper:
    """arXiv's metadata for one id (canonical, without version)."""

    id: str
    title: str
    authors: tuple[str, ...] = ()
    published: str = ""  # ISO 8601 date-time of v1
    updated: str = ""
    version: int = 1
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    # What a section is chosen by, beside the title (cut to MAX_ABSTRACT); not part of what the
    # paper is: two answers that differ only in it are the same metadata.
    abstract: str = field(default="", compare=False, repr=False)


MAX_ABSTRACT = 4000
P = TypeVar("P")


@dataclass
class Lookup(Generic[P]):
    """What a source said about a set of ids: found, confirmed absent, or not verified (and why)."""

    papers: dict[str, P] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    unverified: dict[str, str] = field(default_factory=dict)

    def merge(self, other: Lookup[P]) -> Lookup[P]:
        self.papers.update(other.papers)
        self.missing |= other.missing
        self.unverified.update(other.unverified)
        return self

    def knows(self, key: str) -> bool:
        """The source answered for this id (found or absent), or could not be asked this time."""
        return key in self.papers or key in self.missing or key in self.unverified


class ArxivLookup(Lookup[Paper]):
    """What arXiv said about a set of arXiv ids."""


@dataclass(frozen=True)
class Venue:
    """A record's `publicationVenue`: a venue the record is sure of, with its other names."""

    name: str
    type: str = ""  # "conference" | "journal" | ...
    alternate_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Record:
    """Semantic Scholar's record of one paper, asked by an id it documents (`ARXIV:`, `DOI:`, `ACL:`,
    `URL:`); only the fields the venue and title rules read."""

    title: str
    venue: str = ""  # free text: never trusted for a verdict
    publication_venue: Venue | None = None
    year: int | None = None
    publication_date: str = ""  # YYYY-MM-DD
    dblp: str = ""  # externalIds.DBLP, e.g. `conf/icml/Smith24`: venue and year to rely on
    arxiv: str = ""
    doi: str = ""
    acl: str = ""
    journal: str = ""  # journal.name


class RecordLookup(Lookup[Record]):
    """What Semantic Scholar said about a set of record ids."""
