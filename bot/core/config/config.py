"""config.yml: parse, merge over the declared defaults, validate with errors that name file, line, key.

Pure: the text comes in, a Config goes out (bot.configfile reads files). The defaults and every
check come from the declarations (bot.core.config.keys, each rule's RULE), so nothing here knows a key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import yaml

from ..options import AUTO, Group, Option, Severity
from ..rules.base import Calibration
from .keys import AFTER_RULES, GROUPS, TOP

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LEVELS = tuple(s.value for s in Severity)


class ConfigError(ValueError):
    """A config.yml that cannot be used; str() names the file, the line and the key."""

    def __init__(self, source: str, key: str, problem: str, line: int | None = None) -> None:
        self.source, self.key, self.problem, self.line = source, key, problem, line
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


@dataclass(frozen=True)
class Config:
    """The effective configuration: defaults with the maintainer's values merged over them."""

    data: dict[str, Any]
    source: str = "<defaults>"
    severities: dict[str, str] = field(default_factory=dict)
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    inferred: tuple[str, ...] = ()  # dotted keys whose "auto" was filled in from the list
    learnt: bool = False  # resolved against a list: an "auto" left means "the seed style", not "learn"
    # Rules whose severity a config file writes: said as written, never calibrated away as a list's style.
    forced: frozenset[str] = frozenset()
    calibration: Calibration | None = (
        None  # what the list's accepted entries say (bot.core.verdict.calibration)
    )

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def severity(self, rule: str) -> str:
        return self.severities.get(rule, "off")

    def option(self, rule: str, name: str) -> Any:
        return self.options[rule][name]

    @property
    def auto(self) -> list[str]:
        """Dotted keys still set to "auto": what inference must fill in."""
        out = [o.name for o in TOP if self.data[o.name] == AUTO]
        out += [f"grammar.{k}" for k, v in self.data["grammar"].items() if v == AUTO]
        out += [f"rules.{r}.{k}" for r, opts in self.options.items() for k, v in opts.items() if v == AUTO]
        return out

    def resolved(self, found: dict[str, Any]) -> Config:
        """This config with every "auto" replaced by what was learnt from the list (`found`, in the
        shape of config.yml); a key the maintainer set keeps its value."""
        data = dict(self.data)
        done: list[str] = []
        for o in TOP:
            if data[o.name] == AUTO and o.name in found:
                data[o.name] = found[o.name]
                done.append(o.name)
        grammar = dict(data["grammar"])
        for k, v in grammar.items():
            if v == AUTO and k in found.get("grammar", {}):
                grammar[k] = found["grammar"][k]
                done.append(f"grammar.{k}")
        for quoted in ("example", "examples"):  # entries of the list, quoted in messages
            if quoted in found.get("grammar", {}) and grammar.get("entry") == found["grammar"].get(
                "entry", grammar.get("entry")
            ):
                grammar[quoted] = found["grammar"][quoted]
        data["grammar"] = grammar
        options = {r: dict(o) for r, o in self.options.items()}
        for rule, opts in found.get("rules", {}).items():
            for k, v in opts.items():
                if options.get(rule, {}).get(k) == AUTO:
                    options[rule][k] = v
                    done.append(f"rules.{rule}.{k}")
        return replace(self, data=data, options=options, inferred=(*self.inferred, *done), learnt=True)

    def with_rules(self, select: list[str] | None, ignore: list[str]) -> Config:
        """Only the rules in `select` (None: every rule), less those in `ignore` (`check --select
        --ignore`): a selected rule keeps its severity here, or takes its default where this config
        turned it off."""
        default = {r.id: r.severity.value for r in rules()}
        severities = {}
        for rid, sev in self.severities.items():
            if rid in ignore or (select is not None and rid not in select):
                sev = "off"
            elif select is not None and sev == "off":
                sev = default[rid]
            severities[rid] = sev
        data = dict(self.data)
        data["rules"] = {
            r: ({**v, "severity": severities[r]} if isinstance(v, dict) else severities[r])
            for r, v in self.data["rules"].items()
        }
        return replace(self, data=data, severities=severities)


def rules() -> tuple:
    from ..rules import RULES

    return tuple(r.RULE for r in RULES)


@cache
def _defaults() -> dict[str, Any]:
    data: dict[str, Any] = {o.name: o.default for o in TOP}
    for g in GROUPS:
        data[g.name] = {o.name: o.default for o in g.options}
    data["rules"] = {
        r.id: (
            {"severity": r.severity.value, **{o.name: o.default for o in r.options}}
            if r.options
            else r.severity.value
        )
        for r in rules()
    }
    order = [*(o.name for o in TOP), "grammar", "rules", *AFTER_RULES]
    return {k: data[k] for k in order}


def default_data() -> dict[str, Any]:
    """The declared defaults (the shipped config.yml is written from them)."""
    import copy

    return copy.deepcopy(_defaults())


def loads(text: bytes | str, source: str = "config.yml") -> Config:
    user, lines = _parse(text, source)
    return build(user, source, lines)


def overlay(base: Config, text: bytes | str, source: str) -> Config:
    """A repository's config (`text`, named `source` in errors) merged over the deployment's `base`.

    Why a separate entry point: the repository is untrusted input, so deployment-only keys are
    refused by name, and a rule set to a bare severity keeps the deployment's options for it.
    """
    user, lines = _parse(text, source)
    allowed = [o.name for o in TOP] + [g.name for g in GROUPS if not g.deployment] + ["rules"]
    for k, v in user.items():
        if isinstance(k, str) and k in _defaults() and k not in allowed:
            key = f"{k}.{next(iter(v))}" if isinstance(v, dict) and v else k
            raise ConfigError(
                source,
                key,
                "cannot be set by the repository; it belongs to the deployment's config.yml "
                f"(a repository may set {', '.join(allowed)})",
                lines.get(key) or lines.get(k),
            )
    data = dict(base.data)
    data["rules"] = {r: {"severity": base.severity(r), **base.options.get(r, {})} for r in base.data["rules"]}
    done = build(user, source, lines, base=data)
    return replace(done, forced=done.forced | base.forced)


def _parse(text: bytes | str, source: str) -> tuple[dict[str, Any], dict[str, int]]:
    """YAML text -> (mapping, dotted key -> line); ConfigError for anything else."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8-sig")
        node = yaml.compose(text, Loader=SafeLoader)
        user = yaml.load(text, Loader=SafeLoader)
    except UnicodeDecodeError as exc:
        raise ConfigError(source, "", f"is not UTF-8 text (byte {exc.start})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(source, "", f"is not valid YAML: {getattr(exc, 'problem', exc)}", line) from None
    if user is None:
        user = {}
    if not isinstance(user, dict):
        raise ConfigError(source, "", "must be a mapping of keys to values", 1)
    return user, _lines(node)


def build(
    user: dict[str, Any],
    source: str,
    lines: dict[str, int] | None = None,
    *,
    base: dict[str, Any] | None = None,
) -> Config:
    """`user` merged over `base` (default: the declared defaults), validated by the declarations."""
    lines = lines or {}
    start = _defaults() if base is None else base

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(source, key, problem, lines.get(key))

    data = dict(start)
    known = {o.name: o for o in TOP} | {g.name: g for g in GROUPS} | {"rules": None}
    for k, v in user.items():
        if not isinstance(k, str) or k not in known:
            raise fail(str(k), _unknown(k, known))
        decl = known[k]
        if isinstance(decl, Option):
            if p := decl.problem(v):
                raise fail(k, p)
            data[k] = v
        elif isinstance(decl, Group):
            data[k] = _group(decl, start[k], v, fail)
    declared = {r.id: r for r in rules()}
    user_rules = user.get("rules", {})
    if not isinstance(user_rules, dict):
        raise fail("rules", f"should be a mapping, not {_kind(user_rules)}")
    severities: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    forced = frozenset(
        rid for rid, v in user_rules.items() if not isinstance(v, dict) or "severity" in v
    )  # a severity written: the maintainer's word, whatever the list's style
    merged_rules = dict(start["rules"])
    for rid, value in user_rules.items():
        if rid not in declared:
            raise fail(f"rules.{rid}", _unknown(rid, declared))
        if not (isinstance(value, dict | str | bool) or value is None):
            raise fail(f"rules.{rid}", f"{value!r} should be a severity or a mapping with `severity`")
        merged_rules[rid] = value
    for rid, rule in declared.items():
        key = f"rules.{rid}"
        base_rule = start["rules"].get(rid, rule.severity.value)
        opts = dict(base_rule) if isinstance(base_rule, dict) else {"severity": base_rule}
        value = merged_rules[rid]
        if value is not base_rule:
            if isinstance(value, dict):
                for name, v in value.items():
                    if name == "severity":
                        opts[name] = v
                        continue
                    decl = next((o for o in rule.options if o.name == name), None)
                    if decl is None:
                        raise fail(
                            f"{key}.{name}", _unknown(name, ["severity", *(o.name for o in rule.options)])
                        )
                    if p := decl.problem(v):
                        raise fail(f"{key}.{name}", p)
                    opts[name] = v
                key += ".severity" if "severity" in value else ""
            else:
                opts["severity"] = value
        sev = _level(opts.pop("severity"))
        if sev not in LEVELS:
            raise fail(key, f"{sev!r} is not one of {', '.join(LEVELS)}")
        for o in rule.options:
            opts.setdefault(o.name, o.default)
        severities[rid], options[rid] = sev, opts
    data["rules"] = {
        r: ({"severity": severities[r], **options[r]} if options[r] else severities[r]) for r in severities
    }
    return Config(data, source, severities, options, forced=forced)


def _group(decl: Group, base: dict[str, Any], value: Any, fail) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise fail(decl.name, f"should be a mapping, not {_kind(value)}")
    out = dict(base)
    opts = {o.name: o for o in decl.options}
    for k, v in value.items():
        key = f"{decl.name}.{k}"
        if not isinstance(k, str) or k not in opts:
            raise fail(key, _unknown(k, opts))
        if p := opts[k].problem(v):
            raise fail(key, p)
        out[k] = v
    return out


def _level(v: Any) -> Any:
    """YAML 1.1 reads an unquoted `off` as false: maintainers mean off."""
    if v is False or v is None:
        return "off"
    return v.lower() if isinstance(v, str) else v


def _kind(v: Any) -> str:
    return {bool: "true or false", int: "a number", float: "a number", str: "a string", list: "a list"}.get(
        type(v), type(v).__name__
    )


def _unknown(key: Any, known) -> str:
    close = difflib.get_close_matches(str(key), [str(k) for k in known], n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown key{hint}; known keys: {', '.join(map(str, known))}"


def _lines(node: yaml.Node | None, prefix: str = "") -> dict[str, int]:
    """Dotted key -> 1-based line, so errors can point into the file."""
    out: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            key = f"{prefix}{k.value}"
            out[key] = k.start_mark.line + 1
            out.update(_lines(v, key + "."))
    return out
