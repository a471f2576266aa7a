"""One logical line of an entry → its fields (title, tag, date, authors, links, badges) and its shape.

The same reader serves every list format: it finds the fields by their markup and their content,
never by one line shape. The *shape* of a line is the sequence of its fields with their markup
(`(*{tag}*) {title} {links}`): a list's format is the shapes its entries share, so inference counts
shapes and matching compares them. A format template in config.yml is read by this same code (its
placeholders name the fields), so a template and the entries it describes cannot disagree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .labels import LABEL_WORDS, label_words
from .markup import Token, plain, scan
from .slots import Badge, Line, Link, Slot
from .tags import PREPRINT_SERVERS, Tag, read_any, read_venue_only

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_KEY_PREFIX = re.compile(r"(?P<key>[A-Za-z][\w ]{0,20}?)\s?:(?:\s|$)")
_AUTHORS = re.compile(r",|\bet al\b|\band\b", re.IGNORECASE)
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
# A number before an entry (`1) `, `[12]`, `**[12]**`): where it is in the list, not a field of it.
_ORDINAL = re.compile(r"(?:\d{1,3}[.)]|\[\d{1,3}\])(?:\s+|$)")
_NUMBER = re.compile(r"\[?\d{1,3}\]?")
_SUMMARY = re.compile(r" {2,}")  # `Title  This paper introduces …`: a title, then what it is about
_PIPE = re.compile(r"(?<!\\)\|")  # a cell's end; `\|` is a pipe inside a cell


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


def read_line(text: str, start: int = 0, end: int | None = None, *, head: bool = True) -> Line:
    """The fields of `text[start:end]` (folded text; `head`: the entry's first line)."""
    line = _assign(_pieces(scan(text, start, end), text, head), head)
    line.text = text if start == 0 and end is None else text[:end]
    return line


def read_cell(text: str, role: str) -> Line:
    """A table cell whose column says what it holds (`role` from the header; "" when unknown)."""
    if role == "title" and (gap := _SUMMARY.search(text)) and len(text[gap.end() :].split()) >= 5:
        # `1) Title  This paper introduces …`: the title, then what the paper does.
        line = read_line(text[: gap.start()], head=True)
        if line.first("title"):
            rest = read_line(text[gap.end() :], head=False)
            line.slots.append(Slot("note", "{}", text[gap.end() :], gap.end(), len(text)))
            line.links += [k._replace(start=k.start + gap.end()) for k in rest.links]
            line.badges += rest.badges
            line.text = text
            return line
    line = read_line(text, head=role == "title")
    if role in ("tag", "date") and not any(s.role in ("tag", "date") for s in line.slots):
        words = plain(text)
        got = read_any(words) if words else None
        if got or (words and read_venue_only(words)):
            kind = "date" if got and got[0].kind == "date" else "tag"
            line.slots = [Slot(kind, "{}", words, 0, len(text))]
    if role == "title" and not line.first("title") and line.slots:
        s = next((s for s in line.slots if s.role in ("note", "authors", "name")), None)
        if s:
            line.slots = [Slot("title", s.form, s.value, s.start, s.end) if x is s else x for x in line.slots]
    if role == "authors":
        line.slots = [
            Slot("authors", s.form, s.value, s.start, s.end) if s.role == "note" else s for s in line.slots
        ]
    return line


def read_row(text: str, roles: tuple[str, ...] = ()) -> Line:
    """A table row: each cell read with its column's role (from the header; "" when unknown), the
    slots' columns those of the row itself."""
    out = Line(text=text)
    start = 1 if text.startswith("|") else 0
    n = len(text)
    ends = [m.start() for m in _PIPE.finditer(text, start)]
    if not ends or ends[-1] != n - 1:  # a row that does not end in `|` ends with a last cell
        ends.append(n)
    for col, i in enumerate(ends):
        raw = text[start:i]
        cell = raw.strip()
        if cell:
            offset = start + raw.index(cell)
            got = read_cell(cell, roles[col] if col < len(roles) else "")
            out.slots.extend(s._replace(start=s.start + offset, end=s.end + offset) for s in got.slots)
            out.links.extend(k._replace(start=k.start + offset) for k in got.links)
            out.badges.extend(got.badges)
        start = i + 1
    return out


# --------------------------------------------------------------------------- tokens → pieces


class _Piece(NamedTuple):
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


def _pieces(tokens: list[Token], text: str, head: bool) -> list[_Piece]:
    if any(t.kind == "html" or (t.kind == "paren" and "](" in t.inner) for t in tokens):
        tokens = _unwrapped(tokens, text)
    out: list[_Piece] = []
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
            out[-1] = _new(_Piece, ("text", _TEXT_FORM, text[start : p[4]], start, p[4], None, None))
        else:
            out.append(p)
        # A link before any words of the entry (after a tag, a date, a `Paper:` label, a citation's
        # `Authors. 2023.`) is its title.
        if not seen_content:
            keyish = role == "text" and (_is_key(p[2].strip()) or _cites(p[2]))
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


def _piece_by_content(tok: Token, text: str, first: bool) -> _Piece:
    s, e = tok[1], tok[2]
    if e - s > 48:  # a title: read as it comes, each is a list's own
        return _piece(tok, text, first)
    key = (tok[0], tok[3], first, text[s] if tok[0] == "italic" else "")
    got = _READ.get(key, ())
    if got is None:  # its piece holds a link, at a column of its own (`**[Title](url)**`)
        return _piece(tok, text, first)
    if got:
        return _new(_Piece, (got[0], got[1], got[2], s, e, None, None))
    p = _piece(tok, text, first)
    if len(_READ) > 8192:
        _READ.clear()
    _READ[key] = (p[0], p[1], p[2]) if p[5] is None and p[6] is None and p[3] == s and p[4] == e else None
    return p


def _is_key(text: str) -> bool:
    """`Paper:`, `Code:`: a key before its value (no colon, no key: most words are told at once)."""
    return ":" in text and _KEY_PREFIX.fullmatch(text) is not None


def _piece(tok: Token, text: str, first: bool) -> _Piece:
    kind, s, e, inner = tok[0], tok[1], tok[2], tok[3]
    if kind == "badge":
        return _Piece("badges", "", inner, s, e, badge=Badge(inner, tok.url, tok.target, s))
    if kind == "link2":
        return _new(
            _Piece, ("links", "", inner, s, e, _new(Link, (inner, tok.url, s, "[[{label}]({url})]", 0)), None)
        )
    if kind == "link2o":
        return _Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, "[[{label}]]({url})"))
    if kind == "link2s":
        return _Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, "[[{label}][{url}]]"))
    if kind == "url":
        return _Piece("links", "", "", s, e, link=Link("", tok.inner, s, "{url}"))
    if kind in ("link", "hlink"):  # `[label](u)`, or `<a href="u">label</a>`
        # `[{title}]`, `[**{title}.**]` in a template
        name = _placeholder(plain(inner).rstrip(".")) if "{" in inner else None
        if (name and name != "title") or (not name and _is_label(inner, first)):
            style = "[{label}]({url})" if kind == "link" else '<a href="{url}">{label}</a>'
            return _Piece("links", "", inner, s, e, link=Link(inner, tok.url, s, style))
        form, value = _wrapped(inner)
        return _Piece("title?", f"[{form}]({{paper}})", value, s, e, link=Link(value, tok.url, s, "title"))
    if kind == "bold":
        name = _placeholder(inner)
        if name:
            return _Piece(_role(name), "**{}**", "", s, e)
        if _NUMBER.fullmatch(inner.strip()):
            return _Piece("sep", "", "", s, e)  # `**[12]**`: the entry's number
        sub = scan(inner)
        if len(sub) == 1 and sub[0].kind == "link" and _is_title_link(sub[0].inner, first):
            form, value = _wrapped(sub[0].inner)
            link = Link(value, sub[0].url, s + 2, "title")
            return _Piece("title?", f"**[{form}]({{paper}})**", value, s, e, link=link)
        if len(sub) == 1 and sub[0].kind == "bracket" and (name := _placeholder(sub[0].inner)):
            return _Piece(_role(name), "**[{}]**", "", s, e)
        if len(sub) == 1 and sub[0].kind == "bracket" and (_tag_role(sub[0].inner)):
            return _Piece(_tag_role(sub[0].inner), "**[{}]**", sub[0].inner.strip(), s, e)
        if role := _tag_role(inner):
            return _Piece(role, "**{}**", inner.strip(), s, e)
        if (key := _KEY_PREFIX.fullmatch(inner.strip())) and len(key["key"].split()) <= 2:
            return _Piece(
                "lit", "{}", key["key"].strip().casefold(), s, e
            )  # `**Metrics:**` names what follows
        value = plain(inner)
        form = "**{}.**" if value.endswith(".") else "**{}**"
        return _Piece("title?", form, value.removesuffix(".").strip(), s, e)
    if kind == "italic":
        form = "_{}_" if text[s] == "_" else "*{}*"
        name = _placeholder(inner)
        if name:
            return _Piece(_role(name), form, "", s, e)
        if role := _tag_role(inner):
            return _Piece(role, form, inner.strip(), s, e)
        return _Piece("italic", form, inner.strip(), s, e)
    if kind == "paren":
        body = inner.strip()
        if len(body) > 4 and body.startswith("**") and body.endswith("**"):
            core = body[2:-2].strip()
            if name := _placeholder(core):
                return _Piece(_role(name), "(**{}**)", "", s, e)
            return _Piece(_tag_role(core) or ("tag" if first else "note"), "(**{}**)", core, s, e)
        if len(body) > 2 and body[0] == body[-1] == "*" and body[1] != "*":
            core = body.strip("*").strip()
            name = _placeholder(core)
            if name:
                return _Piece(_role(name), "(*{}*)", "", s, e)
            return _Piece(_tag_role(core) or ("tag" if first else "note"), "(*{}*)", core, s, e)
        if name := _placeholder(body):
            return _Piece(_role(name), "({})", "", s, e)
        if role := _tag_role(body):
            return _Piece(role, "({})", body, s, e)
    elif kind == "bracket":
        body = inner.strip()
        if body.isdigit() and len(body) <= 3:
            return _Piece("sep", "", "", s, e)  # `[12]`: the entry's number
        if len(body) > 4 and body.startswith("**") and body.endswith("**") and "**" not in body[2:-2]:
            name = _placeholder(body[2:-2])
            return _Piece(
                "name" if name in (None, "name") else _role(name),
                "[**{}**]",
                "" if name else body[2:-2].strip(),
                s,
                e,
            )
        if name := _placeholder(body):
            return _Piece(_role(name), "[{}]", "", s, e)
        if role := _tag_role(body):
            return _Piece(role, "[{}]", body, s, e)
        # `[code]` for a link to come, `[__`cls.`__]`, `[💬Topic]`: a bracket the list keeps beside its
        # links, free as they are (not a broken link, not part of the shape)
        return _Piece("links", "", body, s, e)
    elif kind == "quote":
        name = _placeholder(inner)
        if name:
            return _Piece(_role(name), '"{}"', "", s, e)
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
        return _Piece("title?", f'"{stars}{{}}{stars}{dot}"' if stars else '"{}"', value, s, e)
    elif kind == "code":
        if name := _placeholder(inner):
            return _Piece(_role(name), "`{}`", "", s, e)
        return _Piece(_tag_role(inner) or "note", "`{}`", inner.strip(), s, e)  # `Netflix`: a note
    elif kind == "html" and inner.lower().replace(" ", "") in ("<br>", "<br/>"):
        return _Piece("sep", "", "", s, e)
    elif kind == "field":
        return _Piece(_role(inner[1:-1]), "{}", "", s, e)
    return _words(text, s, e)


def _words(text: str, s: int, e: int) -> _Piece:
    """Plain words, their role told later (a tag, authors, a note…)."""
    raw = text[s:e]
    words = raw.strip(" \t")  # the words' span, without the spaces around them
    if (
        words
        and not words.isascii()
        and all(not c.isascii() and not c.isalnum() for c in words.replace(" ", ""))
    ):
        return _Piece("sep", "", "", s, e)  # `🔥🔥`, `⭐`: a mark, not words
    if len(words) != len(raw):
        s += len(raw) - len(raw.lstrip(" \t"))
        e = s + len(words)
    return _new(_Piece, ("text", _TEXT_FORM, words, s, e, None, None))


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


@lru_cache(maxsize=16384)
def _tag_role(text: str) -> str | None:
    got = read_any(text)
    if got:
        return "date" if got[0].kind == "date" else "tag"
    return None


# --------------------------------------------------------------------------- pieces → fields


def _assign(pieces: list[_Piece], head: bool) -> Line:
    line = Line()
    if head and pieces and pieces[0].role == "text" and (m := _ORDINAL.match(pieces[0].value)):
        p = pieces[0]
        pieces[0] = p._replace(value=p.value[m.end() :], start=p.start + m.end())
        if not pieces[0].value:
            del pieces[0]
    title_at = None
    for i, p in enumerate(pieces):
        if p[0] == "title?":
            title_at = i
            break
    else:
        if head:
            for i, p in enumerate(pieces):
                if (p[0] == "text" or p[0] == "italic") and _wordy(p):
                    title_at = i
                    break
    # `**Name**: "Title"` names a method, then quotes the paper's title.
    if title_at is not None and pieces[title_at].form.startswith("**") and "(" not in pieces[title_at].form:
        nxt = pieces[title_at + 1 : title_at + 3]
        if (
            len(nxt) == 2
            and nxt[0].role == "text"
            and nxt[0].value.strip() == ":"
            and nxt[1].role == "title?"
        ):
            pieces[title_at] = pieces[title_at]._replace(role="name")
            title_at += 2
        elif (
            nxt
            and nxt[0].role == "text"
            and nxt[0].value.startswith(":")
            and _wordy(nxt[0]._replace(value=nxt[0].value[1:]))
        ):
            # `**Name**: Title, Venue, 2024`: the name, then the title as plain words (and the tag after them).
            p = nxt[0]
            words = p.value[1:].lstrip()
            start = p.start + len(p.value) - len(words)
            tail = _trailing_tag(words)
            cut = words.rfind(tail) if tail else -1
            title = (words[:cut] if cut > 0 else words).rstrip(" ,.;")
            pieces[title_at] = pieces[title_at]._replace(role="name")
            parts = [
                _Piece("text", "{}", ":", p.start, p.start + 1),
                _Piece("title?", "{}", title, start, start + len(title)),
            ]
            if cut > 0:
                parts.append(_Piece("text", "{}", words[cut:], start + cut, p.end))
            pieces[title_at + 1 : title_at + 2] = parts
            title_at += 2
    slots, links = line.slots, line.links
    for i, (role, form, value, start, end, link, badge) in enumerate(pieces):
        if role == "links":
            if link is not None:  # None: a template's {links}
                links.append(link)
            slots.append(_new(Slot, ("links", "", "", start, end)))
        elif role == "badges":
            if badge is not None:
                line.badges.append(badge)
            slots.append(_new(Slot, ("badges", "", "", start, end)))
        elif role == "sep":
            continue
        elif i == title_at:
            if link is not None:
                links.append(link)
            if form == "{}" and value.endswith(".") and not value.endswith(".."):
                value, form = value[:-1].rstrip(), "{}."  # `Title. _Authors_`: the full stop ends it
            slots.append(_new(Slot, ("title", form, value, start, end)))
        elif role == "title?":
            if link is not None:
                links.append(link)
            slots.append(_new(Slot, ("note", form, value, start, end)))
        elif role == "text" or role == "italic":
            _text(
                line, pieces[i], title_at is not None and i > title_at, title_at is not None and i < title_at
            )
        else:
            slots.append(_new(Slot, (role, form, value, start, end)))
    return line


def _add(line: Line, role: str, form: str, value: str, start: int, end: int) -> None:
    line.slots.append(_new(Slot, (role, form, value, start, end)))


def _wordy(p: _Piece) -> bool:
    value = p[2]
    words = value.strip(" .,;:|-–—")
    return (words[:1].isalnum() or any(c.isalnum() for c in words)) and not _is_key(value.strip())


def _text(line: Line, p: _Piece, after_title: bool, before_title: bool = False) -> None:
    """Plain words: a `Key:` literal, a tag or date (`ACL 2023.`, `2023.5`), authors, or a note."""
    value = p.value
    start = p.start
    if p.role == "text" and (m := _KEY_PREFIX.match(value)) and len(m["key"].split()) <= 2:
        _add(line, "lit", "{}", m["key"].strip().casefold(), start, start + m.end())
        value, start = value[m.end() :], start + m.end()
    words = value.strip(" .,;:|-–—")
    if not words:
        return
    if p.role == "text":  # the span of the words, without the punctuation around them
        start += value.find(words)
        end = start + len(words)
    else:
        end = p.end
    if role := _tag_role(words):
        _add(line, role, p.form, words, start, end)
        return
    if p.role == "text" and before_title and _cites(words) and (m := _CITED.fullmatch(words)):
        # A citation: `Ada Lovelace and Alan Turing. 2023. [Title](url). In *Proceedings of …*`.
        _add(line, "authors", "{}", m["authors"], start, start + m.end("authors"))
        _add(line, "date", "{}", m["year"], start + m.start("year"), end)
        return
    if (
        p.role == "text"
        and before_title
        and p.value[:1] not in "([{"
        and _AUTHORS.search(words)
        and not _KEY_PREFIX.match(words)
    ):
        _add(line, "authors", "{}", words, start, end)  # `LeCun, Yann, and Geoffrey Hinton. "Title."`
        return
    if p.role == "text" and words.casefold() == "in":
        _add(line, "lit", "{}", "in", start, end)  # `In *Proceedings of ACL 2002*`
        return
    if p.role == "italic" and after_title and line.slots and line.slots[-1][:3] == ("lit", "{}", "in"):
        _add(line, "tag", p.form, words, start, end)  # `In *Proceedings of the First Workshop on …*`
        return
    if (
        p.role == "italic"
        and after_title
        and line.first("authors")
        and (_VENUE_NAME.fullmatch(words) or read_venue_only(words))
    ):
        _add(line, "tag", p.form, words, start, end)  # the authors came first: `*Computational Linguistics*`
        return
    if p.role == "text" and after_title and _LONG_VENUE.fullmatch(words):
        _add(line, "tag", p.form, words, start, end)  # `NeurIPS (Datasets and Benchmarks), 2022`
        return
    if p.role == "text" and after_title and _AUTHORS.search(words) and (tail := _trailing_tag(words)):
        cut = len(words) - len(tail)
        names = words[:cut].rstrip(" .,;:|-–—")
        venue = (got[0].venue if (got := read_any(_PARTS.sub(", ", tail))) else "").split()
        named = len(venue) > 1 and all(w[:1].isupper() and not w.isupper() for w in venue)
        # `Mildenhall et al., ECCV 2020`: the authors, then the venue; in `Ada Lovelace, Alan
        # Turing, 2016` the last author and the year are no venue.
        if names and _people(names) and not named:
            _add(line, "authors", "{}", names, start, start + len(names))
            _add(line, _tag_role(_PARTS.sub(", ", tail)) or "tag", "{}", tail, start + cut, end)
            return
    if p.role == "italic" or (after_title and _AUTHORS.search(words) and _people(words)):
        role = "authors" if _AUTHORS.search(words) or p.role == "italic" else "note"
        _add(line, role, p.form, words, start, end)
        return
    if (
        after_title
        and p.role == "text"
        and ((" " not in words and read_venue_only(words)) or _VENUE_NAME.fullmatch(words))
    ):
        _add(line, "tag", p.form, words, start, end)  # `JMLR.`, `Machine Intelligence Research.`
        return
    # `Venue, 2023` split by the scanner into words and a year, or a trailing `ICLR 2024.`.
    tail = _trailing_tag(words)
    if tail is not None:
        cut = words.rfind(tail)
        head = words[:cut].strip(" .,;:|-–—")
        if head:
            _add(line, "note", "{}", head, start, start + len(head))
        _add(line, _tag_role(tail) or "tag", "{}", tail, start + cut, start + cut + len(tail))
        return
    _add(line, "note", p.form, words, start, end)


_VENUE_NAME = re.compile(  # anchored: used with fullmatch
    r"\A[A-Z][\w&-]*(?: (?:[A-Z][\w&-]*|of|on|and|for|in|the)){1,6}"
)  # a name in Title Case
# `3DV, 2022` too; anchored (used with fullmatch), and a letter looked for within the name's length
_LONG_VENUE = re.compile(r"\A(?=[^,;]{0,156}[A-Za-z])[A-Z0-9][^,;]{1,150}?,? (?:19|20)\d\d")


def _trailing_tag(words: str) -> str | None:
    """The tag at the end of plain words: `…, ICLR 2024`, or a long venue and its year. A venue is
    named with a capital or a digit (`3DV`); words of a sentence (`trained on 2024 data`) are no tag."""
    if _LONG_VENUE.fullmatch(words):
        return words
    cuts = [m.end() for m in _PARTS.finditer(words)]
    for n in (1, 2):
        if len(cuts) >= n:
            tail = words[cuts[-n] :]
            named = tail[:1].isupper() or tail[:1].isdigit() or tail.casefold().startswith(PREPRINT_SERVERS)
            if named and _tag_role(_PARTS.sub(", ", tail)):
                return tail
    return None


_PARTS = re.compile(r"[.,;] ")
_CITED = re.compile(r"(?P<authors>[^\W\d_][^()\[\]]{2,600}?)[.,] (?P<year>(?:19|20)\d\d)[a-z]?")


# A run of spaces tried from its start only, and never given back (quadratic on a long run).
_NAME_PARTS = re.compile(r",\s*+(?:and\s+)?|(?<!\s)\s++(?:and|&)\s+")


def _people(words: str) -> bool:
    """A list of names (`Ada Lovelace, A. Turing and Grace Hopper et al.`), not a sentence with
    commas in it (`it proposes a method, trained on …`): most parts are capitalised words."""
    parts = [p for p in _NAME_PARTS.split(words.replace("et al", "")) if p.strip(" .")]
    if not parts:
        return True
    named = sum(
        1
        for p in parts
        if len(p.split()) <= 5
        and any(w[:1].isalpha() for w in p.split())
        and all(w[:1].isupper() or not w[:1].isalpha() for w in p.split())
    )
    return named >= 0.6 * len(parts)


def _cites(text: str) -> bool:
    m = _CITED.fullmatch(text.strip(" .,;:|-–—"))
    return m is not None and _names(m["authors"])


def _names(words: str) -> bool:
    """Words that name people: `A, B and C`, `A et al`, or two or more capitalised names."""
    return bool(_AUTHORS.search(words)) or (
        1 < len(words.split()) <= 6 and all(w[:1].isupper() for w in words.split())
    )


def tag_of(slot: Slot) -> Tag | None:
    got = read_any(slot.value)
    return got[0] if got else None
