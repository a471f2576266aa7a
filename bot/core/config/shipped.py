"""The files written from the declarations: the shipped config.yml (bot/defaults.yml) with a comment
on every key, its JSON Schema, and the README's rule table. `awesome-review config generate` writes
them; the tests fail when a committed file and its declaration disagree."""

from __future__ import annotations

import json
import re
import textwrap
from typing import Any

import yaml

from ..options import Group, Option, Rule
from .config import default_data, rules
from .keys import AFTER_RULES, GROUPS, TOP

HEADER = (
    "# yaml-language-server: $schema=config.schema.json\n"
    "# awesome-review configuration. Every key is optional: a key you leave out keeps the value shown here.\n"
    "# Severities: error (fails the check, requests changes), warning, notice, off (an unquoted `off` works too).\n"
    "# auto: learnt from the list file itself (run `awesome-review init` to see what is learnt); a value\n"
    "# written here wins over what is learnt.\n"
)
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _./:-]*")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}


def yaml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return str(v)
    if isinstance(v, str):
        plain = _PLAIN.fullmatch(v) and v.lower() not in _RESERVED and not v.endswith(":") and ": " not in v
        if plain and yaml.safe_load(v) != v:  # `2024`, `1.5`: YAML would read a number
            plain = False
        return v if plain else json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(yaml_value(x) for x in v) + "]"
    raise TypeError(type(v))


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text, 108 - len(indent), initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# "
    )


def _option(o: Option, indent: str) -> list[str]:
    value = yaml_value(o.default)
    line = f"{indent}{o.name}: {value}"
    if len(line) > 110 and isinstance(o.default, list) and any(len(yaml_value(x)) > 60 for x in o.default):
        line = "\n".join([f"{indent}{o.name}:", *(f"{indent}  - {yaml_value(x)}" for x in o.default)])
    elif len(line) > 110 and isinstance(o.default, list):
        wrapped = textwrap.wrap(
            value,
            110 - len(indent) - len(o.name) - 2,
            subsequent_indent=" " * (len(indent) + len(o.name) + 3),
        )
        line = f"{indent}{o.name}: " + "\n".join(wrapped)
    return [*_comment(o.doc, indent), line]


def _group(g: Group) -> list[str]:
    out = [*_comment(g.doc, ""), f"{g.name}:"]
    for o in g.options:
        out += _option(o, "  ")
    return out


def _rule(r: Rule) -> list[str]:
    """A rule's severity is shown as a comment: written, it would hold whatever the list's style."""
    out = _comment(r.doc, "  ")
    if not r.options:
        return [*out, f"  # {r.id}: {r.severity.value}"]
    out += [f"  {r.id}:", f"    # severity: {r.severity.value}"]
    for o in r.options:
        out += _option(o, "    ")
    return out


def defaults_yml() -> str:
    blocks: list[list[str]] = [[HEADER.rstrip("\n")]]
    blocks += [_option(o, "") for o in TOP]
    groups = {g.name: g for g in GROUPS}
    blocks.append(_group(groups["grammar"]))
    rule_lines = [
        "# Every rule, by its public id: a severity, or a mapping with `severity` and the rule's options.",
        "# A severity in a comment is the rule's default, calibrated on the list: a kind of finding that most",
        "# of the list's accepted entries have is its style, not reported on it (README.md § Calibration).",
        "# A severity written here holds whatever the list's style.",
        "rules:",
    ]
    for r in rules():
        rule_lines += _rule(r)
    blocks.append(rule_lines)
    blocks += [_group(groups[n]) for n in AFTER_RULES]
    return "\n\n".join("\n".join(b) for b in blocks) + "\n"


SEVERITY = {
    "description": "error (fails the check, requests changes), warning, notice, or off, in lower case. "
    "YAML 1.1 reads an unquoted `off` as false, which also means off.",
    "enum": ["error", "warning", "notice", "off", False],
}


def schema() -> dict[str, Any]:
    defaults = default_data()
    props: dict[str, Any] = {o.name: o.schema() for o in TOP}
    for g in GROUPS:
        props[g.name] = {
            "description": g.doc,
            "type": "object",
            "additionalProperties": False,
            "properties": {o.name: o.schema() for o in g.options},
        }
    rule_props: dict[str, Any] = {}
    for r in rules():
        obj = {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "severity": {"$ref": "#/$defs/severity"},
                **{o.name: o.schema() for o in r.options},
            },
        }
        rule_props[r.id] = {
            "description": r.doc,
            "anyOf": [{"$ref": "#/$defs/severity"}, obj],
            "default": defaults["rules"][r.id],
        }
    props["rules"] = {
        "description": "Every rule, by its public id: a severity, or a mapping with `severity` and the rule's options.",
        "type": "object",
        "additionalProperties": False,
        "properties": rule_props,
    }
    order = [*(o.name for o in TOP), "grammar", "rules", *AFTER_RULES]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:awesome-review:config.schema.json",
        "title": "awesome-review configuration (config.yml)",
        "description": "awesome-review configuration. Every key is optional: a key you leave out keeps its "
        "default (bot/defaults.yml). auto: learnt from the list itself.",
        "type": "object",
        "additionalProperties": False,
        "properties": {k: props[k] for k in order},
        "$defs": {"severity": SEVERITY},
    }


def schema_json() -> str:
    return json.dumps(schema(), indent=2, ensure_ascii=False) + "\n"


def rule_table() -> str:
    """The README's table of rules, between its markers: each rule's example (bot.core.verdict.examples runs
    it in the tests), as a pull request would add it and as its fix leaves it."""
    rows = ["| rule | default | what it finds | bad | fixed (the suggestion) |", "|---|---|---|---|---|"]
    for r in rules():
        rows.append(f"| `{r.id}` | {r.severity.value} | {_cell(r.doc)} | {bad_text(r)} | {fixed_text(r)} |")
    return "\n".join(rows) + "\n"


def bad_text(r: Rule) -> str:
    """The example's bad entry in a table cell."""
    ex = r.example
    return _code(ex.bad) + (f" under `## {ex.section}`" if ex.section else "")


def fixed_text(r: Rule) -> str:
    """The example's fix in a table cell."""
    ex = r.example
    if ex.fixed is None:
        return "remove the line"
    if ex.fixed_at is not None or ex.section:
        return "the same line, moved" + (" under `## Related Works`" if ex.section else " to its place")
    return _code(ex.fixed)


def _code(text: str) -> str:
    return "`" + text.replace("|", "\\|") + "`"


def _cell(text: str) -> str:
    return text.replace("|", "/")


def key_table() -> str:
    """The README's table of config keys (every rule option too)."""
    rows = ["| key | default | meaning |", "|---|---|---|"]

    def row(key: str, o: Option) -> None:
        value = f"`{yaml_value(o.default)}`"
        if len(value) > 120 and isinstance(o.default, list):  # a table of its own: config.yml shows it
            value = f"{len(o.default)} lines, in [`config.yml`](config.yml)"
        rows.append(f"| `{key}` | {value} | {_cell(o.doc)} |")

    for o in TOP:
        row(o.name, o)
    groups = {g.name: g for g in GROUPS}
    for o in groups["grammar"].options:
        row(f"grammar.{o.name}", o)
    rows.append(
        "| `rules.<id>` | see the rules | a severity, or a mapping with `severity` and the rule's options |"
    )
    for r in rules():
        for o in r.options:
            row(f"rules.{r.id}.{o.name}", o)
    for name in AFTER_RULES:
        for o in groups[name].options:
            row(f"{name}.{o.name}", o)
    return "\n".join(rows) + "\n"


TABLES = {"rules": rule_table, "keys": key_table}


def readme_with_table(readme: str) -> str:
    """The README with every generated table (between its markers) written anew."""
    for name, table in TABLES.items():
        start = f"<!-- {name}:start (written by `awesome-review config generate`) -->\n"
        end = f"<!-- {name}:end -->\n"
        a, b = readme.find(start), readme.find(end)
        if a < 0 or b < 0:
            raise ValueError(f"README.md has no {name} table markers")
        readme = readme[: a + len(start)] + table() + readme[b:]
    return readme
