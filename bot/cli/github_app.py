"""`github-app`: create the bot's GitHub App from its manifest (bot/github-app.json), GitHub's way.

GitHub's manifest flow: a form POSTs the manifest to github.com/settings/apps/new (or an
organisation's), the maintainer names the App and confirms, GitHub redirects to the manifest's
`redirect_url` with a one-time `code`, and `POST /app-manifests/{code}/conversions` (within an hour,
no authentication) returns the App's id, private key and webhook secret. This command serves that
form and that redirect on 127.0.0.1 only, for the browser on this machine, and writes what GitHub
returns to an env file the deploy kit reads (compose.yml), readable by the owner only.
"""

from __future__ import annotations

import html
import json
import os
import re
import secrets
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib.resources import files
from pathlib import Path
from typing import TextIO
from urllib.parse import parse_qs, quote, urlsplit

_CODE = re.compile(r"[A-Za-z0-9_-]{1,200}")


def manifest(webhook_url: str, redirect_url: str, name: str | None = None) -> dict:
    """The shipped manifest with this deployment's webhook URL, homepage and redirect."""
    m = json.loads(files("bot").joinpath("github-app.json").read_text(encoding="utf-8"))
    parts = urlsplit(webhook_url)
    m["hook_attributes"]["url"] = webhook_url
    m["url"] = f"{parts.scheme}://{parts.netloc}/"  # the status page
    m["redirect_url"] = redirect_url
    if name:
        m["name"] = name
    return m


def web_url(api_url: str) -> str:
    """github.com for api.github.com; GitHub Enterprise serves both under one host (/api/v3)."""
    api_url = api_url.rstrip("/")
    return "https://github.com" if api_url == "https://api.github.com" else api_url.removesuffix("/api/v3")


def env_text(app: dict, api_url: str) -> str:
    """compose/.env syntax: the PEM in double quotes with \\n escapes, the secret literal; the API
    URL only when it is not github.com's (GitHub Enterprise)."""
    secret, pem = str(app["webhook_secret"]), str(app["pem"])
    if "'" in secret or not re.fullmatch(r"[A-Za-z0-9+/=\n -]+", pem):
        raise ValueError("GitHub returned a secret or key this file format cannot hold")
    return (
        f"# The GitHub App {app.get('slug', '')} (id {app['id']}), from `awesome-review github-app`.\n"
        f"GITHUB_APP_ID={int(app['id'])}\n"
        f"GITHUB_WEBHOOK_SECRET='{secret}'\n"
        f'GITHUB_APP_PRIVATE_KEY="{pem.strip().replace(chr(10), chr(92) + "n")}"\n'
        + (f"GITHUB_API_URL={api_url}\n" if api_url != "https://api.github.com" else "")
    )


def run(args, stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    import requests

    from ..adapters.http import BoundedSession
    from ..settings import Settings

    parts = urlsplit(args.webhook_url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        stderr.write(f"error: --webhook-url {args.webhook_url!r}: not an http(s) URL\n")
        return 2
    out = Path(args.env_file)
    if out.exists():
        stderr.write(f"error: {out}: already exists; move it away or pass --env-file PATH\n")
        return 2
    api = Settings.from_env().github_api_url
    state = secrets.token_urlsafe(16)
    done: dict = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/":
                self._page(200, _form(action, form_manifest))
            elif url.path == "/callback":
                self._callback(parse_qs(url.query))
            else:
                self._page(404, "<p>Not here.</p>")

        def _callback(self, query: dict[str, list[str]]) -> None:
            code = (query.get("code") or [""])[0]
            if (query.get("state") or [""])[0] != state or not _CODE.fullmatch(code):
                self._page(400, "<p>This is not GitHub's answer to the form this command served.</p>")
                return
            try:
                r = BoundedSession().post(  # a deadline, a byte cap, no redirect to another host
                    f"{api}/app-manifests/{quote(code)}/conversions",
                    headers={"Accept": "application/vnd.github+json"},
                    timeout=30,
                )
            except requests.RequestException as exc:
                self._page(502, f"<p>GitHub could not be reached: {html.escape(type(exc).__name__)}.</p>")
                return
            if r.status_code != 201:
                self._page(502, f"<p>GitHub answered {r.status_code}: {html.escape(r.text[:300])}</p>")
                return
            try:
                app = r.json()
                _write_private(out, env_text(app, api))
            except (ValueError, KeyError, TypeError, OSError) as exc:
                self._page(500, f"<p>Could not write {html.escape(str(out))}: {html.escape(str(exc))}</p>")
                return
            done.update(app)
            link = f"{app.get('html_url', '')}/installations/new"
            self._page(200, f"<p>Created. Now install it on your list's repository: {_a(link)}.</p>")

        def _page(self, status: int, body: str) -> None:
            data = f"<!doctype html><meta charset=utf-8><title>awesome-review</title>{body}".encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Referrer-Policy", "no-referrer")  # the code never leaves in a Referer
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *a) -> None:  # the query holds the one-time code
            pass

    server = HTTPServer(("127.0.0.1", args.port), Handler)
    local = f"http://127.0.0.1:{server.server_port}"
    form_manifest = manifest(args.webhook_url, f"{local}/callback", args.name)
    owner = f"/organizations/{quote(args.org)}" if args.org else ""
    action = f"{web_url(api)}{owner}/settings/apps/new?state={state}"
    stdout.write(f"Open {local}/ in the browser where you are signed in to GitHub.\n")
    stdout.flush()
    server.timeout = 1.0
    try:
        while not done:
            server.handle_request()
    except KeyboardInterrupt:
        stderr.write("interrupted: no App was created by this command\n")
        return 1
    finally:
        server.server_close()
    stdout.write(
        f"Created the GitHub App {done.get('slug', '')} (id {done['id']}); wrote {out} (mode 0600).\n"
        f"Install it on the list's repository: {done.get('html_url', '')}/installations/new\n"
    )
    return 0


def _form(action: str, manifest: dict) -> str:
    perms = ", ".join(f"{k} {v}" for k, v in manifest["default_permissions"].items())
    return (
        "<h1>Create the awesome-review GitHub App</h1>"
        f"<p>GitHub will show the App filled in from its manifest: webhook {html.escape(manifest['hook_attributes']['url'])},"
        f" permissions {html.escape(perms)}, events {html.escape(', '.join(manifest['default_events']))}."
        " Name it and confirm; GitHub then sends you back here.</p>"
        f'<form action="{html.escape(action)}" method="post">'
        f'<input type="hidden" name="manifest" value="{html.escape(json.dumps(manifest))}">'
        '<button type="submit">Create the App on GitHub</button></form>'
    )


def _a(url: str) -> str:
    return f'<a href="{html.escape(url)}">{html.escape(url)}</a>'


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
