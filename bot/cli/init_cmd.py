"""`init [FILE]`: learn a list's format from the list and print it as a commented config.yml."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from ..configfile import REPO_CONFIG
from ..core.config import config as config_mod
from ..core.config.shipped import yaml_value
from ..core.format.infer import Inferred, infer
from ..core.read import document
from ..core.read.document import ENTRY
from ..core.verdict import pipeline
from . import safe_write

SHOWN = 10  # items that do not follow the format, listed on stderr


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        stderr.write(f"error: {path}: no such file\n")
        return 2
    except OSError as exc:
        stderr.write(f"error: {path}: cannot be read ({exc.strerror or exc})\n")
        return 2
    text, bad = document.decode(data)
    parsed = document.parse(text)
    if not any(r == ENTRY for r in parsed.roles):
        stderr.write(
            f"error: {path}: holds no list (no list items or table rows): nothing to learn a format from\n"
        )
        return 2
    found = infer(parsed)
    resolved = config_mod.loads("").resolved(found.config())
    doc = pipeline.prepare(parsed, resolved, base=resolved, bad_bytes=bad)
    items, ok = pipeline.coverage(doc)
    yml = render(found, path.name, items, ok)
    try:
        config_mod.overlay(config_mod.loads(""), yml, REPO_CONFIG)  # what init writes must be valid there
    except config_mod.ConfigError as exc:
        stderr.write(f"error: the config learnt from {path} does not validate ({exc}); please report it\n")
        return 1
    share = f" ({ok / items:.1%})" if items else ""
    stderr.write(f"{path}: {ok} of {items} items in the paper sections follow the learnt format{share}\n")
    odd = [i for i in doc.items if i.in_scope and not (i.entry and i.entry.follows_format)]
    for item in odd[:SHOWN]:
        first = (item.text.splitlines() or [""])[
            0
        ]  # at any line break: a "\r" would rewrite the terminal line
        stderr.write(f"  {path}:{item.line}: {first[:160]}\n")
    if len(odd) > SHOWN:
        stderr.write(
            f"  … and {len(odd) - SHOWN} more (`awesome-review check {path}` says what each lacks)\n"
        )
    if getattr(args, "format", "yaml") == "json":
        stdout.write(
            json.dumps(read_out(found, doc, path.name, items, ok), ensure_ascii=False, indent=2) + "\n"
        )
    elif not args.write:
        stdout.write(yml)
    if not args.write:
        return 0
    target = Path(REPO_CONFIG)  # where the bot reads a repository's rules, and `check` finds them
    try:  # never through a link, even one that points nowhere (it would write outside the repository)
        safe_write.refuse_link(target.parent)
        target.parent.mkdir(exist_ok=True)
        safe_write.create(target, yml.encode("utf-8"), overwrite=args.force)
    except safe_write.WriteError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    except OSError as exc:
        stderr.write(f"error: {target.parent}: cannot be written ({exc.strerror or exc})\n")
        return 2
    stderr.write(f"wrote {target}\n")
    return 0


def read_out(found: Inferred, doc: document.Document, name: str, items: int, ok: int) -> dict:
    """What was read, for anyone to see: the learnt config, and each item with its line, section,
    whether it is a paper entry (an entry in a paper section) and the template it follows."""
    return {
        "file": name,
        "config": found.config(),
        "summary": {"items": items, "entries": ok},
        "items": [
            {
                "line": i.line,
                "end": i.end,
                "section": i.section,
                "paper": i.in_scope and i.entry is not None,
                "template": i.entry.template.text if i.entry and i.entry.template else None,
                "title": i.entry.title if i.entry else "",
            }
            for i in doc.items
        ],
    }


def render(found: Inferred, name: str, items: int, ok: int) -> str:
    g = found.grammar
    counts: dict[str, int] = {}
    for t, n in found.shape_counts:  # two shapes may be written alike
        counts[t] = counts.get(t, 0) + n
    out = [
        f"# The format of {name}, learnt by `awesome-review init`: {ok} of {items} entries follow it.",
        "# Every key is optional; delete one to have it learnt from the list again on every review.",
        "",
        "# The list file the bot reviews.",
        f"files: [{yaml_value(name)}]",
        "",
        '# Headings whose items are papers (with their sub-headings); "*" takes every heading.',
        f"sections: {yaml_value(found.sections)}",
    ]
    if found.ignore_sections:
        out += [
            "# Headings that hold no papers, left out of `sections`.",
            f"ignore_sections: {yaml_value(found.ignore_sections)}",
        ]
    out += ["", "# How an entry is written.", "grammar:"]
    if "entry" in g:
        out.append("  # The shapes of an entry's first line, the usual one first.")
        out.append("  entry:")
        for t in g["entry"]:
            n = counts.get(t)
            out.append(f"    - {yaml_value(t)}" + (f"  # {n} entries" if n else ""))
    if g.get("details"):
        out += ["  # Lines an entry has below its first.", "  details:"]
        out += [f"    - {yaml_value(t)}" for t in g["details"]]
    for key, doc in (
        ("preprint_tag", "How a preprint is tagged."),
        ("venue_tag", "How a published paper is tagged."),
        ("date", "How a date is written."),
        ("link", "How a link is written."),
        ("paper_labels", "Labels of the paper link."),
        ("code_labels", "Labels of the code link."),
        ("other_labels", "Other labels the list uses."),
        ("wrapped", "Entries are hard-wrapped over several lines."),
    ):
        if key in g and (g[key] or key == "wrapped"):
            out += [f"  # {doc}", f"  {key}: {yaml_value(g[key])}"]
    newer, older = found.pairs
    order_why = f"{newer} neighbouring entries are newer above older, {older} older above newer"
    scope_why = (
        f"{found.cross_listed} papers are listed under two headings (on purpose, it seems)"
        if found.duplicate_scope == "section"
        else f"{found.cross_listed} papers are listed under two headings"
    )
    out += [
        "",
        "rules:",
        "  order:",
        f"    # {order_why}.",
        f"    direction: {found.order}",
        "  duplicate:",
        f"    # {scope_why}. A copy under another heading: auto, a warning; file, an error;",
        "    # section, allowed.",
        "    scope: auto",
        "  venue-tag:",
        "    # Well-known venues and those the list names twice or more; others get a warning.",
        f"    venues: {yaml_value(found.venues)}",
    ]
    if found.oldest:
        out += ["    # The oldest year in the list (or 2015).", f"    min_year: {found.oldest}"]
    return "\n".join(out) + "\n"
