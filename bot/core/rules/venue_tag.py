"""venue-tag: a malformed tag, an impossible year or month, or a venue the list does not know."""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator

from ..model import Edit
from ..options import Example, Option
from ..read.document import Item
from ..read.entry import Entry
from ..read.markup import TAG_QUOTES
from ..read.tags import PREPRINT_SERVERS, Tag, read_any
from ..records import published
from .base import Context, Hit, Kind, Rule, Severity, entry_in_scope

STYLE = Kind("tag-style", "A tag in no style the list writes, with no fix in its style.", format=True)
RESTYLE = Kind(
    "tag-restyle",
    "A tag written in another style than the list's (`NeurIPS 2024` for `NeurIPS 24'`).",
    format=True,
)
DATE_STYLE = Kind("date-style", "A date in another style than the list's.", format=True)
MONTH = Kind("month", "A month outside 1-12.")
FUTURE = Kind("future", "A date in the future.", fact=True)
TOO_OLD = Kind("before-min-year", "A year before the list's oldest (`min_year`).")
UNKNOWN = Kind("unknown-venue", "A venue the list does not know (a warning).")
SPELLING = Kind("venue-spelling", "A known venue spelt otherwise (`Neurips` for `NeurIPS`).")
ACCEPTED = Kind(
    "accepted", "A preprint tag on a paper arXiv's comment says was accepted (a notice).", fact=True
)

KNOWN_VENUES = (
    "AAAI", "ACL", "AISTATS", "COLING", "COLM", "CoRL", "CVPR", "ECCV", "EMNLP", "EACL", "ICCV", "ICLR",
    "ICML", "IJCAI", "JMLR", "KDD", "NAACL", "NeurIPS", "SIGIR", "TACL", "TMLR", "TPAMI", "UAI", "WSDM",
    "WWW", "CIKM", "Nature", "Science",
)  # fmt: skip
RULE = Rule(
    "venue-tag",
    Severity.ERROR,
    "A malformed tag or date, `2024` where the list writes `24'`, a month outside 1-12, a year in the "
    "future or before `min_year`; a venue the list does not know (warning).",
    (
        Option(
            "venues",
            "auto",
            "Venues known to the list; others get a warning. auto: well-known ML/NLP venues and those the "
            "list names twice or more. An empty list accepts any name.",
            "strings",
            auto=True,
        ),
        Option(
            "min_year",
            "auto",
            "Oldest year a tag may carry. auto: the oldest year in the list.",
            "int",
            auto=True,
        ),
    ),
    example=Example(
        "- (*NeurIPS 2024*) Self-Consistency Preference Optimization [[paper](https://arxiv.org/abs/2411.04109)]",
        "- (*NeurIPS 24'*) Self-Consistency Preference Optimization [[paper](https://arxiv.org/abs/2411.04109)]",
    ),
    kinds=(STYLE, RESTYLE, DATE_STYLE, MONTH, FUTURE, TOO_OLD, UNKNOWN, SPELLING, ACCEPTED),
)
ID = RULE.id

_ACCEPTED = re.compile(
    r"\b(?:accepted|to appear|published|appears?)\b[^.;]{0,40}?\b(?:at|by|in|to)\s+(?:the\s+)?"
    r"(?P<venue>[A-Z][A-Za-z&\-]{1,20})\s*'?(?P<year>20\d\d|\d\d)?",
    re.IGNORECASE,
)


def check(item: Item, ctx: Context) -> Iterator[Hit]:
    entry = entry_in_scope(item)
    if not entry or not (entry.tag or entry.date):
        return
    # What the tag and the date are told follows from their words alone: once per distinct tag.
    memo = ctx.memo.setdefault(_TOLD, {})
    key = (entry.tag, entry.tag_form, entry.date, entry.date_raw)
    told = memo.get(key)
    if told is None:
        told = memo[key] = _tell(entry, ctx)
    hits, preprint = told
    yield from hits
    if preprint and ctx.arxiv is not None:
        yield from _accepted(entry, ctx)


_TOLD = f"{ID}:told"


def _tell(entry: Entry, ctx: Context) -> tuple[tuple[Hit, ...], bool]:
    """The hits on the entry's date and tag, and whether the tag claims a preprint."""
    hits: list[Hit] = []
    words = _told(entry, ctx)
    while True:
        try:
            hits.append(next(words))
        except StopIteration as done:
            tag = done.value
            return tuple(hits), tag is not None and tag.kind == "preprint"


def _told(entry: Entry, ctx: Context) -> Generator[Hit, None, Tag | None]:
    if entry.date:
        yield from _date(entry, ctx)
    if not entry.tag:
        return None
    g = ctx.grammar
    words = entry.tag.translate(TAG_QUOTES)
    shown = written(entry, entry.tag)
    tag = g.read_tag(words)
    if tag is not None and tag.kind == "venue" and tag.venue.casefold() in PREPRINT_SERVERS:
        tag = None  # `Arxiv 2024` read by the style `{venue} {yyyy}`: a preprint, in another style
    if tag is None:
        fixed = g.fix_tag(words) if ctx.styled else None
        loose = read_any(words)
        if fixed is None or fixed == words:
            if ctx.styled and g.tag_styles and loose is None:
                # A tag with no year (`TACL`, `Science`, `OpenReview`) names a venue the list may well
                # write so; one with a year in no style of the list's is the likelier slip.
                dated = any(c.isdigit() for c in words)
                yield Hit(
                    STYLE,
                    f"The venue tag `{shown}` is not in this list's style: write {g.tag_examples}."
                    if dated
                    else f"The venue tag `{shown}` has no year, as this list's tags have: write {g.tag_examples}.",
                    minor=not dated,
                )
            if loose is None:
                return None
            tag = loose[0]
        else:
            yield Hit(
                RESTYLE,
                f"Write the venue tag `{shown}` as `{written(entry, fixed)}`, in this list's style.",
                (Edit(entry.tag, fixed),),
                minor=(how := _difference(words, fixed)) != "form",  # case or spacing: cosmetic
                detail=how,
            )
            tag = loose[0] if loose else None
            if tag is None:
                return None
    yield from _dates(tag, ctx)
    if tag.kind == "venue":
        yield from _venue(entry, tag, ctx)
    return tag


def _difference(words: str, fixed: str) -> str:
    """What a restyle changes, calibrated on its own: a list that writes `arxiv` in lower case now and
    then may still hold every year as `'24`."""
    if words.casefold() == fixed.casefold():
        return "case"
    if "".join(words.split()) == "".join(fixed.split()):
        return "spacing"
    return "form"


def written(entry: Entry, words: str) -> str:
    return (entry.tag_form or "{}").replace("{}", words)


def render(tag: Tag, words: str, ctx: Context) -> str:
    """The tag in the list's style, or, in a list without one, in the style `words` follow."""
    style = ctx.tag_style(tag, words)
    return style.render(tag) if style and not ctx.styled else ctx.grammar.render(tag)


def _date(entry: Entry, ctx: Context) -> Iterator[Hit]:
    got = read_any(entry.date)
    if got is None:
        if ctx.grammar.dates:
            example = ctx.grammar.dates[0].render(Tag("date", 2024, 11))
            yield Hit(
                DATE_STYLE,
                f"The date `{entry.date_raw or entry.date}` is not in this list's style: write it like `{example}`.",
            )
        return
    yield from _dates(got[0], ctx)


def _dates(tag: Tag, ctx: Context) -> Iterator[Hit]:
    if tag.month is not None and not 1 <= tag.month <= 12:
        yield Hit(MONTH, f"The month {tag.month} in the venue tag does not exist: use 01 to 12.")
    if tag.year is None:
        return
    today = ctx.today
    if tag.year > today.year or (tag.month and tag.year == today.year and tag.month > today.month):
        when = f"{tag.year}.{tag.month:02d}" if tag.month else str(tag.year)
        yield Hit(
            FUTURE, f"The venue tag says {when}, which is in the future: use the date the paper appeared."
        )
    min_year = ctx.option(ID, "min_year")
    if isinstance(min_year, int) and tag.year < min_year:
        # Learnt from the years the list holds, the bound says only that this entry is its oldest:
        # a warning; a bound config.yml writes is the maintainers' rule.
        learnt = f"rules.{ID}.min_year" in ctx.config.inferred
        yield Hit(
            TOO_OLD,
            f"The venue tag says {tag.year}: this list takes papers from {min_year} on"
            + (" (learnt from the years it holds)." if learnt else "."),
            minor=learnt,
        )


def venues(ctx: Context) -> dict[str, str]:
    """Known venue names by their case-folded form ({} when the list accepts any name)."""
    known = ctx.memo.get(ID)
    if known is None:
        names = ctx.option(ID, "venues")
        if names == "auto":
            names = KNOWN_VENUES
        known = ctx.memo[ID] = {v.casefold(): v for v in names}
    return known


def _venue(entry: Entry, tag: Tag, ctx: Context) -> Iterator[Hit]:
    known = venues(ctx)
    if not known:
        return
    name = known.get(tag.venue.casefold())
    if name is None:  # `NeurIPS (Datasets and Benchmarks)`, `Conference on … (CBMI)`
        outside, _, inside = tag.venue.partition("(")
        name = known.get(outside.strip().casefold()) or known.get(inside.strip(" )").casefold())
        if name is not None:
            return
    if name is None:
        sample = ", ".join(list(known.values())[:8])
        yield Hit(
            UNKNOWN,
            f"`{tag.venue}` is not a venue this list knows ({sample}, …): check the spelling, "
            "or ask a maintainer to add it to config.yml.",
            minor=True,
        )
    elif name != tag.venue:
        fixed = render(Tag("venue", tag.year, None, name, tag.qualifier), entry.tag, ctx)
        yield Hit(
            SPELLING,
            f"Write the venue as `{name}`: `{written(entry, fixed)}`.",
            (Edit(entry.tag, fixed),),
            minor=True,
        )


def _accepted(entry: Entry, ctx: Context) -> Iterator[Hit]:
    """A preprint tag on a paper whose arXiv comment says where it was accepted."""
    ref = ctx.paper(entry)
    paper = ctx.arxiv.papers.get(ref.id) if ref and ctx.arxiv else None
    if not paper or not ctx.grammar.venue:
        return
    found = ctx.record(entry)
    if found is not None and published(found[1], ctx.aliases) is not None:
        return  # the publication record is surer than a comment: venue-published says it
    known = venues(ctx) or {v.casefold(): v for v in KNOWN_VENUES}
    for text in (paper.journal_ref, paper.comment):
        m = _ACCEPTED.search(text or "")
        if m and m["venue"].casefold() in known:
            year = int(m["year"]) if m["year"] else (ctx.tag(entry).year if ctx.tag(entry) else None)
            if year is None:
                return
            year = year if year > 999 else 2000 + year
            name = known[m["venue"].casefold()]
            fixed = render(Tag("venue", year, None, name), f"{name} {year}", ctx)
            yield Hit(
                ACCEPTED,
                f"arXiv says this paper was accepted (“{' '.join(text.split())[:120]}”): "
                f"tag it `{written(entry, fixed)}` instead of `{written(entry, entry.tag)}`.",
                (Edit(entry.tag, fixed),),
                notice=True,
                unsafe=True,  # read from a free-text comment: a guess
            )
            return
