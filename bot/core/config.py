"""config.yml: load, merge over the embedded defaults, validate with errors that name file, line, key."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import LEVELS

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    def severity(self, rule: str) -> str:
        return self.severities.get(rule, "off")

    def option(self, rule: str, name: str) -> Any:
        return self.options[rule][name]


def default_data() -> dict[str, Any]:
    """The embedded defaults (bot/defaults.yml; the shipped config.yml is the same file)."""
    with open(
        os.path.join(os.path.dirname(os.path.dirname(__file__)), "defaults.yml"), encoding="utf-8"
    ) as f:
        return yaml.load(f, Loader=SafeLoader)


def load(path: str | Path | None = None, *, required: bool = False) -> Config:
    """The config at `path` over the defaults; a missing optional file means the defaults."""
    if path is None:
        return build({}, "<defaults>")
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(str(path), "", "no such file") from None
        return build({}, "<defaults>")
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot be read ({exc.strerror})") from None
    return loads(raw, str(path))


def resolve(path: str | Path | None) -> Config:
    """The config a command or the service uses: `path` (which must exist) when given, else
    ./config.yml when present, else the embedded defaults."""
    if path:
        return load(path, required=True)
    return load("config.yml") if Path("config.yml").is_file() else load(None)


def loads(text: bytes | str, source: str = "config.yml") -> Config:
    user, lines = _parse(text, source)
    return build(user, source, lines)


# What a repository's own .github/awesome-review.yml may set: how its list is written and reviewed.
# Everything else (arxiv: endpoint, politeness, caches) belongs to whoever runs the bot.
OVERLAY_KEYS = ("files", "sections", "grammar", "rules", "review", "labels")


def overlay(base: Config, text: bytes | str, source: str) -> Config:
    """A repository's config (`text`, named `source` in errors) merged over the deployment's `base`.

    Why a separate entry point: the repository is untrusted input, so deployment-only keys are
    refused by name, and a rule set to a bare severity keeps the deployment's options for it.
    """
    user, lines = _parse(text, source)
    defaults = default_data()
    for k, v in user.items():
        if isinstance(k, str) and k in defaults and k not in OVERLAY_KEYS:
            key = f"{k}.{next(iter(v))}" if isinstance(v, dict) and v else k
            raise ConfigError(
                source,
                key,
                "cannot be set by the repository; it belongs to the deployment's config.yml "
                f"(a repository may set {', '.join(OVERLAY_KEYS)})",
                lines.get(key) or lines.get(k),
            )
    data = dict(base.data)
    data["rules"] = {r: {"severity": base.severity(r), **base.options.get(r, {})} for r in base.data["rules"]}
    return build(user, source, lines, base=data)


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
    """`user` merged over `base` (default: the embedded defaults), validated."""
    lines = lines or {}
    defaults = default_data()
    start = defaults if base is None else base

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(source, key, problem, lines.get(key))

    data = _merge(start, user, "", fail)
    severities: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for rule, value in data["rules"].items():
        key = f"rules.{rule}"
        base_rule = start["rules"].get(rule)
        opts = dict(base_rule) if isinstance(base_rule, dict) else {"severity": base_rule}
        if isinstance(value, dict):
            for name, v in value.items():
                if name not in opts:
                    raise fail(f"{key}.{name}", _unknown(name, opts))
                if name != "severity" and type(v) is not type(opts[name]) and not _num(v, opts[name]):
                    raise fail(f"{key}.{name}", f"{v!r} should be {_kind(opts[name])}")
                opts[name] = v
            key += ".severity"
        else:
            opts["severity"] = value
        sev = _level(opts.pop("severity"))
        if sev not in LEVELS:
            raise fail(key, f"{sev!r} is not one of {', '.join(LEVELS)}")
        severities[rule], options[rule] = sev, opts
    if base is not None:  # keep data whole: a bare severity over a mapping would hide its options
        data["rules"] = {r: {"severity": severities[r], **options[r]} for r in severities}
    _check_values(data, fail)
    return Config(data, source, severities, options)


def _merge(base: dict[str, Any], user: dict[str, Any], prefix: str, fail) -> dict[str, Any]:
    out = dict(base)
    for k, v in user.items():
        key = f"{prefix}{k}"
        if not isinstance(k, str) or k not in base:
            raise fail(key, _unknown(k, base))
        b = base[k]
        if prefix == "rules.":
            if not (isinstance(v, dict | str | bool) or v is None):
                raise fail(key, f"{v!r} should be a severity or a mapping with `severity`")
            out[k] = v
        elif isinstance(b, dict):
            if not isinstance(v, dict):
                raise fail(key, f"should be a mapping, not {_kind(v)}")
            out[k] = _merge(b, v, f"{key}.", fail)
        elif isinstance(b, list):
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                raise fail(key, "should be a list of strings")
            out[k] = v
        elif type(v) is not type(b) and not _num(v, b):
            raise fail(key, f"{v!r} should be {_kind(b)}")
        else:
            out[k] = v
    return out


def _check_values(data: dict[str, Any], fail) -> None:
    g = data["grammar"]
    for key in ("preprint_tag", "venue_tag"):
        if "{yy" not in g[key]:
            raise fail(f"grammar.{key}", f"{g[key]!r} needs a {{yy}} or {{yyyy}} placeholder")
    if "{venue}" not in g["venue_tag"]:
        raise fail("grammar.venue_tag", f"{g['venue_tag']!r} needs a {{venue}} placeholder")
    if "{mm}" not in g["preprint_tag"]:
        raise fail("grammar.preprint_tag", f"{g['preprint_tag']!r} needs a {{mm}} placeholder")
    if not g["paper_labels"]:
        raise fail("grammar.paper_labels", "needs at least one label")
    for key, lo in (("batch_size", 1), ("min_interval_seconds", 0), ("timeout_seconds", 0.1)):
        if data["arxiv"][key] < lo:
            raise fail(f"arxiv.{key}", f"{data['arxiv'][key]!r} should be at least {lo}")
    if data["arxiv"]["batch_size"] > 200:
        raise fail("arxiv.batch_size", "should be at most 200 (arXiv's URL length limit)")
    scope = data["rules"]["duplicate"]
    if isinstance(scope, dict) and scope.get("scope", "file") not in ("file", "section"):
        raise fail("rules.duplicate.scope", f"{scope['scope']!r} is not one of file, section")
    order = data["rules"]["order"]
    if isinstance(order, dict) and order.get("direction", "newest-first") not in (
        "newest-first",
        "oldest-first",
        "none",
    ):
        raise fail(
            "rules.order.direction", f"{order['direction']!r} is not one of newest-first, oldest-first, none"
        )


def _level(v: Any) -> Any:
    """YAML 1.1 reads an unquoted `off` as false: maintainers mean off."""
    if v is False or v is None:
        return "off"
    return v.lower() if isinstance(v, str) else v


def _num(v: Any, b: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and isinstance(b, int | float)


def _kind(v: Any) -> str:
    return {bool: "true or false", int: "a number", float: "a number", str: "a string", list: "a list"}.get(
        type(v), type(v).__name__
    )


def _unknown(key: Any, known: dict[str, Any]) -> str:
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
