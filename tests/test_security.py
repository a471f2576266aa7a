"""Security properties, each shown against the real code: names that reach API paths, the webhook
secret, body limits, secrets in logs, contributor text in the bot's comments, YAML loading."""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from werkzeug.serving import make_server

from bot.core.config import config as config_mod
from bot.core.repo_name import parse_github_repo, valid_full_name, valid_owner, valid_repo
from bot.service.app import create_app
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.fakes import free_port
from tests.fakes.github_server import FakeGitHub

# -- owner/repo names from contributor URLs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/Linear95/SPAG", ("Linear95", "SPAG")),
        ("https://github.com/owner/repo.git", ("owner", "repo")),
        ("https://www.github.com/owner/repo/", ("owner", "repo")),
        ("https://github.com/owner/repo/tree/main/src", ("owner", "repo")),  # extra segments dropped
        ("https://github.com/owner/repo?tab=readme-ov-file#usage", ("owner", "repo")),
        ("http://github.com/my-org/my_repo.v2", ("my-org", "my_repo.v2")),
        ("HTTPS://GitHub.com/o/r", ("o", "r")),
    ],
)
def test_repository_urls_give_their_owner_and_name(url: str, expected: tuple[str, str]) -> None:
    assert parse_github_repo(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/../../user",
        "https://github.com/owner/..",
        "https://github.com/owner/.",
        "https://github.com/./repo",
        "https://github.com/owner/repo/../../orgs/x",
        "https://github.com/owner/%2e%2e",
        "https://github.com/owner%2Fother/repo",
        "https://github.com/owner/re%3Fpo",
        "https://github.com//owner/repo",
        "https://github.com/owner",
        "https://github.com/",
        "https://github.com/owner/repo\\..\\x",
        "https://github.com/owner/re po",
        "https://github.com/owner/repo\n/x",
        "https://github.com/own\u0435r/repo",  # a Cyrillic letter: not a GitHub login
        "https://github.com/-owner/repo",
        "https://github.com/orgs/acme",
        "https://github.com/settings/profile",
        "https://github.com.evil.example/owner/repo",
        "https://evil.example/github.com/owner/repo",
        "https://github.com@evil.example/owner/repo",
        "https://user:pass@github.com/owner/repo",
        "https://github.com:8443/owner/repo",
        "https://github.com:bad/owner/repo",
        "ftp://github.com/owner/repo",
        "javascript://github.com/owner/repo",
        "github.com/owner/repo",
        "https://github.com/" + "a" * 40 + "/repo",
        "https://github.com/owner/" + "r" * 101,
        "https://[::1]/owner/repo",
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    assert parse_github_repo(url) is None


def test_names_alone() -> None:
    assert valid_full_name("octo/awesome-self-play")
    for bad in ("../..", "octo/..", "octo/a/b", "octo", "/repo", "octo/", "o?x/r", "o/r#x", "o/r%2f", "o/ r"):
        assert not valid_full_name(bad), bad
    assert valid_owner("a") and not valid_owner("") and not valid_owner("a.b")
    assert valid_repo(".github") and valid_repo("a..b") and not valid_repo("..") and not valid_repo("a/b")
    assert not valid_full_name(None)  # type: ignore[arg-type]


def test_webhook_full_name_with_dot_segments_is_a_bad_payload() -> None:
    """The payload's ``repository.full_name`` goes into every API path of the job."""
    import json
    from pathlib import Path

    from bot.service.errors import BadPayload
    from bot.service.events import ReviewJob, classify

    fixture = Path(__file__).parent / "fixtures" / "github" / "pull_request.opened.json"
    headers = {"X-GitHub-Delivery": "d-1"}
    for bad in ("../..", "octo/..", "octo/repo/pulls", "octo/repo?x=1"):
        payload = json.loads(fixture.read_text())
        payload["repository"]["full_name"] = bad
        with pytest.raises(BadPayload) as err:
            classify("pull_request", headers, payload)
        assert err.value.field == "repository.full_name"
        job = classify("pull_request", headers, json.loads(fixture.read_text()))
        with pytest.raises(BadPayload):  # a job read back from the queue store is checked again
            ReviewJob.from_dict({**job.to_dict(), "repo": bad})


# -- the webhook secret, the body limit, the signature compare --------------------------------------

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures" / "github"


def child_env(**extra: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "ARXIV_", "REDIS_", "BOT_"))}
    return {**keep, "PYTHONPATH": str(ROOT), **extra}


def test_credentials_without_a_secret_refuse_to_start(tmp_path: Path) -> None:
    """With a token (so not a dry run) and no GITHUB_WEBHOOK_SECRET, `serve` exits at once."""
    token = "ghp_startup_token_must_not_be_printed_42"
    env = child_env(GITHUB_TOKEN=token, BOT_DATA_DIR=str(tmp_path / "d"), GITHUB_API_URL="http://127.0.0.1:9")
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode != 0
    assert "GITHUB_WEBHOOK_SECRET" in proc.stderr
    assert token not in proc.stderr + proc.stdout
    with pytest.raises(ValueError, match="GITHUB_WEBHOOK_SECRET"):
        create_app(Settings(github_app_id="1", github_app_private_key="k" * 50), queue=None)  # type: ignore[arg-type]


def raw_post(port: int, length: int, body: bytes = b"{") -> tuple[bytes, float]:
    """Headers announcing ``length`` bytes, then only ``body``: a server that waits for the body
    before judging its size does not answer at all."""
    t0 = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as c:
        head = (
            f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\nX-GitHub-Event: pull_request\r\nX-GitHub-Delivery: d-big\r\n"
            f"X-Hub-Signature-256: sha256={'0' * 64}\r\n\r\n"
        )
        c.sendall(head.encode() + body)
        try:
            return c.recv(100), time.monotonic() - t0
        except TimeoutError:
            return b"", time.monotonic() - t0


def test_body_limit_is_enforced_before_the_body_is_read_by_the_app(tmp_path: Path) -> None:
    s = Settings(webhook_secret="s" * 20, data_dir=tmp_path)
    server = make_server("127.0.0.1", 0, create_app(s, make_queue(s, lambda j, _s: None)), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        answer, took = raw_post(server.server_port, 50_000_000)
        assert answer.startswith(b"HTTP/1.1 413") and took < 2, (answer, took)
    finally:
        server.shutdown()


def test_signatures_are_compared_in_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import hmac
    import inspect

    from bot.service import signature

    seen: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(signature.hmac, "compare_digest", spy)
    good = signature.sign("k" * 20, b"body")
    assert signature.verify("k" * 20, b"body", good) and not signature.verify(
        "k" * 20, b"body", good[:-1] + "0"
    )
    assert len(seen) == 2
    assert "==" not in inspect.getsource(signature.verify)  # no early-exit comparison beside it


# -- secrets never logged ---------------------------------------------------------------------------

WEBHOOK_SECRET = "whsec-Zq8v3LkP0x9TnR2mYc4B"


@pytest.mark.parametrize("mode", ["app", "token"])
def test_secrets_never_reach_a_log_line(
    mode: str, github_server: FakeGitHub, arxiv_server: Any, github_app_key: Any, tmp_path: Path
) -> None:
    """A full flow at DEBUG level, text format (no redaction to hide behind): signed and unsigned
    deliveries, an oversized body, a review posted through App or token authentication. No log line
    holds the webhook secret, the token, any line of the private key, or any token or JWT GitHub saw."""
    from tests.fakes.scenario import BAD, LAST, REPO, TOKEN, open_pr, with_lines
    from tests.test_e2e import payload

    installation = 4242
    github_server.register_app(31337, github_app_key.public_pem, installation_id=installation, account="octo")
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\n")
    creds = (
        {"GITHUB_APP_ID": "31337", "GITHUB_APP_PRIVATE_KEY": github_app_key.private_pem}
        if mode == "app"
        else {"GITHUB_TOKEN": TOKEN}
    )
    port = free_port()
    env = child_env(
        GITHUB_WEBHOOK_SECRET=WEBHOOK_SECRET, GITHUB_API_URL=github_server.url, ARXIV_API_URL=arxiv_server.url,
        BOT_DATA_DIR=str(tmp_path / "d"), BOT_LOG_FORMAT="text", **creds,
    )  # fmt: skip
    debug = (
        "import logging\nfrom bot.service import logs, serve\nreal = logs.configure\n"
        "logs.configure = lambda fmt=None, *, secrets=(), level=0: real(fmt, secrets=secrets, level=logging.DEBUG)\n"
        f"serve.serve('127.0.0.1', {port})\n"
    )
    log_path = tmp_path / "bot.log"
    with log_path.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", debug], cwd=tmp_path, env=env, stdout=out, stderr=out)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            assert time.monotonic() < deadline and proc.poll() is None, log_path.read_text()
            time.sleep(0.1)
        head = open_pr(github_server, 1, with_lines(BAD, after=LAST))
        body = json.dumps(payload(1, head)).encode()
        sign = {"Content-Type": "application/json", "X-GitHub-Event": "pull_request"}
        bad = {**sign, "X-GitHub-Delivery": "d-bad", "X-Hub-Signature-256": "sha256=" + "0" * 64}
        assert requests.post(f"{url}/webhook", data=body, headers=bad, timeout=10).status_code == 401
        unsigned = {**sign, "X-GitHub-Delivery": "d-unsigned"}
        assert requests.post(f"{url}/webhook", data=body, headers=unsigned, timeout=10).status_code == 401
        answer, took = raw_post(port, 50_000_000)  # waitress: refused after the headers, not buffered
        assert answer.startswith(b"HTTP/1.1 413") and took < 2, (answer, took)
        good = {**sign, "X-GitHub-Delivery": "d-good", "X-Hub-Signature-256": signature_of(body)}
        assert requests.post(f"{url}/webhook", data=body, headers=good, timeout=10).status_code == 202
        while not github_server.writes() or not (
            github_server.repo(REPO).check_runs or github_server.repo(REPO).statuses
        ):
            assert time.monotonic() < deadline + 40, log_path.read_text()[-3000:]
            time.sleep(0.1)
        time.sleep(0.5)  # let the job's last log lines out
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    log = log_path.read_text(errors="replace")
    assert "github" in log and "d-good" in log and len(log.splitlines()) > 20  # the log is not empty
    secrets = [WEBHOOK_SECRET, TOKEN] + [
        ln for ln in github_app_key.private_pem.splitlines() if len(ln) >= 16
    ]
    for rec in github_server.requests:  # every installation token and JWT the bot presented
        if rec.authorization:
            secrets.append(rec.authorization.split(" ", 1)[-1])
    secrets += [t for t in github_server.tokens if t.startswith("ghs_")]
    for line in log.splitlines():
        for secret in secrets:
            assert secret not in line, f"a secret ({secret[:6]}…) is logged: {line[:200]}"
    assert (mode == "app") == any(
        (rec.authorization or "").startswith("Bearer") for rec in github_server.requests
    )


def signature_of(body: bytes) -> str:
    from bot.service import signature

    return signature.sign(WEBHOOK_SECRET, body)


# -- contributor text in the bot's comments ---------------------------------------------------------

HOSTILE = [
    # an entry whose arXiv id names another paper (error, suggestion): its title goes into the summary
    "- (*Arxiv 2024.11*) Hi @octocat and @acme/security-team, fixes #1 Closes: #2 resolves octo/x#3 "
    "<img src=x onerror=alert(1)> ![px](https://evil.example/p.png) <!-- awesome-review:summary --> "
    "<details open><summary>click</summary> ``` [[paper](https://arxiv.org/abs/2411.00418)]",
    # not an entry at all (entry-syntax): its text goes into the summary and a suggestion
    "* @octocat fixes #4 <script>alert(1)</script> ~~~ [paper](https://arxiv.org/pdf/2401.01335v2)",
    # backtick runs in the title, with a link to fix: the suggestion fence must outlast them
    "- (*ICML 2024*) Fine-Tuning ```` Converts Weak Models @team fixes #5 <b>x</b> "
    "[[paper](https://openreview.net/forum?id=abc123)]",
]
OURS = re.compile(r"</?details>|</?summary>|</?sub>|<!-- awesome-review:(summary|review:[0-9a-f]{40}) -->")


def outside_code(body: str) -> str:
    """``body`` with its fenced code blocks removed the way GitHub closes them (CommonMark: a fence
    closes only with at least as many of the same character); asserts every fence closes."""
    out, fence = [], ""
    for line in body.split("\n"):
        stripped = line.strip()
        if fence:
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                fence = ""
            continue
        m = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if m:
            fence = m[1]
            continue
        out.append(line)
    assert not fence, "a code fence is left open: everything after it would render as code"
    return "\n".join(out)


def assert_inert(body: str) -> None:
    from bot.core.verdict.markdown import spans

    # GitHub renders nothing inside a code span or fence: no mention, reference, HTML or image.
    text = OURS.sub("", "".join(seg for is_code, seg in spans(outside_code(body)) if not is_code))
    assert not re.search(r"@[A-Za-z0-9]", text), "an @-mention"
    assert not re.search(r"#\d", text), "an issue reference (fixes #1 would close it)"
    assert not re.search(r"<[A-Za-z/!?]", text), "raw HTML"
    assert "![" not in text, "an image"
    assert not re.search(r"^ {0,3}(```|~~~)", text, re.M), "a code fence outside ours"


def test_contributor_text_cannot_mention_close_or_inject(
    github_server: FakeGitHub, arxiv_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: what the local GitHub received (review, inline comments, summary, status) and the
    check-run annotations the plan carries."""
    from bot.adapters.github import ClientOptions, GitHubAdapter
    from bot.service.connections import Connections
    from tests.fakes.scenario import LAST, REPO, TOKEN, job, open_pr, with_lines

    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text("arxiv:\n  min_interval_seconds: 0\n  max_retries: 0\n")
    s = Settings(
        github_token=TOKEN,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "d",
    )
    head = open_pr(github_server, 1, with_lines(*HOSTILE, after=LAST))
    out = Connections(s).review(
        job(1, head), github=GitHubAdapter(s, options=ClientOptions(sleep=lambda _s: None))
    )
    repo = github_server.repo(REPO)
    bodies = [r["body"] for r in repo.reviews] + [c["body"] for c in repo.review_comments]
    bodies += [c["body"] for c in repo.issue_comments] + [st.get("description") or "" for st in repo.statuses]
    bodies += [a.message for a in out.plan.annotations]
    assert len(repo.review_comments) == 3 and len(repo.issue_comments) == 1
    summary = repo.issue_comments[0]["body"]
    assert "octocat" in summary and "onerror" in summary  # shown, as text
    for body in bodies:
        assert_inert(body)
    suggestion = next(c["body"] for c in repo.review_comments if "Converts Weak Models" in c["body"])
    assert "`````suggestion\n" in suggestion  # a fence longer than the title's backtick run
    assert "@team fixes #5 <b>x</b>" in suggestion  # inside code: shown as typed, inert


# -- YAML and configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "rules: !!python/object/apply:os.system ['touch {marker}']\n",
        "!!python/object/new:os.system ['touch {marker}']\n",
        "rules:\n  order: !!python/name:os.system\n",
    ],
)
def test_config_yaml_is_loaded_safely(text: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(config_mod.ConfigError, match="not valid YAML"):
        config_mod.loads(text.format(marker=marker))
    assert not marker.exists()


@pytest.mark.timeout(10)
def test_a_yaml_alias_bomb_is_refused_quickly() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(config_mod.ConfigError):
        config_mod.loads(bomb)


def test_the_config_has_no_place_for_secrets_and_a_repository_none_for_endpoints() -> None:
    for key in ("github_token", "webhook_secret", "github_api_url", "redis_url", "private_key"):
        with pytest.raises(config_mod.ConfigError, match="unknown key"):
            config_mod.loads(f"{key}: x\n")
    overlay = getattr(config_mod, "overlay", None)
    if overlay is None:
        pytest.skip("no per-repository config in this tree")
    base = config_mod.loads("")
    for text in (
        "arxiv:\n  api_url: http://169.254.169.254/latest/meta-data/\n",
        "arxiv:\n  min_interval_seconds: 0\n",
        "github_token: x\n",
    ):
        with pytest.raises(config_mod.ConfigError):
            overlay(base, text, ".github/awesome-review.yml")
    assert overlay(base, "rules:\n  order: off\n", ".github/awesome-review.yml").severity("order") == "off"


@pytest.mark.parametrize(
    "body",
    ["hi @octocat", "fixes #1", "<img src=x>", "![a](b)", "```\ncode", "~~~\nopen", "x\n```\nlater"],
)
def test_the_inertness_check_catches_each_trick(body: str) -> None:
    with pytest.raises(AssertionError):
        assert_inert(body)
    assert_inert(
        "@\u200boctocat #\u200b1 &lt;img&gt; !\u200b[a] <details></details>\n````suggestion\n@x ```\n````"
    )
