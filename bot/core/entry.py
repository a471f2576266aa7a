"""One list line → an Entry (tag, title, links), or a SyntaxProblem that says what is broken.

Parsing is structural (bullet, tag, links from left to right) with short, bounded regexes, so a
100 KB hostile line is judged in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grammar import Grammar, lenient_tag

MAX_LINE = 10_000  # longer lines are never entries: judged without parsing

_ITEM = re.compile(r"( {0,3})([-*+])( +|\t)")
_TAG = re.compile(r"- \(\*([^*()\n]{1,120})\*\) ")
_LINK = re.compile(r"\[\[([^\[\]()\n]{1,40})\]\(([^()\s]{0,2000})\)\]")
_BADGE = re.compile(r"!\[[^\[\]\n]{0,200}\]\([^()\s]{0,2000}\)")
_SINGLE_LINK = re.compile(r"(?<!\[)\[([A-Za-z][\w .\-]{0,20})\]\(([^()\s]{1,2000})\)(?!\])")
_SQUARE_URL = re.compile(r"\[\[([^\[\]()\n]{1,40})\]\[(https?://[^\[\]\s]{1,2000})\]\]")
_EMPTY_LINK = re.compile(r" ?\[\[[^\[\]()\n]{1,40}\]\(\s*\)\]")
_NO_SPACE = re.compile(r"(?<=[^\s\]*])\[\[")
_SPACES = re.compile(r"(?<=\S)[ \t]{2,}|\t")
_LOOSE_TAG = re.compile(r"([-*+] )[(（]\s?(\*{0,2})([^*()（）\n]{1,120}?)(\*{0,2})\s?[)）] ?")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    start: int  # column of the link group in the line

    @property
    def text(self) -> str:
        return f"[[{self.label}]({self.url})]"


@dataclass(frozen=True)
class Entry:
    line: int
    text: str
    tag: str
    title: str
    links: tuple[Link, ...]
    section: str = ""


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    text: str
    message: str
    suggestion: str | None = None


def is_list_item(text: str) -> bool:
    return _ITEM.match(text) is not None


def parse(line: int, text: str, grammar: Grammar, section: str = "") -> Entry | None:
    """The entry on this line in the grammar's exact form, or None."""
    if len(text) > MAX_LINE:
        return None
    m = _TAG.match(text)
    if not m:
        return None
    rest_at = m.end()
    links: list[Link] = []
    pos = rest_at
    first = _LINK.search(text, rest_at)
    if not first:
        return None
    title = text[rest_at : first.start()]
    if not title.strip() or title != title.rstrip() + " ":
        return None
    link = first
    while link:
        links.append(Link(link[1], link[2], link.start()))
        pos = link.end()
        gap = len(text) - len(text[pos:].lstrip(" "))
        if gap - pos > grammar.max_link_gap:
            break
        link = _LINK.match(text, gap)
        if link is None:
            pos = gap if gap > pos and _BADGE.match(text, gap) else pos
    tail = text[pos:]
    if tail.strip() and not (grammar.trailing_badges and _only_badges(tail)):
        return None
    return Entry(line, text, m[1], title.strip(), tuple(links), section)


def _only_badges(tail: str) -> bool:
    pos, n = 0, len(tail)
    while pos < n:
        if tail[pos] == " ":
            pos += 1
            continue
        m = _BADGE.match(tail, pos)
        if not m:
            return False
        pos = m.end()
    return True


def diagnose(line: int, text: str, grammar: Grammar, section: str = "") -> SyntaxProblem:
    """Why a list line is not an entry, and the whole corrected line when the fix is mechanical."""
    if len(text) > MAX_LINE:
        return SyntaxProblem(
            line, text, f"This line is {len(text):,} characters long; an entry is one short line."
        )
    fixed, fixes = mechanical_fix(text, grammar)
    if fixes and parse(line, fixed, grammar, section):
        return SyntaxProblem(line, text, f"Almost right: {'; '.join(fixes)}.", fixed)
    return SyntaxProblem(line, text, _missing(fixed, grammar), None)


def mechanical_fix(text: str, grammar: Grammar) -> tuple[str, list[str]]:
    fixes: list[str] = []
    t = text.rstrip()
    if t.startswith(("* ", "+ ")):
        t = "- " + t[2:]
        fixes.append(f"start the line with `- ` instead of `{text[0]} `")
    elif t.startswith("-") and not t.startswith("- "):
        t = "- " + t[1:].lstrip()
        fixes.append("put one space after the `-`")
    elif t.startswith("-  "):
        t = "- " + t[2:].lstrip()
        fixes.append("put one space after the `-`")
    if "（" in t or "）" in t:
        t = t.replace("（", "(").replace("）", ")")
        fixes.append("use ASCII parentheses `( )` instead of full-width ones `（ ）`")
    m = _LOOSE_TAG.match(t)
    if m and not _TAG.match(t):
        inner = m[3].strip()
        if lenient_tag(inner) or grammar.read_tag(inner):
            stars = (m[2], m[4])
            if stars == ("**", "**"):
                fixes.append("write the venue tag in italics `(*…*)`, not bold `(**…**)`")
            elif stars != ("*", "*"):
                fixes.append("put the venue tag in parentheses and italics: `(*…*)`")
            else:
                fixes.append("put one space between the venue tag and the title")
            t = f"- (*{inner}*) " + t[m.end() :].lstrip()
    if _SQUARE_URL.search(t):
        t = _SQUARE_URL.sub(r"[[\1](\2)]", t)
        fixes.append("write each link as `[[label](URL)]`, with the URL in round brackets")
    if _EMPTY_LINK.search(t):
        t = _EMPTY_LINK.sub("", t)
        fixes.append("remove the link with no URL")
    if _NO_SPACE.search(t):
        t = _NO_SPACE.sub(" [[", t, count=1)
        fixes.append("put one space between the title and the first link")
    singles = _SINGLE_LINK.findall(t)
    if singles:
        t = _SINGLE_LINK.sub(lambda s: f"[[{s[1]}]({s[2]})]", t)
        fixes.append("wrap each link in double brackets: `[[paper](URL)]`")
    spaced = _SPACES.sub(" ", t)
    if spaced != t:
        t = spaced
        fixes.append("use single spaces (no tabs, no doubled spaces)")
    return t, fixes


def _missing(text: str, grammar: Grammar) -> str:
    expect = f"An entry looks like `{grammar.entry_example}`."
    if not _TAG.match(text):
        if not text.startswith("- ("):
            return f"The venue tag is missing at the start of the line: write {grammar.example} after `- `. {expect}"
        return f"The venue tag is malformed: write it as {grammar.example}, followed by one space. {expect}"
    rest = text[_TAG.match(text).end() :]
    first = _LINK.search(rest)
    if not first:
        if "](" in rest:
            return f"A link bracket is broken: each link is `[[label](URL)]`, with double square brackets. {expect}"
        return (
            f"The paper link is missing: add `[[{grammar.paper_labels[0]}](URL)]` after the title. {expect}"
        )
    if not rest[: first.start()].strip():
        return f"The title is missing between the venue tag and the links. {expect}"
    if not rest[: first.start()].endswith(" ") or rest[: first.start()].endswith("  "):
        return f"Put exactly one space between the title and the first link. {expect}"
    return (
        "Something follows the links that is not a link group (or the links are too far apart): "
        f"end the line with the `[[label](URL)]` groups, at most {grammar.max_link_gap} space apart. {expect}"
    )
