"""The inline scanner against its reference: the single alternation it replaced (one regex, every
alternative tried at every token), which it must read exactly as, token for token, on every line of
every corpus list and on generated lines built from the characters markup starts with."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.read.markup import Token, fold, scan
from tests.conftest import shared

_URL = r"[^()\s]{0,2000}"
REFERENCE = re.compile(
    r"(?P<ws>(?:[ \t]|&nbsp;|&ensp;|&emsp;)++)"
    r"|(?P<badge>\[!\[(?P<b_alt>[^\[\]\n]{0,200})\]\((?P<b_img>" + _URL + r")\)\]"
    r"\((?P<b_url>" + _URL + r")\)"
    r"|!\[(?P<i_alt>[^\[\]\n]{0,200})\]\((?P<i_img>" + _URL + r")\))"
    r"|(?P<link2>\[\[(?P<d_label>[^\[\]\n]{1,80})\]\([ \t]{0,20}+(?P<d_url>" + _URL + r")[ \t]{0,20}+\)\])"
    r"|(?P<link2o>\[\[(?P<o_label>[^\[\]\n]{1,80})\]\]\([ \t]{0,20}+(?P<o_url>" + _URL + r")[ \t]{0,20}+\))"
    r"|(?P<link2s>\[\[(?P<sq_label>[^\[\]\n]{1,80})\]\[(?P<sq_url>https?://[^\[\]\s]{1,2000})\]\])"
    r"|(?P<link>\[(?P<l_text>(?:[^\[\]\n]++|\[[^\[\]\n]{0,80}+\]){1,600}+)\]\([ \t]{0,20}+(?P<l_url>"
    + _URL
    + r")[ \t]{0,20}+\))"
    # `**` before four more stars opens nothing: a run of stars is read once, not once per star.
    r"|(?P<bold>\*\*(?!\*{4})(?P<s_text>[^\n]{1,3000}?)\*\*(?!\*)|__(?P<u_text>[^\n]{1,3000}?)__)"
    r"|(?P<italic>\*(?P<e_text>[^*\n]{1,3000})\*|(?<!\w)_(?P<f_text>(?:[^_\n]|(?<=\w)_(?=\w)){1,3000})_(?!\w))"
    r"|(?P<paren>\((?P<p_text>(?:[^()\n]|\([^()\n]{0,80}\)){1,300})\))"
    r"|(?P<bracket>\[(?P<k_text>[^\[\]\n]{1,300})\](?!\())"
    # A quoted title ends at a quote that markup or punctuation follows: `"Advance the "Edge" of…"`.
    # Every quote may open one, so the lazy form is bounded by a long title's length (not the line's).
    r"|(?P<quote>\"(?P<q_text>[^\n]{2,500}?)\"(?=\s{0,20}+(?:[^\w\s\":]|$))|\"(?P<r_text>[^\"\n]{2,3000})\"|“(?P<c_text>[^“”\n]{2,3000})”)"
    r"|(?P<code>`(?P<t_text>[^`\n]{1,300})`)"
    r"|(?P<url>https?://[^\s<>()\[\]]{1,2000})"
    r"|(?P<html><[A-Za-z/][^<>\n]{0,200}>)"
    r"|(?P<field>\{[a-z]+\})"
    # Words and the spaces between them in one token; it stops where markup, a URL or an entity starts.
    # A backslash escape (`\[`) is text, as markdown reads it: a title written by literal() stays one.
    r"|(?P<text>(?:\\[!-/:-@\[-`{-~]|[^\n\[\]()*_`\"“”!<{h&\\]|\\|h(?!ttps?://)|&(?!(?:nbsp|ensp|emsp);))++|.)"
)
INNER = {
    "link2": ("d_label", "d_url"),
    "link2o": ("o_label", "o_url"),
    "link2s": ("sq_label", "sq_url"),
    "link": ("l_text", "l_url"),
    "bold": ("s_text", "u_text"),
    "italic": ("e_text", "f_text"),
    "paren": ("p_text",),
    "bracket": ("k_text",),
    "quote": ("q_text", "c_text", "r_text"),
    "code": ("t_text",),
}


def reference(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    out = []
    for m in REFERENCE.finditer(text, start, len(text) if end is None else end):
        kind, s, e = m.lastgroup, m.start(), m.end()
        if kind in ("ws", "text", "url", "html", "field"):
            out.append(Token(kind, s, e, m[0]))
        elif kind == "badge":
            linked = m["b_img"] is not None
            out.append(
                Token(
                    kind,
                    s,
                    e,
                    *(m[g] for g in (("b_alt", "b_img", "b_url") if linked else ("i_alt", "i_img"))),
                )
            )
        elif kind.startswith("link"):
            out.append(Token(kind, s, e, m[INNER[kind][0]], m[INNER[kind][1]]))
        else:
            out.append(Token(kind, s, e, next((m[g] for g in INNER[kind] if m[g]), "") or ""))
    return out


PIECES = [
    *" \t\n&[]()!*_\"“”`<>{}h:/.,'-|#",
    *("&nbsp;", "https://", "http://x.y/", "[[paper](", "](", ")]", "**", "__", "a", "Ab", "1", "2024", "é"),
    *("\u00a0", "{title}", "![b](i)", "<br>", "[![s](i)](u)", "(*", "*)", "(a)", "x" * 81, "y" * 301),
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 12), st.integers(0, 12))
def test_generated_lines_read_as_the_reference_reads_them(parts, start, cut) -> None:
    line = "".join(parts)
    start = min(start, len(line))
    assert scan(line) == reference(line)
    assert scan(line, start, len(line) - cut) == reference(line, start, len(line) - cut)


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=80))
def test_any_text_reads_as_the_reference_reads_it(line) -> None:
    assert scan(line) == reference(line)


def test_long_parentheses_read_as_the_reference_reads_them() -> None:
    for line in (
        "(" + "a" * 300 + ")",
        "(" + "a" * 301 + ")",
        "(" + "(b)" * 150 + ")",
        "(" + "(bb)" * 151 + ")x",
    ):
        assert scan(line) == reference(line)


def test_every_corpus_line_reads_as_the_reference_reads_it() -> None:
    lists = shared("corpus", "lists")
    for path in sorted(lists.glob("*.md")):
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            folded = fold(line)
            assert scan(folded) == reference(folded), f"{path.name}:{n}"
