"""One line's tokens → its pieces: each piece of markup or run of words with the field it may be.

The first step of the line reader (bot.core.read.fields): markup says most (a link, `**bold**`, a tag
in parentheses, a template's `{placeholder}`), plain words wait for the second step to be told. HTML
that only styles what it wraps is read as if it were not there.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .labels import LABEL_WORDS, label_words
from .markup import Token, plain, scan
from .slots import Badge, Link
from .words import KEY_PREFIX, cites, is_key, tag_role

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_HREF = re.compile(r"""<a\s[^<>]{0,200}?\bhref\s*=\s*["']?(?P<url>[^"'\s<>]{1,2000})""", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']?(?P<url>[^"'\s<>]{1,2000})""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*["'](?P<alt>[^"'<>]{0,200})""", re.IGNORECASE)
# Inline HTML that only styles or anchors what it wraps (`<ins>ICLR, 2024</ins>`, `<a name="x"></a>`):
# read as if it were not there.
_INLINE_TAGS = frozenset(
    {"a", "ins", "sub", "sup", "b", "i", "u", "em", "strong", "span", "font", "mark", "small", "big", "del",
     "s", "strike", "kbd", "code", "p", "div", "center", "nobr"}
)  # fmt: skip
_TAG_NAME = re.compile(r"</?\s*([A-Za-z]+)")
_NUMBER = re.compile(r"\[?\d{1,3}\]?")


def _is_label(text: str, first: bool) -> bool:
    words = label_words(text)
    if not words:
        return True  # an emoji or a symbol: a label
    parts = words.split()
    n = len(parts)
    if words in LABEL_WORDS or (n <= 2 and all(w in LABEL_WORDS for w in parts)):
        return True
    if first:  # where a title goes: only a label's own words make it one
        return False
    if n <= 3 and parts[0] in LABEL_WORDS:
        return True
    return not first and n <= 3 and len(words) <= 30


def _placeholder(text: str) -> str | None:
    m = _PLACEHOLDER.fullmatch(text.strip())
    return m[1] if m else None


class Piece(NamedTuple):
    role: str  # as Slot.role, or "text" (plain words, assigned later), "title?" (a strong title)
    form: str
    value: str
    start: int
    end: int
    link: Link | None = None
    badge: Badge | None = None


# Tuples built from all their values at once (a reader builds several per line): NamedTuple's own
# constructor takes keywords and defaults, at three times the cost.
_new = tuple.__new__
_TEXT_FORM = "{}"


def read_pieces(tokens: list[Token], text: str, head: bool) -> list[Piece]:
    if any(t.kind == "html" or (t.kind == "paren" and "](" in t.inner) for t in tokens):
        tokens = _unwrapped(tokens, text)
    out: list[Piece] = []
    seen_content = False
    for tok in tokens:
        kind = tok[0]
        if kind == "ws":
            continue
        if kind == "text":
            p = _words(text, tok[1], tok[2])
        elif kind in _BY_CONTENT:
            p = _piece_by_content(tok, text, head and not seen_content)
        else:
            p = _piece(tok, text, head and not seen_content)
        role = p[0]
        if role == "text" and out and out[-1][0] == "text" and p[3] <= out[-1][4] + 1:
            start = out[-1][3]
            out[-1] = _new(Piece, ("text", _TEXT_FORM, text[start : p[4]], start, p[4], None, None))
        else:
            out.append(p)
        # A link before any words of the entry (after a tag, a date, a `Paper:` label, a citation's
        # `Authors. 2023.`) is its title.
        if not seen_content:
            keyish = role == "text" and (is_key(p[2].strip()) or cites(p[2]))
            seen_content = not (role in ("tag", "date", "badges", "sep", "lit") or keyish)
    return out


def _unwrapped(tokens: list[Token], text: str) -> list[Token]:
    """The tokens with HTML read for what it says (`_html`) and a link in parentheses taken out of
    them (`([Code](url))`)."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.kind == "paren" and "](" in tok.inner:
            tokens[i:i] = scan(text, tok.start + 1, tok.end - 1)
            continue
        if tok.kind == "html":
            got = _html(tok, tokens, i)
            if got is None:
                continue  # markup that only styles or anchors: read what it wraps
            tok, i = got
        out.append(tok)
    return out


def _html(tok: Token, tokens: list[Token], i: int) -> tuple[Token, int] | None:
    """An HTML tag as the token it stands for, and where reading goes on: `<a href="u">…</a>` a link
    (its label the text or the image inside), any other tag itself (`<br>`, `<img>`, as text); None
    for a tag that only styles or anchors what it wraps."""
    if (m := _HREF.match(tok.inner)) is not None:
        j = i
        while j < len(tokens) and not (
            tokens[j].kind == "html" and tokens[j].inner.lower().startswith("</a")
        ):
            j += 1
        if j < len(tokens):
            inside = tokens[i:j]
            label = " ".join(_html_words(t) for t in inside if t.kind != "ws").strip()
            return Token("hlink", tok.start, tokens[j].end, label or "link", m["url"]), j + 1
    name = _TAG_NAME.match(tok.inner)
    if name and name[1].lower() in _INLINE_TAGS:
        return None
    return tok, i


def _html_words(tok: Token) -> str:
    """What a token inside an HTML link says: its text, or an image's alt or badge words."""
    if tok.kind == "html" and (m := _SRC.search(tok.inner)) is not None:
        alt = _ALT.search(tok.inner)
        return Badge(alt["alt"] if alt else "", m["url"], "", 0).words
    if tok.kind == "badge":
        return Badge(tok.inner, tok.url, tok.target, 0).words
    return "" if tok.kind == "html" else tok.inner


# Markup whose piece follows from its kind and content alone (a tag in parentheses, a code span, a
# bold note): a short one is read once per distinct content, as a list repeats its tags.
_BY_CONTENT = frozenset({"paren", "bracket", "bold", "italic", "quote", "code", "html", "field"})
_READ: dict[tuple[str, str, bool, str], tuple[str, str, str] | None] = {}


def _piece_by_content(tok: Token, text: str, first: bool) -> Piece:
    s, e = tok[1], tok[2]
    if e - s > 48:  # a title: read as it comes, each is a list's own
        return _piece(tok, text, first)
    key = (tok[0], tok[3], first, text[s] if tok[0] == "italic" else "")
    got = _READ.get(key, ())
    if got is None:  # its piece holds a link, at a column of its own (`**[Title](url)**`)
        return _piece(tok, text, first)
    if got:
        return _new(Piece, (got[0], got[1], got[2], s, e, None, None))
    p = _piece(tok, text, first)
    if len(_READ) > 8192:
        _READ.clear()
    _READ[key] = (p[0], p[1], p[2]) if p[5] is None and p[6] is None and p[3] == s and p[4] == e else None
    return p


def _piece(tok: Token, text: str, first: bool) -> Piece:
    kind, s, e, inner = tok[0], tok[1], tok[2], tok[3]
    if kind == "badge":
        return Piece("badges", "", inner, s, e, badge=Badge(inner, tok.url, tok.target, s))
    if kind == "link2":
        return _new(
            Piece, ("links", "", inner, s, e, _new(Link, (inner, tok.url, s, "[[{label}]({url})]", 0)), None)
        )
    if kind == "link2o":
        return Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, "[[{label}]]({url})"))
    if kind == "link2s":
        return Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, "[[{label}][{url}]]"))
    if kind == "url":
        return Piece("links", "", "", s, e, link=Link("", tok.inner, s, "{url}"))
    if kind in ("link", "hlink"):  # `[label](u)`, or `<a href="u">label</a>`
        # `[{title}]`, `[**{title}.**]` in a template
        name = _placeholder(plain(inner).rstrip(".")) if "{" in inner else None
        if (name and name != "title") or (not name and _is_label(inner, first)):
            style = "[{label}]({url})" if kind == "link" else '<a href="{url}">{label}</a>'
            return Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, style))
        form, value = _wrapped(inner)
        return Piece("title?", f"[{form}]({{paper}})", value, s, e, link=Link(value, tok.url, s, "title"))
    if kind == "bold":
        name = _placeholder(inner)
        if name:
            return Piece(_role(name), "**{}**", "", s, e)
        if _NUMBER.fullmatch(inner.strip()):
            return Piece("sep", "", "", s, e)  # `**[12]**`: the entry's number
        sub = scan(inner)
        if len(sub) == 1 and sub[0].kind == "link" and _is_title_link(sub[0].inner, first):
            form, value = _wrapped(sub[0].inner)
            link = Link(value, sub[0].url, s + 2, "title")
            return Piece("title?", f"**[{form}]({{paper}})**", value, s, e, link=link)
        if len(sub) == 1 and sub[0].kind == "bracket" and (name := _placeholder(sub[0].inner)):
            return Piece(_role(name), "**[{}]**", "", s, e)
        if len(sub) == 1 and sub[0].kind == "bracket" and (tag_role(sub[0].inner)):
            return Piece(tag_role(sub[0].inner), "**[{}]**", sub[0].inner.strip(), s, e)
        if role := tag_role(inner):
            return Piece(role, "**{}**", inner.strip(), s, e)
        if (key := KEY_PREFIX.fullmatch(inner.strip())) and len(key["key"].split()) <= 2:
            return Piece(
                "lit", "{}", key["key"].strip().casefold(), s, e
            )  # `**Metrics:**` names what follows
        value = plain(inner)
        form = "**{}.**" if value.endswith(".") else "**{}**"
        return Piece("title?", form, value.removesuffix(".").strip(), s, e)
    if kind == "italic":
        form = "_{}_" if text[s] == "_" else "*{}*"
        name = _placeholder(inner)
        if name:
            return Piece(_role(name), form, "", s, e)
        if role := tag_role(inner):
            return Piece(role, form, inner.strip(), s, e)
        return Piece("italic", form, inner.strip(), s, e)
    if kind == "paren":
        body = inner.strip()
        if len(body) > 4 and body.startswith("**") and body.endswith("**"):
            core = body[2:-2].strip()
            if name := _placeholder(core):
                return Piece(_role(name), "(**{}**)", "", s, e)
            return Piece(tag_role(core) or ("tag" if first else "note"), "(**{}**)", core, s, e)
        if len(body) > 2 and body[0] == body[-1] == "*" and body[1] != "*":
            core = body.strip("*").strip()
            name = _placeholder(core)
            if name:
                return Piece(_role(name), "(*{}*)", "", s, e)
            return Piece(tag_role(core) or ("tag" if first else "note"), "(*{}*)", core, s, e)
        if name := _placeholder(body):
            return Piece(_role(name), "({})", "", s, e)
        if role := tag_role(body):
            return Piece(role, "({})", body, s, e)
    elif kind == "bracket":
        body = inner.strip()
        if body.isdigit() and len(body) <= 3:
            return Piece("sep", "", "", s, e)  # `[12]`: the entry's number
        if len(body) > 4 and body.startswith("**") and body.endswith("**") and "**" not in body[2:-2]:
            name = _placeholder(body[2:-2])
            return Piece(
                "name" if name in (None, "name") else _role(name),
                "[**{}**]",
                "" if name else body[2:-2].strip(),
                s,
                e,
            )
        if name := _placeholder(body):
            return Piece(_role(name), "[{}]", "", s, e)
        if role := tag_role(body):
            return Piece(role, "[{}]", body, s, e)
        # `[code]` for a link to come, `[__`cls.`__]`, `[💬Topic]`: a bracket the list keeps beside its
        # links, free as they are (not a broken link, not part of the shape)
        return Piece("links", "", body, s, e)
    elif kind == "quote":
        name = _placeholder(inner)
        if name:
            return Piece(_role(name), '"{}"', "", s, e)
        body = inner.strip()
        dot = "." if body.endswith(".") else ""
        stars = (
            "**"
            if len(body) > 4
            and body.removesuffix(".").startswith("**")
            and body.removesuffix(".").endswith("**")
            else ""
        )
        value = plain(body.removesuffix(".")) if stars else body
        return Piece("title?", f'"{stars}{{}}{stars}{dot}"' if stars else '"{}"', value, s, e)
    elif kind == "code":
        if name := _placeholder(inner):
            return Piece(_role(name), "`{}`", "", s, e)
        return Piece(tag_role(inner) or "note", "`{}`", inner.strip(), s, e)  # `Netflix`: a note
    elif kind == "html" and inner.lower().replace(" ", "") in ("<br>", "<br/>"):
        return Piece("sep", "", "", s, e)
    elif kind == "field":
        return Piece(_role(inner[1:-1]), "{}", "", s, e)
    return _words(text, s, e)


def _words(text: str, s: int, e: int) -> Piece:
    """Plain words, their role told later (a tag, authors, a note…)."""
    raw = text[s:e]
    words = raw.strip(" \t")  # the words' span, without the spaces around them
    if (
        words
        and not words.isascii()
        and all(not c.isascii() and not c.isalnum() for c in words.replace(" ", ""))
    ):
        return Piece("sep", "", "", s, e)  # `🔥🔥`, `⭐`: a mark, not words
    if len(words) != len(raw):
        s += len(raw) - len(raw.lstrip(" \t"))
        e = s + len(words)
    return _new(Piece, ("text", _TEXT_FORM, words, s, e, None, None))


def _is_title_link(inner: str, first: bool) -> bool:
    """A link's text is a title (not a label): its words, or a template's `{title}`."""
    name = _placeholder(plain(inner).rstrip("."))
    return name == "title" if name else not _is_label(inner, first)


def _wrapped(inner: str) -> tuple[str, str]:
    """A link text's markup and words: `**Title.**` → (`**{}.**`, `Title`)."""
    t = inner.strip()
    stars = "**" if t.startswith("**") and t.endswith("**") else ""
    value = plain(t)
    dot = "." if value.endswith(".") else ""
    return f"{stars}{{}}{dot}{stars}", value.removesuffix(".").strip() if dot else value


def _role(name: str) -> str:
    return "links" if name == "paper" else name
