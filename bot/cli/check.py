"""`check`: judge a list file, or only the lines a diff adds, the way the bot would on a PR."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import TextIO

from .. import configfile
from ..core.config import config as config_mod
from ..core.diff import DiffError, added_lines
from ..core.model import ArxivLookup, Lookup, RecordLookup
from ..core.read import document
from ..core.verdict import fix, judge, pipeline
from ..settings import Settings
from . import output


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2 with this message."""


def load_config(path: str | None) -> config_mod.Config:
    """--config, else BOT_CONFIG, else ./config.yml when present, else the embedded defaults."""
    return configfile.resolve(path or os.environ.get("BOT_CONFIG"))


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    # A short-lived process that builds one large graph with no cycles: the cycle collector would only
    # walk it again and again (half the time of a 100,000-entry check).
    gc.disable()
    # Retry chatter from the adapters is for the service's logs; here an outage shows up as the
    # "not verified" notices on the entries it affected.
    logging.basicConfig(level=logging.ERROR, stream=stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        cfg = load_config(args.config)
    except config_mod.ConfigError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    try:
        data = _read(args.file, "list file")
        checked = None
        if getattr(args, "staged", False):
            if args.diff is not None:
                raise UsageError("--staged and --diff both name the lines to judge: pass one")
            args.diff = "<staged>"
        if args.diff is not None:
            patch = (
                _staged(args.file)
                if args.diff == "<staged>"
                else sys.stdin.buffer.read()
                if args.diff == "-"
                else _read(args.diff, "diff")
            )
            diff_text, _ = document.decode(patch)
            try:
                checked = added_lines(diff_text, args.file)
            except DiffError as exc:
                raise UsageError(f"{'<stdin>' if args.diff == '-' else args.diff}: {exc}") from None
    except UsageError as exc:
        stderr.write(f"error: {exc}\n")
        return 2

    path = args.file
    lookup = None if args.offline else _lookup(cfg, stderr)
    records_lookup = None if args.offline else _records_lookup(cfg, stderr)
    repo_lookup = None if args.offline or not os.environ.get("GITHUB_TOKEN") else _repo_lookup()
    today = dt.date.today()
    docs: list[document.Document] = []
    # The format is learnt once, from the list before the change (the file less the lines a diff
    # adds) so an added line cannot set the rules it is judged by, and --fix keeps it between passes.
    text, _ = document.decode(data)
    original = document.parse(text)
    resolved = pipeline.resolve(cfg, document.parse(pipeline.without(text, checked)) if checked else original)

    def review(again: bytes, checked: frozenset[int] | None):
        found = pipeline.review_file(
            again, path, resolved, checked, lookup=lookup, repo_lookup=repo_lookup, today=today,
            records_lookup=records_lookup, parsed=original if again is data else None,
        )  # fmt: skip
        docs.append(found.doc)
        return found.doc.lines, found.findings, found.doc.bad_bytes

    if args.fix:
        done = fix.fix(data, checked, review, unsafe=args.unsafe_fixes)
        if done.fixed:
            try:
                _write(path, done.data)
            except OSError as exc:
                stderr.write(
                    f"error: {path}: cannot write the fixed file ({exc.strerror}); nothing changed\n"
                )
                return 2
        findings, checked, fixed = done.remaining, done.checked, done.fixed
    else:
        findings, fixed = review(data, checked)[1], None
    doc = docs[-1]
    if not any(i.in_scope for i in doc.items) and doc.items:
        stderr.write(
            f"warning: {path}: no list items under a section named "
            f"{', '.join(map(repr, _names(resolved['sections'])))} (key `sections` in {cfg.source}); "
            "no line was judged as an entry.\n"
        )
    summary = judge.summary(findings)
    summary["items"], summary["entries"] = pipeline.coverage(doc, checked)
    summary["format"] = {
        "format": doc.grammar.describe(),
        "inferred": "grammar.entry" in resolved.inferred,
    }
    if args.format == "json":
        stdout.write(output.as_json(findings, summary, fixed))
        return 1 if summary["error"] else 0
    # "Not verified, the bot will check again" is the bot's word on a PR; in a terminal one line says
    # it for every entry arXiv could not be asked about.
    unverified = [f for f in findings if f.unverified]
    if unverified:
        findings = [f for f in findings if not f.unverified]
        summary.update(judge.summary(findings))
        stderr.write(
            f"warning: {' and '.join(sorted({f.unverified for f in unverified}))} could not be reached: "
            f"{len(unverified)} entr{'y' if len(unverified) == 1 else 'ies'} "
            "not verified; run again later, or use --offline\n"
        )
    if args.format == "github":
        stdout.write(output.fixes(path, fixed) + output.github(findings, summary))
    else:
        stdout.write(output.fixes(path, fixed) + output.text(findings, summary, colour=_tty(stdout)))
    return 1 if summary["error"] else 0


def _names(sections) -> list[str]:
    return sections if isinstance(sections, list) else [str(sections)]


def cli_settings(settings: Settings) -> Settings:
    """The service keeps its data in BOT_DATA_DIR (./.bot); `check` runs anywhere, in any project,
    so without BOT_DATA_DIR its arXiv cache lives in the user's cache directory, never in the cwd."""
    if os.environ.get("BOT_DATA_DIR"):
        return settings
    import platformdirs

    return dataclasses.replace(settings, data_dir=Path(platformdirs.user_cache_dir("awesome-review")))


def _lookup(cfg: config_mod.Config, stderr: TextIO):
    """Batched, cached arXiv lookups; an outage only yields 'not verified' notices. None: turned off."""
    if cfg["arxiv"]["enabled"] is False:
        return None

    def source():
        from ..adapters.arxiv_cache import make_arxiv

        return make_arxiv(cfg["arxiv"], cli_settings(Settings.from_env()))

    return _remembering(source, ArxivLookup(), stderr, "arXiv")


def _records_lookup(cfg: config_mod.Config, stderr: TextIO):
    """Publication records (Semantic Scholar, OpenReview), batched and cached. None: both off."""
    if cfg["semantic_scholar"]["enabled"] is False and cfg["openreview"]["enabled"] is False:
        return None

    def source():
        from ..adapters.records import make_records

        return make_records(cfg.data, cli_settings(Settings.from_env()))

    return _remembering(source, RecordLookup(), stderr, "records")


def _remembering(source, known: Lookup, stderr: TextIO, what: str):
    """A lookup that asks each id once per run: `--fix` judges again after each pass."""
    client = functools.cache(source)

    def lookup(ids: list[str]):
        asked = [i for i in ids if not known.knows(i)]
        if asked:
            known.merge(client().lookup(asked, progress=_progress(stderr, what) if _tty(stderr) else None))
        return known

    return lookup


def _repo_lookup() -> pipeline.RepoLookup:
    """Code repositories through the GitHub API with GITHUB_TOKEN (and GITHUB_API_URL); without a
    token `check` skips them silently: anonymous calls run out after 60 an hour."""

    @functools.cache
    def github():  # one adapter, so `--fix` passes share what GitHub said
        from ..adapters.github import GitHubAdapter
        from ..settings import Settings

        env = Settings.from_env()
        token_only = Settings(github_token=env.github_token, github_api_url=env.github_api_url)
        return GitHubAdapter(token_only, dry_run=True)

    return lambda names: github().repo_status(names)


def _progress(stderr: TextIO, what: str = "arXiv"):
    """A tqdm bar over the ids (arXiv's batches land every few seconds: it asks for 3 s between)."""
    from tqdm import tqdm

    bar: list[tqdm] = []

    def show(done: int, total: int) -> None:
        if not bar:
            bar.append(tqdm(total=total, desc=what, unit="id", file=stderr, leave=False))
        bar[0].update(done - bar[0].n)
        if done >= total:
            bar[0].close()

    return show


def _staged(path: str) -> bytes:
    """`git diff --cached` of the file: what a commit would add, as pre-commit sees it."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "diff", "--cached", "--no-color", "--no-ext-diff", "--", path],
            capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    except OSError as exc:
        raise UsageError(f"--staged needs git ({exc.strerror})") from None
    if done.returncode != 0:
        raise UsageError(
            f"--staged: git diff --cached failed: {done.stderr.decode(errors='replace').strip()}"
        )
    return done.stdout


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the {what} ({exc.strerror})") from None


def _write(path: str, data: bytes) -> None:
    """Replace the file at once (a crash never leaves half a list), keeping its mode; through a
    symlink, the file it points to."""
    target = Path(path).resolve()
    tmp = target.with_name(f".{target.name}.awesome-review-fix")
    try:
        tmp.write_bytes(data)
        shutil.copymode(target, tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")
