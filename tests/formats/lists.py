"""What the format-class tests share: papers to write lists of, and the bot with no config."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.config import config as config_mod
from bot.core.read.document import Document, Item
from bot.core.verdict import judge, pipeline
from tests.conftest import TODAY
from tests.format.test_formats import IDS, TITLES  # the same eight papers as the format families

ZERO = config_mod.loads("")
Entry = Callable[[int, str, str], str]  # (index, title, arXiv id) -> the entry's text


def written(entry: Entry, sep: str = "\n") -> str:
    """The eight papers written with `entry`, one after the other."""
    return sep.join(entry(i, t, a) for i, (t, a) in enumerate(zip(TITLES, IDS, strict=True)))


def read(text: str) -> Document:
    """The list as `check` reads it with no config: its format learnt from itself."""
    return pipeline.prepare(text, ZERO)


def papers(doc: Document) -> list[Item]:
    """The items in the paper sections."""
    return [i for i in doc.items if i.in_scope]


def findings(text: str, added: set[int] | None = None) -> list:
    """`check` with no config; with `added`, those lines judged as a pull request adding them."""
    checked = frozenset(added) if added else None
    base = pipeline.without(text, checked) if checked else None
    doc = pipeline.prepare(text, ZERO, base=base)
    return judge.judge(doc, doc.config, "README.md", checked=checked, today=TODAY)


def errors(text: str, added: set[int] | None = None) -> list:
    return [f for f in findings(text, added) if f.severity == "error"]


def insert(text: str, at: str, new: str) -> tuple[str, set[int]]:
    """`new` (one or more lines) inserted before the first line holding `at`; the new line numbers."""
    rows = text.split("\n")
    n = next(k for k, r in enumerate(rows) if at in r)
    add = new.split("\n")
    return "\n".join([*rows[:n], *add, *rows[n:]]), set(range(n + 1, n + 1 + len(add)))
