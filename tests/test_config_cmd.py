"""`python -m bot config check` as a maintainer runs it: a real process, real files, real exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from bot.core.config import config as config_mod
from bot.core.config.config import loads

ROOT = Path(__file__).resolve().parents[1]


def bot(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k != "BOT_CONFIG"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        timeout=60,
    )


def test_without_a_config_file_prints_the_embedded_defaults(tmp_path):
    r = bot("config", "check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# effective config: the embedded defaults")
    assert yaml.safe_load(r.stdout) == config_mod.default_data()


def test_partial_config_is_shown_merged_and_the_output_is_a_valid_config(tmp_path):
    (tmp_path / "config.yml").write_text(
        "sections: [Papers]\nrules:\n  order: off\n  arxiv-title:\n    accept_at: 90\n"
    )
    r = bot("config", "check", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("# effective config: config.yml merged over the embedded defaults")
    assert "config.yml: ok" in r.stderr
    shown = yaml.safe_load(r.stdout)
    assert shown["sections"] == ["Papers"]
    assert shown["rules"]["order"] == {"severity": "off", "direction": "auto"}  # learnt from the list
    assert shown["rules"]["arxiv-title"] == {"severity": "error", "accept_at": 90, "error_below": 80}
    assert shown["arxiv"] == config_mod.default_data()["arxiv"]
    # What it prints is a complete config: the bot reads it back to the same settings,
    # and an editor using the shipped schema finds nothing wrong with it.
    again = loads(r.stdout)
    original = loads((tmp_path / "config.yml").read_text())
    assert (again.severities, again.options) == (original.severities, original.options)
    schema = json.loads((ROOT / "bot" / "config.schema.json").read_text())
    assert [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(shown)] == []


def test_path_resolution_matches_check(tmp_path):
    (tmp_path / "config.yml").write_text("sections: [Local]\n")
    (tmp_path / "flag.yml").write_text("sections: [Flag]\n")
    (tmp_path / "env.yml").write_text("sections: [Env]\n")
    (tmp_path / "arg.yml").write_text("sections: [Arg]\n")

    def sections(*args: str, env: dict | None = None) -> list[str]:
        r = bot("config", "check", *args, cwd=tmp_path, env=env)
        assert r.returncode == 0, r.stderr
        return yaml.safe_load(r.stdout)["sections"]

    assert sections() == ["Local"]  # a deployment's config.yml, where no repository config is
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "awesome-review.yml").write_text("sections: [Repository]\n")
    assert sections() == ["Repository"]  # what `check` reads
    assert sections(env={"BOT_CONFIG": "env.yml"}) == ["Env"]
    assert sections("--config", "flag.yml", env={"BOT_CONFIG": "env.yml"}) == ["Flag"]
    assert sections("arg.yml", "--config", "flag.yml") == ["Arg"]


def test_bad_config_names_file_line_key_and_exits_2(tmp_path):
    (tmp_path / "config.yml").write_text("files: [README.md]\nrules:\n  order:\n    direction: sideways\n")
    r = bot("config", "check", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == ""
    assert r.stderr == (
        "error: config.yml:4: rules.order.direction: 'sideways' is not one of newest-first, oldest-first, none, auto\n"
    )


def test_unknown_key_suggests_the_known_one(tmp_path):
    (tmp_path / "mine.yml").write_text("rules:\n  arxiv-titel: error\n")
    r = bot("config", "check", "mine.yml", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.startswith(
        "error: mine.yml:2: rules.arxiv-titel: unknown key (did you mean 'arxiv-title'?)"
    )


def test_missing_or_unreadable_path_and_bad_usage_exit_2(tmp_path):
    r = bot("config", "check", "nope.yml", cwd=tmp_path)
    assert (r.returncode, r.stderr) == (2, "error: nope.yml: no such file\n")
    r = bot("config", "check", str(tmp_path), cwd=tmp_path)
    assert r.returncode == 2 and "cannot be read" in r.stderr and "Traceback" not in r.stderr
    r = bot("config", cwd=tmp_path)
    assert r.returncode == 2 and "usage:" in r.stderr


def test_shipped_config_passes(tmp_path):
    r = bot("config", "check", str(ROOT / "config.yml"), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert yaml.safe_load(r.stdout) == config_mod.default_data()


def test_config_check_does_not_import_the_service_stack(tmp_path):
    code = (
        "import sys; from bot.__main__ import main; rc = main(['config', 'check']);"
        "bad = [m for m in ('flask', 'github', 'huey', 'redis', 'requests', 'rapidfuzz') if m in sys.modules];"
        "print('IMPORTED', bad)"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert "IMPORTED []" in r.stdout, r.stdout + r.stderr
