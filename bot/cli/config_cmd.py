"""`config check`: validate a config.yml before the bot does, and show what it will really use."""

from __future__ import annotations

import sys
from typing import TextIO

from .. import configfile
from ..core.config import config as config_mod
from ..core.config.config_yaml import dump, effective


def check(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """Exit 0 with the effective config as YAML on stdout, or 2 with `error: file:line: key: problem`.
    Without PATH: the file `check` reads (--config, $BOT_CONFIG, the repository's
    .github/awesome-review.yml), else a deployment's ./config.yml, else the defaults."""
    import os

    from .check import load_config

    try:
        if args.path:
            cfg = configfile.load(args.path, required=True)
        elif args.config or os.environ.get("BOT_CONFIG") or configfile.find_repo_config():
            cfg = load_config(args.config)
        else:
            cfg = configfile.resolve(None)
    except config_mod.ConfigError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    origin = (
        "the embedded defaults (no config file)"
        if cfg.source == "<defaults>"
        else f"{cfg.source} merged over the embedded defaults"
    )
    stdout.write(f"# effective config: {origin}\n")
    stdout.write(dump(effective(cfg)))
    stderr.write(f"{cfg.source}: ok\n")
    return 0


def generate(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """Write the files that follow from the declarations: a tool for awesome-review's own maintainers,
    so it refuses to write anywhere but an awesome-review checkout."""
    from pathlib import Path

    from ..core.config import shipped

    root = Path(args.root)
    project = root / "pyproject.toml"
    try:
        ours = 'name = "awesome-review"' in project.read_text(encoding="utf-8")
    except OSError:
        ours = False
    if not ours or not (root / "bot" / "defaults.yml").is_file():
        stderr.write(
            f"error: {root}: not an awesome-review checkout; `config generate` rewrites the project's own "
            "files (bot/defaults.yml, bot/config.schema.json, README.md) and is for its maintainers\n"
        )
        return 2
    writes = {
        root / "bot" / "defaults.yml": shipped.defaults_yml(),
        root / "bot" / "config.schema.json": shipped.schema_json(),
    }
    readme = root / "README.md"
    if readme.is_file():
        writes[readme] = shipped.readme_with_table(readme.read_text(encoding="utf-8"))
    for path, text in writes.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            stdout.write(f"wrote {path}\n")
    return 0
