"""One crafted line against the reader: the patterns issue 19 found quadratic, before and after, side by
side in one run, and the whole pipeline (what `check` and the review job run) on each crafted line.

Run: python bench/hostile_lines.py [--kb 80]
Prints, per crafted line: the old pattern's and the new one's CPU seconds on the same 20 KB line (the
old one is quadratic: at 80 KB it takes 16 times as long again), and the pipeline's CPU seconds on a
list holding the line at --kb KB (default 80) and at 1 MB. CPU time of this thread: on a shared
machine the wall clock also counts the waits for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.core.config import config as config_mod
from bot.core.read import blocks, document, markup
from bot.core.verdict import pipeline

# The patterns as they were (main at ea5219e), the way the reader used each, and what it reads now;
# then a crafted line that made the old one quadratic, and a list body of about n characters of it.
OLD_BOLD = re.compile(r"\*\*(?P<s_text>[^\n]{1,3000}?)\*\*(?!\*)")
CASES = {
    "heading (blocks._HEADING)": (
        re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t#]*$").match,
        blocks._HEADING.match,
        lambda n: "# " + "# " * (n // 2) + "x",
        lambda n: "# " + "# " * (n // 2) + "x\n",
    ),
    "<summary> (blocks._SUMMARY)": (
        re.compile(r"<summary>(.*?)</summary>", re.IGNORECASE).search,
        blocks._summary,
        lambda n: "<summary>" * (n // 9),
        lambda n: "<details>" + "<summary>" * (n // 9) + "\n",
    ),
    "heading name (document._INLINE_MD)": (
        lambda s: re.sub(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|[*_`]|<[^>]{0,200}>", "", s),
        document.heading_name,
        lambda n: "[" * n,
        lambda n: "## " + "[" * n + "\n",
    ),
    "stars in an entry (markup._SCAN's bold)": (
        lambda s: [OLD_BOLD.match(s, i) for i in range(len(s))],  # tried at every star, as the scanner did
        markup.scan,
        lambda n: "*" * min(n, 10_000),  # longer lines are never read as entries
        lambda n: ("- " + "*" * 9_998 + "\n") * (n // 10_000),
    ),
}


def cpu(fn, arg) -> float:
    start = time.thread_time()
    fn(arg)
    return time.thread_time() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", type=int, default=80)
    args = ap.parse_args()
    cfg = config_mod.loads("")
    head = "# A list\n\n## Related Works\n- (*Arxiv 2024.11*) A title [[paper](https://arxiv.org/abs/2411.00418)]\n"

    def review(body: str) -> float:
        data = (head + body).encode()
        return cpu(lambda d: pipeline.review_file(d, "README.md", cfg, None, today=dt.date(2026, 1, 1)), data)

    print(f"{'crafted line':40} {'old':>10} {'new':>10} {'ratio':>7}   pipeline, {args.kb} KB / 1 MB")
    for name, (old, new, line, body) in CASES.items():
        text = line(20_000)
        t_old, t_new = cpu(old, text), cpu(new, text)
        small, large = review(body(args.kb * 1000)), review(body(1_000_000))
        print(
            f"{name:40} {t_old:9.3f}s {t_new:9.4f}s {t_old / max(t_new, 1e-6):6.0f}x   "
            f"{small:.3f}s / {large:.3f}s   ({len(text):,} characters)"
        )


if __name__ == "__main__":
    main()
