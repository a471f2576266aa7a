"""The deploy kit: Dockerfile, compose.yml, the GitHub App manifest and `github-app` (its manifest flow).

No docker engine runs on most machines that run these tests: the image is built and run only where
`docker info` answers; the rest holds everywhere (the image's entry point is the README's command, its
HEALTHCHECK probes a real `serve`, compose's variables are the ones the settings read, and the
manifest flow runs against the local GitHub).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
import yaml

from bot.__main__ import parser
from bot.settings import Settings
from tests.fakes.github_server import FakeGitHub

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    out: list[tuple[str, str]] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        if not pending and (not raw.strip() or raw.lstrip().startswith("#")):
            continue
        line = pending + raw.strip()
        if line.endswith("\\"):
            pending = line[:-1] + " "
            continue
        pending = ""
        op, _, rest = line.partition(" ")
        out.append((op.upper(), rest.strip()))
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = dockerfile()
    start = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    return steps[start:]


def exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(a, str) for a in value), f"not exec form: {args}"
    return value


def image_command() -> list[str]:
    """What the image runs with no arguments: ENTRYPOINT + CMD, both in exec form."""
    stage = dict(final_stage())
    return exec_form(stage["ENTRYPOINT"]) + exec_form(stage["CMD"])


def healthcheck() -> list[str]:
    args = dict(final_stage())["HEALTHCHECK"]
    return exec_form(args[args.index("CMD ") + 4 :])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_image_runs_the_command_the_readme_documents():
    argv = image_command()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert argv[0] in scripts, f"{argv[0]} is not a console script of the package"
    parser().parse_args(argv[1:])  # the CLI accepts it (argparse exits 2 otherwise)
    assert argv[1] == "serve" and "0.0.0.0" in argv  # reachable from outside the container
    readme = (ROOT / "README.md").read_text()
    assert shlex.join(argv) in readme, f"the README does not document `{shlex.join(argv)}`"


def test_image_is_slim_and_does_not_run_as_root():
    stage = final_stage()
    assert re.fullmatch(r"python:3\.\d+-slim", stage[0][1]), stage[0]
    users = [args for op, args in stage if op == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")
    assert dict(stage)["ENV"].count("BOT_DATA_DIR=/data")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "*.pem", ".git", ".venv"} <= set(ignored)  # no secret or checkout baked in


def test_healthcheck_probes_healthz_of_the_image_command(tmp_path):
    """The image's command, run here on a free port, answers the HEALTHCHECK; stopped, it fails it."""
    argv = image_command()
    port = free_port()
    cmd = [str(BIN / argv[0]), *argv[1:]]
    cmd[cmd.index("--port") + 1] = str(port)
    cmd[cmd.index("--host") + 1] = "127.0.0.1"  # the same server; not exposed on this machine
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "REDIS_", "BOT_"))},
        "BOT_DATA_DIR": str(tmp_path / "data"),
        "PORT": str(port),
    }
    probe = healthcheck()
    assert "/healthz" in " ".join(probe)
    probe = [sys.executable if probe[0] == "python" else probe[0], *probe[1:]]
    server = subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            r = subprocess.run(probe, env=env, capture_output=True, timeout=30)
            if r.returncode == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.returncode == 0, r.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert subprocess.run(probe, env=env, capture_output=True, timeout=30).returncode != 0


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yml").read_text())


def test_compose_runs_the_procfile_processes_on_redis():
    c = compose()
    assert set(c["services"]) == {"web", "worker", "redis"}
    procfile = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line)
    web = c["services"]["web"]
    assert web["entrypoint"] == shlex.split(procfile["web"].replace("${PORT:-8000}", "8000"))
    assert c["services"]["worker"]["command"] == ["worker"] and procfile["worker"].endswith(" worker")
    assert c["services"]["worker"]["healthcheck"] == {"disable": True}  # no HTTP server there
    for name in ("web", "worker"):
        env = c["services"][name]["environment"]
        assert env["REDIS_URL"].startswith("redis://redis:")  # the compose service's name
        assert c["services"][name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert c["services"]["redis"]["image"].startswith("redis:")


def parse_env_file(text: str) -> dict[str, str]:
    """The .env syntax compose reads: 'single' quotes literal, "double" quotes with \\n escapes."""
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, value = line.partition("=")
        if value[:1] == "'":
            value = value[1:-1]
        elif value[:1] == '"':
            value = value[1:-1].replace("\\n", "\n")
        out[key] = value
    return out


def interpolate(value: str, env: dict[str, str]) -> str:
    """${VAR}, ${VAR:-default}, ${VAR:?error} as compose interpolates them; a missing :? fails."""

    def one(m: re.Match) -> str:
        name, op, arg = m[1], m[2], m[3]
        if env.get(name):
            return env[name]
        assert op != ":?", f"compose would stop: {arg}"
        return arg or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", one, value)


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action") or ""
        elif tag == "input" and a.get("name"):
            self.fields[a["name"]] = a.get("value") or ""


@pytest.fixture
def created_app(tmp_path, github_server: FakeGitHub):
    """`awesome-review github-app` run as a maintainer would, its browser played by requests."""
    env = {**os.environ, "GITHUB_API_URL": github_server.url, "NO_COLOR": "1"}
    env_file = tmp_path / ".env"
    proc = subprocess.Popen(
        [str(BIN / "awesome-review"), "github-app", "--webhook-url", "https://bot.example.org/webhook",
         "--org", "paper-lists", "--env-file", str(env_file)],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first = proc.stdout.readline()
        local = re.search(r"Open (http://127\.0\.0\.1:\d+)/ ", first)[1]
        # A callback that is not GitHub's answer to this form is refused, and changes nothing.
        forged = requests.get(f"{local}/callback", params={"code": "abc", "state": "guess"}, timeout=10)
        assert forged.status_code == 400 and not env_file.exists()
        form = _Form()
        form.feed(requests.get(f"{local}/", timeout=10).text)
        assert form.action.startswith(
            f"{github_server.url}/organizations/paper-lists/settings/apps/new?state="
        )
        done = requests.post(form.action, data=form.fields, timeout=30)  # GitHub redirects back
        assert done.status_code == 200 and "Created" in done.text, done.text
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    return github_server, env_file, local, first + out


def test_github_app_is_created_from_the_manifest_through_githubs_flow(created_app):
    gh, env_file, local, out = created_app
    (received,) = gh.app_manifests
    m = received["manifest"]
    assert received["org"] == "paper-lists"
    assert m["hook_attributes"] == {"url": "https://bot.example.org/webhook", "active": True}
    assert m["url"] == "https://bot.example.org/" and m["redirect_url"] == f"{local}/callback"
    assert m["default_permissions"] == {
        "pull_requests": "write",  # reviews with inline comments; the PR's files
        "issues": "write",  # the summary comment, labels
        "checks": "write",  # the check run
        "contents": "write",  # the list file and .github/awesome-review.yml; /add's branch and commit
        "metadata": "read",
    }
    from bot.service import events

    handled = set(events._HANDLERS) - {"ping"}  # ping comes to every hook unasked
    assert handled <= set(m["default_events"]), handled
    assert "Install it on the list's repository:" in out and "/installations/new" in out
    assert env_file.stat().st_mode & 0o777 == 0o600


def test_the_written_env_file_authenticates_as_the_new_app(created_app):
    """compose's variables, interpolated from the .env the flow wrote, become Settings whose App key
    mints an installation token on GitHub: the key and id are the App's own."""
    gh, env_file, _, _ = created_app
    dotenv = parse_env_file(env_file.read_text())
    env = {k: interpolate(str(v), dotenv) for k, v in compose()["services"]["worker"]["environment"].items()}
    settings = Settings.from_env(env)
    assert settings.github_app_id == str(gh.app_id) and settings.redis_url == "redis://redis:6379/0"
    assert settings.webhook_secret and settings.github_app_private_key.startswith(
        "-----BEGIN RSA PRIVATE KEY-----\n"
    )
    from bot.adapters.github import InstallationTokens

    token = InstallationTokens(settings).token(gh.app_id + 1)
    assert gh.tokens[token].kind == "installation"
    # The same file sourced by a shell keeps the key's \n escapes: the settings read them too.
    escaped = {**env, "GITHUB_APP_PRIVATE_KEY": env["GITHUB_APP_PRIVATE_KEY"].replace("\n", "\\n")}
    assert Settings.from_env(escaped).github_app_private_key == settings.github_app_private_key


def test_github_app_refuses_to_overwrite_an_env_file(tmp_path):
    (tmp_path / ".env").write_text("KEEP=1\n")
    r = subprocess.run(
        [str(BIN / "awesome-review"), "github-app", "--webhook-url", "https://h/webhook"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert r.returncode == 2 and ".env: already exists" in r.stderr
    assert (tmp_path / ".env").read_text() == "KEEP=1\n"


def _docker() -> str:
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "info"], capture_output=True, timeout=60).returncode != 0:
        pytest.skip("no docker engine here (`docker info` fails)")
    return docker


def test_docker_image_builds_runs_healthy_and_not_as_root():
    docker = _docker()
    tag = "awesome-review-test:latest"
    subprocess.run([docker, "build", "-q", "-t", tag, str(ROOT)], check=True, timeout=900)
    port = free_port()
    cid = subprocess.run(
        [docker, "run", "-d", "--rm", "-p", f"127.0.0.1:{port}:8000", tag],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout.strip()  # fmt: skip
    try:
        health = ""
        for _ in range(120):
            health = subprocess.run(
                [docker, "inspect", "-f", "{{.State.Health.Status}}", cid], capture_output=True, text=True
            ).stdout.strip()
            if health in ("healthy", "unhealthy"):
                break
            time.sleep(1)
        assert health == "healthy"
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).json()["status"] == "ok"
        uid = subprocess.run([docker, "exec", cid, "id", "-u"], capture_output=True, text=True).stdout.strip()
        assert uid and uid != "0"
    finally:
        subprocess.run([docker, "rm", "-f", cid], capture_output=True, timeout=60)
