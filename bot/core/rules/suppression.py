"""suppression: an inline suppression comment that silences nothing, names no rule, or is added by the
pull request it would silence. The judge reports it, since it applies the suppressions
(bot.core.read.suppress); no item has anything to say about it here."""

from __future__ import annotations

from collections.abc import Iterator

from ..options import Example
from ..read.document import Item
from ..read.suppress import ADDED, IDLE, UNKNOWN
from .base import Context, Hit, Rule, Severity

RULE = Rule(
    "suppression",
    Severity.WARNING,
    "An inline suppression (`<!-- awesome-review-disable-next-line RULE -->`, `disable`/`enable`) that "
    "suppresses nothing or names no rule, or that a pull request adds for its own lines (not honoured: "
    "only comments on the base branch count).",
    example=Example(
        "<!-- awesome-review-disable-next-line duplicate -->\n"
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    kinds=(ADDED, UNKNOWN, IDLE),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    return iter(())
