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
from .fields import read_line, read_row
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
    gone = _urls(old) - _urls(new)
    if gone:
        key = next(iter(gone))
        url = next(m["target"] or m[0] for m in _URL.finditer(old) if _canonical(m["target"] or m[0]) == key)
        return f"would drop the link {url}"
    shape, links = layout(_dedent(old))
    now_shape, now_links = layout(_dedent(new))
    if shape != now_shape:
        return f"would change how GitHub lays it out: {_blocks(shape)} into {_blocks(now_shape)}"
    gone = Counter(_canonical(u) for u in links.elements()) - Counter(
        _canonical(u) for u in now_links.elements()
    )
    if gone:
        return f"would unlink {next(iter(gone))}"
    have = _words(new)
    free, years = _free(old)
    missing = [w for w in _words(old) - have if w not in free]
    if missing:
        return f"would drop the words “{' '.join(missing[:6])}”"
    for year in years:
        if str(year) not in have and f"{year % 100:02d}" not in have:
            return f"would drop the year {year} of the venue tag"
    return None


def _dedent(text: str) -> str:
    """The item as GitHub lays it out on its own: its first line's indentation taken from every line."""
    first = text.split("\n", 1)[0]
    cut = len(first) - len(first.lstrip(" "))
    if not cut:
        return text
    return "\n".join(r[cut:] if r[:cut].isspace() else r.lstrip(" ") for r in text.split("\n"))


_NAMES = {"ul": "list", "ol": "numbered list", "li": "list item", "pre": "code block", "blockquote": "quote", "table": "table", "tr": "table row",
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
    out.update(c for c in text if not c.isascii() and unicodedata.category(c) == "So")
    return out


def _free(text: str) -> tuple[set[str], list[int]]:
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
    return free, years


def _strip_marker(body: str) -> str:
    m = _MARKER.match(body)
    return body[m.end() :].strip() if m else body
