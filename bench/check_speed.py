"""`check` with no config (the format learnt from the list itself) on synthetic lists of 10,000 and
100,000 entries, offline, as a whole process, beside a bare regex scan of the same file.

Run: python bench/check_speed.py [--entries 10000 100000] [--runs 5]
Prints, per size, the median wall time of each, their ratio (goal: within 3x of the bare scan, and
the same ratio at both sizes) and the peak resident memory of `check` (goal: <= 80 MiB at 10,000,
growing no faster than the file). Both run in the same loop, alternating, so noise hits them alike.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_SCAN = r"""
import re, sys
pat = re.compile(r"^- \(\*[^*]+\*\) .+? \[\[(?:paper|pdf)\]\((https://[^)]+)\)\]")
n = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if pat.match(line):
            n += 1
print(n, "entries")
"""

VENUES = ["NeurIPS", "ICML", "ICLR", "ACL", "EMNLP"]
WORDS = [
    "self",
    "play",
    "reward",
    "model",
    "language",
    "alignment",
    "preference",
    "reasoning",
    "game",
    "critique",
    "judge",
    "evaluator",
]


def synthetic_list(n: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    rows = ["# Awesome-Self-Play-LLMs", "", "## Related Works"]
    months = [(y, m) for y in range(2025, 2017, -1) for m in range(12, 0, -1)]
    per = max(1, n // len(months)) + 1
    count = 0
    for y, m in months:
        for k in range(per):
            if count == n:
                break
            count += 1
            aid = f"{y % 100:02d}{m:02d}.{10000 + k:05d}"  # a valid id, unique within its month
            title = " ".join(rng.choice(WORDS).capitalize() for _ in range(rng.randint(4, 10))) + f" {count}"
            tag = f"Arxiv {y}.{m:02d}" if rng.random() < 0.7 else f"{rng.choice(VENUES)} {y % 100:02d}'"
            code = f" [[code](https://github.com/lab{count}/repo{count})]" if rng.random() < 0.4 else ""
            rows.append(f"- (*{tag}*) {title} [[paper](https://arxiv.org/abs/{aid})]{code}")
    rows += [
        "",
        "## Contributing",
        "```",
        "- (*conference|journal*) paper_name [[pdf](link)][[code](link)]",
        "```",
        "",
    ]
    return "\n".join(rows)


def timed(cmd: list[str], cwd: str) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in KiB (of this child alone, via wait4), stdout tail."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate()
    _, _status, usage = os.wait4(proc.pid, 0) if proc.returncode is None else (0, 0, None)
    elapsed = time.perf_counter() - start
    rss = usage.ru_maxrss if usage else _last_child_rss()
    return elapsed, rss, (out.decode().strip().splitlines() or [err.decode()])[-1]


_prev_children_rss = 0


def _last_child_rss() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    # Byte-compile the package first, as an install does: with PYTHONDONTWRITEBYTECODE set (as on
    # these machines) every run would otherwise compile the whole package from source again.
    import compileall

    compileall.compile_dir(str(Path(__file__).resolve().parents[1] / "bot"), quiet=1)
    rows = []
    for n in args.entries:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp, "README.md")
            path.write_text(synthetic_list(n), encoding="utf-8")
            Path(tmp, "scan.py").write_text(BARE_SCAN)
            check = [sys.executable, "-m", "bot", "check", "README.md", "--offline"]  # no config.yml here
            scan = [sys.executable, "scan.py", "README.md"]
            t_check, t_scan, rss_check = [], [], []
            for _ in range(args.runs):
                t, rss, tail_check = timed(check, tmp)
                t_check.append(t)
                rss_check.append(rss)
                t, _, tail_scan = timed(scan, tmp)
                t_scan.append(t)
            mc, ms = statistics.median(t_check), statistics.median(t_scan)
            mb = path.stat().st_size / 1e6
            print(f"list: {n} entries, {mb:.2f} MB; {args.runs} runs each, alternating")
            print(f"  bare regex scan : median {ms * 1000:8.1f} ms   ({tail_scan})")
            print(f"  check --offline : median {mc * 1000:8.1f} ms   ({tail_check})")
            print(f"  ratio check/scan: {mc / ms:.2f}x   (goal <= 3x)")
            print(f"  check peak RSS  : {max(rss_check) / 1024:.1f} MiB")
            rows.append((n, mb, mc / ms, max(rss_check) / 1024))
    if len(rows) > 1:
        (n0, mb0, r0, m0), (n1, mb1, r1, m1) = rows[0], rows[-1]
        print(
            f"from {n0} to {n1} entries: file x{mb1 / mb0:.1f}, ratio {r0:.2f}x -> {r1:.2f}x, "
            f"memory x{m1 / m0:.1f} (goal: the same ratio, memory growing no faster than the file)"
        )


if __name__ == "__main__":
    main()
