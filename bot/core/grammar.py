"""The entry grammar a list uses, compiled once from config.yml's `grammar` section."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

_PLACEHOLDERS = {
    "{yyyy}": r"(?P<yyyy>\d{4})",
    "{yy}": r"(?P<yy>\d{2})",
    "{mm}": r"(?P<mm>\d{1,2})",
    "{venue}": r"(?P<venue>[^\W\d_][\w&.+/\- ]{0,60}?)",
}
_QUALIFIER = r"(?: (?P<qualifier>[\w&.+/\- ]{1,40}))?"


def _compile(template: str, qualifier: bool) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    body = "".join(_PLACEHOLDERS.get(p, re.escape(p)) for p in parts)
    return re.compile(body + (_QUALIFIER if qualifier else ""))


@dataclass(frozen=True)
class Tag:
    """A venue tag read by the grammar: a preprint (year and month) or a venue (name and year)."""

    kind: str  # "preprint" | "venue"
    year: int
    month: int | None = None
    venue: str = ""
    qualifier: str = ""


@dataclass(frozen=True)
class Grammar:
    preprint_tag: str
    venue_tag: str
    qualifier: bool
    paper_labels: tuple[str, ...]
    code_labels: tuple[str, ...]
    other_labels: tuple[str, ...]
    max_link_gap: int
    trailing_badges: bool

    @classmethod
    def from_config(cls, g: dict[str, Any]) -> Grammar:
        return cls(
            g["preprint_tag"],
            g["venue_tag"],
            bool(g["qualifier"]),
            tuple(x.casefold() for x in g["paper_labels"]),
            tuple(x.casefold() for x in g["code_labels"]),
            tuple(x.casefold() for x in g["other_labels"]),
            int(g["max_link_gap"]),
            bool(g["trailing_badges"]),
        )

    @cached_property
    def preprint_re(self) -> re.Pattern[str]:
        return _compile(self.preprint_tag, False)

    @cached_property
    def venue_re(self) -> re.Pattern[str]:
        return _compile(self.venue_tag, self.qualifier)

    @cached_property
    def preprint_re_nocase(self) -> re.Pattern[str]:
        return re.compile(self.preprint_re.pattern, re.IGNORECASE)

    @cached_property
    def _tags(self) -> dict[str, Tag | None]:
        return {}

    def read_tag(self, text: str) -> Tag | None:
        """The tag exactly as the grammar writes it, or None (memoised: a list has few distinct tags)."""
        try:
            return self._tags[text]
        except KeyError:
            tag = self._tags[text] = self._read_tag(text)
            return tag

    def _read_tag(self, text: str) -> Tag | None:
        if m := self.preprint_re.fullmatch(text):
            return Tag("preprint", _year(m), int(m["mm"]))
        if m := self.venue_re.fullmatch(text):
            return Tag("venue", _year(m), None, m["venue"].strip(), m["qualifier"] or "")
        return None

    def render(self, tag: Tag) -> str:
        """The tag as the grammar writes it: the fix suggested for a malformed one."""
        template = self.preprint_tag if tag.kind == "preprint" else self.venue_tag
        out = (
            template.replace("{yyyy}", f"{tag.year:04d}")
            .replace("{yy}", f"{tag.year % 100:02d}")
            .replace("{mm}", f"{tag.month or 0:02d}")
            .replace("{venue}", tag.venue)
        )
        return f"{out} {tag.qualifier}" if tag.qualifier and tag.kind == "venue" else out

    @property
    def example(self) -> str:
        return f"(*{self.render(Tag('preprint', 2024, 11))}*) or (*{self.render(Tag('venue', 2024, venue='NeurIPS'))}*)"

    @property
    def entry_example(self) -> str:
        label = self.paper_labels[0]
        tag = self.render(Tag("preprint", 2024, 11))
        return f"- (*{tag}*) Paper Title [[{label}](https://arxiv.org/abs/2411.00418)] [[code](https://github.com/owner/repo)]"


_LENIENT_PREPRINT = re.compile(
    r"(?:arxiv|preprint|arxiv preprint)[ ,:]{0,2}(?P<yyyy>\d{4}) ?[./\-]? ?(?P<mm>\d{1,2})", re.IGNORECASE
)
_LENIENT_VENUE = re.compile(
    r"(?P<venue>[^\W\d_][\w&.+/\- ]{0,60}?) ?[’‘'`]?(?P<year>\d{4}|\d{2})[’‘'`]?(?: (?P<qualifier>[\w&.+/\- ]{1,40}))?"
)


def lenient_tag(text: str) -> Tag | None:
    """Read a tag written loosely (`NeurIPS 2024`, `arxiv 2024-7`, `ICLR‘24`), to suggest the exact form."""
    text = " ".join(text.split())
    if len(text) > 120:
        return None
    if m := _LENIENT_PREPRINT.fullmatch(text):
        return Tag("preprint", int(m["yyyy"]), int(m["mm"]))
    if m := _LENIENT_VENUE.fullmatch(text):
        y = int(m["year"])
        return Tag("venue", y if y > 999 else 2000 + y, None, m["venue"].strip(), m["qualifier"] or "")
    return None


def _year(m: re.Match[str]) -> int:
    if m.groupdict().get("yyyy"):
        return int(m["yyyy"])
    return 2000 + int(m["yy"])
