"""Fixes never lose content: a safe fix keeps every URL of the entry (as written or in its canonical
form), every field's words, and the kind of block it is. Checked by bot.core.read.keep on every fix,
and here, as a property, by `check --fix` over every corpus list and over generated lists, with
GitHub's own renderer (cmark-gfm) as the judge of what the file holds before and after."""

from __future__ import annotations

import html
import re
import tempfile
from collections import Counter
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.arxiv_id import parse_ref
from bot.core.read.keep import lost
from bot.core.read.labels import LABEL_WORDS
from tests.conftest import SHARED, run_rules
from tests.test_fix import run_check

# --------------------------------------------------------------------------- the check itself

ARXIV = "https://arxiv.org/abs/2401.01335"


@pytest.mark.parametrize(
    "old, new",
    [
        ("- (*ICML 2024*) T [paper](http://arxiv.org/pdf/2401.01335v2.pdf)", f"- (*ICML 24'*) T [[paper]({ARXIV})]"),
        ("- T [[paper](https://doi.org/10.48550/arXiv.2401.01335)]", f"- T [[paper]({ARXIV})]"),
        ("- T [[paper](https://huggingface.co/papers/2401.01335)]", f"- T [[paper]({ARXIV})]"),
        ("- T [[code](http://github.com/o/r/)]", "- T [[code](https://github.com/o/r)]"),
        (f"* T [paper]({ARXIV})", f"- [T]({ARXIV})"),  # the label's usual word goes with the link
        (f"- (*Arxiv 2024.12*) T [[paper]({ARXIV})]", f"- (*Arxiv 2024.01*) T [[paper]({ARXIV})]"),
        (f"- (*Arxiv 2024.01*) T [[paper]({ARXIV})]", f"- (*ICML 24'*) T [[paper]({ARXIV})]"),
        ("- T  A\n  *Ada, Alan*", "- T A\n  *Ada, Alan*"),
        (f"| **[T]({ARXIV})** | ICLR 2024 |", f"| **T** [[paper]({ARXIV})] | ICLR 2024 |"),
    ],
)  # fmt: skip
def test_a_fix_that_rewrites_markup_keeps_everything(old, new):
    assert lost(old, new) is None


@pytest.mark.parametrize(
    "old, new, why",
    [
        (f"| **[T]({ARXIV})** | ICLR 2024 | [code](https://github.com/o/r) |",
         "| **T** | ICLR 2024 | [[code](https://github.com/o/r)] |", f"drop the link {ARXIV}"),
        (f"| **T** | ICLR 2024 | [paper]({ARXIV}) |", f"1. **T.** ICLR 2024. [[paper]({ARXIV})]", "turn the table row into the list item"),
        (f"- **T.** ICLR 2024. [[paper]({ARXIV})]", f"| **T** | ICLR 2024 | [paper]({ARXIV}) |", "turn the list item into the table row"),
        (f"| T | ICLR 2024 | [paper]({ARXIV}) |", f"| T ICLR 2024 | [paper]({ARXIV}) |", "row's 3 cells into 2"),
        (f"- **T** *Ada Lovelace* (Google) [[paper]({ARXIV})]", f"- **T** *Ada Lovelace* [[paper]({ARXIV})]", "“google”"),
        (f"- T [[paper]({ARXIV})] [[code](https://github.com/o/r)]", f"- T [[paper]({ARXIV})]", "https://github.com/o/r"),
        (f"- (*NeurIPS 2024*) T [[paper]({ARXIV})]", f"- (*NeurIPS*) T [[paper]({ARXIV})]", "year 2024"),
        ("- Code: [MEDA](https://github.com/o/r)", "- [MEDA](https://github.com/o/r)", "“code”"),
        ("- Paper available [here](https://x.org/p)", "- [Paper available](https://x.org/p)", "“here”"),
        (f"- T [[paper]({ARXIV})]", "", "remove the entry"),
        # the same words, laid out otherwise by GitHub: authors indented past the item's text become a
        # code block once the spaces after `9.` go; tab-indented sub-items become siblings
        (f"9.   **T.** Preprint.\n\n       *Ada Lovelace*. [[pdf]({ARXIV})]",
         f"9. **T.** Preprint.\n\n       *Ada Lovelace*. [[pdf]({ARXIV})]", "1 code block"),
        ("- A survey\n\t- [T](https://x.org/a)\n\t- b", "- A survey\n - [T](https://x.org/a)\n - b", "2 lists into"),
    ],
)  # fmt: skip
def test_a_fix_that_drops_content_is_named(old, new, why):
    said = lost(old, new)
    assert said is not None and why in said, said


# --------------------------------------------------------------------------- the failures


BOLD_LINK_TABLE = """\
# Awesome Things

## Papers

- **Alpha Paper One** [[paper](https://arxiv.org/abs/2401.00001)]
- **Beta Paper Two** [[paper](https://arxiv.org/abs/2401.00002)]
- **Gamma Paper Three** [[paper](https://arxiv.org/abs/2401.00003)]
- **Delta Paper Four** [[paper](https://arxiv.org/abs/2401.00004)]
- **Epsilon Paper Five** [[paper](https://arxiv.org/abs/2401.00005)]
- **Zeta Paper Six** [[paper](https://arxiv.org/abs/2401.00006)]

## Benchmarks

| Title | Venue | Code |
|---|---|---|
| **[Bench One](https://arxiv.org/abs/2402.00001)** | ICLR 2024 | [code](https://github.com/a/b) |
| **[Bench Two](https://arxiv.org/abs/2402.00002)** | ICML 2024 | [code](https://github.com/a/c) |
| **[Bench Three](https://arxiv.org/abs/2402.00003)** | NeurIPS 2024 | [code](https://github.com/a/d) |
| **[Bench Four](https://arxiv.org/abs/2402.00004)** | ACL 2024 | [code](https://github.com/a/e) |
| **[Bench Five](https://arxiv.org/abs/2402.00005)** | EMNLP 2024 | [code](https://github.com/a/f) |
| **[Bench Six](https://arxiv.org/abs/2402.00006)** | CVPR 2024 | [code](https://github.com/a/g) |
"""

NUMBERED_WITH_A_BENCHMARK_TABLE = """\
# Awesome Things

## Papers

1. **Alpha Paper One.** ICLR 2024. [[paper](https://arxiv.org/abs/2401.00001)]
2. **Beta Paper Two.** ICML 2024. [[paper](https://arxiv.org/abs/2401.00002)]
3. **Gamma Paper Three.** NeurIPS 2023. [[paper](https://arxiv.org/abs/2401.00003)]
4. **Delta Paper Four.** ACL 2023. [[paper](https://arxiv.org/abs/2401.00004)]
5. **Epsilon Paper Five.** EMNLP 2023. [[paper](https://arxiv.org/abs/2401.00005)]
6. **Zeta Paper Six.** CVPR 2023. [[paper](https://arxiv.org/abs/2401.00006)]

### Benchmarks

| Benchmark | Venue | Paper |
|---|---|---|
| **MMLU** | ICLR 2021 | [paper](https://arxiv.org/pdf/2009.03300) |
| **GSM8K** | arXiv 2021 | [paper](https://arxiv.org/abs/2110.14168) |
"""


def test_a_table_whose_titles_are_bold_paper_links_keeps_every_url(tmp_path):
    """Six rows of `**[Title](url)**`: --fix with safe fixes only once stripped every paper URL."""
    (tmp_path / "README.md").write_text(BOLD_LINK_TABLE)
    run_check(tmp_path, "--fix", "--offline")
    assert (tmp_path / "README.md").read_text() == BOLD_LINK_TABLE  # it follows its own template


def test_a_benchmark_table_stays_a_table(tmp_path):
    """A table under a numbered list: --fix once rewrote its rows as numbered items."""
    (tmp_path / "README.md").write_text(NUMBERED_WITH_A_BENCHMARK_TABLE)
    run_check(tmp_path, "--fix", "--offline")
    got = (tmp_path / "README.md").read_text()
    assert got == NUMBERED_WITH_A_BENCHMARK_TABLE.replace(
        "arxiv.org/pdf/2009.03300", "arxiv.org/abs/2009.03300"
    )  # the pdf link to its abstract page, in its row


def test_a_title_link_moves_into_the_links_where_the_template_title_is_no_link():
    """An item whose title is the paper link, in a list that writes the title in bold and the paper
    link after it: the rewrite keeps the URL, as the list's paper link."""
    body = "\n".join(f"- **Paper {n}** [[paper](https://arxiv.org/abs/2401.0000{n})]" for n in range(1, 7))
    found = run_rules(body + "\n- [**A New Paper**](https://arxiv.org/abs/2412.00001)\n", checked={7})
    (f,) = [f for f in found if f.rule == "entry-syntax"]
    assert f.suggestion == "- **A New Paper** [[paper](https://arxiv.org/abs/2412.00001)]"
    assert f.severity == "error" and not f.unsafe


def test_an_entry_with_two_notes_is_not_rewritten_into_a_template_with_one():
    """render_line once kept the first note and dropped the second (or wrote one value in two
    slots); now a field with no slot of its own means no rewrite."""
    body = "\n".join(
        f"- [2024/0{n}] **Paper {n}.** *Ada Lovelace et al.* [[paper](https://arxiv.org/abs/2401.0000{n})]"
        for n in range(1, 7)
    )
    line = '- [2023/11] **"MAgIC: A Title."** *Lin Xu et al.* (NUS, ByteDance) arXiv. [[paper](https://arxiv.org/abs/2311.08562)]'
    found = run_rules(body + "\n" + line + "\n", checked={7})
    for f in found:
        assert f.suggestion is None or lost(line, f.suggestion) is None, f
        assert f.suggestion is None or "NUS, ByteDance" in f.suggestion


# --------------------------------------------------------------------------- the property


def _render(text: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


_HREF = re.compile(r'\b(?:href|src)="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+")
_CELLS = re.compile(r"(?<!\\)\|")


def _address(url: str) -> str:
    url = html.unescape(url)
    ref = parse_ref(url)
    if ref is not None and ref.valid:
        return f"arxiv:{ref.id}"
    return re.sub(r"^https?://(www\.)?", "", url, flags=re.I).rstrip("/")


def holds(text: str) -> tuple[Counter, Counter, Counter]:
    """What GitHub shows of a file: the addresses it links (an arXiv paper by its id), the words it
    shows (not the numbers, which a fix of a tag or a date rewrites), and its blocks: list items, and
    the table rows by their cells as written."""
    page = _render(text)
    urls = Counter(_address(u) for u in _HREF.findall(page))
    shown = html.unescape(_TAG.sub(" ", _HREF.sub(" ", page)))
    shown = re.sub(r"https?://\S+", " ", shown)
    words = Counter(w.casefold() for w in _WORD.findall(shown))
    rows = Counter(
        f"row of {len(_CELLS.split(ln.strip().strip('|')))}"
        for ln in text.split("\n")
        if ln.lstrip().startswith("|")
    )
    rows["items"] = page.count("<li>") + page.count("<li ")
    return urls, words, rows


def assert_kept(before: str, after: str, where: str) -> None:
    (u0, w0, b0), (u1, w1, b1) = holds(before), holds(after)
    assert not u0 - u1, f"{where}: links lost {sorted(u0 - u1)[:5]}"
    gone = [w for w in w0 - w1 if w not in LABEL_WORDS]  # `[paper](u)` may become the title's link
    assert not gone, f"{where}: words lost {gone[:10]}"
    assert b0 == b1, f"{where}: blocks {dict(b0 - b1)} became {dict(b1 - b0)}"


def _fixed(text: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "README.md"
        path.write_text(text)
        run_check(Path(tmp), "--fix", "--offline")
        return path.read_text()


CORPUS = sorted((SHARED / "corpus" / "lists").glob("*.md")) if (SHARED / "corpus").exists() else []


@pytest.mark.skipif(not CORPUS, reason=f"{SHARED}/corpus is absent (../shared is not beside the project)")
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem[:40] for p in CORPUS])
def test_fix_keeps_every_link_word_and_block_of_a_corpus_list(path):
    before = path.read_bytes().decode("utf-8", errors="replace").removeprefix("\ufeff")
    assert_kept(before, _fixed(before), path.name)


# Generated lists: entries in the formats lists use, each written with the slips contributors make.
TITLE = st.lists(
    st.sampled_from(
        [
            "Self",
            "Play",
            "Reward",
            "Models",
            "LLM",
            "Graph",
            "Vision",
            "Über",
            "GPT-4",
            "3D",
            "(Extended)",
            "A",
            "of",
        ]
    ),
    min_size=1,
    max_size=6,
).map(" ".join)
ID = st.integers(min_value=1, max_value=99).map(lambda n: f"24{n % 12 + 1:02d}.{10000 + n:05d}")
URL = st.one_of(
    ID.map(lambda i: f"https://arxiv.org/abs/{i}"),
    ID.map(lambda i: f"http://arxiv.org/pdf/{i}v2.pdf"),
    ID.map(lambda i: f"https://huggingface.co/papers/{i}"),
    st.sampled_from(["https://openreview.net/forum?id=x1", "http://proceedings.mlr.press/v1/a.html"]),
)
TAG = st.sampled_from(
    ["Arxiv 2024.12", "NeurIPS 24'", "NeurIPS 2024", "ICML 2023", "arXiv'25", "ICLR 2024 Oral", "2024/05"]
)
LINK = (
    st.tuples(st.sampled_from(["paper", "pdf", "code", "Project"]), URL)
    .map(lambda p: st.sampled_from([f"[[{p[0]}]({p[1]})]", f"[{p[0]}]({p[1]})", f"[[{p[0]}]]({p[1]})"]))
    .flatmap(lambda s: s)
)
NOISE = st.sampled_from(
    ["", "  ", "\t", " (Google)", " *Ada Lovelace, Alan Turing*", " <br>", " 🔥", " （x）"]
)


@st.composite
def an_entry(draw, kind: str) -> str:
    title, tag, links = draw(TITLE), draw(TAG), " ".join(draw(st.lists(LINK, min_size=0, max_size=3)))
    url = draw(URL)
    noise = draw(NOISE)
    if kind == "seed":
        marker = draw(st.sampled_from(["-", "*", "1."]))
        paren = draw(st.sampled_from(["(*{}*)", "({})", "(**{}**)", "[{}]"]))
        return f"{marker} {paren.format(tag)} {title}{noise} {links}".rstrip()
    if kind == "numbered":
        return f"1. **{title}.** {tag}.{noise} {links}".rstrip()
    if kind == "title-link":
        bold = draw(st.sampled_from(["[{}]({})", "**[{}]({})**", "[**{}**]({})"]))
        return f"- {bold.format(title, url)}{noise} {links}".rstrip()
    cell = draw(st.sampled_from(["**[{}]({})**", "[{}]({})", "**{}**"]))
    return f"| {cell.format(title, url)} | {tag}{noise} | {links} |"


@st.composite
def a_list(draw) -> str:
    kinds = draw(st.lists(st.sampled_from(["seed", "numbered", "title-link", "row"]), min_size=1, max_size=3))
    out = ["# A list", ""]
    for n, kind in enumerate(kinds):
        out += [f"## Section {n}", ""]
        if kind == "row":
            out += ["| Title | Venue | Links |", "|---|---|---|"]
        out += draw(st.lists(an_entry(kind), min_size=1, max_size=8))
        out.append("")
    return "\n".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a_list())
def test_fix_keeps_every_link_word_and_block_of_a_generated_list(text):
    assert_kept(text, _fixed(text), "generated list")
