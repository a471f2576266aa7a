"""Value types shared by the core and the adapters: findings and arXiv metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "notice")
LEVELS = (*SEVERITIES, "off")
RANK = {"off": 0, "notice": 1, "warning": 2, "error": 3}


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
    # arXiv could not be reached to check this entry: a notice now, a verdict once it answers.
    unverified: bool = field(default=False, compare=False)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
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


@dataclass
class ArxivLookup:
    """What arXiv said about a set of ids: found, confirmed absent, or not verified (and why)."""

    papers: dict[str, Paper] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)
    unverified: dict[str, str] = field(default_factory=dict)

    def merge(self, other: ArxivLookup) -> ArxivLookup:
        self.papers.update(other.papers)
        self.missing |= other.missing
        self.unverified.update(other.unverified)
        return self
