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

# An inline image or link as a reader sees it, for a heading's name: the text holds no bracket and the
# target one level of parentheses, so no scan runs past the next opener (linear on any line).
IMAGE = r"!\[[^\[\]]*\]\((?:[^()]|\([^()]*\))*\)"
LINK = r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)"

_URL_CHARS = r"[^()\s]{0,2000}"
# The inline markup, one alternative per kind, in the order they are tried; each starts with one of
# the characters beside it, so the scanner tries at a position only those its character can start.
_ALTERNATIVES = (
    (" \t&", r"(?P<ws>(?:[ \t]|&nbsp;|&ensp;|&emsp;)++)"),
    (
        "[!",
        r"(?P<badge>\[!\[(?P<b_alt>[^\[\]\n]{0,200})\]\((?P<b_img>" + _URL_CHARS + r")\)\]"
        r"\((?P<b_url>" + _URL_CHARS + r")\)"
        r"|!\[(?P<i_alt>[^\[\]\n]{0,200})\]\((?P<i_img>" + _URL_CHARS + r")\))",
    ),
    (
        "[",
        r"(?P<link2>\[\[(?P<d_label>[^\[\]\n]{1,80})\]\([ \t]{0,20}+(?P<d_url>"
        + _URL_CHARS
        + r")[ \t]{0,20}+\)\])",
    ),
    (
        "[",
        r"(?P<link2o>\[\[(?P<o_label>[^\[\]\n]{1,80})\]\]\([ \t]{0,20}+(?P<o_url>"
        + _URL_CHARS
        + r")[ \t]{0,20}+\))",
    ),
    ("[", r"(?P<link2s>\[\[(?P<sq_label>[^\[\]\n]{1,80})\]\[(?P<sq_url>https?://[^\[\]\s]{1,2000})\]\])"),
    (
        "[",
        r"(?P<link>\[(?P<l_text>(?:[^\[\]\n]++|\[[^\[\]\n]{0,80}+\]){1,600}+)\]\([ \t]{0,20}+(?P<l_url>"
        + _URL_CHARS
        + r")[ \t]{0,20}+\))",
    ),
    # `**` before four more stars opens nothing: a run of stars is read once, not once per star.
    ("*_", r"(?P<bold>\*\*(?!\*{4})(?P<s_text>[^\n]{1,3000}?)\*\*(?!\*)|__(?P<u_text>[^\n]{1,3000}?)__)"),
    (
        "*_",
        r"(?P<italic>\*(?P<e_text>[^*\n]{1,3000})\*|(?<!\w)_(?P<f_text>(?:[^_\n]|(?<=\w)_(?=\w)){1,3000})_(?!\w))",
    ),
    # Up to 300 characters or `(…)` groups of 80 (see _PAREN_UNITS): runs of characters at a time.
    ("(", r"(?P<paren>\((?P<p_text>(?:[^()\n]++|\([^()\n]{0,80}\))++)\))"),
    ("[", r"(?P<bracket>\[(?P<k_text>[^\[\]\n]{1,300})\](?!\())"),
    # A quoted title ends at a quote that markup or punctuation follows: `"Advance the "Edge" of…"`.
    # Every quote may open one, so the lazy form is bounded by a long title's length (not the line's).
    (
        '"“',
        r"(?P<quote>\"(?P<q_text>[^\n]{2,500}?)\"(?=\s{0,20}+(?:[^\w\s\":]|$))|\"(?P<r_text>[^\"\n]{2,3000})\""
        r"|“(?P<c_text>[^“”\n]{2,3000})”)",
    ),
    ("`", r"(?P<code>`(?P<t_text>[^`\n]{1,300})`)"),
    ("h", r"(?P<url>https?://[^\s<>()\[\]]{1,2000})"),
    ("<", r"(?P<html><[A-Za-z/][^<>\n]{0,200}>)"),
    ("{", r"(?P<field>\{[a-z]+\})"),
)
# Words and the spaces between them in one token; it stops where markup, a URL or an entity starts.
# A backslash escape (`\[`) is text, as markdown reads it: a title written by literal() stays one.
# Anything else is one character of text (a stray `]`).
_TEXT = r"(?P<text>(?:\\[!-/:-@\[-`{-~]|[^\n\[\]()*_`\"“”!<{h&\\]++|\\|h(?!ttps?://)|&(?!(?:nbsp|ensp|emsp);))++|.)"
_SPECIAL = "".join(sorted({c for chars, _ in _ALTERNATIVES for c in chars}))
# The pattern for a position, by its character: the alternatives that character can start, in order.
_BY_CHAR = {
    c: re.compile("|".join([*(alt for chars, alt in _ALTERNATIVES if c in chars), _TEXT])) for c in _SPECIAL
}
_PLAIN = re.compile(_TEXT)
_INNER = {
    "bold": ("s_text", "u_text"),
    "italic": ("e_text", "f_text"),
    "paren": "p_text",
    "bracket": "k_text",
    "quote": ("q_text", "c_text", "r_text"),
    "code": "t_text",
}
_LINKS = {"link2": ("d_label", "d_url"), "link2o": ("o_label", "o_url"), "link2s": ("sq_label", "sq_url")}
_LINKS["link"] = ("l_text", "l_url")
_WHOLE = frozenset({"text", "ws", "url", "html", "field"})  # kinds whose inner is the whole token


class Token(NamedTuple):
    kind: str  # ws badge link2 link2o link bold italic paren bracket quote code url html field text
    start: int
    end: int
    inner: str  # the text inside the markup (a link's label or text, a bold span's content)
    url: str = ""  # a link's target; a badge's image
    target: str = ""  # a linked badge's target


_PAREN_UNITS = 300
_NESTED = re.compile(r"\([^()]*\)")
_token = tuple.__new__  # a Token from its six values, without NamedTuple's keyword handling


def fold(text: str) -> str:
    """The text with lookalike characters replaced by what they look like (same length)."""
    if text.isascii():  # every lookalike is outside ASCII; most lines are inside it
        return text
    return text.translate(_FOLD) if _HAS_LOOKALIKE.search(text) else text


def lookalikes(text: str) -> list[tuple[int, str]]:
    """(column, character) of each lookalike in the line, for the notice that names them."""
    if text.isascii():
        return []
    return [(m.start(), m[0]) for m in _HAS_LOOKALIKE.finditer(text)]


def scan(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of `text[start:end]` (already folded), left to right, covering every character but a
    line break. Each position is matched against the markup its character can start (a dict lookup),
    not against every alternative in turn."""
    if end is None:
        end = len(text)
    out: list[Token] = []
    append = out.append
    patterns = _BY_CHAR.get
    plain = _PLAIN
    pos = start
    while pos < end:
        c = text[pos]
        if c == " " and (pos + 1 == end or text[pos + 1] not in " \t&"):  # one space: most of them
            append(_token(Token, ("ws", pos, pos + 1, " ", "", "")))
            pos += 1
            continue
        m = patterns(c, plain).match(text, pos, end)
        if m is None:  # a line break: no token, as in a search for the next one
            pos += 1
            continue
        kind = m.lastgroup
        e = m.end()
        if kind in _WHOLE:
            append(_token(Token, (kind, pos, e, text[pos:e], "", "")))
        elif kind in _LINKS:
            label, url = _LINKS[kind]
            append(_token(Token, (kind, pos, e, m[label], m[url], "")))
        elif kind == "badge":
            if m["b_img"] is not None:
                append(_token(Token, (kind, pos, e, m["b_alt"], m["b_img"], m["b_url"])))
            else:
                append(_token(Token, (kind, pos, e, m["i_alt"], m["i_img"], "")))
        elif kind == "paren" and e - pos > _PAREN_UNITS + 2 and _units(m["p_text"]) > _PAREN_UNITS:
            e = pos + 1  # too long for a tag or a note: the `(` is text
            append(_token(Token, ("text", pos, e, "(", "", "")))
        else:
            groups = _INNER[kind]
            inner = m[groups] if isinstance(groups, str) else next((m[g] for g in groups if m[g]), "")
            append(_token(Token, (kind, pos, e, inner or "", "", "")))
        pos = e
    return out


def _units(inner: str) -> int:
    """A parenthesis' content counted as its characters, each nested `(…)` one."""
    return len(inner) - sum(len(g) - 1 for g in _NESTED.findall(inner))


_STRIP_MD = re.compile(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)|`")


def plain(text: str) -> str:
    """Inline text without emphasis marks or code ticks (a bold title's words)."""
    return " ".join(_STRIP_MD.sub("", text).split())


# What makes outside text live markdown in a list: link and image brackets, HTML and <autolinks>, a
# table's pipe, code ticks, a backslash that would escape our escapes, GFM's bare autolinks (scheme://,
# www., an e-mail address), and a first character that would open a block (a heading, a quote, a
# list, a fence) where the text starts the item.
_LIVE = re.compile(
    r"\\(?=[!-/:-@\[-`{-~])|[\[\]<>|`]|(?<=[A-Za-z])(?=://)|(?i:(?<=www))(?=\.)|(?<=[\w.+-]@)(?=[A-Za-z0-9])"
    r"|\A[#>+*=~-]"
)
_ORDERED = re.compile(r"\d{1,9}(?=[.)])")  # `2024. …` would start an ordered list


def literal(text: str) -> str:
    """Text from outside the list (a publication record's title or authors) as markdown that reads
    as itself, written into an entry: backslash escapes (a zero-width space after the `@` of an
    e-mail address, which no escape stops), so a record can put no link, image, HTML or block in
    the list. The title rules compare titles without escapes, so a fix written this way settles in
    one pass."""
    out = _LIVE.sub(_escaped, text)
    number = _ORDERED.match(out)
    return out[: number.end()] + "\\" + out[number.end() :] if number else out


def _escaped(m: re.Match[str]) -> str:
    at = not m[0] and m.start() > 0 and m.string[m.start() - 1] == "@"
    return "\u200b" if at else "\\" + m[0]
