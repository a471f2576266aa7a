"""`python -m bot` / `awesome-review`: check | rules | rule | init | add | review | config check | serve |
web | worker | github-app."""

from __future__ import annotations

import argparse
import difflib
import sys

FORMATS = ("text", "json", "github", "sarif", "markdown")


class Parser(argparse.ArgumentParser):
    """argparse, with a subcommand's own usage on a mistyped option (`check --ofline` shows check's,
    not the top level's), a close match suggested, and every message on one line after the usage."""

    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        ns, extra = self.parse_known_args(args, namespace)
        if extra:
            owner = self._owner(ns)
            known = [s for a in owner._actions for s in a.option_strings]
            first = next((x for x in extra if x.startswith("-")), extra[0])
            close = difflib.get_close_matches(first.split("=", 1)[0], known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            owner.error(f"unrecognized argument{'s' if len(extra) > 1 else ''}: {' '.join(extra)}{hint}")
        return ns

    def _owner(self, ns: argparse.Namespace) -> argparse.ArgumentParser:
        """The innermost subcommand's parser that `ns` went through."""
        parser: argparse.ArgumentParser = self
        while True:
            sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
            name = getattr(ns, sub.dest, None) if sub is not None else None
            if sub is None or name not in sub.choices:
                return parser
            parser = sub.choices[name]

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("awesome-review")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


class _Version(argparse._VersionAction):
    """`--version`, the installed version read only when asked: reading it imports importlib.metadata
    (tens of milliseconds) that every other command would pay for."""

    def __call__(self, parser, namespace, values, option_string=None):
        self.version = f"awesome-review {_version()}"
        super().__call__(parser, namespace, values, option_string)


def parser() -> Parser:
    p = Parser(prog="awesome-review", description="Review contributions to curated paper lists.")
    p.add_argument("--version", action=_Version, help="show program's version number and exit")
    p.add_argument(
        "--explain", metavar="RULE", help="a rule's doc with a bad entry and its fix (as `rule RULE`)"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    c = sub.add_parser(
        "check",
        help="check list files, or only the lines a diff adds",
        description="Judge list files as the bot does. Exit 0: no errors; 1: errors; 2: bad usage or config.",
    )
    c.add_argument(
        "file",
        nargs="*",
        metavar="FILE",
        help="list files or globs (docs/*.md); default: the config's `files` (README.md)",
    )
    c.add_argument(
        "--diff", metavar="PATCH", help="a unified diff; only its added lines are judged ('-': stdin)"
    )
    c.add_argument(
        "--staged",
        action="store_true",
        help="judge the lines `git add` staged (the rest of the file is context): what pre-commit runs",
    )
    c.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default); json; github (workflow annotations); sarif (code scanning); "
        "markdown (the review the bot would post: comments, summary, labels, check)",
    )
    c.add_argument(
        "--config",
        metavar="PATH",
        help="a config.yml (default: $BOT_CONFIG, else the repository's .github/awesome-review.yml)",
    )
    c.add_argument(
        "--offline",
        action="store_true",
        help="no network: ask neither arXiv, Semantic Scholar, OpenReview nor GitHub (their rules skip)",
    )
    c.add_argument("--fix", action="store_true", help="apply the safe suggestions to the files in place")
    c.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, also delete duplicates and apply guesses (titles, venues from records)",
    )
    c.add_argument(
        "--select",
        metavar="RULES",
        action="append",
        help="only these rules (ids, comma-separated), on top of the config",
    )
    c.add_argument(
        "--ignore",
        metavar="RULES",
        action="append",
        help="turn these rules off (ids, comma-separated), on top of the config",
    )
    c.add_argument(
        "--statistics", action="store_true", help="count the findings per rule instead of listing them"
    )

    sub.add_parser("rules", help="the table of rules: id, default severity, what each finds")
    rl = sub.add_parser("rule", help="one rule: its doc, options, a bad entry and its fix")
    rl.add_argument("id", metavar="RULE", help="a rule id, e.g. duplicate")

    i = sub.add_parser("init", help="learn a list's format and print it as a commented config")
    i.add_argument("file", nargs="?", default="README.md", help="the list file (default: README.md)")
    i.add_argument(
        "--write",
        action="store_true",
        help="write .github/awesome-review.yml (where the bot and `check` read it) instead of printing it",
    )
    i.add_argument("--force", action="store_true", help="with --write, overwrite an existing file")
    i.add_argument(
        "--format",
        choices=("yaml", "json"),
        default="yaml",
        help="json: the learnt config and every item read (line, section, paper entry, template)",
    )

    r = sub.add_parser("review", help="run the review job once: for an Actions event file, or OWNER/REPO#N")
    r.add_argument("target", nargs="?", metavar="OWNER/REPO#N", help="a pull request (its current head)")
    r.add_argument(
        "--event",
        metavar="PATH",
        help="a pull_request(_target), issue_comment or issues event file ($GITHUB_EVENT_PATH)",
    )
    r.add_argument("--dry-run", action="store_true", help="print the review as markdown; post nothing")
    r.add_argument(
        "--login",
        metavar="LOGIN",
        help="who the token posts as, e.g. my-app[bot] (default: found from the bot's own comments)",
    )

    from .cli.add_cmd import add_parser

    add_parser(sub)

    cf = sub.add_parser("config", help="validate a config")
    cf_sub = cf.add_subparsers(dest="config_command", required=True, metavar="COMMAND", parser_class=Parser)
    cc = cf_sub.add_parser("check", help="validate a config and print the effective one (defaults merged)")
    cc.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="a config file (default: --config, $BOT_CONFIG, .github/awesome-review.yml, ./config.yml)",
    )
    cc.add_argument("--config", metavar="PATH", help="the same as PATH, as `check` spells it")
    # For the project's own maintainers: rewrites files of an awesome-review checkout, so it is not
    # listed in --help and refuses to run anywhere else.
    cg = cf_sub.add_parser("generate")
    cg.add_argument("--root", default=".", help="the awesome-review checkout (default: .)")

    for name, text in (
        ("serve", "the webhook receiver and a worker in one process"),
        ("web", "the webhook receiver alone (deployments with REDIS_URL and worker processes)"),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
        s.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
        s.add_argument("--config", metavar="PATH", help="the deployment's config.yml (default: ./config.yml)")

    w = sub.add_parser("worker", help="a queue worker alone (deployments with REDIS_URL)")
    w.add_argument("--config", metavar="PATH", help="the deployment's config.yml (default: ./config.yml)")

    a = sub.add_parser(
        "github-app", help="create the bot's GitHub App from its manifest (GitHub's manifest flow)"
    )
    a.add_argument("--webhook-url", required=True, help="where GitHub sends events: https://HOST/webhook")
    a.add_argument("--org", help="create the App under this organisation (default: your account)")
    a.add_argument("--name", help="the App's name (default: awesome-review; GitHub lets you change it)")
    a.add_argument("--env-file", default=".env", help="where to write its id, key and secret (default: .env)")
    a.add_argument("--port", type=int, default=0, help="local port of the form and redirect (default: any)")
    _hide(cf_sub, "generate")
    return p


def _hide(sub: argparse._SubParsersAction, name: str) -> None:
    """Leave a subcommand out of the help's list (argparse has no flag for it)."""
    sub._choices_actions = [a for a in sub._choices_actions if a.dest != name]
    sub.metavar = "{" + ",".join(a.dest for a in sub._choices_actions) + "}"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The arguments, checked; bad usage exits 2 with the subcommand's usage and one line."""
    p = parser()
    args = p.parse_args(argv)
    if args.command is None:
        if args.explain:
            args.command, args.id = "rule", args.explain
        else:
            p.error(
                "a command is needed: check, rules, rule, init, review, config, serve, web, worker, github-app"
            )
    elif args.explain:
        p.error(
            "--explain RULE stands alone: `awesome-review --explain RULE` (or `awesome-review rule RULE`)"
        )
    if args.command == "check":
        if args.unsafe_fixes and not args.fix:
            p._owner(args).error("--unsafe-fixes goes with --fix")
        if args.staged and args.diff is not None:
            p._owner(args).error("--staged and --diff both name the lines to judge: pass one")
    if args.command == "review" and args.target and args.event:
        p._owner(args).error("review takes OWNER/REPO#N or --event PATH, not both")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.command == "check":
        from .cli.check import run

        return run(args)
    if args.command in ("rules", "rule"):
        from .cli import rules_cmd

        return rules_cmd.table() if args.command == "rules" else rules_cmd.explain(args.id)
    if args.command == "init":
        from .cli.init_cmd import run as init

        return init(args)
    if args.command == "add":
        from .cli.add_cmd import run as add

        return add(args)
    if args.command == "review":
        from .service.once import run as review

        return review(args)
    if args.command == "config":
        from .cli.config_cmd import check as config_check
        from .cli.config_cmd import generate

        return generate(args) if args.config_command == "generate" else config_check(args)
    if args.command in ("serve", "web", "worker"):
        from .service.serve import StartupError, serve, web, worker

        try:
            if args.command == "worker":
                return worker(args.config) or 0
            return (serve if args.command == "serve" else web)(args.host, args.port, args.config) or 0
        except StartupError as exc:
            sys.stderr.write(f"error: {exc}\n")
            return exc.code
    if args.command == "github-app":
        from .cli.github_app import run as create_app

        return create_app(args)
    raise AssertionError(args.command)  # argparse allows no other command


if __name__ == "__main__":
    sys.exit(main())
