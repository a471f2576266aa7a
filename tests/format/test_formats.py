"""Every list in its own format: a table per format family, and lists generated in any supported
format, from which the format must be learnt back and then hold every entry, and in which one
defect per rule must be found on its line."""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.config import config as config_mod
from bot.core.format.infer import infer
from bot.core.read import document
from bot.core.read.templates import Template
from bot.core.verdict import judge, pipeline
from tests.conftest import TODAY

ZERO = config_mod.loads("")


def findings(text: str, added: set[int] | None = None) -> list:
    """`check` with no config: the format learnt from the list before the change."""
    checked = frozenset(added) if added else None
    base = pipeline.without(text, checked) if checked else None
    doc = pipeline.prepare(text, ZERO, base=base)
    return judge.judge(doc, doc.config, "README.md", checked=checked, today=TODAY)


def errors(found: list) -> list:
    return [f for f in found if f.severity == "error"]


def learnt(text: str):
    return infer(document.parse(text))


# --------------------------------------------------------------------------- families from real lists

TITLES = [
    "Self-Rewarding Language Models",
    "Self-Taught Evaluators",
    "Meta-Rewarding Language Models",
    "Toward Self-Improvement of LLMs via Imagination",
    "Adversarial Preference Optimization",
    "Direct Preference Optimization",
    "Constitutional AI: Harmlessness from AI Feedback",
    "Training Language Models to Follow Instructions",
]
IDS = [
    "2401.10020",
    "2408.02666",
    "2407.19594",
    "2404.12253",
    "2311.08045",
    "2305.18290",
    "2212.08073",
    "2203.02155",
]


def family(line) -> str:
    rows = [line(i, t, a) for i, (t, a) in enumerate(zip(TITLES, IDS, strict=True))]
    return "# A list\n\n## Papers\n\n" + "\n".join(rows) + "\n\n## Contributing\n\nOpen a pull request.\n"


FAMILIES = {
    "seed": (
        lambda i, t, a: f"- (*Arxiv 20{a[:2]}.{a[2:4]}*) {t} [[paper](https://arxiv.org/abs/{a})]",
        "- (*{tag}*) {title} {links}",
    ),
    "numbered-bold-venue-after": (
        lambda i, t, a: f"{i + 1}. **{t}.** ICLR 20{a[:2]}. [paper](https://arxiv.org/abs/{a})",
        "1. **{title}.** {tag}. {links}",
    ),
    "title-link-authors-below": (
        lambda i, t, a: f"- [{t}](https://arxiv.org/abs/{a})\n  - Ada Lovelace, Alan Turing",
        "- [{title}]({paper})",
    ),
    "date-bold-authors": (
        lambda i, t, a: (
            f"- [20{a[:2]}/{a[2:4]}] **{t}.** *Ada Lovelace et al. arXiv.* [[paper](https://arxiv.org/abs/{a})]"
        ),
        "- [{date}] **{title}.** *{authors}* {links}",
    ),
    "name-quoted-title": (
        lambda i, t, a: (
            f'* **M{i}**: "{t}", NeurIPS, 20{a[:2]} (*MIT*). [[Paper](https://arxiv.org/abs/{a})]'
        ),
        '* **{name}**: "{title}", {tag} (*{note}*). {links}',
    ),
    "bold-title-hard-break-details": (
        lambda i, t, a: (
            f"- **{t}**  \n  *Ada Lovelace*. [[pdf](https://arxiv.org/abs/{a})], 20{a[:2]}.{a[2:4]}."
        ),
        "- **{title}**",
    ),
    "star-bullets-emoji-labels": (
        lambda i, t, a: (
            f"* (*ICML'{a[:2]}*) {t} [[📝 Paper](https://arxiv.org/abs/{a})] ![stars](https://img.shields.io/github/stars/o/r{i})"
        ),
        "* (*{tag}*) {title} {links} {badges}",
    ),
    "table": (
        lambda i, t, a: f"| {t} | ICML 20{a[:2]} | [paper](https://arxiv.org/abs/{a}) |",
        None,
    ),
}


def with_header(name: str, text: str) -> str:
    if name == "table":
        return text.replace("## Papers\n\n", "## Papers\n\n| Title | Venue | Paper |\n|---|---|---|\n")
    return text


@pytest.mark.parametrize("name", FAMILIES)
def test_each_family_is_learnt_and_every_entry_follows_it(name):
    line, template = FAMILIES[name]
    text = with_header(name, family(line))
    found = learnt(text)
    if template is not None:
        assert Template.parse(found.grammar["entry"][0]).key == Template.parse(template).key, found.grammar[
            "entry"
        ]
    doc = pipeline.prepare(text, ZERO)
    items, ok = pipeline.coverage(doc)
    assert items == len(TITLES) and ok == items
    assert errors(findings(text)) == []
    assert found.sections == ["Papers"]


@pytest.mark.parametrize("name", FAMILIES)
def test_each_family_finds_a_pdf_link_and_a_duplicate_added_to_it(name):
    line, _ = FAMILIES[name]
    text = with_header(name, family(line))
    rows = text.split("\n")
    at = rows.index(next(r for r in rows if "2401.10020" in r))
    bad = line(0, "A Paper Added Twice", IDS[3]).replace(IDS[3], IDS[3] + "v2").replace("/abs/", "/pdf/")
    new = rows[:at] + bad.split("\n") + rows[at:]
    added = set(range(at + 1, at + 1 + len(bad.split("\n"))))
    got = findings("\n".join(new), added)
    rules = {(f.rule, f.line) for f in got}
    assert ("arxiv-link", at + 1) in rules, got
    assert ("duplicate", at + 1) in rules, got
    assert not [f for f in got if f.rule == "entry-syntax"], got  # written in the list's own format


def test_a_hard_wrapped_entry_is_one_entry_split_over_two_lines():
    line, _ = FAMILIES["seed"]
    text = family(line)
    rows = text.split("\n")
    wrapped = [
        "- (*Arxiv 2024.12*) A Paper Written",
        "  Over Two Lines [[paper](https://arxiv.org/abs/2412.00001)]",
    ]
    new = "\n".join(rows[:4] + wrapped + rows[4:])
    (f,) = [f for f in findings(new, {5, 6}) if f.rule == "entry-syntax"]
    assert "split over 2 lines" in f.message and f.line == 5 and f.end_line == 6
    assert (
        f.suggestion
        == "- (*Arxiv 2024.12*) A Paper Written Over Two Lines [[paper](https://arxiv.org/abs/2412.00001)]"
    )


def test_the_fix_is_written_in_the_lists_own_format():
    line, _ = FAMILIES["numbered-bold-venue-after"]
    text = family(line)
    rows = text.split("\n")
    bad = "9. *A New Paper.* ICLR 2024. [paper](https://arxiv.org/abs/2402.00001)"  # italics, not bold
    new = "\n".join([*rows[:4], bad, *rows[4:]])
    (f,) = [f for f in findings(new, {5}) if f.rule == "entry-syntax"]
    assert "in bold" in f.message, f.message
    assert f.suggestion == "9. **A New Paper.** ICLR 2024. [paper](https://arxiv.org/abs/2402.00001)"


def test_lookalike_characters_are_read_as_they_look_and_get_a_notice():
    line, _ = FAMILIES["seed"]
    rows = family(line).split("\n")
    bad = "- (*NeurIPS’24*) A New Paper [[paper\u202f](https://arxiv.org/abs/2402.00001)]"
    new = "\n".join([*rows[:4], bad, *rows[4:]])
    got = findings(new, {5})
    assert [f.rule for f in got if f.rule in ("links", "entry-syntax")] == []  # never a wrong label
    (f,) = [f for f in got if f.rule == "lookalike"]
    assert f.severity == "notice" and "U+202F" in f.message and "curly quote" in f.message


@pytest.mark.parametrize(
    "url",
    ["#", "link-to-paper", "url", "https://link", "TODO", ""],
    ids=["hash", "word", "url", "host", "todo", "empty"],
)
def test_placeholder_links_are_flagged(url):
    line, _ = FAMILIES["seed"]
    rows = family(line).split("\n")
    bad = f"- (*Arxiv 2024.12*) A New Paper [[paper]({url})]"
    new = "\n".join([*rows[:4], bad, *rows[4:]])
    got = [f for f in findings(new, {5}) if f.rule == "links"]
    assert got and any(w in got[0].message for w in ("placeholder", "not a web address", "empty")), got


def test_sections_inside_details_are_read():
    text = (
        "# L\n\n## Papers\n\n<details><summary>2024</summary>\n\n"
        + "\n".join(FAMILIES["seed"][0](i, t, a) for i, (t, a) in enumerate(zip(TITLES, IDS, strict=True)))
        + "\n\n</details>\n"
    )
    doc = pipeline.prepare(text, ZERO)
    assert pipeline.coverage(doc) == (8, 8)
    assert {i.section for i in doc.items} == {"2024"}


def test_a_list_cross_listing_papers_is_learnt_as_such():
    line, _ = FAMILIES["seed"]
    one = "\n".join(line(i, t, a) for i, (t, a) in enumerate(zip(TITLES, IDS, strict=True)))
    text = f"# L\n\n## A\n{one}\n\n## B\n{one}\n"
    assert learnt(text).duplicate_scope == "section"
    assert [f for f in findings(text) if f.rule == "duplicate"] == []


# --------------------------------------------------------------------------- generated lists

WORDS = [
    "Self",
    "Play",
    "Reward",
    "Model",
    "Language",
    "Alignment",
    "Preference",
    "Reasoning",
    "Game",
    "Judge",
]
TAGS = {
    "(*{}*)": "leading",
    "[{}]": "leading",
    "**[{}]**": "leading",
    "{}.": "trailing",
    "({})": "trailing",
}
TITLE_FORMS = ["{}", "**{}**", '"{}"', "[{}]({u})", "**[{}]({u})**"]
LINK_FORMS = ["[[paper]({u})]", "[paper]({u})", "[[paper]]({u})"]
VENUE_STYLES = ["{v} {yy}'", "{v}'{yy}", "{v} {yyyy}"]


@st.composite
def lists(draw):
    rng = random.Random(draw(st.integers(0, 10_000)))
    marker = draw(st.sampled_from(["-", "*", "1."]))
    tag_form = draw(st.sampled_from([*TAGS, None]))
    title_form = draw(st.sampled_from(TITLE_FORMS))
    link_form = draw(st.sampled_from(LINK_FORMS))
    venue_style = draw(st.sampled_from(VENUE_STYLES))
    authors = draw(st.booleans())
    n = draw(st.integers(6, 20))
    rows, months = (
        [],
        sorted({(rng.randint(2019, 2025), rng.randint(1, 12)) for _ in range(n * 2)}, reverse=True),
    )
    for i, (y, m) in enumerate(months[:n]):
        aid = f"{y % 100:02d}{m:02d}.{10000 + i:05d}"
        u = f"https://arxiv.org/abs/{aid}"
        title = (
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 6)))
            + f" {string.ascii_uppercase[i % 26]}{i}"
        )
        tag = venue_style.format(v=rng.choice(["ICML", "ICLR", "ACL"]), yy=f"{y % 100:02d}", yyyy=y)
        head = title_form.format(title, u=u)
        link = "" if "{u}" in title_form else " " + link_form.format(u=u)
        if tag_form and TAGS[tag_form] == "leading":
            body = f"{tag_form.format(tag)} {head}{link}"
        elif tag_form:
            body = f"{head} {tag_form.format(tag)}{link}"
        else:
            body = f"{head}{link}"
        mk = f"{i + 1}." if marker == "1." else marker
        rows.append(f"{mk} {body}" + ("\n  *Ada Lovelace, Alan Turing*" if authors else ""))
    text = "# Generated\n\n## Papers\n\n" + "\n".join(rows) + "\n\n## Contributing\n\nSend a PR.\n"
    return text, n


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lists())
def test_a_list_in_any_supported_format_is_learnt_and_holds_every_entry(case):
    text, n = case
    doc = pipeline.prepare(text, ZERO)
    assert pipeline.coverage(doc) == (n, n), learnt(text).grammar["entry"]
    # One format generated, one learnt back: a single shape (in one or more bullet spellings).
    assert len({Template.parse(t).key for t in learnt(text).grammar["entry"]}) == 1
    assert errors(findings(text)) == [], [f.message for f in errors(findings(text))][:3]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lists(), st.sampled_from(["pdf", "duplicate", "section", "syntax"]))
def test_one_defect_in_a_generated_list_is_found_on_its_line(case, defect):
    text, _ = case
    rows = text.split("\n")
    first = next(i for i, r in enumerate(rows) if "arxiv.org/abs/" in r)
    entry = rows[first]
    if defect == "pdf":
        bad, rule = re.sub(r"arxiv\.org/abs/([\d.]+)", r"arxiv.org/pdf/\1v2", entry), "arxiv-link"
        at = first
    elif defect == "duplicate":
        bad, rule, at = entry, "duplicate", first + (2 if rows[first + 1].startswith("  *") else 1)
    elif defect == "section":
        bad, rule, at = entry, "section", rows.index("Send a PR.") + 1
    else:  # the paper link written as bare text in a list whose links are markup
        bad, rule, at = entry.replace("https://", "(https://").replace(")", ")", 1), "entry-syntax", first
        bad = _strip_markup(entry)
        if bad is None:
            return
    new = [*rows[:at], bad, *rows[at:]]
    got = findings("\n".join(new), {at + 1})
    assert (rule, at + 1) in {(f.rule, f.line) for f in got}, (
        bad,
        [(f.rule, f.line, f.message) for f in got],
    )


def _strip_markup(entry: str) -> str | None:
    """The entry with its title's markup dropped: a shape the list does not use."""
    for mark in ("**", '"'):
        head, sep, rest = entry.partition(mark)
        if sep and mark in rest:
            inner, _, tail = rest.partition(mark)
            if "](" not in inner:
                return head + inner + tail
    return None
