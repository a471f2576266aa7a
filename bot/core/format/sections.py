"""Which sections of a list hold papers, learnt from the list: the headings most of whose entries
link a paper, named the shortest way (by name, or everything but a few)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from ..read.document import Parsed, heading_name
from ..read.labels import PAPER_WORDS, is_code_url, is_paper_url, label_words
from ..read.markup import IMAGE, LINK
from ..read.slots import Line

_IMAGE = re.compile(IMAGE)
_LINK = re.compile(LINK)

NOT_PAPERS = (
    "contributing", "contribute", "contributors", "contribution", "how to contribute", "license",
    "citation", "cite", "acknowledgement", "acknowledgements", "acknowledgment", "table of contents",
    "contents", "toc", "news", "updates", "update", "changelog", "star history", "todo", "to do",
    "contact", "about", "overview", "introduction", "related repositories", "other awesome lists",
)  # fmt: skip


def paper_headings(parsed: Parsed, entries: list[int]) -> set[int]:
    st = parsed.structure
    count: Counter[int] = Counter()
    paper: Counter[int] = Counter()
    for i in entries:
        h = st.blocks[i].heading
        count[h] += 1
        paper[h] += has_paper(parsed.fields[i])
    out = set()
    for h, n in count.items():
        if h < 0:
            continue
        if _never_papers(st.headings[h].name) and paper[h] < 3:
            continue  # `Contributing` with an example entry; an `Overview` of surveys holds papers
        if paper[h] >= 1 and paper[h] >= 0.5 * n:
            out.add(h)
    return out


def every_heading(parsed: Parsed, entries: list[int]) -> set[int]:
    """Where no item links a paper (papers on their project pages), every heading with items holds
    papers to begin with; how the items are written decides (`shaped_headings`)."""
    st = parsed.structure
    return {h for i in entries if (h := st.blocks[i].heading) >= 0 and not _never_papers(st.headings[h].name)}


# What a section that does not link papers names when it holds other things written as papers are
# (`- [[KITTI](u)] The KITTI Vision Benchmark`): kept out of the papers by its shape alone.
OTHER_THINGS = (
    "datasets", "dataset", "benchmarks", "tools", "code", "codebases", "implementations", "libraries",
    "frameworks", "tutorials", "courses", "talks", "videos", "lectures", "blogs", "books", "projects",
)  # fmt: skip
SHAPED = 0.5  # share of a section's items written as the papers are, for it to hold papers
UNSHAPED = 0.2  # share under which a section whose items link papers holds something else


def shaped_headings(
    parsed: Parsed, entries: list[int], paper: set[int], follows: Callable[[int], bool]
) -> set[int]:
    """The paper headings, counted again by how their items are written: one whose items mostly
    take the papers' shapes holds papers, whatever they link (papers on project pages, blog posts
    the list keeps on purpose); one whose items take none of them holds something else (a venue
    index). A heading whose items link no paper joins only in a list that mixes papers and other
    links within its sections (where papers and posts are kept apart, posts are not papers), or
    when its items link nothing at all."""
    st = parsed.structure
    count: Counter[int] = Counter()
    shaped: Counter[int] = Counter()
    linked: Counter[int] = Counter()
    bare: Counter[int] = Counter()  # items that link nothing (a citation without its link)
    for i in entries:
        h = st.blocks[i].heading
        count[h] += 1
        lines = parsed.fields[i]
        shaped[h] += follows(i) and not _code_or_talk(lines)
        if h in paper:  # whether a paper heading links papers is known
            continue
        linked[h] += has_paper(lines)
        bare[h] += not any(k.url[:1] != "#" for ln in lines for k in ln.links)
    candidates = [
        h
        for h, n in count.items()
        if h >= 0
        and h not in paper
        and shaped[h] >= SHAPED * n
        and not _never_papers(st.headings[h].name, OTHER_THINGS)
    ]
    mixed = any(0 < linked[h] < SHAPED * count[h] for h in candidates if count[h] >= MIN_UNSHAPED)
    out = set(paper) | {h for h in candidates if linked[h] or mixed or bare[h] == count[h]}
    for h in paper:
        if count[h] >= MIN_UNSHAPED and shaped[h] < UNSHAPED * count[h]:
            out.discard(h)
    return out if out else set(paper)


MIN_UNSHAPED = 3
_TALKS = ("youtube.com", "youtu.be", "vimeo.com", "bilibili.com")


def _code_or_talk(lines: list[Line]) -> bool:
    """Every link of the item is to code or to a recorded talk: a tool or a video, not a paper."""
    urls = [k.url for ln in lines for k in ln.links if not k.url.startswith("#")]
    return bool(urls) and all(is_code_url(u) or any(t in u for t in _TALKS) for u in urls)


def _never_papers(heading: str, more: tuple[str, ...] = ()) -> bool:
    name = heading_name(heading)
    return any(name == x or name.startswith(x + " ") for x in NOT_PAPERS + more)


def has_paper(lines: list[Line]) -> bool:
    """A link to a paper host, to a pdf (a paper on its authors' site), or labelled as the paper."""
    return any(
        is_paper_url(k.url)
        or _PDF.search(k.url)
        or (k.style != "title" and label_words(k.label) in PAPER_WORDS and label_words(k.label) != "link")
        for ln in lines
        for k in ln.links
    )


_PDF = re.compile(r"\.pdf(?:$|[?#])", re.IGNORECASE)


def paper_sections(parsed: Parsed, paper: set[int], entries: list[int]) -> tuple[list[str], list[str]]:
    """The shortest way to name the paper sections: the headings that hold only papers, or the
    headings with papers below less those under them that hold something else, or everything but a
    few. A sub-heading a pull request adds under a named heading is in it."""
    st = parsed.structure
    heads = st.headings
    with_items = {st.blocks[i].heading for i in entries if st.blocks[i].heading >= 0}
    other = with_items - paper
    if not paper:  # nothing to learn from yet: every section but those that never hold papers
        skip = [display_name(h.name) for h in heads if _never_papers(h.name)]
        return ["*"], list(dict.fromkeys(skip))
    children: dict[int, list[int]] = defaultdict(list)
    for h, hd in enumerate(heads):
        children[hd.parent].append(h)
    # A heading is pure when it holds papers or nothing, and so is every heading under it, with
    # papers somewhere below: naming it takes in exactly the paper sections.
    pure: dict[int, bool] = {}
    has_paper: dict[int, bool] = {}
    for h in range(len(heads) - 1, -1, -1):
        kids = children[h]
        has_paper[h] = h in paper or any(has_paper[c] for c in kids)
        pure[h] = (
            (h in paper or (h not in other and bool(kids))) and all(pure[c] for c in kids) and has_paper[h]
        )
    candidates: list[tuple[list[str], list[str]]] = []
    covers = [h for h in range(len(heads)) if pure[h] and (heads[h].parent < 0 or not pure[heads[h].parent])]
    if all(_under(h, set(covers), heads) for h in paper):
        candidates.append((_names(heads, covers), []))
    # Everything but the headings with no paper below: exact when no heading holds other items
    # above papers (its own items would be taken in).
    skip = [
        h
        for h in range(len(heads))
        if not has_paper[h] and (heads[h].parent < 0 or has_paper[heads[h].parent])
    ]
    if not any(has_paper[h] for h in other):
        candidates.append((["*"], _names(heads, skip)))
    # The headings with papers below whose own items (if any) are papers, less the headings under
    # them with no paper below.
    named = {h for h in range(len(heads)) if has_paper[h] and h not in other}
    tops = [h for h in sorted(named) if heads[h].parent not in named]
    inside = set(tops)
    for h in range(len(heads)):
        if heads[h].parent in inside:
            inside.add(h)
    left_out = [h for h in sorted(inside) if not has_paper[h] and has_paper.get(heads[h].parent, False)]
    candidates.append((_names(heads, tops), _names(heads, left_out)))
    return min(candidates, key=lambda c: len(c[0]) + len(c[1]))


def _under(h: int, covers: set[int], heads) -> bool:
    while h >= 0:
        if h in covers:
            return True
        h = heads[h].parent
    return False


def _names(heads, hs: list[int]) -> list[str]:
    return list(dict.fromkeys(display_name(heads[h].name) for h in hs))


def display_name(name: str) -> str:
    """A heading as a reader sees it (no images, links reduced to their text, no emphasis)."""
    text = _IMAGE.sub("", name)
    text = _LINK.sub(lambda m: m[1], text)
    return " ".join(text.replace("**", "").replace("`", "").split())
