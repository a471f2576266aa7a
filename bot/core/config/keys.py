"""Every config.yml key but the rules (each rule declares its own), in the order config.yml shows."""

from __future__ import annotations

from ..options import Group, Option

TAG_PLACEHOLDERS = ("{yyyy}", "{yy}", "{mm}", "{m}", "{Mon}", "{venue}")
DATE_PLACEHOLDERS = (*TAG_PLACEHOLDERS[:5], "{d}")
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
            "The tag of a preprint, e.g. 'Arxiv {yyyy}.{mm}', \"arXiv'{yy}\" or 'preprint'. Placeholders: "
            "{yyyy} year, {yy} two-digit year, {mm} two-digit month, {m} month, {Mon} its name.",
            "str-or-strings",
            auto=True,
            placeholders=TAG_PLACEHOLDERS,
            distinct=True,
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
            distinct=True,
        ),
        Option(
            "date",
            "auto",
            "A date field, e.g. '{yyyy}/{mm}' for [2023/05], '{Mon} {yyyy}' for (Jan. 2024) or (January 2024), '{d} {Mon} {yyyy}'.",
            "str-or-strings",
            auto=True,
            needs=("{yy}|{yyyy}",),
            placeholders=DATE_PLACEHOLDERS,
            distinct=True,
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

VENUE_ALIASES = [
    "NeurIPS = Neural Information Processing Systems = Advances in Neural Information Processing Systems = NIPS = conf/nips",
    "ICML = International Conference on Machine Learning = conf/icml",
    "ICLR = International Conference on Learning Representations = conf/iclr",
    "ACL = Annual Meeting of the Association for Computational Linguistics = Meeting of the Association for Computational Linguistics = conf/acl",
    "EMNLP = Conference on Empirical Methods in Natural Language Processing = Empirical Methods in Natural Language Processing = conf/emnlp",
    "NAACL = North American Chapter of the Association for Computational Linguistics = conf/naacl",
    "EACL = Conference of the European Chapter of the Association for Computational Linguistics = conf/eacl",
    "COLING = International Conference on Computational Linguistics = conf/coling",
    "COLM = Conference on Language Modeling = conf/colm",
    "TACL = Transactions of the Association for Computational Linguistics = journals/tacl",
    "AAAI = AAAI Conference on Artificial Intelligence = conf/aaai",
    "IJCAI = International Joint Conference on Artificial Intelligence = conf/ijcai",
    "AISTATS = International Conference on Artificial Intelligence and Statistics = conf/aistats",
    "UAI = Conference on Uncertainty in Artificial Intelligence = conf/uai",
    "CVPR = Computer Vision and Pattern Recognition = IEEE/CVF Conference on Computer Vision and Pattern Recognition = conf/cvpr",
    "ICCV = IEEE International Conference on Computer Vision = International Conference on Computer Vision = conf/iccv",
    "ECCV = European Conference on Computer Vision = conf/eccv",
    "CoRL = Conference on Robot Learning = conf/corl",
    "KDD = Knowledge Discovery and Data Mining = conf/kdd",
    "SIGIR = Annual International ACM SIGIR Conference on Research and Development in Information Retrieval = conf/sigir",
    "WWW = The Web Conference = conf/www",
    "WSDM = Web Search and Data Mining = conf/wsdm",
    "CIKM = International Conference on Information and Knowledge Management = conf/cikm",
    "TMLR = Transactions on Machine Learning Research = Trans. Mach. Learn. Res. = journals/tmlr",
    "JMLR = Journal of Machine Learning Research = J. Mach. Learn. Res. = journals/jmlr",
    "TPAMI = IEEE Transactions on Pattern Analysis and Machine Intelligence = journals/pami",
    "Nature = journals/nature",
    "Science = journals/science",
]

VENUES = Group(
    "venues",
    "Names of the same venue, for the rules that read publication records (venue-published, venue-claim).",
    (
        Option(
            "aliases",
            VENUE_ALIASES,
            "One line a venue: its name as the list's tags write it first, then every other name a record "
            "may give it and its DBLP stream (`conf/nips`), joined by ` = `.",
            "strings",
        ),
    ),
)


def _requests(min_interval: float) -> tuple[Option, ...]:
    """How every outside source is asked: spacing, each request's deadline, retries, and the most ids
    one review asks."""
    return (
        Option(
            "min_interval_seconds",
            min_interval,
            "Seconds between two requests, shared by every process using the same data directory (or Redis).",
            "number",
            minimum=0,
        ),
        Option(
            "timeout_seconds",
            10,
            "Most seconds one request may take, from connecting to the answer's last byte.",
            "number",
            minimum=0.1,
        ),
        Option("max_retries", 4, "Tries after the first one, with exponential backoff.", "int", minimum=0),
        Option(
            "max_total_seconds", 60, "Most seconds spent on one batch, retries included.", "number", minimum=0
        ),
        Option(
            "max_ids_per_review",
            200,
            "Most ids one review of a pull request asks; the rest are marked not verified and asked on a "
            "later run (an audit with `check` asks them all).",
            "int",
            minimum=1,
        ),
    )


ARXIV = Group(
    "arxiv",
    "The arXiv API. ARXIV_API_URL in the environment overrides api_url.",
    (
        Option(
            "enabled", True, "Ask arXiv; false: the arXiv metadata rules skip, as with --offline.", "bool"
        ),
        Option("api_url", "https://export.arxiv.org/api/query", "The API's address.", "str"),
        Option(
            "batch_size",
            100,
            "Ids per request (at most 2000, the most arXiv serves a request).",
            "int",
            minimum=1,
            maximum=2000,
        ),
        *_requests(min_interval=3),
        Option("cache_ttl_days", 7, "Days a paper's metadata is kept.", "number", minimum=0),
        Option("negative_ttl_days", 1, "Days an unknown id is remembered as unknown.", "number", minimum=0),
    ),
    deployment=True,
)


def _record_source(name: str, address: str, batch_max: int) -> tuple[Option, ...]:
    """The settings every publication-record source has: on/off, address, batching, spacing, retries,
    caching."""
    return (
        Option(
            "enabled", True, f"Ask {name}; false: its records are not looked up (the rules skip).", "bool"
        ),
        Option("api_url", "", f"The API's address; empty: {address}.", "str"),
        Option(
            "batch_size",
            batch_max,
            f"Ids per request (at most {batch_max}).",
            "int",
            minimum=1,
            maximum=batch_max,
        ),
        *_requests(min_interval=1),
        Option("cache_ttl_days", 7, "Days a found record is kept.", "number", minimum=0),
        Option("negative_ttl_days", 1, "Days an unknown id is remembered as unknown.", "number", minimum=0),
    )


SEMANTIC_SCHOLAR = Group(
    "semantic_scholar",
    "Semantic Scholar's Academic Graph API, the publication records of venue-published, venue-claim and "
    "paper-title. SEMANTIC_SCHOLAR_API_URL in the environment overrides api_url; SEMANTIC_SCHOLAR_API_KEY "
    "is sent as x-api-key.",
    _record_source("Semantic Scholar", "https://api.semanticscholar.org/graph/v1", 500),
    deployment=True,
)

OPENREVIEW = Group(
    "openreview",
    "OpenReview's public API (version 2), the records of papers linked on openreview.net. "
    "OPENREVIEW_API_URL in the environment overrides api_url.",
    _record_source("OpenReview", "https://api2.openreview.net", 100),
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
        Option(
            "not_verified",
            "review: not verified",
            "arXiv or Semantic Scholar could not be reached for some entries.",
            "str",
        ),
    ),
)

TOP = (FILES, SECTIONS, IGNORE_SECTIONS)
GROUPS = (GRAMMAR, VENUES, ARXIV, SEMANTIC_SCHOLAR, OPENREVIEW, REVIEW, LABELS)
AFTER_RULES = tuple(g.name for g in GROUPS if g is not GRAMMAR)  # the groups config.yml shows after `rules`
