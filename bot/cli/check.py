"""`check`: judge list files, or only the lines a diff adds, the way the bot would on a PR."""

from __future__ import annotations

import gc
import glob
import hashlib
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .. import configfile
from ..core.config import config as config_mod
from ..core.diff import DiffError, file_change
from ..core.model import Finding
from ..core.read import document, suppress
from ..core.read.document import ENTRY
from ..core.verdict import fix, judge, pipeline
from ..core.verdict.review import FORMAT_FREE
from . import output, progress, safe_write
from .sources import Sources

LOCAL_DELAY = 1.0  # seconds of reading or judging before a bar shows: a small list shows none


class UsageError(Exception):
    """Bad usage or unreadable input: exit 2 with this message."""


def load_config(path: str | None) -> config_mod.Config:
    """--config, else BOT_CONFIG, else the repository's .github/awesome-review.yml, else the defaults."""
    return configfile.for_list(path, os.environ.get("BOT_CONFIG"))


@dataclass
class Input:
    """One list file, read and checked before anything is judged."""

    path: str
    data: bytes
    checked: frozenset[int] | None  # the lines a diff adds; None: the whole file
    trust: suppress.Trust | None  # with a diff: only the suppressions of the version before it count
    parsed: document.Parsed  # read once: a 100,000-entry list takes a while


@dataclass
class Result:
    path: str
    doc: document.Document
    resolved: config_mod.Config
    findings: list[Finding]
    checked: frozenset[int] | None
    fixed: list[fix.LineFix] | None
    data: bytes


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    # A short-lived process that builds one large graph with no cycles: the cycle collector would only
    # walk it again and again (half the time of a 100,000-entry check).
    gc.disable()
    # Retry chatter from the adapters is for the service's logs; here an outage shows up as the
    # "not verified" notices on the entries it affected.
    logging.basicConfig(level=logging.ERROR, stream=stderr, format="%(levelname)s %(name)s: %(message)s")
    try:
        cfg = narrowed(load_config(args.config), args.select, args.ignore)
        patches: dict[str, bytes] = {}  # the --diff, read once however many files it covers
        inputs = [_input(path, args, patches, stderr) for path in _paths(args.file, cfg)]
        if args.fix:  # before any lookup: --fix would not write through a link
            for i in inputs:
                safe_write.refuse_link(i.path)
        if not args.offline and (url := os.environ.get("REDIS_URL")):
            _redis(url)
    except (config_mod.ConfigError, UsageError, safe_write.WriteError) as exc:
        stderr.write(f"error: {exc}\n")
        return 2

    sources = Sources(cfg, args.offline, stderr)
    results = []
    for i in inputs:
        try:
            results.append(_judge(i, cfg, args, sources))
        except UsageError as exc:
            stderr.write(f"error: {exc}\n")
            return 2
    for r in results:
        if r.doc.items and not any(i.in_scope for i in r.doc.items):
            stderr.write(
                f"warning: {r.path}: no list items under a section named "
                f"{', '.join(map(repr, _names(r.resolved['sections'])))} (key `sections` in {cfg.source}); "
                "no line was judged as an entry.\n"
            )
    findings = [f for r in results for f in r.findings]
    if args.format == "markdown":
        stdout.write(_markdown(results, cfg))
        return 1 if any(f.severity == "error" for f in findings) else 0
    summary = judge.summary(findings)
    covered = [pipeline.coverage(r.doc, r.checked) for r in results]
    summary["items"], summary["entries"] = sum(c[0] for c in covered), sum(c[1] for c in covered)
    summary["format"] = _format(results[0]) if results else None
    if len(results) > 1:
        summary["files"] = [
            {"path": r.path, "items": c[0], "entries": c[1], "format": _format(r)}
            for r, c in zip(results, covered, strict=True)
        ]
    fixed = [(r.path, c) for r in results for c in r.fixed] if args.fix else None
    if args.format == "json" and not args.statistics:
        stdout.write(output.as_json(findings, summary, fixed))
        return 1 if summary["error"] else 0
    # "Not verified, the bot will check again" is the bot's word on a PR; in a terminal one line says
    # it for every entry the sources could not be asked about.
    unverified = [f for f in findings if f.unverified]
    if unverified:
        findings = [f for f in findings if not f.unverified]
        summary.update(judge.summary(findings))
        entries = len({(f.path, f.line) for f in unverified})
        stderr.write(
            f"warning: {' and '.join(sorted({f.unverified for f in unverified}))} could not be reached: "
            f"{entries} entr{'y' if entries == 1 else 'ies'} not verified; run again later, or use --offline\n"
        )
    for r in results:
        if withheld := _withheld(r):
            stderr.write(f"note: {r.path}: no format advice: {withheld}. {FORMAT_FREE}\n")
    if args.statistics:
        stdout.write(output.statistics(findings, as_json=args.format == "json"))
    elif args.format == "github":
        stdout.write(output.fixes(fixed) + output.github(findings, summary))
    elif args.format == "sarif":
        stdout.write(output.sarif(findings, _version()))
    else:
        stdout.write(output.fixes(fixed) + output.text(findings, summary, colour=_tty(stdout)))
    return 1 if summary["error"] else 0


def narrowed(cfg: config_mod.Config, select: list[str] | None, ignore: list[str] | None) -> config_mod.Config:
    """The config with `--select` (only these rules) and `--ignore` (not these) on top."""
    known = [r.id for r in config_mod.rules()]

    def ids(values: list[str] | None, flag: str) -> list[str] | None:
        if values is None:
            return None
        out = [x.strip() for v in values for x in v.split(",") if x.strip()]
        for x in out:
            if x not in known:
                import difflib

                close = difflib.get_close_matches(x, known, n=1)
                hint = f" (did you mean {close[0]}?)" if close else ""
                raise UsageError(f"{flag}: {x!r} is not a rule{hint}; `awesome-review rules` lists them")
        return out

    chosen, dropped = ids(select, "--select"), ids(ignore, "--ignore")
    if chosen is None and dropped is None:
        return cfg
    return cfg.with_rules(chosen, dropped or [])


def _paths(given: list[str], cfg: config_mod.Config) -> list[str]:
    """The files named (globs expanded, in order, once each), else the config's `files`."""
    if not given:
        return list(cfg["files"])
    out: dict[str, None] = {}
    for pattern in given:
        if glob.has_magic(pattern):
            found = sorted(glob.glob(pattern, recursive=True))
            if not found:
                raise UsageError(f"{pattern}: no file matches")
            out.update(dict.fromkeys(p for p in found if not Path(p).is_dir()))
        else:
            out[pattern] = None
    return list(out)


def _input(path: str, args, patches: dict[str, bytes], stderr: TextIO) -> Input:
    data = _read(path, "list file")
    parsed = _is_list(path, data, stderr)
    if not (args.staged or args.diff is not None):
        return Input(path, data, None, None, parsed)
    if args.staged:
        patch = _staged(path)
    else:  # stdin can be read only once
        if args.diff not in patches:
            patches[args.diff] = sys.stdin.buffer.read() if args.diff == "-" else _read(args.diff, "diff")
        patch = patches[args.diff]
    try:
        change = file_change(document.decode(patch)[0], path)
    except DiffError as exc:
        raise UsageError(f"{'<stdin>' if args.diff == '-' else args.diff}: {exc}") from None
    trust = suppress.Trust(change.added, suppress.none_removed(change.removed))
    return Input(path, data, change.added, trust, parsed)


def _is_list(path: str, data: bytes, stderr: TextIO) -> document.Parsed:
    """A file that holds no list is not checked: a step pointed at the wrong path must fail, not pass
    on "0 entries checked"."""
    if b"\0" in data[:8192]:
        raise UsageError(f"{path}: is a binary file, not a list")
    text, _ = document.decode(data)
    if not text.strip():
        raise UsageError(f"{path}: is empty: there is no list to check")
    parsed = document.parse(text, progress=progress.bar(stderr, "reading", " lines", delay=LOCAL_DELAY))
    if not any(r == ENTRY for r in parsed.roles):
        raise UsageError(f"{path}: holds no list (no list items or table rows): nothing to check")
    return parsed


def _judge(i: Input, cfg: config_mod.Config, args, sources: Sources) -> Result:
    docs: list[document.Document] = []
    # The format and the calibration are learnt once, from the list before the change (the file less
    # the lines a diff adds) so an added line cannot set the rules it is judged by; a whole file is
    # its own base, calibrated as it is judged. --fix keeps both between passes.
    text, _ = document.decode(i.data)
    original = i.parsed
    if i.checked:
        resolved = pipeline.calibrated(cfg, document.parse(pipeline.without(text, i.checked)))
    else:
        resolved = pipeline.resolve(cfg, original)

    def review(again: bytes, checked: frozenset[int] | None):
        nonlocal resolved
        trust = (
            i.trust
            if i.trust is None or checked == i.checked
            else suppress.Trust(checked or frozenset(), i.trust.intact)
        )
        found = pipeline.review_file(
            again, i.path, resolved, checked, lookup=sources.arxiv, repo_lookup=sources.repos,
            today=sources.today, records_lookup=sources.records,
            parsed=original if again is i.data else None, trust=trust,
            progress=progress.bar(sources.stderr, "checking", " entries", delay=LOCAL_DELAY),
        )  # fmt: skip
        docs.append(found.doc)
        resolved = found.doc.config  # calibrated now, on the file as it was first judged
        return found.doc.lines, found.findings, found.doc.bad_bytes

    if args.fix:
        done = fix.fix(i.data, i.checked, review, unsafe=args.unsafe_fixes)
        if done.fixed:
            try:  # never through a link, never over an edit made while the lookups ran
                safe_write.replace(i.path, done.data, expected=i.data)
            except safe_write.WriteError as exc:
                raise UsageError(str(exc)) from None
        return Result(i.path, docs[-1], resolved, done.remaining, done.checked, done.fixed, done.data)
    findings = review(i.data, i.checked)[1]
    return Result(i.path, docs[-1], resolved, findings, i.checked, None, i.data)


def _format(r: Result) -> dict:
    return {
        "format": r.doc.grammar.describe(),
        "inferred": "grammar.entry" in r.resolved.inferred,
        "withheld": _withheld(r) or None,
    }


def _withheld(r: Result) -> str:
    """Why the file's format gives no advice ("" when it does)."""
    cal = r.doc.config.calibration
    return cal.withheld if cal else ""


def _markdown(results: list[Result], cfg: config_mod.Config) -> str:
    """The review the bot would post for these files and lines: the same planner, nothing posted."""
    from ..core.verdict.plan import as_markdown
    from ..core.verdict.review import FileReview, plan_review

    files = [
        FileReview(r.path, pipeline.reviewed_items(r.doc, r.checked), r.findings, grammar=r.doc.grammar,
                   added=r.checked, withheld=_withheld(r))
        for r in results
    ]  # fmt: skip
    head = hashlib.sha1(b"".join(r.data for r in results)).hexdigest()
    plan = plan_review(head, files, cfg)
    return as_markdown(plan, "The review awesome-review would post (nothing was posted)")


def _names(sections) -> list[str]:
    return sections if isinstance(sections, list) else [str(sections)]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awesome-review")
    except PackageNotFoundError:
        return "0"


def _redis(url: str) -> None:
    from ..adapters.redis_url import RedisUrlError, check

    try:
        check(url)
    except RedisUrlError as exc:
        raise UsageError(f"{exc} (or pass --offline)") from None


def _staged(path: str) -> bytes:
    """`git diff --cached` of the file: what a commit would add, as pre-commit sees it."""
    import subprocess

    def git(*args: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(["git", *args], capture_output=True, timeout=60, check=False)
        except OSError as exc:
            raise UsageError(f"--staged needs git ({exc.strerror})") from None

    if git("rev-parse", "--is-inside-work-tree").stdout.strip() != b"true":
        raise UsageError(
            "--staged: not inside a git work tree (run it in the repository, or use --diff PATCH)"
        )
    done = git("diff", "--cached", "--no-color", "--no-ext-diff", "--", path)
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"--staged: git diff --cached failed: {said[0] if said else done.returncode}")
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


def _tty(stream: TextIO) -> bool:
    return hasattr(stream, "isatty") and stream.isatty() and not os.environ.get("NO_COLOR")
