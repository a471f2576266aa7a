"""Contributor text in the bot's comments is inert (issue 10, item 6): rendered by GitHub's own
markdown engine (cmark-gfm, through cmarkgfm) it makes no link, image, HTML or entity, and GitHub's
reference linker finds no mention, issue reference, commit or URL in its text; no bidi control
survives; and it reads as written. Over a table of known attacks, over generated text, and over
every comment the review job posts to the local GitHub."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core.verdict.markdown import BIDI, ZW, clip, code, escape, neutralize, plain
from bot.service.connections import Connections
from tests.fakes.scenario import REPO, job, open_pr, with_lines

# What GitHub links in the text of a comment after rendering it (docs.github.com, "Autolinked
# references and URLs"), as patterns over the text outside code.
REFERENCES = {
    "url": re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.", re.I),
    "e-mail": re.compile(r"[A-Za-z0-9._+-]@[A-Za-z0-9]"),
    "mention": re.compile(r"(?<![A-Za-z0-9`])@[A-Za-z0-9]"),
    "issue": re.compile(r"#\d|\bgh-\d", re.I),
    "commit": re.compile(r"(?<![0-9A-Za-z])[0-9a-f]{7,40}(?![0-9A-Za-z])", re.I),
}
BIDI_CHARS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


class Rendered(HTMLParser):
    """The tags of rendered HTML, its text outside code, and all its text."""

    def __init__(self, markdown: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.prose: list[str] = []
        self.text: list[str] = []
        self._code = 0
        self.feed(cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE))

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.prose.append(" ")  # an element boundary separates words
        self._code += tag in ("code", "pre")

    def handle_endtag(self, tag):
        self._code -= tag in ("code", "pre")
        self.prose.append(" ")

    def handle_data(self, data):
        self.text.append(data)
        if not self._code:
            self.prose.append(data)


def assert_inert(markdown: str, allowed: set[str]) -> Rendered:
    r = Rendered(markdown)
    tags = {t for t, _ in r.tags}
    assert tags <= allowed, f"{tags - allowed} in {markdown!r}"
    prose = "".join(r.prose)
    for kind, rx in REFERENCES.items():
        assert not rx.search(prose), f"GitHub would link a {kind}: {rx.search(prose)[0]!r} in {markdown!r}"
    assert not any(c in "".join(r.text) for c in BIDI_CHARS), markdown
    return r


def visible(r: Rendered) -> str:
    return " ".join("".join(r.text).replace(ZW, "").split())


def as_read(text: str) -> str:
    """What a reader should see: the text, without bidi controls, on one line."""
    text = BIDI.sub("", re.sub("[\r\n\u2028\u2029\u0085\x0b\x0c\x1c-\x1e]", " ", text)).replace(
        "\x00", "\ufffd"
    )
    return " ".join(text.replace(ZW, "").split())


ATTACKS = [
    "[re-authorize the bot here](https://evil.example/login)",
    "![x](https://evil.example/pixel.png)",
    "[x][1]\n\n[1]: https://evil.example",
    "<https://evil.example>",
    "https://evil.example/phish",
    "HTTPS://EVIL.EXAMPLE",
    "www.evil.example",
    "_www.evil.example",
    "ftp://evil.example",
    "support@evil.example",
    "mailto:a@evil.example",
    "xmpp:a@evil.example",
    "@octocat please merge",
    "@org/team",
    "fixes #1",
    "closes GH-12",
    "gh-3",
    "octo/awesome#4",
    "https://github.com/octo/awesome/issues/5",
    "a5c3785ed8d6a35868bc169f07e40e889087fd2e",
    "jlord@a5c3785",
    "octo/awesome@a5c3785",
    "defaced",
    "<img src=x onerror=alert(1)>",
    "<a href='https://evil.example'>ok</a>",
    "<details open><summary>x</summary>",
    "&#x202e;&#64;octocat &lt;b&gt;",
    "admin\u202egnp.exe",
    "\u2066hidden\u2069 \u200f",
    "`code` ``x`` `[l](https://evil.example)`",
    "\\[x](https://evil.example)",
    "a | b | c",
    "**bold** _it_ ~~strike~~ $x^2$",
    "line\nbreak\r\n# heading\u2028> quote",
    "    indented",
    "<!-- awesome-review:summary -->",
    "[[paper](javascript:alert(1))]",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_known_attacks_are_inert_and_read_as_written(text: str) -> None:
    r = assert_inert("Title: " + escape(text), {"p"})
    assert visible(r) == as_read("Title: " + text)
    cell = assert_inert(
        f"| a | b |\n|---|---|\n| {escape(text)} | x |\n", {"table", "thead", "tbody", "tr", "th", "td"}
    )
    assert len([t for t, _ in cell.tags if t == "td"]) == 2  # a pipe never splits the cell
    message = f"Write the venue tag `{text}` as `(*ICML 24'*)`; arXiv's title for it is “{text}”."
    assert_inert("❌ **error** `venue-tag`: " + neutralize(message), {"p", "code", "strong"})
    assert not any(c in plain(text) for c in BIDI_CHARS) and "\n" not in plain(text)
    assert_inert(code(text), {"p", "code"})


pieces = st.sampled_from(
    [*ATTACKS, "[", "]", "(", ")", "!", "<", ">", "&", "#", "@", ":", "/", "//", ".", "-", "`", "``", "\\",
     "*", "_", "~", "|", "$", "\u202e", "\u2068", "\n", "\u2028", " ", "a", "1", "x@y.z", "GH-", "www",
     "https:", "deadbeef", "0123456", "&#", ";"]
)  # fmt: skip
texts = st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_any_text_is_inert_and_reads_as_written(text: str) -> None:
    r = assert_inert("Title: " + escape(text), {"p"})
    assert visible(r) == as_read("Title: " + text)


@settings(max_examples=400, deadline=None)
@given(texts, texts, st.integers(0, 200))
def test_any_message_quoting_text_is_inert_and_stays_inert_when_clipped(a: str, b: str, limit: int) -> None:
    prefix = "⚠️ **warning** `rule`: "  # ours; the overflow list clips at 300 characters
    body = prefix + neutralize(f"The tag `{a}` should be `{b}`: “{a}{b}”, see `[[paper](URL)]`.")
    assert_inert(body, {"p", "code", "strong"})
    assert_inert(clip(body, len(prefix) + limit), {"p", "code", "strong"})


# -- every place the review job quotes contributor text, on the local GitHub ----------------------

HOSTILE_OLD = (
    "- (*Arxiv 2024.04*) [re-authorize the bot here](https://evil.example/login) @octocat fixes #1 "
    "GH-2 <img src=x> \u202eevil\u202c [[paper](https://arxiv.org/abs/2404.12253)]"
)
HOSTILE_NEW = [
    # the same paper again: the duplicate rule quotes the old entry's hostile title
    "- (*Arxiv 2024.04*) Another title https://evil.example/x www.evil.example [[paper](https://arxiv.org/abs/2404.12253)]",
    # a wrong title: arxiv-title quotes it; a hostile tag, in a code span of the message
    "- (*ICML `[x](https://evil.example)` 2024*) ![img](https://evil.example/p.png) octo/repo#3 a5c3785ed8d6 support@evil.example [[paper](https://arxiv.org/abs/2401.01335)]",
    "* (ICML 2024) <a href='https://evil.example'>x</a> \u2066@admin\u2069 [paper](https://evil.example/paper.pdf)",
]


def test_every_comment_the_job_posts_is_inert(job_env) -> None:
    gh, _, settings = job_env
    head = open_pr(gh, 1, with_lines(HOSTILE_OLD, *HOSTILE_NEW))
    Connections(settings).review(
        job(1, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    repo = gh.repo(REPO)
    bodies = [c["body"] for c in repo.review_comments] + [r["body"] for r in repo.reviews]
    bodies += [c["body"] for c in repo.issue_comments]
    assert len(repo.review_comments) == 4 and len(repo.issue_comments) == 1
    # One arXiv id under two titles: the duplicate rule says which line links it wrong, quoting the
    # other entry's hostile title.
    duplicate = next(b for b in bodies if "arXiv id 2404.12253" in b)
    assert "re-authorize the bot here" in duplicate  # the other entry's title, quoted visibly
    ours = {"p", "code", "pre", "strong", "h3", "table", "thead", "tbody", "tr", "th", "td", "sub", "ul", "li",
            "blockquote", "details", "summary"}  # fmt: skip
    for body in bodies:
        assert_inert(body.replace("<!-- awesome-review:summary -->", ""), ours)
    annotations = [a["message"] for anns in repo.annotations.values() for a in anns]
    assert all(not any(c in m for c in BIDI_CHARS) for m in annotations)


# -- a line break inside a quoted line (issue 19, item 5) -------------------------------------------

# Every character str.splitlines breaks at that can sit inside one of git's lines ("\n" ends one).
BREAKS = ["\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
OURS = {"p", "code", "pre", "strong", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "sub", "ul", "li",
        "blockquote", "details", "summary"}  # fmt: skip


def _broken_line(br: str, n: int = 8) -> str:
    """An entry with a fix (doubled spaces), so its suggestion quotes the whole line, break included."""
    return (
        f"- (*Arxiv 2024.0{n}*)  Self-Play Fine-Tuning{br}[re-authorize](https://evil.example/login) "
        f"@octocat ![x](https://evil.example/p.png) <img src=x> [[paper](https://arxiv.org/abs/2408.0000{n})]"
    )


@pytest.mark.parametrize("br", BREAKS, ids=[f"U+{ord(b):04X}" for b in BREAKS])
def test_a_line_break_never_lets_a_quoted_line_out_of_its_block(br: str) -> None:
    """When GitHub refuses an anchor, the notes move into the summary, indented under a list item: a
    lone "\\r" (a line break to markdown) used to end the item and the suggestion's code block, and
    the rest of the contributor's line rendered as live markdown. Every break is indented alike."""
    from bot.core.config import config as config_mod
    from bot.core.verdict import pipeline
    from bot.core.verdict.review import FileReview, plan_review, with_rejected_section
    from tests.conftest import TODAY

    seed = "# A list\n\n## Related Works\n" + "".join(
        f"- (*Arxiv 2024.0{m}*) Title {m} [[paper](https://arxiv.org/abs/240{m}.0000{m})]\n"
        for m in range(1, 8)
    )
    text = seed + _broken_line(br) + "\n"
    added = frozenset({text.count("\n")})
    cfg = config_mod.loads("")
    found = pipeline.review_file(text.encode(), "README.md", cfg, added, today=TODAY)
    plan = plan_review("a" * 40, [FileReview("README.md", found.items, found.findings, added=added)], cfg)
    (comment,) = plan.comments
    assert "```suggestion" in comment.body and br in comment.body  # the suggestion quotes the line
    assert_inert(comment.body, OURS)  # as an inline comment
    assert_inert(with_rejected_section(plan.summary, plan.comments), OURS)  # moved into the summary


def test_notes_moved_into_the_summary_stay_inert_for_every_line_break(job_env) -> None:
    """The same on the local GitHub: one added line per line break, one anchor refused (422), every
    note goes into the summary the job posts, and cmark-gfm renders no link, image or HTML from it."""
    gh, _, settings = job_env
    text = with_lines(*(_broken_line(br, n) for n, br in enumerate(BREAKS, 1)))
    head = open_pr(gh, 1, text)
    gh.reject_anchor(REPO, 1, "README.md", text.split("\n").index(_broken_line(BREAKS[0], 1)) + 1)
    Connections(settings).review(
        job(1, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    repo = gh.repo(REPO)
    (summary,) = [c["body"] for c in repo.issue_comments]
    assert repo.review_comments == [] and "could not be attached to the diff" in summary
    assert summary.count("```suggestion") == len(BREAKS)
    assert_inert(summary.replace("<!-- awesome-review:summary -->", ""), OURS)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_record_text_written_into_a_list_is_inert(text: str) -> None:
    """What --fix and a suggestion write into the list from a record (bot.core.read.markup.literal)
    renders as no link, image or HTML, in a list item and in a table cell (issue 19, item 13)."""
    from bot.core.read.markup import literal

    one_line = " ".join(text.split())
    item = Rendered(f"- {literal(one_line)} [[paper](https://arxiv.org/abs/2401.01335)]")
    assert {t for t, _ in item.tags} <= {"ul", "li", "p", "em", "strong", "code", "del", "a"}, item.tags
    assert [a["href"] for t, a in item.tags if t == "a"] == ["https://arxiv.org/abs/2401.01335"]
    cell = Rendered(f"| Title | Paper |\n|---|---|\n| {literal(one_line)} | x |\n")
    assert len([t for t, _ in cell.tags if t == "td"]) == 2  # a pipe never splits the cell
    assert not {"a", "img"} & {t for t, _ in cell.tags}
