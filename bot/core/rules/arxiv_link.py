"""arxiv-link: an arXiv URL with an invalid id, or not in the canonical https://arxiv.org/abs/<id> form."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Edit
from ..options import Example
from ..read.document import Item
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

INVALID = Kind("invalid-id", "An arXiv link whose id is no valid arXiv id.")
# How a link strays from the abstract page, by the code bot.core.arxiv_id gives it.
STRAYS = {
    k.id: k
    for k in (
        Kind("pdf-link", "A link to the pdf (`/pdf/`, `.pdf`) instead of the abstract page."),
        Kind("versioned", "A link that pins a version (`v2`)."),
        Kind("http", "An arXiv link over http."),
        Kind("host", "An arXiv link through `export.` or `www.`."),
        Kind("html-page", "A link to the html or format page instead of the abstract page."),
        Kind("extra", "Characters after the id (`/`, `?…`, `#…`)."),
        Kind("mirror", "A mirror (alphaxiv, Hugging Face papers) instead of arxiv.org."),
        Kind("doi", "arXiv's DOI instead of the abstract page."),
        Kind("prefix", "An `arXiv:` identifier instead of a link."),
    )
}

RULE = Rule(
    "arxiv-link",
    Severity.ERROR,
    "An invalid arXiv id (error); a pdf, `.pdf`, `vN`, http, `export.`/`www.`, html, DOI, `arXiv:` or "
    "mirror link instead of the abstract page (warning).",
    example=Example(
        "- (*Arxiv 2024.12*) A New Paper [[paper](http://arxiv.org/pdf/2412.00001v2.pdf)]",
        "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    kinds=(INVALID, *STRAYS.values()),
)
ID = RULE.id


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
                INVALID,
                f"`{ref.id}` is not a valid arXiv id: new ids look like 2401.01335 (YYMM.NNNNN), "
                "old ones like hep-th/9901001. Copy the link from the paper's arXiv page.",
            )
        elif strays := [p for p in ref.problems if ctx.reports(ID, STRAYS[p.code])]:
            kinds = list(dict.fromkeys(STRAYS[p.code] for p in strays))
            yield Hit(
                kinds[0],
                f"Link to the arXiv abstract page, {ref.canonical_url}: this link {', '.join(p.words for p in strays)}.",
                (
                    Edit(f"({link.url})", f"({ref.canonical_url})")
                    if link.style != "{url}"
                    else Edit(link.url, ref.canonical_url),
                ),
                minor=True,
                also=tuple((k, "") for k in kinds[1:]),
            )
