"""What a fix must keep of an entry: every URL (as written, or in its canonical form), every field's
words, and the kind of block it is (a table row stays a row with its cells, an item stays an item).

A fix rewrites markup, a tag's style, a link's form; it never loses what the contributor wrote. The
check reads only the two texts, so it holds for any rule's fix and for several composed on one line.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

from ..arxiv_id import parse_ref
from .cells import read_row
from .fields import read_line
from .labels import LABEL_WORDS, label_words
from .markup import fold
from .render import layout
from .tags import read_any

_URL = re.compile(r"https?://[^\s<>()\[\]\"'|`]+|\]\(\s*<?(?P<target>[^()\s<>]+)")
_HTML = re.compile(r"<[A-Za-z/!][^<>\n]{0,300}>")
_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_MARKER = re.compile(r"\s{0,12}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_SCHEME = re.compile(r"^https?://(?:www\.)?", re.IGNORECASE)


def lost(old: str, new: str) -> str | None:
    """What `new`, a fix of the entry `old` (whole items, their lines joined by "\\n"), loses of it, as
    the end of a sentence ("would drop the link …"); None when it keeps everything."""
    if not new.strip():
        return "would remove the entry"
    was, now = _kind(old), _kind(new)
    if was[0] != now[0]:
        return f"would turn {_KINDS[was[0]]} into {_KINDS[now[0]]}"
    if was != now:
        return f"would turn the row's {was[1]} cells into {now[1]}"
    # What differs, widened to whitespace on both sides: the rest is the same text, split the same way.
    cut, was_mid, now_mid = _middle(old, new)
    gone = _urls(was_mid) - _urls(now_mid)
    if gone:
        key = next(iter(gone))
        url = next(m["target"] or m[0] for m in _URL.finditer(old) if _canonical(m["target"] or m[0]) == key)
        return f"would drop the link {url}"
    if cut or _SKELETON.sub("", was_mid) != _SKELETON.sub("", now_mid):  # markup or a line's start changed
        shape, links = _layout(old)
        now_shape, now_links = _layout(new)
        if shape != now_shape:
            return f"would change how GitHub lays it out: {_blocks(shape)} into {_blocks(now_shape)}"
        gone = links - now_links
        if gone:
            return f"would unlink {next(iter(gone))}"
    missing = _words(was_mid) - _words(now_mid)
    if not missing:
        return None  # every word and number is still there: a venue's year too
    have = _words(new)
    free, years = _free(old)
    dropped = [w for w in missing if w not in free]
    if dropped:
        return f"would drop the words “{' '.join(dropped[:6])}”"
    for year in years:
        if str(year) not in have and f"{year % 100:02d}" not in have:
            return f"would drop the year {year} of the venue tag"
    return None


# What is left of a text once its letters and numbers go: its markup and spaces. Two texts with the
# same are laid out and linked alike by GitHub (`NeurIPS 2024` → `NeurIPS 24'` inside `(*…*)`).
_SKELETON = re.compile(r"[^\[\]()<>`*_\\|#!\s]+")


def _middle(old: str, new: str) -> tuple[bool, str, str]:
    """The part of each text that differs, widened to whitespace (or the ends), and whether it
    touches a line's start or spans a line break (where GitHub's layout could change)."""
    end = min(len(old), len(new))
    start = _common(old, new, end)
    tail = _common(old[::-1], new[::-1], end - start)
    while start > 0 and not old[start - 1].isspace():
        start -= 1
    while tail > 0 and not old[len(old) - tail].isspace():
        tail -= 1
    was, now = old[start : len(old) - tail], new[start : len(new) - tail]
    line_start = old.rfind("\n", 0, start) + 1
    cut = "\n" in was or "\n" in now or not old[line_start:start].strip()
    return cut, was, now


def _common(a: str, b: str, most: int) -> int:
    """The length of the prefix two texts share (at most `most`): halving, slices compared in C."""
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


@lru_cache(maxsize=4096)
def _layout(text: str) -> tuple[Counter[str], Counter[str]]:
    """Its blocks and the addresses it links (canonical), as GitHub lays the item out on its own."""
    shape, links = layout(_dedent(text))
    shape["ul"] += shape.pop(
        "ol", 0
    )  # a list's marker is the format's to fix (`-` or `1.`): a list is a list
    return +shape, Counter(_canonical(u) for u in links.elements())


def _dedent(text: str) -> str:
    """The item as GitHub lays it out on its own: its first line's indentation taken from every line."""
    first = text.split("\n", 1)[0]
    cut = len(first) - len(first.lstrip(" "))
    if not cut:
        return text
    return "\n".join(r[cut:] if r[:cut].isspace() else r.lstrip(" ") for r in text.split("\n"))


_NAMES = {"ul": "list", "li": "list item", "pre": "code block", "blockquote": "quote", "table": "table", "tr": "table row",
          "hr": "rule"}  # fmt: skip


def _blocks(counts: Counter[str]) -> str:
    said = [f"{n} {_NAMES.get(k, 'heading')}{'s' if n > 1 else ''}" for k, n in sorted(counts.items())]
    return ", ".join(said) or "none"


_KINDS = {"row": "the table row", "item": "the list item", "line": "the line", "none": "nothing"}


def _kind(text: str) -> tuple[str, int]:
    first = text.split("\n", 1)[0]
    body = first.strip()
    if body.startswith("|"):
        return "row", len(_cells(body))
    if _MARKER.match(first):
        return "item", 0
    return ("line", 0) if body else ("none", 0)


def _cells(row: str) -> list[str]:
    return re.split(r"(?<!\\)\|", row.strip().strip("|"))


def _canonical(url: str) -> str:
    """Two forms of one address are one: an arXiv link by its id (pdf, abs, DOI, Hugging Face papers
    and versions alike), any other without its scheme, `www.` or trailing slash."""
    url = url.strip().rstrip(".,;:")
    ref = parse_ref(url)
    if ref is not None and ref.valid:
        return f"arxiv:{ref.id}"
    return _SCHEME.sub("", url).rstrip("/")


def _urls(text: str) -> Counter[str]:
    return Counter(_canonical(m["target"] or m[0]) for m in _URL.finditer(text))


@lru_cache(maxsize=4096)
def _words(text: str) -> Counter[str]:
    """The words and numbers of a text, without its URLs and HTML tags, case and width folded;
    a symbol such as an emoji counts as a word."""
    text = unicodedata.normalize("NFKC", _HTML.sub(" ", _URL.sub(" ", text))).casefold()
    out = Counter(_TOKEN.findall(text))
    if not text.isascii():
        out.update(c for c in text if not c.isascii() and unicodedata.category(c) == "So")
    return out


@lru_cache(maxsize=4096)
def _free(text: str) -> tuple[frozenset[str], tuple[int, ...]]:
    """What a fix may rewrite: a date and a preprint tag (arXiv corrects the month; a record of the
    paper turns `Arxiv 2024.01` into `ICML 24'`), a venue tag's numbers (`2024` → `24'`) but not its
    venue, and a link's label of the usual words (`[paper](u)` → the title's link); and the years of
    its venue tags, which a fix may write otherwise but never drop."""
    free: set[str] = set()
    years: list[int] = []
    for i, row in enumerate(text.split("\n")):
        body = fold(row.strip())
        line = read_row(body) if body.startswith("|") else read_line(_strip_marker(body), head=i == 0)
        for s in line.slots:
            if s.role in ("tag", "date"):
                got = read_any(s.value) if s.role == "tag" else None
                venue = s.role == "tag" and (got is None or got[0].kind == "venue")
                free.update(w for w in _words(s.value) if w.isdigit() or not venue)
                if venue and got and got[0].year:
                    years.append(got[0].year)
        for k in line.links:
            if k.style != "title" and all(w in LABEL_WORDS for w in label_words(k.label).split()):
                free.update(_words(k.label))
    return frozenset(free), tuple(years)


def _strip_marker(body: str) -> str:
    m = _MARKER.match(body)
    return body[m.end() :].strip() if m else body
