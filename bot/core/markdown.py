"""Contributor text inside the bot's comments: shown, never obeyed (no mentions, HTML, images, fences)."""

from __future__ import annotations

import re

ZW = "\u200b"  # a zero-width space breaks @mentions, #refs and image syntax without changing what people read
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_ISSUE_REF = re.compile(r"#(?=\d)")
_IMAGE = re.compile(r"!(?=\[)")


def neutralize(text: str) -> str:
    """Our own message text, which quotes contributor text: keep its markdown, defuse what acts."""
    text = text.replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MENTION.sub("@" + ZW, text)
    text = _ISSUE_REF.sub("#" + ZW, text)
    return _IMAGE.sub("!" + ZW, text)


def escape(text: str) -> str:
    """Contributor text as plain text in markdown (a title in a table cell)."""
    text = neutralize(text)
    return re.sub(r"([\\`*_{}\[\]|~])", r"\\\1", text)


def code_block(text: str, info: str = "") -> str:
    """A fenced block that the content cannot close: the fence is longer than any backtick run in it."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}\n{fence}"
