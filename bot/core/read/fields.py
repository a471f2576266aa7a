"""One logical line of an entry → its fields (title, tag, date, authors, links, badges) and its shape.

The same reader serves every list format: it finds the fields by their markup and their content,
never by one line shape. The *shape* of a line is the sequence of its fields with their markup
(`(*{tag}*) {title} {links}`): a list's format is the shapes its entries share, so inference counts
shapes and matching compares them. A format template in config.yml is read by this same code (its
placeholders name the fields), so a template and the entries it describes cannot disagree.

A line is read in two steps: its tokens into pieces (bot.core.read.pieces), then, here, the pieces
into fields, plain words told by what they are (bot.core.read.words). A table row's cells are read
as lines, with their column's role (bot.core.read.cells).
"""

from __future__ import annotations

import re

from .markup import scan
from .pieces import Piece, read_pieces
from .slots import Line, Slot
from .tags import read_any, read_venue_only
from .words import (
    AUTHORS,
    CITED,
    KEY_PREFIX,
    LONG_VENUE,
    PARTS,
    VENUE_NAME,
    cites,
    is_key,
    people,
    tag_role,
    trailing_tag,
)

# A number before an entry (`1) `, `[12]`, `**[12]**`): where it is in the list, not a field of it.
_ORDINAL = re.compile(r"(?:\d{1,3}[.)]|\[\d{1,3}\])(?:\s+|$)")
# Tuples built from all their values at once, as in bot.core.read.pieces.
_new = tuple.__new__


def read_line(text: str, start: int = 0, end: int | None = None, *, head: bool = True) -> Line:
    """The fields of `text[start:end]` (folded text; `head`: the entry's first line)."""
    line = _assign(read_pieces(scan(text, start, end), text, head), head)
    line.text = text if start == 0 and end is None else text[:end]
    return line


def _assign(pieces: list[Piece], head: bool) -> Line:
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
            tail = trailing_tag(words)
            cut = words.rfind(tail) if tail else -1
            title = (words[:cut] if cut > 0 else words).rstrip(" ,.;")
            pieces[title_at] = pieces[title_at]._replace(role="name")
            parts = [
                Piece("text", "{}", ":", p.start, p.start + 1),
                Piece("title?", "{}", title, start, start + len(title)),
            ]
            if cut > 0:
                parts.append(Piece("text", "{}", words[cut:], start + cut, p.end))
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


def _wordy(p: Piece) -> bool:
    value = p[2]
    words = value.strip(" .,;:|-–—")
    return (words[:1].isalnum() or any(c.isalnum() for c in words)) and not is_key(value.strip())


def _text(line: Line, p: Piece, after_title: bool, before_title: bool = False) -> None:
    """Plain words: a `Key:` literal, a tag or date (`ACL 2023.`, `2023.5`), authors, or a note."""
    value = p.value
    start = p.start
    if p.role == "text" and (m := KEY_PREFIX.match(value)) and len(m["key"].split()) <= 2:
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
    if role := tag_role(words):
        _add(line, role, p.form, words, start, end)
        return
    if p.role == "text" and before_title and cites(words) and (m := CITED.fullmatch(words)):
        # A citation: `Ada Lovelace and Alan Turing. 2023. [Title](url). In *Proceedings of …*`.
        _add(line, "authors", "{}", m["authors"], start, start + m.end("authors"))
        _add(line, "date", "{}", m["year"], start + m.start("year"), end)
        return
    if (
        p.role == "text"
        and before_title
        and p.value[:1] not in "([{"
        and AUTHORS.search(words)
        and not KEY_PREFIX.match(words)
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
        and (VENUE_NAME.fullmatch(words) or read_venue_only(words))
    ):
        _add(line, "tag", p.form, words, start, end)  # the authors came first: `*Computational Linguistics*`
        return
    if p.role == "text" and after_title and LONG_VENUE.fullmatch(words):
        _add(line, "tag", p.form, words, start, end)  # `NeurIPS (Datasets and Benchmarks), 2022`
        return
    if p.role == "text" and after_title and AUTHORS.search(words) and (tail := trailing_tag(words)):
        cut = len(words) - len(tail)
        names = words[:cut].rstrip(" .,;:|-–—")
        venue = (got[0].venue if (got := read_any(PARTS.sub(", ", tail))) else "").split()
        named = len(venue) > 1 and all(w[:1].isupper() and not w.isupper() for w in venue)
        # `Mildenhall et al., ECCV 2020`: the authors, then the venue; in `Ada Lovelace, Alan
        # Turing, 2016` the last author and the year are no venue.
        if names and people(names) and not named:
            _add(line, "authors", "{}", names, start, start + len(names))
            _add(line, tag_role(PARTS.sub(", ", tail)) or "tag", "{}", tail, start + cut, end)
            return
    if p.role == "italic" or (after_title and AUTHORS.search(words) and people(words)):
        role = "authors" if AUTHORS.search(words) or p.role == "italic" else "note"
        _add(line, role, p.form, words, start, end)
        return
    if (
        after_title
        and p.role == "text"
        and ((" " not in words and read_venue_only(words)) or VENUE_NAME.fullmatch(words))
    ):
        _add(line, "tag", p.form, words, start, end)  # `JMLR.`, `Machine Intelligence Research.`
        return
    # `Venue, 2023` split by the scanner into words and a year, or a trailing `ICLR 2024.`.
    tail = trailing_tag(words)
    if tail is not None:
        cut = words.rfind(tail)
        head = words[:cut].strip(" .,;:|-–—")
        if head:
            _add(line, "note", "{}", head, start, start + len(head))
        _add(line, tag_role(tail) or "tag", "{}", tail, start + cut, start + cut + len(tail))
        return
    _add(line, "note", p.form, words, start, end)
