"""A list's format, learnt from the list: the shapes its entries share, its tag styles, labels,
link markup, the sections that hold papers, its order and whether it lists a paper twice on purpose.

Everything here is counting over the format-free parse (bot.core.read.document.parse): a shape most
entries share is the format; a shape one entry has alone is that entry's mistake.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..arxiv_id import id_month
from ..read.document import ENTRY, Parsed
from ..read.grammar import FALLBACK
from ..read.labels import PAPER_WORDS, is_code_url, is_paper_url, label_words
from ..read.slots import Line
from ..read.tags import read_any
from ..read.templates import METADATA, Template, key_of, lacks_only, marker_kind
from .order import arxiv_id, cross_listing, list_order
from .sections import every_heading, has_paper, paper_headings, paper_sections, shaped_headings

MIN_SHARE = 0.02  # a shape this common (and seen three times) is part of the format, not a mistake
MIN_COUNT = 3  # fewer entries than this never make a second shape or link style: that is a mistake shared
MAX_SHAPES = 8
EXAMPLES = 200  # entries of one shape read for how it is written (punctuation between the fields)
TAG_SHARE = 0.1


@dataclass
class Inferred:
    grammar: dict[str, Any]
    sections: list[str]
    ignore_sections: list[str]
    order: str
    duplicate_scope: str
    shape_counts: list[tuple[str, int]] = field(default_factory=list)  # template, entries
    cross_listed: int = 0
    pairs: tuple[int, int] = (0, 0)  # (newer above older, older above newer) neighbours
    venues: list[str] = field(default_factory=list)
    oldest: int | None = None

    def config(self) -> dict[str, Any]:
        """The inferred values as config keys (what `init` writes and zero config uses)."""
        return {
            "sections": self.sections,
            "ignore_sections": self.ignore_sections,
            "grammar": self.grammar,
            "rules": {
                "order": {"direction": self.order},
                "duplicate": {"scope": self.duplicate_scope},
                "venue-tag": {"venues": self.venues, **({"min_year": self.oldest} if self.oldest else {})},
            },
        }


def infer(parsed: Parsed) -> Inferred:
    st = parsed.structure
    entries = [i for i, r in enumerate(parsed.roles) if r == ENTRY and parsed.fields[i]]
    paper_heads = paper_headings(parsed, entries) or every_heading(parsed, entries)
    papers = [i for i in entries if st.blocks[i].heading in paper_heads]
    heads, templates, counts, accepted, wrapped = _learn(parsed, papers)
    # The sections whose items are written as the papers are hold papers too (blog posts a list
    # keeps on purpose, papers linked by their project pages); those whose items follow none of
    # the shapes do not (an index of venues, a table of benchmarks).
    shaped = shaped_headings(
        parsed,
        entries,
        paper_heads,
        lambda i: _follows(
            key_of((joined_head(parsed, i) if wrapped else parsed.fields[i][0]).slots), accepted
        ),
    )
    if shaped != paper_heads:
        paper_heads = shaped
        papers = [i for i in entries if st.blocks[i].heading in paper_heads]
        heads, templates, counts, accepted, wrapped = _learn(parsed, papers)
    sections, ignore = paper_sections(parsed, paper_heads, entries)
    g: dict[str, Any] = {}
    g["entry"] = templates or list(FALLBACK["entry"])
    g["wrapped"] = wrapped
    g["details"] = _details(parsed, papers)
    g.update(_tags(heads, parsed, papers))
    g.update(_labels(parsed, papers))
    g["examples"] = _examples(parsed, papers, g["entry"])
    g["example"] = next((e for e in g["examples"] if e), "")
    # A list with too few entries to learn from is read in what it has (never in the seed list's
    # style): the calibration withholds format advice on it (bot.core.verdict.calibration).
    ids = {i: arxiv_id(parsed.fields[i], parsed.ref) for i in papers}  # once: three questions ask for them
    venues, oldest = _venues(parsed, papers, ids)
    order, pairs = list_order(parsed, papers, ids)
    scope, cross = cross_listing(parsed, papers, ids)
    return Inferred(g, sections, ignore, order, scope, counts, cross, pairs, venues, oldest)


# --------------------------------------------------------------------------- shapes


def _learn(parsed: Parsed, papers: list[int]):
    """The papers' first lines, the shapes they share (templates, counts, keys), and whether the
    list hard-wraps its entries: their first lines alone follow no shape, joined they do."""
    heads = [parsed.fields[i][0] for i in papers]
    templates, counts = _shapes(parsed, papers, heads)
    accepted = {Template.parse(t).key for t in templates}
    cut = [
        i for i, h in zip(papers, heads, strict=True) if key_of(h.slots) not in accepted and _soft(parsed, i)
    ]
    wrapped = bool(papers) and len(cut) >= 0.1 * len(papers)
    if wrapped:
        heads = [joined_head(parsed, i) for i in papers]
        templates, counts = _shapes(parsed, papers, heads)
        accepted = {Template.parse(t).key for t in templates}
    return heads, templates, counts, accepted, wrapped


def _follows(key: tuple[str, ...], accepted: set[tuple[str, ...]]) -> bool:
    return key in accepted or _lacks(key, frozenset(accepted))


@lru_cache(maxsize=4096)
def _lacks(key: tuple[str, ...], accepted: frozenset[tuple[str, ...]]) -> bool:
    return any(lacks_only(a, key, METADATA) for a in accepted)


def _shapes(parsed: Parsed, papers: list[int], heads: list[Line]) -> tuple[list[str], list[tuple[str, int]]]:
    """Templates of the shapes entries share, most common first, with how many entries have each."""
    st = parsed.structure
    by_key: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    markers: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    counts_by_key: Counter[tuple[str, ...]] = Counter()
    for i, head in zip(papers, heads, strict=True):
        k = key_of(head.slots)
        texts = by_key[k]
        if counts_by_key[k] < EXAMPLES:  # enough entries of a shape to see how it is usually written
            texts[_template_text(head.text, head)] += 1
        counts_by_key[k] += 1
        markers[k][marker_kind(st.blocks[i].marker)] += 1
    total = len(papers)
    ranked = sorted(by_key.items(), key=lambda kv: -counts_by_key[kv[0]])
    templates: list[str] = []
    counts: list[tuple[str, int]] = []
    kept: list[tuple[str, ...]] = []
    for k, texts in ranked:
        n = counts_by_key[k]
        if len(kept) >= MAX_SHAPES or (kept and n < MIN_COUNT):
            break
        if not any(s.startswith(("title:", "tag:")) for s in k):
            continue  # a shape with neither title nor tag is no entry format
        if (
            kept
            and n < MIN_SHARE * total
            and not any(lacks_only(k, a, OPTIONAL_ROLES) or lacks_only(a, k, OPTIONAL_ROLES) for a in kept)
        ):
            continue
        kept.append(k)
        body = texts.most_common(1)[0][0]
        top = markers[k].most_common(1)[0][0]
        kinds = [mk for mk, m in markers[k].most_common() if mk == top or m >= max(2, MIN_SHARE * n)]
        for mk in kinds:
            templates.append(_with_marker(mk, body))
            # each marker's own entries; those of a marker too rare to be a template count for the top
            own = markers[k][mk] if mk != top else n - sum(markers[k][x] for x in kinds if x != top)
            counts.append((templates[-1], own))
    return templates, counts


def _soft(parsed: Parsed, i: int) -> int:
    """How many lines after an entry's first line continue its paragraph without a hard break."""
    n = 0
    for row in parsed.rows[i][1:]:
        if not row[2] or row[3]:
            break
        n += 1
    return n


def joined_head(parsed: Parsed, i: int) -> Line:
    rows = parsed.rows[i]
    k = _soft(parsed, i)
    if not k:
        return parsed.fields[i][0]
    from ..read.document import _fields

    return _fields(" ".join(r[1].strip() for r in rows[: k + 1]), True)


def _template_text(body: str, line: Line) -> str:
    """The line with each field replaced by its placeholder: `(*{tag}*) {title} {links}`."""
    out: list[str] = []
    pos = 0
    merged = []
    for s in line.slots:
        if merged and s.role in ("links", "badges") and merged[-1].role == s.role:
            merged[-1] = merged[-1]._replace(end=s.end)
        else:
            merged.append(s)
    for s in merged:
        if s.start < pos:
            continue
        out.append(body[pos : s.start])
        if s.role == "lit":
            out.append(body[s.start : s.end])
        elif s.role in ("links", "badges"):
            out.append("{" + s.role + "}")
        elif s.role == "title" and "{paper}" in s.form:
            out.append(s.form.replace("{}", "{title}"))
        else:
            out.append(s.form.replace("{}", "{" + s.role + "}"))
        pos = s.end
    out.append(body[pos:])
    return " ".join("".join(out).split())


# A shape that is another with one of these more is a variant of the format (`(ICML 2026)` at the
# end, an affiliation some entries give), not a mistake.
OPTIONAL_ROLES = ("tag", "note", "date", "authors")


def _with_marker(marker: str, body: str) -> str:
    if marker == "|":
        return body
    return f"{marker} {body}" if marker else body


def _details(parsed: Parsed, papers: list[int]) -> list[str]:
    texts: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for i in papers:
        for row, line in zip(parsed.rows[i][1:], parsed.fields[i][1:], strict=False):
            k = key_of(line.slots)
            if k or line.links:
                texts[k][(row[3] + " " if row[3] else "") + _template_text(line.text, line)] += 1
    out = []
    for _, c in sorted(texts.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        if n >= 2 and n >= 0.05 * len(papers):
            out.append(c.most_common(1)[0][0])
    return out[:MAX_SHAPES]


def _tags(heads: list[Line], parsed: Parsed, papers: list[int]) -> dict[str, Any]:
    styles: dict[str, Counter[str]] = {"preprint": Counter(), "venue": Counter(), "date": Counter()}
    month_wide: Counter[str] = Counter()
    for i in papers:
        for line in parsed.fields[i]:
            for s in line.slots:
                if s.role in ("tag", "date") and (got := read_any(s.value)):
                    tag, tmpl = got
                    if tag.month is not None and tag.month >= 10 and "{mm}" in tmpl:
                        month_wide[tmpl] += 1  # 10-12 fit both {m} and {mm}
                        continue
                    styles[tag.kind][tmpl] += 1
    for tmpl, n in month_wide.items():
        narrow = tmpl.replace("{mm}", "{m}")
        styles[_kind_of(tmpl)][narrow if narrow in styles[_kind_of(tmpl)] else tmpl] += n
    out: dict[str, Any] = {}
    for kind, key in (("preprint", "preprint_tag"), ("venue", "venue_tag"), ("date", "date")):
        c = styles[kind]
        n = sum(c.values())
        keep = [t for t, k in c.most_common() if k >= 2 and k >= TAG_SHARE * n] or [
            t for t, _ in c.most_common(1)
        ]
        if keep:  # a kind the list never writes is left to the seed style, for a contributor who does
            out[key] = keep
    return out


def _kind_of(tmpl: str) -> str:
    if "{venue}" in tmpl:
        return "venue"
    return "date" if tmpl.startswith("{") else "preprint"


CODE_WORDS = frozenset(
    {"code", "github", "gitlab", "pytorch", "tensorflow", "jax", "official", "repo", "implementation"}
)


def _labels(parsed: Parsed, papers: list[int]) -> dict[str, Any]:
    """Each label, by what it is used for: a paper when it mostly links papers, code when its words
    say code (or it links repositories nearly always), anything else another link."""
    uses: dict[str, Counter[str]] = defaultdict(Counter)
    styles: Counter[str] = Counter()
    for i in papers:
        for line in parsed.fields[i]:
            for k in line.links:
                if k.style == "title" or k.style == "{url}" or k.url.startswith("#"):
                    continue
                styles[k.style] += 1
                words = label_words(k.label) or k.label.strip()
                if words:
                    uses[words][
                        "paper" if is_paper_url(k.url) else "repo" if _repo_host(k.url) else "other"
                    ] += 1
    out: dict[str, Any] = {"paper_labels": [], "code_labels": [], "other_labels": []}
    total = sum(sum(c.values()) for c in uses.values())
    for words, c in sorted(uses.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        if n < max(2, 0.01 * total):
            continue
        if words in PAPER_WORDS or c["paper"] >= 0.5 * n:
            role = "paper"
        elif set(words.split()) & CODE_WORDS or c["repo"] >= 0.8 * n:
            role = "code"
        else:
            role = "other"
        if len(out[f"{role}_labels"]) < 12:
            out[f"{role}_labels"].append(words)
    taken = {w for v in out.values() for w in v}
    # The usual words for a paper and its code are always understood, whatever the list prefers.
    out["paper_labels"] += [
        w for w in FALLBACK["paper_labels"] if w not in out["paper_labels"] and w not in taken
    ]
    out["code_labels"] += [
        w for w in FALLBACK["code_labels"] if w not in out["code_labels"] and w not in taken
    ]
    n = sum(styles.values())
    top = [s for s, _ in styles.most_common(1)]
    out["link"] = (
        [s for s, k in styles.most_common() if k >= max(MIN_COUNT, 0.1 * n)] or top or list(FALLBACK["link"])
    )
    return out


def _repo_host(url: str) -> bool:
    return is_code_url(url) and ("github.com/" in url or "gitlab.com/" in url)


def _examples(parsed: Parsed, papers: list[int], templates: list[str]) -> list[str]:
    """One of the list's own entries for each template ("" where none is short enough to quote)."""
    keys = [Template.parse(t).key for t in templates]
    out = [""] * len(keys)
    for i in papers:
        head = parsed.fields[i][0]
        k = key_of(head.slots)
        for n, key in enumerate(keys):
            if key == k and not out[n] and has_paper(parsed.fields[i]):
                b = parsed.structure.blocks[i]
                text = "\n".join(parsed.lines[b.line - 1 : parsed.ends[i]])
                if len(text) < 400:
                    out[n] = text
        if all(out):
            break
    return out


def _venues(parsed: Parsed, papers: list[int], ids: dict[int, str | None]) -> tuple[list[str], int | None]:
    """Venues the list knows (well-known ones and those it names twice), and its oldest year."""
    from ..rules.venue_tag import KNOWN_VENUES

    named: Counter[str] = Counter()
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    oldest: int | None = None
    for i in papers:
        for ln in parsed.fields[i]:
            for s in ln.slots:
                if s.role in ("tag", "date") and (got := read_any(s.value)):
                    tag = got[0]
                    if tag.kind == "venue":
                        named[tag.venue.casefold()] += 1
                        spelled[tag.venue.casefold()][tag.venue] += 1
                    if tag.year and (oldest is None or tag.year < oldest):
                        oldest = tag.year
        if (aid := ids[i]) and (m := id_month(aid)):
            oldest = m[0] if oldest is None else min(oldest, m[0])
    known = {v.casefold(): v for v in KNOWN_VENUES}
    for v, n in named.items():
        if n >= 2 and v not in known:
            known[v] = spelled[v].most_common(1)[0][0]
    # A list of recent papers may still take an older classic: never stricter than 2015.
    return list(known.values()), min(oldest, 2015) if oldest else None
