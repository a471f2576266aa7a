"""The order rule at scale: `check --offline` on lists half out of order, this tree beside a baseline.

Run: python bench/order_speed.py [--baseline REV] [--sizes 5000 10000 20000 300000] [--limit 120]

Each list is newest first with every other entry an old paper (each belongs far down: the worst
case for a scan of every anchor), checked whole; then a PR adding 5,000 such entries on top of a
10,000-entry list (`--diff`). Both trees run the same files as child processes, one after the
other; a run past --limit seconds is stopped and shown as "> limit". The baseline is extracted with
`git archive` (default: the commit before the order rule was made n log n).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.lists import HEAD, entries, interleaved, newest_first  # noqa: E402


def pr_case(added: int = 5_000, base: int = 10_000) -> tuple[str, str]:
    """The list after the PR, and the PR's diff (its added lines on top)."""
    new = entries([(2016, 1)] * added)
    rows = [*HEAD, *new, *entries(newest_first(base), start=added)]
    hunk = [f"@@ -3,1 +3,{added + 1} @@", " ## Related Works", *("+" + r for r in new)]
    return "\n".join(rows) + "\n", "--- a/README.md\n+++ b/README.md\n" + "\n".join(hunk) + "\n"


def extract(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "archive", rev, "bot"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def timed(tree: Path, cwd: Path, args: list[str], limit: float) -> str:
    cmd = [sys.executable, "-m", "bot", "check", "README.md", "--offline", "--format", "json", *args]
    t0 = time.perf_counter()
    try:
        subprocess.run(
            cmd, cwd=cwd, env={"PYTHONPATH": str(tree), "NO_COLOR": "1"}, capture_output=True, timeout=limit
        )
    except subprocess.TimeoutExpired:
        return f"> {limit:.0f} s"
    return f"{time.perf_counter() - t0:.2f} s"


def ratio(a: str, b: str) -> str:
    fa, fb = (float(x.strip("> s")) for x in (a, b))
    return f"{'>' if a.startswith('>') else ''}{fa / fb:.0f}x"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default="adea7e9", help="git revision to compare with")
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 10_000, 20_000, 300_000])
    ap.add_argument("--limit", type=float, default=120.0, help="seconds before a run is stopped")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = extract(args.baseline, Path(tmp, "baseline"))
        work = Path(tmp, "work")
        work.mkdir()
        cases: list[tuple[str, str, list[str]]] = [
            (f"whole file, {n:,} entries", interleaved(n), []) for n in args.sizes
        ]
        text, patch = pr_case()
        Path(work, "pr.diff").write_text(patch)
        cases.append(("PR adding 5,000 lines to 10,000", text, ["--diff", "pr.diff"]))
        print(f"{'case':34} {'baseline ' + args.baseline:>16} {'this tree':>12} {'speed-up':>9}")
        for name, body, extra in cases:
            Path(work, "README.md").write_text(body)
            before = timed(base, work, extra, args.limit)
            after = timed(ROOT, work, extra, args.limit)
            print(f"{name:34} {before:>16} {after:>12} {ratio(before, after):>9}", flush=True)


if __name__ == "__main__":
    main()
