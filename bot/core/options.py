"""How a config key or a rule is declared: once, with its type, default and one-line doc.

Validation, the JSON Schema, the shipped config.yml with its comments and the README's tables all
come from these declarations (bot.core.config.shipped writes them; the tests check the files agree).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the facts an example holds; the shared values do not import each other
    from .model import Paper, Record


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTICE = "notice"
    OFF = "off"

    @property
    def rank(self) -> int:
        return {"off": 0, "notice": 1, "warning": 2, "error": 3}[self.value]


AUTO = "auto"


@dataclass(frozen=True)
class Option:
    """One config value. `kind`: bool, int, number, str, strings (a list), str-or-strings."""

    name: str
    default: Any
    doc: str
    kind: str
    choices: tuple[str, ...] = ()
    auto: bool = False  # "auto": inferred from the list itself
    minimum: float | None = None
    maximum: float | None = None
    min_items: int = 0
    needs: tuple[str, ...] = ()  # placeholders a template must hold, any of each "a|b"
    placeholders: tuple[str, ...] = ()  # the placeholders a template may hold
    # Each placeholder at most once: the template compiles into a pattern with one named group each.
    distinct: bool = False

    def problem(self, value: Any) -> str | None:
        """Why `value` cannot be this option's value, or None."""
        if self.auto and value == AUTO:
            return None
        k = self.kind
        if k == "bool":
            return None if isinstance(value, bool) else f"{value!r} should be true or false"
        if k in ("int", "number"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                return f"{value!r} should be a number"
            if k == "int" and not isinstance(value, int):
                return f"{value!r} should be a whole number"
            if self.minimum is not None and value < self.minimum:
                return f"{value!r} should be at least {_num(self.minimum)}"
            if self.maximum is not None and value > self.maximum:
                return f"{value!r} should be at most {_num(self.maximum)}"
            return None
        if k == "str":
            if not isinstance(value, str):
                return f"{value!r} should be a string"
            if self.choices and value not in self.choices:
                allowed = (*self.choices, AUTO) if self.auto else self.choices
                return f"{value!r} is not one of {', '.join(allowed)}"
            return self._template(value)
        if k in ("strings", "str-or-strings"):
            if k == "str-or-strings" and isinstance(value, str):
                return self._template(value)
            if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
                return "should be a list of strings" + (" (or one string)" if k == "str-or-strings" else "")
            if len(value) < self.min_items:
                return "needs at least one value" if self.min_items == 1 else f"needs {self.min_items} values"
            for x in value:
                if p := self._template(x):
                    return p
            return None
        raise AssertionError(k)

    def _template(self, value: str) -> str | None:
        for need in self.needs:
            if not any(n in value for n in need.split("|")):
                names = " or ".join(need.split("|"))
                return f"{value!r} needs a {names} placeholder"
        if self.placeholders:
            names = re.findall(r"\{(\w*)\}", value)
            for name in names:
                if "{" + name + "}" not in self.placeholders:
                    return (
                        f"{value!r}: unknown placeholder {{{name}}} (known: {', '.join(self.placeholders)})"
                    )
                if self.distinct and names.count(name) > 1:
                    return f"{value!r}: {{{name}}} appears more than once (each placeholder reads one part)"
        return None

    def schema(self) -> dict[str, Any]:
        node: dict[str, Any]
        k = self.kind
        if k == "bool":
            node = {"type": "boolean"}
        elif k in ("int", "number"):
            node = {"type": "integer" if k == "int" else "number"}
            if self.minimum is not None:
                node["minimum"] = self.minimum
            if self.maximum is not None:
                node["maximum"] = self.maximum
        elif k == "str":
            node = {"type": "string"}
            if self.choices:
                node["enum"] = list(self.choices)
            node.update(self._patterns())
        else:
            item = {"type": "string", **self._patterns()}
            arr: dict[str, Any] = {"type": "array", "items": item}
            if self.min_items:
                arr["minItems"] = self.min_items
            node = arr if k == "strings" else {"anyOf": [item, arr]}
        if self.auto:
            node = {"anyOf": [{"const": AUTO}, node]}
        return {"description": self.doc, **node, "default": self.default}

    def _patterns(self) -> dict[str, Any]:
        pats = [{"pattern": "|".join(re.escape(n) for n in need.split("|"))} for need in self.needs]
        if self.placeholders:  # nothing in braces but the known placeholders
            known = "|".join(re.escape(p[1:-1]) for p in self.placeholders)
            pats.append({"pattern": r"^(?:[^{}]|\{(?:" + known + r")\})*$"})
        if self.distinct:  # no placeholder twice
            pats.append({"pattern": r"^(?!.*(\{\w*\}).*\1)"})
        return {"allOf": pats} if pats else {}


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


@dataclass(frozen=True)
class Group:
    """A mapping of options in config.yml (`grammar:`, `arxiv:`), with its doc."""

    name: str
    doc: str
    options: tuple[Option, ...]
    deployment: bool = False  # only the deployment's config.yml may set it, not a repository


@dataclass(frozen=True)
class Kind:
    """One problem within a rule (`pdf link`, `authors as plain text`), declared once with the rule:
    what a finding is, as a value, and the unit that calibration counts on a list's accepted entries."""

    id: str
    doc: str
    # Advice in the list's learnt format: withheld where that format does not explain the list.
    format: bool = False
    fact: bool = False  # a fact about one paper (a lookup, the clock), never a list's style: never calibrated


@dataclass(frozen=True)
class Example:
    """A bad entry as a pull request adds it to a short list in the seed's format, and the entry as
    its fix leaves it. bot.core.verdict.examples runs both (the tests check that the bad one gets the rule's
    finding and the fixed one does not; `awesome-review rule ID` shows them with the real message).
    The facts are what the outside sources say for it: arXiv's papers and the ids it does not have,
    publication records by record id, code repositories' status."""

    bad: str
    fixed: str | None  # None: the fix removes the line
    at: int = 0  # added above the list's entry at this index (its length: below the last)
    fixed_at: int | None = None  # where the fix moves it (order, section)
    section: str = ""  # added under this other heading of the list instead (section)
    papers: tuple[Paper, ...] = ()
    missing: tuple[str, ...] = ()
    records: tuple[tuple[str, Record], ...] = ()
    repos: tuple[tuple[str, str], ...] = ()  # ("owner/name", "ok" | "missing" | "archived")


@dataclass(frozen=True)
class Rule:
    """A rule's public face: id, default severity, one-line doc, options, an example and its fix, and
    the kinds of problem it finds."""

    id: str
    severity: Severity
    doc: str
    options: tuple[Option, ...] = ()
    example: Example | None = None
    # The outside sources its verdicts read ("arxiv", "records", "repos"): without them (offline, or
    # turned off) it has nothing to say, and is not run.
    needs: tuple[str, ...] = ()
    kinds: tuple[Kind, ...] = ()
    outside: bool = False  # judges the items outside the paper sections (section), not those in them

    def option(self, name: str) -> Option:
        return next(o for o in self.options if o.name == name)
