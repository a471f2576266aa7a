"""`python -m bot` / `awesome-review`: check | init | review | config check | serve | web | worker | github-app."""

from __future__ import annotations

import argparse
import sys


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="awesome-review", description="Review contributions to curated paper lists."
    )
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="check a list file, or only the lines a diff adds")
    c.add_argument("file", help="the list file, e.g. README.md")
    c.add_argument(
        "--diff", metavar="PATCH", help="a unified diff; only its added lines are judged ('-': stdin)"
    )
    c.add_argument(
        "--staged",
        action="store_true",
        help="judge the lines `git add` staged (the rest of the file is context): what pre-commit runs",
    )
    c.add_argument("--format", choices=("text", "json", "github"), default="text")
    c.add_argument("--config", metavar="PATH", help="config.yml (default: $BOT_CONFIG, else ./config.yml)")
    c.add_argument("--offline", action="store_true", help="no network: skip the arXiv lookups")
    c.add_argument("--fix", action="store_true", help="apply the safe suggestions to the file in place")
    c.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix, also delete duplicates and take titles from arXiv",
    )

    i = sub.add_parser("init", help="learn a list's format and print it as a commented config.yml")
    i.add_argument("file", nargs="?", default="README.md", help="the list file (default: README.md)")
    i.add_argument("--write", action="store_true", help="write ./config.yml instead of printing it")
    i.add_argument("--force", action="store_true", help="with --write, overwrite an existing config.yml")

    r = sub.add_parser("review", help="run the review job once: for an Actions event file, or OWNER/REPO#N")
    r.add_argument("target", nargs="?", metavar="OWNER/REPO#N", help="a pull request (its current head)")
    r.add_argument(
        "--event",
        metavar="PATH",
        help="a pull_request(_target) or issue_comment event file ($GITHUB_EVENT_PATH)",
    )
    r.add_argument("--dry-run", action="store_true", help="print the review as markdown; post nothing")

    cf = sub.add_parser("config", help="inspect config.yml")
    cf_sub = cf.add_subparsers(dest="config_command", required=True)
    cc = cf_sub.add_parser("check", help="validate a config and print the effective one (defaults merged)")
    cc.add_argument(
        "path", nargs="?", metavar="PATH", help="config.yml (default: --config, $BOT_CONFIG, ./config.yml)"
    )
    cc.add_argument("--config", metavar="PATH", help="the same as PATH, as `check` spells it")
    cg = cf_sub.add_parser(
        "generate", help="write defaults.yml, config.schema.json and the README's rule table from the rules"
    )
    cg.add_argument("--root", default=".", help="the project's checkout (default: .)")

    for name, text in (
        ("serve", "the webhook receiver and a worker in one process"),
        ("web", "the webhook receiver alone (deployments with REDIS_URL and worker processes)"),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("--host", default="127.0.0.1")
        s.add_argument("--port", type=int, default=8000)
        s.add_argument("--config", metavar="PATH")

    w = sub.add_parser("worker", help="a queue worker alone (deployments with REDIS_URL)")
    w.add_argument("--config", metavar="PATH")

    a = sub.add_parser(
        "github-app", help="create the bot's GitHub App from its manifest (GitHub's manifest flow)"
    )
    a.add_argument("--webhook-url", required=True, help="where GitHub sends events: https://HOST/webhook")
    a.add_argument("--org", help="create the App under this organisation (default: your account)")
    a.add_argument("--name", help="the App's name (default: awesome-review; GitHub lets you change it)")
    a.add_argument("--env-file", default=".env", help="where to write its id, key and secret (default: .env)")
    a.add_argument("--port", type=int, default=0, help="local port of the form and redirect (default: any)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "check":
        from .cli.check import run

        if args.unsafe_fixes and not args.fix:
            parser().error("--unsafe-fixes goes with --fix")

        return run(args)
    if args.command == "init":
        from .cli.init_cmd import run as init

        return init(args)
    if args.command == "review":
        from .service.once import run as review

        if args.target and args.event:
            parser().error("review takes OWNER/REPO#N or --event PATH, not both")
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
