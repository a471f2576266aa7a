"""Which sections of a list hold papers, learnt from the list: the headings most of whose entries
link a paper, named the shortest way (by name, or everything but a few)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from ..read.document import Parsed, heading_name
from ..read.labels import is_paper_url
from ..read.slots import Line

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")

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


def _never_papers(heading: str) -> bool:
    name = heading_name(heading)
    return any(name == x or name.startswith(x + " ") for x in NOT_PAPERS)


def has_paper(lines: list[Line]) -> bool:
    return any(is_paper_url(k.url) for ln in lines for k in ln.links)


def paper_sections(parsed: Parsed, paper: set[int], entries: list[int]) -> tuple[list[str], list[str]]:
    """The shortest way to name the paper sections: by name, or everything but a few."""
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

    # A heading is covered when it holds papers or holds nothing itself, and so is every heading
    # under it, with papers somewhere below: naming it takes in exactly the paper sections.
    pure: dict[int, bool] = {}
    has_paper: dict[int, bool] = {}
    for h in range(len(heads) - 1, -1, -1):
        kids = children[h]
        has_paper[h] = h in paper or any(has_paper[c] for c in kids)
        pure[h] = (
            (h in paper or (h not in other and bool(kids))) and all(pure[c] for c in kids) and has_paper[h]
        )
    cover = [h for h in range(len(heads)) if pure[h] and (heads[h].parent < 0 or not pure[heads[h].parent])]
    names = list(dict.fromkeys(display_name(heads[h].name) for h in cover))
    skip = [
        h
        for h in range(len(heads))
        if not has_paper[h] and (heads[h].parent < 0 or has_paper[heads[h].parent])
    ]
    skip_names = list(dict.fromkeys(display_name(heads[h].name) for h in skip))
    if len(skip_names) + 1 < len(names):
        return ["*"], skip_names
    return names, []


def display_name(name: str) -> str:
    """A heading as a reader sees it (no images, links reduced to their text, no emphasis)."""
    text = _IMAGE.sub("", name)
    text = _LINK.sub(lambda m: m[1], text)
    return " ".join(text.replace("**", "").replace("`", "").split())
