"""`check --offline` with no config (the format learnt from the list itself), as a whole process,
beside a one-regex scan of the same file, awesome-lint 2.3.0, and (with --before) the code as it was.

Run: python bench/check_speed.py [--entries 10000 100000] [--runs 5] [--corpus 3]
                                 [--before DIR] [--awesome-lint PATH | --no-awesome-lint]

Lists: the seed-style synthetic lists of each size, and the largest lists of ../shared/corpus (by
their list items and table rows: real formats, tables included). Every process of a round runs in turn, round after round, so the noise
of a shared machine hits them alike; the figures are medians. Per list it prints the wall time of
each, check's ratio to the scan, its cost per entry and its peak resident memory (of the process
alone, from wait4). awesome-lint runs on the first synthetic size only (it takes about a minute),
once a round at most 3 times; it is installed with npm into ~/.cache/awesome-review-bench unless
--awesome-lint names its binary.

--before DIR: a checkout of the code to compare with (`git archive main | tar -x -C DIR`), run by
the same interpreter with DIR first on the path.

Goals (issue 17): 10,000 entries <= 5x the scan and >= 40x faster than awesome-lint; 100,000
entries <= 5x the scan and <= 150 MiB; a 10x longer list <= 10.5x the time. Wall time is what a
user waits; on a shared machine the CPU time (user + system, of the process alone) is the steadier
figure, so both are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "lists"
AWESOME_LINT = "awesome-lint@2.3.0"
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


def timed(cmd: list[str], cwd: str, env: dict[str, str] | None = None) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KiB (of this child alone, via wait4),
    the last line of its output."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, _, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = 0  # reaped by wait4
    lines = [ln for ln in out.decode(errors="replace").splitlines() if ln.strip()]
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, lines[-1] if lines else ""


def awesome_lint(path: str | None) -> str | None:
    """The awesome-lint binary: the one given, else installed once into the user's cache with npm."""
    if path:
        return path
    home = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "awesome-review-bench"
    binary = home / "node_modules" / ".bin" / "awesome-lint"
    if not binary.exists():
        if not shutil.which("npm"):
            return None
        home.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(home), AWESOME_LINT],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"(awesome-lint not installed: {done.stderr.strip()[-200:]})")
            return None
    return str(binary)


def items(path: Path) -> int:
    """List items and table rows in a file: how large a list is, whatever its size in bytes."""
    return len(_ITEM.findall(path.read_text(encoding="utf-8", errors="replace")))


_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)]|\|)[ \t]", re.MULTILINE)


def entries_of(tail: str) -> int:
    """`N entries checked` from check's summary line."""
    words = tail.split()
    for i, w in enumerate(words):
        if w == "entries" and i and words[i - 1].isdigit():
            return int(words[i - 1])
    return 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", type=int, default=3, help="the N largest corpus lists too (0: none)")
    ap.add_argument("--before", help="a checkout of the code to compare with")
    ap.add_argument("--awesome-lint", dest="lint", help="awesome-lint's binary (default: npm install)")
    ap.add_argument("--no-awesome-lint", dest="no_lint", action="store_true")
    args = ap.parse_args()
    # Byte-compile the package first, as an install does: with PYTHONDONTWRITEBYTECODE set (as on
    # these machines) every run would otherwise compile the whole package from source again.
    import compileall

    for where in filter(None, [ROOT, args.before and Path(args.before)]):
        compileall.compile_dir(str(Path(where) / "bot"), quiet=1)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before_env = {**env, "PYTHONPATH": str(Path(args.before).resolve())} if args.before else None
    lint = None if args.no_lint or not args.entries else awesome_lint(args.lint)
    lists: list[tuple[str, Path | None, int]] = [(f"synthetic {n:,}", None, n) for n in args.entries]
    if args.corpus and CORPUS.is_dir():
        biggest = sorted(CORPUS.glob("*.md"), key=lambda p: -items(p))[: args.corpus]
        lists += [(p.stem, p, 0) for p in biggest]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "scan.py").write_text(BARE_SCAN)
        for name, source, n in lists:
            folder = Path(tmp, name.replace(" ", "_").replace(",", ""))
            folder.mkdir()
            path = folder / "README.md"
            if source is None:
                path.write_text(synthetic_list(n), encoding="utf-8")
            else:
                shutil.copyfile(source, path)
            procs = {
                "scan": ([sys.executable, str(Path(tmp, "scan.py")), "README.md"], env),
                "check": ([sys.executable, "-m", "bot", "check", "README.md", "--offline"], env),
            }
            if args.before:
                procs["before"] = (
                    [sys.executable, "-m", "bot", "check", "README.md", "--offline"],
                    before_env,
                )
            if lint and name == lists[0][0]:
                procs["awesome-lint"] = ([lint, "README.md"], env)
            times: dict[str, list[float]] = {k: [] for k in procs}
            cpus: dict[str, list[float]] = {k: [] for k in procs}
            rss: dict[str, int] = dict.fromkeys(procs, 0)
            tails: dict[str, str] = {}
            for r in range(args.runs):
                for k, (cmd, e) in procs.items():
                    if k == "awesome-lint" and r >= 3:
                        continue
                    t, c, m, tails[k] = timed(cmd, str(folder), e)
                    times[k].append(t)
                    cpus[k].append(c)
                    rss[k] = max(rss[k], m)
            med = {k: statistics.median(v) for k, v in times.items()}
            cpu = {k: statistics.median(v) for k, v in cpus.items()}
            count = entries_of(tails["check"]) or n
            results[name] = (med, rss, count, path.stat().st_size, cpu)
            print(
                f"{name}: {count:,} entries, {path.stat().st_size / 1e6:.2f} MB; {args.runs} runs each, in turn"
            )
            for k in procs:
                per = (
                    f"{med[k] / count * 1e6:7.1f} us/entry"
                    if k in ("check", "before") and count
                    else " " * 15
                )
                print(
                    f"  {k:<13}: wall {med[k] * 1000:8.1f} ms {med[k] / med['scan']:6.2f}x scan | "
                    f"cpu {cpu[k] * 1000:8.1f} ms {cpu[k] / cpu['scan']:6.2f}x scan | {per} | "
                    f"peak {rss[k] / 1024:6.1f} MiB | {tails[k][:60]}"
                )
            for k, what in (("before", "before"), ("awesome-lint", "awesome-lint 2.3.0")):
                if k in med:
                    print(
                        f"  check is {med[k] / med['check']:.2f}x faster than {what} "
                        f"(cpu: {cpu[k] / cpu['check']:.2f}x)"
                    )
    sizes = [r for r in results if r.startswith("synthetic")]
    if len(sizes) > 1:
        (m0, _, n0, _, _), (m1, _, n1, _, _) = results[sizes[0]], results[sizes[-1]]
        for k in ("check", "before"):
            if k in m0:
                print(
                    f"{k}: {n1 / n0:.0f}x the entries cost {m1[k] / m0[k]:.2f}x the time "
                    f"({(m1[k] - m0[k]) / (n1 - n0) * 1e6:.1f} us an entry more)"
                )
    print("goals: 10,000 <= 5x scan and >= 40x faster than awesome-lint; 100,000 <= 5x scan, <= 150 MiB;")
    print("       a 10x longer list <= 10.5x the time")


if __name__ == "__main__":
    main()
