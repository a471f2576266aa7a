"""A rule or key is declared once: the shipped config.yml, its schema and the README's rule table are
written from the declarations, and must be what `awesome-review config generate` writes now."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.core.config import config as config_mod
from bot.core.config import shipped
from bot.core.rules import RULES

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `python -m bot config generate` and commit the result"


def test_shipped_config_is_written_from_the_declarations():
    assert (ROOT / "bot" / "defaults.yml").read_text(encoding="utf-8") == shipped.defaults_yml(), FIX


def test_schema_is_written_from_the_declarations():
    assert (ROOT / "bot" / "config.schema.json").read_text(encoding="utf-8") == shipped.schema_json(), FIX


def test_readme_rule_table_is_written_from_the_declarations():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == shipped.readme_with_table(readme), FIX
    for rule in RULES:
        assert f"| `{rule.RULE.id}` | {rule.RULE.severity.value} |" in readme


def test_the_shipped_file_reads_back_as_the_declared_defaults():
    cfg = config_mod.loads(shipped.defaults_yml())
    assert cfg.data == config_mod.default_data() and cfg.severities == config_mod.loads("").severities
    assert not cfg.forced  # its severities are comments: a copy of it leaves every rule calibrated
    shown = yaml.safe_load(shipped.defaults_yml())
    assert {k: v for k, v in shown.items() if k != "rules"} == {
        k: v for k, v in config_mod.default_data().items() if k != "rules"
    }


def test_every_rule_is_declared_once_with_a_doc_and_a_known_severity():
    ids = [r.RULE.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert r.RULE.doc.endswith((".", ")")) and "\n" not in r.RULE.doc, r.RULE.id
        assert not hasattr(r, "DEFAULT"), f"{r.RULE.id}: a second declaration"
        for o in r.RULE.options:
            assert o.problem(o.default) is None, f"{r.RULE.id}.{o.name}: its default fails its own check"
