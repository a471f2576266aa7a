"""`add URL`: the entry for a paper written in the list's format, its section and the line it goes
after, the same answer the bot gives on an issue; `--write` inserts it into the file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # the parser is built for every command: what `add` runs is imported when it runs
    from ..core.intake.answer import Proposal


def add_parser(sub: argparse._SubParsersAction) -> None:
    a = sub.add_parser(
        "add",
        help="write a paper's entry in the list's format and say where it goes",
        description="The entry and its place, as the bot answers an issue. Exit 0: printed or written; "
        "1: nothing to add (a duplicate, an unknown paper, a source not reached); 2: bad usage or config.",
    )
    a.add_argument("url", help="the paper: an arXiv, OpenReview, ACL Anthology or DOI link (or arXiv:ID)")
    a.add_argument("--file", default="README.md", help="the list file (default: README.md)")
    a.add_argument("--code", metavar="URL", help="the paper's code repository, for the entry's code link")
    a.add_argument("--section", metavar="NAME", help="put it in this section instead of the one chosen")
    a.add_argument("--write", action="store_true", help="insert the entry into the file")
    a.add_argument(
        "--config",
        metavar="PATH",
        help="a config.yml (default: $BOT_CONFIG, else the repository's .github/awesome-review.yml)",
    )


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    from ..core.config import config as config_mod
    from ..core.intake import links
    from ..core.intake.answer import arxiv_ids, inserted, propose, record_ids
    from ..core.read import document
    from ..core.verdict import pipeline
    from . import safe_write
    from .check import UsageError, _read, load_config
    from .sources import arxiv_lookup, records_lookup

    try:
        cfg = load_config(args.config)
    except config_mod.ConfigError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    found = links.find(" ".join(filter(None, [args.url, args.code])))
    if not found.papers:
        stderr.write(f"error: {args.url!r} is not a paper link (arXiv, OpenReview, ACL Anthology, DOI)\n")
        return 2
    try:
        data = _read(args.file, "list file")
        if args.write:  # before any lookup: --write would not write through a link
            safe_write.refuse_link(args.file)
    except (UsageError, safe_write.WriteError) as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    text, _ = document.decode(data)
    doc = pipeline.prepare(text, cfg)
    arxiv = arxiv_lookup(cfg, stderr)
    records = records_lookup(cfg, stderr)
    looked = arxiv(arxiv_ids(found)) if arxiv else None
    recs = records(record_ids(found)) if records else None
    answer = propose(doc, found, looked, recs, today=dt.date.today(), section=args.section)
    paper = answer.proposals[0]
    problem = _problem(paper, args.file)
    if problem:
        stderr.write(f"error: {problem}\n")
        return 1
    assert paper.entry is not None and paper.spot is not None
    if paper.unverified:
        stderr.write(
            f"warning: {' and '.join(paper.unverified)} could not be reached: the tag may miss the venue\n"
        )
    where = _where(paper)
    if args.write:
        try:  # never through a link, never over an edit made while the lookups ran
            safe_write.replace(args.file, inserted(text, answer).encode("utf-8"), data, "list file")
        except safe_write.WriteError as exc:
            stderr.write(f"error: {exc}\n")
            return 2
        stdout.write(f"{args.file}:{paper.spot.line}: added {where}\n{paper.entry}\n")
        return 0
    stdout.write(f"{paper.entry}\n")
    stdout.write(f"{args.file}:{paper.spot.line}: {where}\n")
    return 0


def _where(p: Proposal) -> str:
    assert p.spot is not None and p.choice is not None
    section = f"in “{p.choice.first}”" + (f" (or “{p.choice.second}”, close)" if p.choice.second else "")
    if p.spot.after is not None:
        title = p.spot.after.entry.title if p.spot.after.entry else ""
        return f"{section}, after line {p.spot.after.end}: “{title[:100]}”"
    return f"{section}, first in the section, above line {p.spot.line}"


def _problem(p: Proposal, path: str) -> str:
    if p.duplicate is not None:
        return f"already in the list at {path}:{p.duplicate[0]}: “{p.duplicate[1][:100]}”"
    if p.unverified and not p.title:
        return f"{' and '.join(p.unverified)} could not be reached: run again later"
    if not p.title:
        return p.unknown or "no source knows this paper"
    if p.requested:
        return f"{path} has no paper section named “{p.requested}”"
    if p.entry is None:
        return "this list's format needs a field the paper's metadata does not give"
    if p.spot is None:
        return f"{path} has no paper section to put it in"
    if p.unverified:
        return (
            f"{' and '.join(p.unverified)} could not be reached (the venue may be missing): run again later"
        )
    return ""
