"""Every regular expression of the bot runs in linear time on any input (issue 19, item 1).

Python's `re` backtracks and holds the GIL: one pattern that is quadratic on a crafted line froze the
whole process (an 80 KB heading cost a minute). This test finds every compiled pattern of the `bot`
package (at module level, in classes, in module-level tuples, lists and dicts, and the patterns the
tag templates compile into), runs each over the whole of long adversarial strings (`finditer`: a
match tried at every position, the most any caller can ask), at two sizes, and fails when the time
grows faster than the size. The strings are runs of one character or opener (every ASCII punctuation
mark, spaces, letters, digits), nested brackets, unclosed tags, and each literal the pattern itself
looks for (`<summary>`, `arxiv.org/abs/`, ...) repeated, each also with a tail that spoils a match.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
import time
from collections.abc import Iterator

import pytest

import bot
from bot.core.read.tags import TagStyle

# Characters: a linear pattern takes about 8 times as long on LARGE, a quadratic one 64 times. Time
# is the thread's CPU time: on a loaded machine the wall clock also counts the waits for a core.
SMALL, LARGE = 4_000, 32_000  # both past the bounds patterns put on a repeat ({0,3000})
SLACK = 3.0  # fail only past 3 times the linear growth...
FLOOR = 0.01  # ...and past 10 ms of CPU on LARGE (a quadratic pattern takes seconds there)

UNITS = [
    *string.punctuation,
    " ", "\t", "\u00a0", "a", "A", "1", "é", "“", "”", "’", "\u2028",
    "<summary>", "</summary>", "<details>", "<a ", "<br", "<!--", "![", "[a](", "](", "[[", "]]", "**", "__",
    "# ", "- ", "1. ", "a.", "0.", "a,", "x ", "[x]", "(x)", "{a}", "&nbsp;", "http://", "https://a.b/",
    "www.", "@a", "#1", "\\[", "**a", "*a", "_a", "`a", "(*", "*)", "a ", " a", "2024 ", "'24", "a:",
]  # fmt: skip
TEMPLATES = ["Arxiv {yyyy}.{mm}", "{venue} {yy}'", "{yyyy}/{mm}"]  # a preprint, a venue, a date


def patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern in the package, by where it lives."""
    found: dict[tuple, tuple[str, re.Pattern]] = {}

    def take(obj, where: str, depth: int = 0) -> None:
        if isinstance(obj, re.Pattern):
            found.setdefault((obj.pattern, obj.flags), (where, obj))
        elif isinstance(obj, list | tuple | set | frozenset) and depth < 2:
            for i, x in enumerate(obj):
                take(x, f"{where}[{i}]", depth + 1)
        elif isinstance(obj, dict) and depth < 2:
            for k, x in obj.items():
                take(x, f"{where}[{k!r}]", depth + 1)

    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == module.__name__:
                for attr, inner in vars(value).items():
                    take(inner, f"{info.name}.{name}.{attr}")
            else:
                take(value, f"{info.name}.{name}")
    for t in TEMPLATES:
        take(TagStyle(t).pattern(), f"TagStyle({t!r})")
    return {where: p for where, p in found.values()}


def literals(p: re.Pattern) -> list[str]:
    """The runs of literal characters the pattern looks for (`<summary>`, `doi.org/`, ...)."""
    parser = getattr(re, "_parser", None)
    if parser is None or not isinstance(p.pattern, str):
        return []
    out: list[str] = []

    def walk(items) -> None:
        run: list[str] = []
        for op, arg in items:
            if str(op) == "LITERAL":
                run.append(chr(arg))
                continue
            if len(run) > 1:
                out.append("".join(run))
            run = []
            for sub in arg if isinstance(arg, list | tuple) else ():
                if isinstance(sub, parser.SubPattern):
                    walk(sub)
                elif isinstance(sub, list | tuple):
                    for x in sub:
                        if isinstance(x, parser.SubPattern):
                            walk(x)
        if len(run) > 1:
            out.append("".join(run))

    walk(parser.parse(p.pattern, p.flags))
    return sorted({s for s in out if len(s) <= 40})


def adversarial(p: re.Pattern, size: int) -> Iterator[tuple[str, str]]:
    """(name, text) of about `size` characters each."""
    for unit in [*UNITS, *literals(p)]:
        run = unit * (size // len(unit) + 1)
        yield f"{unit!r}*", run[:size]
        yield f"{unit!r}*+tail", run[: size - 1] + "\x00"
    half = size // 2
    for a, b in ("[]", "()", "<>", "{}", "“”"):
        yield f"nested {a}{b}", a * half + b * half
        yield f"unclosed {a}x", (a + "x") * half
    yield "words", ("Self Play Language Models " * size)[:size]


def elapsed(p: re.Pattern, text: str, tries: int = 1) -> float:
    subject = text if isinstance(p.pattern, str) else text.encode("utf-8", "replace")
    best = float("inf")
    for _ in range(tries):
        start = time.thread_time()
        for _m in p.finditer(subject):
            pass
        best = min(best, time.thread_time() - start)
    return best


PATTERNS = patterns()


def test_the_collection_finds_the_patterns_that_read_a_file() -> None:
    assert len(PATTERNS) > 60
    names = " ".join(PATTERNS)
    for where in (
        "bot.core.read.blocks._HEADING",
        "bot.core.read.blocks._SUMMARY_OPEN",
        "bot.core.read.markup._BY_CHAR",
        "TagStyle(",
    ):
        assert where in names


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_every_pattern_runs_in_linear_time(where: str) -> None:
    p = PATTERNS[where]
    for (name, small), (_, large) in zip(adversarial(p, SMALL), adversarial(p, LARGE), strict=True):
        t_large = elapsed(p, large)
        if t_large < FLOOR or t_large < SLACK * LARGE / SMALL * elapsed(p, small):
            continue
        # Look again before failing: the best of three on SMALL, of two on LARGE.
        t_small, t_large = elapsed(p, small, 3), min(t_large, elapsed(p, large))
        growth = t_large / max(t_small, 1e-6)
        assert t_large < FLOOR or growth < SLACK * LARGE / SMALL, (
            f"{where} grows faster than its input ({LARGE // SMALL}x) on {name}: "
            f"{t_small * 1e3:.2f} ms -> {t_large * 1e3:.1f} ms ({growth:.0f}x)"
        )
