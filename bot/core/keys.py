"""Every config.yml key but the rules (each rule declares its own), in the order config.yml shows."""

from __future__ import annotations

from .options import Group, Option

TAG_PLACEHOLDERS = ("{yyyy}", "{yy}", "{mm}", "{m}", "{venue}")
ENTRY_PLACEHOLDERS = (
    "{title}",
    "{tag}",
    "{date}",
    "{authors}",
    "{name}",
    "{note}",
    "{links}",
    "{badges}",
    "{paper}",
)

FILES = Option("files", ["README.md"], "List files the bot reviews, as paths in the repository.", "strings")
SECTIONS = Option(
    "sections",
    "auto",
    'Headings whose entries are reviewed; their sub-headings count too. Matched without case. "*": every '
    "heading. auto: the headings whose items are papers.",
    "strings",
    auto=True,
)
IGNORE_SECTIONS = Option(
    "ignore_sections",
    "auto",
    "Headings left out even when `sections` takes them in (with `sections: ['*']`: Contributing, News...).",
    "strings",
    auto=True,
)

GRAMMAR = Group(
    "grammar",
    "How the list writes an entry. auto: learnt from the list itself (`awesome-review init` shows what it "
    "learns); a value written here wins.",
    (
        Option(
            "entry",
            "auto",
            "Templates of an entry's first line, the usual one first, e.g. '- (*{tag}*) {title} {links}'. "
            "Fields: {title} {tag} {date} {authors} {name} {note} {links} {badges}; [{title}]({paper}) "
            "when the title is the paper link.",
            "str-or-strings",
            auto=True,
            needs=("{title}|{tag}",),
            placeholders=ENTRY_PLACEHOLDERS,
        ),
        Option(
            "details",
            "auto",
            "Templates of the lines an entry has below its first, e.g. '*{authors}* {links}'.",
            "strings",
            auto=True,
            placeholders=ENTRY_PLACEHOLDERS,
        ),
        Option(
            "preprint_tag",
            "auto",
            "The tag of a preprint, e.g. 'Arxiv {yyyy}.{mm}' or \"arXiv'{yy}\". Placeholders: {yyyy} year, "
            "{yy} two-digit year, {mm} two-digit month, {m} month.",
            "str-or-strings",
            auto=True,
            needs=("{yy}|{yyyy}",),
            placeholders=TAG_PLACEHOLDERS,
        ),
        Option(
            "venue_tag",
            "auto",
            "The tag of a published paper, e.g. \"{venue} {yy}'\" or '{venue} {yyyy}'. Placeholders: {venue} "
            "name, {yy} or {yyyy} year.",
            "str-or-strings",
            auto=True,
            needs=("{yy}|{yyyy}", "{venue}"),
            placeholders=TAG_PLACEHOLDERS,
        ),
        Option(
            "date",
            "auto",
            "A date field, e.g. '{yyyy}/{mm}' for [2023/05].",
            "str-or-strings",
            auto=True,
            needs=("{yy}|{yyyy}",),
            placeholders=TAG_PLACEHOLDERS,
        ),
        Option(
            "link",
            "auto",
            "How a link is written, e.g. '[[{label}]({url})]' or '[{label}]({url})'.",
            "str-or-strings",
            auto=True,
            needs=("{url}", "{label}"),
        ),
        Option("qualifier", True, "Allow a qualifier after a venue tag, as in (*ACL 24' findings*).", "bool"),
        Option(
            "paper_labels",
            "auto",
            "Link labels (matched without case) for the paper.",
            "strings",
            auto=True,
            min_items=1,
        ),
        Option(
            "code_labels", "auto", "Link labels (matched without case) for the code.", "strings", auto=True
        ),
        Option(
            "other_labels",
            "auto",
            "Other link labels an entry may carry, e.g. [project, blog, slides].",
            "strings",
            auto=True,
        ),
        Option("wrapped", "auto", "Entries may be hard-wrapped over several lines.", "bool", auto=True),
    ),
)

ARXIV = Group(
    "arxiv",
    "The arXiv API. ARXIV_API_URL in the environment overrides api_url.",
    (
        Option("api_url", "https://export.arxiv.org/api/query", "The API's address.", "str"),
        Option("batch_size", 25, "Ids per request.", "int", minimum=1, maximum=200),
        Option(
            "min_interval_seconds",
            3,
            "Seconds between two requests, shared by every process using the same data directory (or Redis).",
            "number",
            minimum=0,
        ),
        Option("timeout_seconds", 10, "Seconds to wait for one answer.", "number", minimum=0.1),
        Option("max_retries", 4, "Tries after the first one, with exponential backoff.", "int", minimum=0),
        Option(
            "max_total_seconds", 60, "Most seconds spent on one batch, retries included.", "number", minimum=0
        ),
        Option("cache_ttl_days", 7, "Days a paper's metadata is kept.", "number", minimum=0),
        Option("negative_ttl_days", 1, "Days an unknown id is remembered as unknown.", "number", minimum=0),
    ),
    deployment=True,
)

REVIEW = Group(
    "review",
    "What the bot does on a pull request.",
    (
        Option(
            "request_changes", True, "Request changes when there are errors; false: only comment.", "bool"
        ),
        Option("review_drafts", False, "Review draft pull requests too.", "bool"),
        Option(
            "max_inline_comments",
            50,
            "Most inline comments in one review; the rest go into the summary.",
            "int",
            minimum=0,
        ),
    ),
)

LABELS = Group(
    "labels",
    "Labels the bot sets (and removes when they no longer apply). An empty name disables a label.",
    (
        Option("passed", "review: passed", "No errors.", "str"),
        Option("needs_changes", "review: needs changes", "Errors to fix.", "str"),
        Option("duplicate", "duplicate", "The paper is already in the list.", "str"),
        Option("not_verified", "review: not verified", "arXiv could not be reached for some entries.", "str"),
    ),
)

TOP = (FILES, SECTIONS, IGNORE_SECTIONS)
GROUPS = (GRAMMAR, ARXIV, REVIEW, LABELS)
