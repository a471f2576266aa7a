"""The inline markdown of one entry line as a flat run of tokens, read in one linear pass.

Every alternative of the scanner is bounded and starts with a distinct character, so a hostile
10,000-character line costs a few thousand regex steps, never a backtracking storm. Lookalike
characters (no-break spaces, full-width brackets, curly quotes around a year) are read as what
they look like: the scanner sees the folded text, and the entry remembers what was folded.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# One character for one character, so columns in the folded text are columns in the line.
LOOKALIKES = {
    "\u00a0": " ",  # no-break space
    "\u2007": " ",  # figure space
    "\u202f": " ",  # narrow no-break space
    "\u2009": " ",  # thin space
    "\u3000": " ",  # ideographic space
    "\uff08": "(",  # full-width ( ) [ ] *
    "\uff09": ")",
    "\uff3b": "[",
    "\uff3d": "]",
    "\uff0a": "*",
}
# Quotes that stand for an apostrophe in a tag (NeurIPS’24); in a title they are the title's own.
TAG_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u00b4": "'", "\u2032": "'", "`": "'"})
_FOLD = str.maketrans(LOOKALIKES)
_HAS_LOOKALIKE = re.compile("[" + "".join(LOOKALIKES) + "]")

_URL_CHARS = r"[^()\s]{0,2000}"
_SCAN = re.compile(
    r"(?P<ws>(?:[ \t]|&nbsp;|&ensp;|&emsp;)+)"
    r"|(?P<badge>\[!\[(?P<b_alt>[^\[\]\n]{0,200})\]\((?P<b_img>" + _URL_CHARS + r")\)\]"
    r"\((?P<b_url>" + _URL_CHARS + r")\)"
    r"|!\[(?P<i_alt>[^\[\]\n]{0,200})\]\((?P<i_img>" + _URL_CHARS + r")\))"
    r"|(?P<link2>\[\[(?P<d_label>[^\[\]\n]{1,80})\]\((?P<d_url>" + _URL_CHARS + r")\)\])"
    r"|(?P<link2o>\[\[(?P<o_label>[^\[\]\n]{1,80})\]\]\((?P<o_url>" + _URL_CHARS + r")\))"
    r"|(?P<link2s>\[\[(?P<sq_label>[^\[\]\n]{1,80})\]\[(?P<sq_url>https?://[^\[\]\s]{1,2000})\]\])"
    r"|(?P<link>\[(?P<l_text>[^\[\]\n]{1,600})\]\((?P<l_url>" + _URL_CHARS + r")\))"
    r"|(?P<bold>\*\*(?P<s_text>[^\n]{1,3000}?)\*\*(?!\*)|__(?P<u_text>[^\n]{1,3000}?)__)"
    r"|(?P<italic>\*(?P<e_text>[^*\n]{1,3000})\*|(?<!\w)_(?P<f_text>(?:[^_\n]|(?<=\w)_(?=\w)){1,3000})_(?!\w))"
    r"|(?P<paren>\((?P<p_text>(?:[^()\n]|\([^()\n]{0,80}\)){1,300})\))"
    r"|(?P<bracket>\[(?P<k_text>[^\[\]\n]{1,300})\](?!\())"
    # A quoted title ends at a quote that markup or punctuation follows: `"Advance the "Edge" of…"`.
    r"|(?P<quote>\"(?P<q_text>[^\n]{2,3000}?)\"(?=\s*(?:[^\w\s\":]|$))|\"(?P<r_text>[^\"\n]{2,3000})\"|“(?P<c_text>[^”\n]{2,3000})”)"
    r"|(?P<code>`(?P<t_text>[^`\n]{1,300})`)"
    r"|(?P<url>https?://[^\s<>()\[\]]{1,2000})"
    r"|(?P<html><[A-Za-z/][^<>\n]{0,200}>)"
    r"|(?P<field>\{[a-z]+\})"
    # Words and the spaces between them in one token; it stops where markup, a URL or an entity starts.
    r"|(?P<text>(?:[^\n\[\]()*_`\"“”!<{h&]|h(?!ttps?://)|&(?!(?:nbsp|ensp|emsp);))+|.)"
)
_INNER = {
    "badge": None,
    "link2": "d_label",
    "link2o": "o_label",
    "link2s": "sq_label",
    "link": "l_text",
    "bold": ("s_text", "u_text"),
    "italic": ("e_text", "f_text"),
    "paren": "p_text",
    "bracket": "k_text",
    "quote": ("q_text", "c_text", "r_text"),
    "code": "t_text",
}


class Token(NamedTuple):
    kind: str  # ws badge link2 link2o link bold italic paren bracket quote code url html field text
    start: int
    end: int
    inner: str  # the text inside the markup (a link's label or text, a bold span's content)
    url: str = ""  # a link's target; a badge's image
    target: str = ""  # a linked badge's target


def fold(text: str) -> str:
    """The text with lookalike characters replaced by what they look like (same length)."""
    return text.translate(_FOLD) if _HAS_LOOKALIKE.search(text) else text


def lookalikes(text: str) -> list[tuple[int, str]]:
    """(column, character) of each lookalike in the line, for the notice that names them."""
    return [(m.start(), m[0]) for m in _HAS_LOOKALIKE.finditer(text)]


def scan(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]` (already folded), left to right, covering every character."""
    out: list[Token] = []
    append = out.append
    for m in _SCAN.finditer(text, start, len(text) if end is None else end):
        kind = m.lastgroup
        if kind in ("ws", "text", "url", "html", "field"):
            append(Token(kind, m.start(), m.end(), m[0]))
        elif kind == "badge":
            if m["b_img"] is not None:
                append(Token(kind, m.start(), m.end(), m["b_alt"], m["b_img"], m["b_url"]))
            else:
                append(Token(kind, m.start(), m.end(), m["i_alt"], m["i_img"]))
        elif kind == "link2":
            append(Token(kind, m.start(), m.end(), m["d_label"], m["d_url"]))
        elif kind == "link2o":
            append(Token(kind, m.start(), m.end(), m["o_label"], m["o_url"]))
        elif kind == "link2s":
            append(Token(kind, m.start(), m.end(), m["sq_label"], m["sq_url"]))
        elif kind == "link":
            append(Token(kind, m.start(), m.end(), m["l_text"], m["l_url"]))
        else:
            groups = _INNER[kind]
            inner = m[groups] if isinstance(groups, str) else next((m[g] for g in groups if m[g]), "")
            append(Token(kind, m.start(), m.end(), inner or ""))
    return out


_STRIP_MD = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`")


def plain(text: str) -> str:
    """Inline text without emphasis marks or code ticks (a bold title's words)."""
    return " ".join(_STRIP_MD.sub("", text).split())
