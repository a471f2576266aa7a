"""The effective config as YAML: what `config check` prints and the status page shows."""

from __future__ import annotations

from typing import Any

import yaml

from .config import Config


def effective(cfg: Config) -> dict[str, Any]:
    """The config as the bot reads it: each rule spelled out, since a partial rule mapping keeps defaults."""
    data = dict(cfg.data)
    data["rules"] = {
        rule: {"severity": cfg.severity(rule), **opts} if opts else cfg.severity(rule)
        for rule, opts in cfg.options.items()
    }
    return data


def dump(data: dict[str, Any]) -> str:
    """YAML in defaults.yml's layout: mappings as blocks, lists of names on one line."""

    class Dumper(yaml.SafeDumper):
        pass

    def flow_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
        flat = all(not isinstance(x, dict | list) for x in items)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)

    Dumper.add_representer(list, flow_list)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110)
