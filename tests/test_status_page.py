"""The status page in a real browser: Debian's headless Chromium loads ``GET /`` over HTTP.

A review runs through the real job against the local GitHub and arXiv; the page must then list it
(repository, PR link, verdict, findings) and show the effective config. The screenshot is kept in
tests/artifacts/ (gitignored) for a human to look at. Without chromium the test is skipped, unless
env CI is set: then it fails, so CI cannot silently drop it (.ci/run installs chromium).
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from werkzeug.serving import make_server

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.service.app import create_app
from bot.service.connections import Connections
from bot.service.history import record_review
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.fakes.scenario import BAD, GOOD, LAST, REPO, TOKEN, job, open_pr, with_lines

ARTIFACTS = Path(__file__).parent / "artifacts"
STATUS_TOKEN = "status-token-for-operators"


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI is set: the status page test must run")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def chromium(binary: str, profile: Path, *args: str, timeout: float = 90) -> str:
    """Run headless Chromium once (its own CLI, no driver), returning stdout."""
    cmd = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture
def site(github_server, arxiv_server, tmp_path, monkeypatch) -> Iterator[tuple[str, Settings]]:
    """Two reviews done by the real job, and the receiver serving the status page."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "config.yml").write_text(
        "arxiv:\n  min_interval_seconds: 0\n  max_retries: 1\n  max_total_seconds: 5\n  timeout_seconds: 2\n"
    )
    settings = Settings(
        webhook_secret="status-page-secret",
        status_token=STATUS_TOKEN,
        github_token=TOKEN,
        github_api_url=github_server.url,
        arxiv_api_url=arxiv_server.url,
        data_dir=tmp_path / "data",
    )
    gh = GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    Connections(settings).review(job(1, open_pr(github_server, 1, with_lines(BAD, after=LAST))), github=gh)
    Connections(settings).review(
        job(2, open_pr(github_server, 2, with_lines(GOOD)), delivery="d-2"), github=gh
    )
    github_server.repo(REPO).private = True  # the third review is of a private repository
    Connections(settings).review(
        job(3, open_pr(github_server, 3, with_lines(GOOD)), delivery="d-3"), github=gh
    )
    github_server.repo(REPO).private = False
    queue = make_queue(settings)
    server = make_server("127.0.0.1", 0, create_app(settings, queue), threaded=True)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", settings
    finally:
        server.shutdown()


def test_status_page_lists_the_review_and_the_config_in_chromium(site, tmp_path):
    binary = chromium_binary()
    url, settings = site
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", url + "/")

    assert "<table" in dom and 'id="reviews"' in dom
    rows = dom.split('<tr class="review">')[1:]
    assert len(rows) == 2
    newest, oldest = rows  # newest first
    assert REPO in oldest and f'href="{settings.github_api_url}/{REPO}/pull/1"' in oldest
    assert ">#1<" in oldest and "failure" in oldest and "Changes needed" in oldest
    assert f"/{REPO}/pull/2" in newest and "success" in newest
    # the config as the job reads it: config.yml merged over the defaults
    config = html.unescape(dom.split('<pre id="config">', 1)[1].split("</pre>", 1)[0])
    assert "effective config: config.yml over the defaults" in config
    assert "min_interval_seconds: 0" in config and "preprint_tag:" in config

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "status_page.png"
    shot.unlink(missing_ok=True)
    chromium(binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,900", url + "/")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_status_page_escapes_what_it_shows(site, tmp_path):
    """Repository names and verdicts come from the store; none of it may become markup."""
    binary = chromium_binary()
    url, settings = site
    evil = "<script>document.title='owned'</script><img src=x onerror=alert(1)>"
    record_review(
        make_queue(settings).huey.storage,
        SimpleNamespace(repo=f"o/r{evil}", number=3, delivery_id="evil", action="opened"),
        SimpleNamespace(head_sha=evil, conclusion=evil, check_title=evil, counts={}),
        SimpleNamespace(dry_run=True),
        private=False,
    )
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", url + "/")
    assert "<script>" not in dom and "<img" not in dom and "owned" not in dom.split("<title>")[1][:40]
    assert "&lt;script&gt;" in dom
    row = dom.split('<tr class="review">')[1]
    assert "href=" not in row  # an unlinkable repository name gets no link


def test_private_repositories_are_shown_only_with_the_status_token(site, tmp_path):
    """Was: anyone who could reach the port of /webhook read private repositories' names, PR numbers
    and verdicts. Now a private repository's review needs the STATUS_TOKEN (or Authorization: Bearer)."""
    binary = chromium_binary()
    url, _ = site
    for query in ("", "?token=wrong"):
        dom = chromium(binary, tmp_path / "profile", "--dump-dom", url + "/" + query)
        assert len(dom.split('<tr class="review">')[1:]) == 2 and "/pull/3" not in dom
        assert "1 row about private repositories not shown" in " ".join(dom.split())
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", f"{url}/?token={STATUS_TOKEN}")
    rows = dom.split('<tr class="review">')[1:]
    assert len(rows) == 3 and "/pull/3" in rows[0] and 'id="hidden"' not in dom
    import requests

    bearer = requests.get(url + "/", headers={"Authorization": f"Bearer {STATUS_TOKEN}"}, timeout=10)
    assert "/pull/3" in bearer.text


def test_deliveries_queued_retrying_and_failed_are_listed_with_their_last_error(site, tmp_path):
    """What an operator looks at first (issue 10, item 19): what has not been reviewed, and why."""
    from bot.errors import RetryLater
    from bot.service.errors import OverBudget
    from bot.service.events import ReviewJob
    from bot.service.queue import Tuning

    binary = chromium_binary()
    url, settings = site
    outcomes = iter(
        [RetryLater("GitHub 502 on POST reviews"), OverBudget("over the job's time budget of 300s")]
    )

    def runner(payload, _settings):
        raise next(outcomes)

    queue = make_queue(settings, runner, tuning=Tuning(backoff_base=60))

    def submit(n: int, delivery: str) -> None:
        queue.submit(ReviewJob(delivery, REPO, n, "a" * 40, "main", None, "opened", False, private=n == 10))

    submit(7, "d-retrying")
    submit(8, "d-failed")
    while (task := queue.huey.dequeue()) is not None:
        queue.huey.execute(task)  # a retry due later goes to the schedule
    submit(9, "d-queued")
    submit(10, "d-private")
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", url + "/")
    table = dom.split('<table id="deliveries">', 1)[1].split("</table>", 1)[0]
    rows = {r.split("<code>", 1)[1].split("</code>", 1)[0]: r for r in table.split('<tr class="delivery')[1:]}
    assert set(rows) == {"d-retrying", "d-failed", "d-queued"}  # d-private: only with the token
    assert "retrying (again in" in rows["d-retrying"] and "GitHub 502 on POST reviews" in rows["d-retrying"]
    assert ">failed<" in rows["d-failed"] and "time budget" in rows["d-failed"]
    assert ">queued<" in rows["d-queued"]
    dom = chromium(binary, tmp_path / "profile", "--dump-dom", f"{url}/?token={STATUS_TOKEN}")
    assert "<code>d-private</code>" in dom
