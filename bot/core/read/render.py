"""What GitHub shows of an entry's line, and the markup in it that did not render.

An entry is rendered by cmark-gfm, GitHub's own engine, so "broken markdown" is what GitHub shows
wrong, not what a pattern guesses: `[[paper](URL)` shows a stray `[`, `[paper] (URL)` and a URL with
a space show their `](`, an unclosed `**` shows its stars, a `<` that opens no tag shows itself.
Brackets that render as written on purpose (`[[paper]](URL)`, `[[CVPR](URL)] Title`, `[**Name**]`)
are balanced and show nothing wrong; what a list does on purpose that still leaves such residue is
told apart by comparing with how its accepted entries render (bot.core.rules.entry_syntax).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Sequence

import cmarkgfm

# The marks of markup left unrendered, and of a URL that is markup (`((URL))`, `([…](URL))`).
OPEN, CLOSE, LINK, BOLD, ANGLE, TANGLED = "[", "]", "](", "**", "<", "(]("

_CODE = re.compile(r"<code>[^<]*+</code>")  # a code span's `<` is written &lt;: none inside
_TAG = re.compile(r"<[^<>]*+>")
_URL = re.compile(r"<a [^<>]*+>(?:(?:https?|ftp)://|www\.)[^<]*+</a>")
_STARS = re.compile(
    r"(?<![*_])(?:\*\*|__)(?=[^\W_])|(?<=[^\W_])(?:\*\*|__)(?![*_])"
)  # bold that never closed
_ANGLE = re.compile(r"<[A-Za-z/!]")  # a tag that did not parse (`a < b`, `<1 ms` are what they say)
_LINK = re.compile(r"\](?:\(|[ \t]*\([ \t\0]*(?:https?:|www\.))")  # `](`, or `] (` before a URL
# A link cmark always renders as one: its text without brackets, its URL without spaces or parens.
_SIMPLE_LINK = re.compile(r"\[[^\[\]\n]*\]\(([^()\s\[\]]*)\)")
_OPENS = frozenset(" \t([|")  # what may stand before a `**` that opens bold, after one that closes it
_CLOSES = frozenset(" \t)].,;:!?|")
_ENTITY = re.compile(r"&#?\w{1,32};")
_ESCAPE = re.compile(r"\\[!-/:-@\[-`{-~]")
_BATCH = 2000  # lines rendered in one document


def residues(lines: Sequence[str]) -> list[frozenset[str]]:
    """For each line (an entry's first line, without its item marker), the marks of the markup
    GitHub shows as text: one render of all the lines that could hold any, as paragraphs of one
    document. A line's marks depend on its text alone, so each text is judged once per process (a
    review judges the same base again and again)."""
    out: list[frozenset[str]] = [frozenset()] * len(lines)
    todo = []
    for i, line in enumerate(lines):
        known = _KNOWN.get(line)
        if known is not None:
            out[i] = known
        elif _suspect(line):
            todo.append(i)
        else:
            _remember(line, _NONE)
    for at in range(0, len(todo), _BATCH):
        part = todo[at : at + _BATCH]
        # "x " keeps each line a paragraph (never a heading, quote, list, table or definition), and
        # raw HTML is left out of the output (omitted), so a paragraph's end is the one `</p>`.
        page = cmarkgfm.github_flavored_markdown_to_html("\n\n".join("x " + _source(lines[i]) for i in part))
        shown = page.split("</p>\n")
        if len(shown) != len(part) + 1:  # never expected: judge them one by one rather than misplace one
            shown = [cmarkgfm.github_flavored_markdown_to_html("x " + _source(lines[i])) for i in part] + [""]
        for i, para in zip(part, shown, strict=False):
            out[i] = _remember(lines[i], _marks(para))
    return out


_NONE: frozenset[str] = frozenset()
_KNOWN: dict[str, frozenset[str]] = {}  # line → its marks (bounded: emptied when full)
_KNOWN_MAX = 65536


def _remember(line: str, marks: frozenset[str]) -> frozenset[str]:
    if len(_KNOWN) >= _KNOWN_MAX:
        _KNOWN.clear()
    _KNOWN[line] = marks
    return marks


def shown(line: str) -> frozenset[str]:
    """The marks of one line, rendered whatever it holds (what :func:`residues` answers, unbatched)."""
    return _marks(cmarkgfm.github_flavored_markdown_to_html("x " + _source(line)).split("</p>\n", 1)[0])


_BLOCK = re.compile(r"<(ul|ol|li|pre|blockquote|table|tr|h[1-6]|hr)\b")
_HREF = re.compile(r'<a href="([^"]*)"')


def layout(text: str) -> tuple[Counter[str], Counter[str]]:
    """How GitHub lays out a block of lines (an item with the lines under it): its blocks (lists, list
    items, code blocks, quotes, table rows, headings) and the addresses it links, as rendered."""
    page = cmarkgfm.github_flavored_markdown_to_html(text)
    return Counter(_BLOCK.findall(page)), Counter(html.unescape(u) for u in _HREF.findall(page))


def _source(line: str) -> str:
    """An entity (`&lt;`, `&#91;`) or a backslash escape (`\\[`, `\\<`) shows its character on purpose:
    never as a mark (record text is written escaped, bot.core.read.markup.literal)."""
    if "&" in line:
        line = _ENTITY.sub("&", line)
    return _ESCAPE.sub("x", line) if "\\" in line else line


def _suspect(line: str) -> bool:
    """Could GitHub show some of this line's markup as text? Not when its brackets pair up, each `](`
    is a plain link (which takes one pair), every URL is a link's, and its bold is plain `**words**`
    (nothing else that could show: no `<`, backslash, backtick, `__`): a test in a few string
    operations, since it runs on every entry; anything else is left to cmark."""
    if (
        "<" in line
        or "\\" in line
        or "`" in line
        or "__" in line
        or "***" in line
        or "www." in line
        or ("&" in line and _ENTITY.search(line) is not None)
    ):
        return True
    if line.count("[") != line.count("]") or "] (" in line:
        return True
    urls = _SIMPLE_LINK.findall(line) if "](" in line else ()
    if line.count("](") != len(urls) or line.count("://") != sum(1 for u in urls if "://" in u):
        return True
    return "**" in line and not _plain_bold(line)


def _plain_bold(line: str) -> bool:
    """Each `**` opens bold before a word and closes it after one, in turn."""
    parts = line.split("**")
    if len(parts) % 2 == 0:
        return False
    for k in range(1, len(parts), 2):  # parts[k] is bold: what stands around it must let it be
        before, inner, after = parts[k - 1], parts[k], parts[k + 1]
        if not inner or inner[0] in " \t" or inner[-1] in " \t":
            return False
        if (before and before[-1] not in _OPENS) or (after and after[0] not in _CLOSES):
            return False
    return True


def _tangled(href: str) -> bool:
    """A URL that is markup: wrapped in brackets or parentheses (`((URL))`), or holding another link."""
    return href.startswith(("(", "%5B")) or "%5D(" in href


def _marks(para: str) -> frozenset[str]:
    found = {TANGLED} if "<a " in para and any(_tangled(u) for u in _HREF.findall(para)) else set()
    # A tag leaves a mark between the characters around it (`_<br>_` is no `__`); a URL shown as
    # text (an autolink) may hold `__`, and a blank (`Filling in the ______`) is no unclosed bold.
    para = _CODE.sub("", para)
    text = html.unescape(_TAG.sub("\0", para))
    balance = text.count("[") - text.count("]")
    if balance:
        found.add(OPEN if balance > 0 else CLOSE)
    if _LINK.search(text):
        found.add(LINK)
    if ("**" in text or "__" in text) and _STARS.search(html.unescape(_TAG.sub("\0", _URL.sub("\0", para)))):
        found.add(BOLD)
    if "<" in text and _ANGLE.search(text):
        found.add(ANGLE)
    return frozenset(found)
