"""Reading config files from disk: the edge in front of the pure bot.core.config.config."""

from __future__ import annotations

from pathlib import Path

from .core.config.config import Config, ConfigError, loads, overlay

# A repository's own rules, where the bot reads them (from its default branch) and `check` finds them.
REPO_CONFIG = ".github/awesome-review.yml"


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


EMBEDDED = "<defaults>"  # a config path that means the embedded defaults, whatever the directory holds


def resolve(path: str | Path | None) -> Config:
    """The deployment's config (the service): `path` (which must exist) when given, else
    ./config.yml when present, else the embedded defaults (also when `path` is EMBEDDED)."""
    if path == EMBEDDED:
        return load(None)
    if path:
        return load(path, required=True)
    return load("config.yml") if Path("config.yml").is_file() else load(None)


def find_repo_config(start: Path | None = None) -> Path | None:
    """The repository's `.github/awesome-review.yml`, looked for in `start` (the working directory)
    and the directories above it, up to the repository's root (the one holding `.git`)."""
    here = (start or Path.cwd()).absolute()
    for d in (here, *here.parents):
        candidate = d / REPO_CONFIG
        if candidate.is_file():
            return candidate
        if (d / ".git").exists():
            return None
    return None


def for_list(path: str | None, env_path: str | None = None) -> Config:
    """The rules `check` judges a list by: `--config PATH`, else $BOT_CONFIG, else the repository's
    own `.github/awesome-review.yml` merged over the embedded defaults exactly as the bot merges it
    (deployment keys refused), else the defaults. An unrelated ./config.yml is never read."""
    if path or env_path:
        return load(path or env_path, required=True)
    found = find_repo_config()
    if found is None:
        return load(None)
    try:
        name = str(found.relative_to(Path.cwd().absolute()))
    except ValueError:
        name = str(found)
    try:
        raw = found.read_bytes()
    except OSError as exc:
        raise ConfigError(name, "", f"cannot be read ({exc.strerror})") from None
    return overlay(load(None), raw, name)
