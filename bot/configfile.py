"""Reading config.yml from disk: the edge in front of the pure bot.core.config.config."""

from __future__ import annotations

from pathlib import Path

from .core.config.config import Config, ConfigError, loads


def load(path: str | Path | None = None, *, required: bool = False) -> Config:
    """The config at `path` over the defaults; a missing optional file means the defaults."""
    if path is None:
        return loads("", "<defaults>")
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        if required:
            raise ConfigError(str(path), "", "no such file") from None
        return loads("", "<defaults>")
    except OSError as exc:
        raise ConfigError(str(path), "", f"cannot be read ({exc.strerror})") from None
    return loads(raw, str(path))


def resolve(path: str | Path | None) -> Config:
    """The config a command or the service uses: `path` (which must exist) when given, else
    ./config.yml when present, else the embedded defaults."""
    if path:
        return load(path, required=True)
    return load("config.yml") if Path("config.yml").is_file() else load(None)
