"""arxiv-link: an arXiv URL with an invalid id, or not in the canonical https://arxiv.org/abs/<id> form."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from .base import Context, Hit, Rule, Severity, entry_in_scope

RULE = Rule(
    "arxiv-link",
    Severity.ERROR,
    "An invalid arXiv id (error); a pdf, `.pdf`, `vN`, http, `export.`/`www.`, html, DOI, `arXiv:` or "
    "mirror link instead of the abstract page (warning).",
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](http://arxiv.org/pdf/2412.00001v2.pdf)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry:
        return
    for link in entry.links:
        ref = ctx.ref(link.url)
        if ref is None:
            continue
        if not ref.valid:
            yield Hit(
                f"`{ref.id}` is not a valid arXiv id: new ids look like 2401.01335 (YYMM.NNNNN), "
                "old ones like hep-th/9901001. Copy the link from the paper's arXiv page."
            )
        elif ref.problems:
            yield Hit(
                f"Link to the arXiv abstract page, {ref.canonical_url}: this link {', '.join(ref.problems)}.",
                (
                    Edit(f"({link.url})", f"({ref.canonical_url})")
                    if link.style != "{url}"
                    else Edit(link.url, ref.canonical_url),
                ),
                minor=True,
            )
