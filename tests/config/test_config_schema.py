"""bot/config.schema.json: editors validate config.yml with it, so it must agree with the loader."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.core.config import config as config_mod
from bot.core.config.config import ConfigError, loads

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "bot" / "config.schema.json"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (#/$defs/...), which is all this schema uses."""
    while "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _schema_keys(node: dict[str, Any], root: dict[str, Any], prefix: str = "") -> dict[str, dict]:
    """Dotted key -> its schema node, over properties and the object branch of each anyOf."""
    out: dict[str, dict] = {}
    node = _resolve(node, root)
    for branch in (node, *(_resolve(b, root) for b in node.get("anyOf", []))):
        for key, sub in branch.get("properties", {}).items():
            out[prefix + key] = sub
            out.update(_schema_keys(sub, root, f"{prefix}{key}."))
    return out


def _default_keys(data: dict[str, Any], prefix: str = "") -> set[str]:
    """Dotted keys of defaults.yml; a rule given as a bare severity also accepts `severity`."""
    out: set[str] = set()
    for key, value in data.items():
        out.add(prefix + key)
        if isinstance(value, dict):
            out |= _default_keys(value, f"{prefix}{key}.")
        elif prefix == "rules.":
            out.add(f"{prefix}{key}.severity")
    return out


def test_shipped_defaults_validate_against_the_schema(validator):
    for path in (ROOT / "bot" / "defaults.yml", ROOT / "config.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert list(validator.iter_errors(data)) == [], path


def test_every_default_key_is_in_the_schema_and_vice_versa(schema):
    in_schema = set(_schema_keys(schema, schema))
    in_defaults = _default_keys(config_mod.default_data())
    assert sorted(in_defaults - in_schema) == [], "keys in defaults.yml missing from config.schema.json"
    assert sorted(in_schema - in_defaults) == [], "keys in config.schema.json missing from defaults.yml"


def test_every_schema_key_has_a_description_and_objects_are_closed(schema):
    for key, node in _schema_keys(schema, schema).items():
        node = _resolve(node, schema)
        assert node.get("description"), f"{key} has no description"
        for branch in (node, *(_resolve(b, schema) for b in node.get("anyOf", []))):
            if branch.get("type") == "object":
                assert branch.get("additionalProperties") is False, f"{key} accepts unknown keys"
    assert schema["additionalProperties"] is False


def test_schema_defaults_are_the_embedded_defaults(schema):
    """Editors show `default` on hover; it must be what the bot really uses."""

    def walk(data: dict[str, Any], node: dict[str, Any], prefix: str) -> None:
        for key, value in data.items():
            sub = node["properties"][key]
            if "default" in sub or not isinstance(value, dict):
                assert sub.get("default") == value, f"{prefix}{key}"
            else:
                walk(value, sub, f"{prefix}{key}.")

    walk(config_mod.default_data(), schema, "")


@pytest.mark.parametrize("path", ["bot/defaults.yml", "config.yml"])
def test_modeline_points_at_the_schema_from_the_file_and_from_the_root_symlink(path):
    """yaml-language-server resolves $schema against the directory the file is opened from."""
    first = (ROOT / path).read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    target = (ROOT / path).parent / match.group(1)
    assert target.is_file() and target.resolve() == SCHEMA_PATH.resolve()


BAD = [
    "rules:\n  arxiv-title: severe\n",
    "rules:\n  arxiv-titel: error\n",
    "rulez: {}\n",
    "rules:\n  duplicate:\n    scope: all\n",
    "rules:\n  order:\n    direction: sideways\n",
    "rules:\n  order:\n    severity: loud\n",
    "rules:\n  arxiv-title:\n    accept_at: high\n",
    "rules:\n  links:\n    code_host: [github.com]\n",
    "rules:\n  whitespace:\n    scope: file\n",
    "grammar:\n  venue_tag: '{venue}'\n",
    "grammar:\n  venue_tag: '{yy}'\n",
    "grammar:\n  venue_tag: ['{venue} {yy} {venue}']\n",
    "grammar:\n  date: '{yyyy}/{mm}/{mm}'\n",
    "grammar:\n  preprint_tag: 'Arxiv {month}'\n",
    "grammar:\n  paper_labels: []\n",
    "grammar:\n  qualifier: maybe\n",
    "sections: Related Works\n",
    "files: [README.md, 3]\n",
    "arxiv:\n  batch_size: 0\n",
    "arxiv:\n  batch_size: 2001\n",
    "arxiv:\n  timeout_seconds: 0\n",
    "review:\n  request_changes: 'yes please'\n",
    "labels:\n  passed: 3\n",
    "labels:\n  approved: lgtm\n",
]

GOOD = [
    "",
    "rules:\n  order: off\n",
    "rules:\n  order: false\n",
    "rules:\n  entry-syntax:\n    severity: warning\n",
    "rules:\n  arxiv-title:\n    accept_at: 90.5\n",
    "rules:\n  duplicate:\n    scope: section\n  order:\n    direction: none\n",
    "arxiv:\n  timeout_seconds: 2.5\n  batch_size: 200\n",
    "grammar:\n  preprint_tag: 'arXiv {yyyy}.{mm}'\n  venue_tag: \"{venue}'{yy}\"\n  other_labels: [project]\n",
    "labels:\n  duplicate: ''\n",
]


@pytest.mark.parametrize("text", BAD)
def test_bad_configs_are_rejected_by_the_schema_and_by_the_loader(validator, text):
    assert list(validator.iter_errors(yaml.safe_load(text))), "the schema accepted it"
    with pytest.raises(ConfigError):
        loads(text)


@pytest.mark.parametrize("text", GOOD)
def test_good_configs_are_accepted_by_the_schema_and_by_the_loader(validator, text):
    assert [e.message for e in validator.iter_errors(yaml.safe_load(text) or {})] == []
    loads(text)
