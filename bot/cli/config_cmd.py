"""`config check`: validate a config.yml before the bot does, and show what it will really use."""

from __future__ import annotations

import sys
from typing import TextIO

from ..core import config as config_mod
from ..core.config_yaml import dump, effective


def check(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """Exit 0 with the effective config as YAML on stdout, or 2 with `error: file:line: key: problem`."""
    from .check import load_config  # the same resolution as `check`, so both read the same file

    try:
        cfg = config_mod.load(args.path, required=True) if args.path else load_config(args.config)
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
