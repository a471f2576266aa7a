"""Contributor text inside the bot's comments: shown as written, never obeyed.

GitHub renders a comment as GitHub-flavoured markdown and then links references in its text
(docs.github.com, "Autolinked references and URLs"): bare URLs (``http://``, ``https://``,
``ftp://``, ``www.``), e-mail addresses and ``mailto:``/``xmpp:``, ``@user`` and ``@org/team``,
``#26``, ``GH-26``, ``owner/repo#26``, issue URLs, commit SHAs, ``user@SHA`` and ``owner/repo@SHA``.
A contributor's title, tag or URL quoted by the bot must do none of that: no link (a clickable
"re-authorize the bot here"), image, mention, issue reference, HTML, entity, and no bidi control
reordering what a maintainer reads.

One mechanism, :func:`_defuse`, does it for text: markdown's active characters are escaped, and a
zero-width space goes where a reference or an autolink would start (after ``@``, ``#``, ``GH-``,
inside ``://`` and ``www.``, inside a hex run that could name a commit), so the text reads the same
and links nowhere. Bidi controls are dropped and line breaks become spaces (a quote never starts a
block). :func:`escape` applies it to a piece of contributor text; :func:`neutralize` to a message of
ours that quotes contributor text, keeping its code spans (GitHub renders nothing inside one);
:func:`code` and :func:`code_block` wrap text in spans and fences the content cannot close.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

ZW = "\u200b"  # zero-width space: invisible, and no autolink or reference crosses it
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the marks (LRM, RLM, ALM):
# they reorder what is displayed, so a quoted line could read differently from what it is.
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_BREAKS = re.compile("[\r\n\u2028\u2029\u0085\x0b\x0c\x1c-\x1e]")
_ACTIVE = re.compile(r"([\\`*_\[\]|~$!])")  # emphasis, code, links and images, tables, math
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}  # no HTML, no autolink <…>, no &#x202e;
_REFERENCE = re.compile(
    r"(?<=@)"  # @mention, @org/team, user@SHA, e-mail addresses, mailto:, xmpp:
    r"|(?<=#)(?=\d)"  # #26, owner/repo#26
    r"|(?i:(?<=gh-))(?=\d)"  # GH-26 (wherever it stands: a zero-width space costs nothing)
    r"|(?<=:)(?=//)"  # https://, http://, ftp://, issue URLs
    r"|(?i:(?<=www))(?=\.)"  # www.example.com, _www.example.com
)
_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # what a backslash escapes (CommonMark)
_HEX_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{7,}(?![0-9A-Za-z])")  # what may name a commit


def escape(text: str) -> str:
    """Contributor text as plain text anywhere in markdown, a table cell included."""
    return _defuse(text, markdown=True)


def neutralize(message: str) -> str:
    """One of our messages, which quotes contributor text: its code spans stay code (GitHub renders
    nothing inside one, so they keep the text exact), everything else goes through :func:`escape`."""
    message = _flat(message)
    return "".join(seg if is_code else escape(seg) for is_code, seg in spans(message))


def plain(text: str) -> str:
    """Contributor text for a place GitHub shows as plain text (check-run annotations): no markdown
    to escape, but still no reordering, no line breaks, no reference."""
    return _defuse(text, markdown=False)


def code(text: str) -> str:
    """An inline code span that the content cannot close (the delimiter is a longer backtick run)."""
    text = _flat(text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str, info: str = "") -> str:
    """A fenced block that the content cannot close: the fence is longer than any backtick run in it.
    Bidi controls go (they would reorder the block's lines as shown); the rest stays exact."""
    text = BIDI.sub("", text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def clip(markdown: str, limit: int) -> str:
    """At most about ``limit`` characters of a line of markdown, cut between code spans, never inside
    one (a span cut open would let its raw content loose), nor inside a word, an escape or an entity."""
    if len(markdown) <= limit:
        return markdown
    out, used = [], 0
    for is_code, seg in spans(markdown):
        if used + len(seg) > limit:
            if not is_code:
                cut = seg[: limit - used]
                if seg[len(cut)].isalnum():  # half a word could read as another (a commit SHA)
                    cut = re.sub(r"[0-9A-Za-z]+$", "", cut)
                cut = re.sub(r"\\$|&[#\w]*$", "", cut)  # a lone backslash or half an entity
                out.append(cut)
            break
        out.append(seg)
        used += len(seg)
    return "".join(out).rstrip() + " …"


def spans(text: str) -> Iterator[tuple[bool, str]]:
    """(is code span, segment), as CommonMark reads them: a backtick run opens a span that the next
    run of the same length closes; a backslash escapes punctuation outside spans; a run that nothing
    closes is literal text."""
    start = i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in _PUNCT:
            i += 2
            continue
        if c != "`":
            i += 1
            continue
        run = i
        while i < n and text[i] == "`":
            i += 1
        width = i - run
        close = _closing(text, i, width)
        if close is None:
            continue
        if run > start:
            yield False, text[start:run]
        yield True, text[run : close + width]
        start = i = close + width
    if start < n:
        yield False, text[start:]


def _closing(text: str, i: int, width: int) -> int | None:
    for m in re.finditer(r"`+", text[i:]):
        if len(m[0]) == width:
            return i + m.start()
    return None


def _flat(text: str) -> str:
    return BIDI.sub("", _BREAKS.sub(" ", text))


def _defuse(text: str, *, markdown: bool) -> str:
    text = _flat(text)
    if markdown:
        text = _ACTIVE.sub(r"\\\1", re.sub("[&<>]", lambda m: _ENTITY[m[0]], text))
    text = _HEX_RUN.sub(lambda m: ZW.join(m[0][i : i + 6] for i in range(0, len(m[0]), 6)), text)
    return _REFERENCE.sub(ZW, text)
