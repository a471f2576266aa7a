"""A longer fuzz run than the test suite's: the entry parser, the diff parser and its fallback, arXiv
id extraction, the config loader, and the webhook receiver over real HTTP (signed random JSON).

Run: python bench/fuzz.py [--examples N]   (default 3,000 per target; the tests run 150-300)
Prints per target: examples run, total seconds, the slowest example in ms, and failures. Exit code 1
when any target fails (hypothesis prints the shrunk failing example).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import logging
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from bot.core import diff
from bot.core.arxiv_id import find_ids, parse_ref
from bot.core.config import config as config_mod
from bot.core.read.tags import read_any
from bot.core.verdict import judge, pipeline
from bot.service import signature
from bot.service.app import create_app
from bot.service.queue import make_queue
from bot.settings import Settings
from tests.test_hostile import deliveries, events, json_values
from tests.test_properties import diff_text, line_text, yaml_text

CFG = config_mod.loads("")
SEED = "## Related Works\n" + "".join(
    f"- (*Arxiv 2024.{m:02d}*) A Paper On Topic {m} [[paper](https://arxiv.org/abs/24{m:02d}.0{m:04d})]\n"
    for m in range(1, 10)
)  # a list the format is learnt from, so the line is judged in it
TODAY = datetime.date(2026, 1, 1)
SECRET = "fuzz-secret"


def entry_target(text: str) -> None:
    text = text.replace("\n", " ")
    doc = pipeline.prepare(SEED + text + "\n", CFG)
    for f in judge.judge(doc, doc.config, "README.md", today=TODAY, checked=frozenset({11})):
        assert f.line in (10, 11) and f.message  # a lazy line continues the item above it


def document_target(lines: list[str]) -> None:
    doc = pipeline.prepare("\n".join(["## Related Works", *lines]), CFG)
    for f in judge.judge(doc, doc.config, "README.md", today=TODAY):
        assert f.line >= 1


def diff_target(text: str) -> None:
    with contextlib.suppress(diff.DiffError):
        assert all(n >= 1 for n in diff.added_lines(text, "README.md"))


def fallback_target(pair: tuple[list[str], list[str]]) -> None:
    old, new = pair
    added = diff.added_between("".join(x + "\n" for x in old), "".join(x + "\n" for x in new))
    assert {n for n, line in enumerate(new, 1) if line not in old} <= added


def arxiv_target(text: str) -> None:
    ref = parse_ref(text)
    assert ref is None or ref.id
    find_ids(text)
    read_any(text)


def config_target(value: Any) -> None:
    import yaml

    with contextlib.suppress(config_mod.ConfigError):
        config_mod.loads(yaml.safe_dump(value))


class Webhook:
    """create_app under werkzeug on loopback, a SQLite queue in a temporary directory."""

    def __init__(self) -> None:
        data = Path(tempfile.mkdtemp(prefix="fuzz-"))
        base = Settings(webhook_secret=SECRET, data_dir=data)
        app = create_app(base, make_queue(base, lambda job, _s: None, name="fuzz"), max_body=200_000)
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/webhook"
        self.session = requests.Session()
        self.statuses: dict[int, int] = {}

    def target(self, args: tuple[Any, str, str]) -> None:
        payload, event, delivery = args
        body = json.dumps(payload).encode()
        headers = {
            "Content-Type": "application/json",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery if delivery else str(uuid.uuid4()),
            "X-Hub-Signature-256": signature.sign(SECRET, body),
        }
        status = self.session.post(self.url, data=body, headers=headers, timeout=10).status_code
        self.statuses[status] = self.statuses.get(status, 0) + 1
        assert status in (200, 202, 204, 400), status


def run(name: str, strategy: st.SearchStrategy[Any], fn: Callable[[Any], None], examples: int) -> bool:
    times: list[float] = []

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(value: Any) -> None:
        t0 = time.perf_counter()
        try:
            fn(value)
        finally:
            times.append(time.perf_counter() - t0)

    t0 = time.perf_counter()
    ok = True
    try:
        prop()
    except Exception as exc:  # a failing property: hypothesis has printed the shrunk example
        ok = False
        print(f"  {name}: FAILED: {type(exc).__name__}: {str(exc)[:300]}")
    total = time.perf_counter() - t0
    slowest = max(times, default=0.0) * 1000
    print(f"{name:<22} {len(times):>7,} {total:>8.1f} {slowest:>10.1f}   {'ok' if ok else 'FAILED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=3000)
    n = parser.parse_args().examples
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    hook = Webhook()
    lines_st = st.lists(
        st.sampled_from(["", "- a", "- b", "## H", "x", " ", "- (*Arxiv 2024.11*) T"]), max_size=60
    )
    targets: list[tuple[str, st.SearchStrategy[Any], Callable[[Any], None]]] = [
        ("entry parser", line_text, entry_target),
        ("document + rules", st.lists(line_text, max_size=30), document_target),
        ("diff parser", diff_text, diff_target),
        ("diff fallback", st.tuples(lines_st, lines_st), fallback_target),
        ("arXiv id extraction", line_text, arxiv_target),
        ("config loader", yaml_text, config_target),
        ("webhook over HTTP", st.tuples(json_values, events, deliveries), hook.target),
    ]
    print(f"{'target':<22} {'examples':>7} {'total s':>8} {'slowest ms':>10}")
    ok = all([run(name, strategy, fn, n) for name, strategy, fn in targets])
    hook.server.shutdown()
    print("webhook status codes:", dict(sorted(hook.statuses.items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
