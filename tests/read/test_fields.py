"""bot.core.read.fields: one entry line in any common format → its fields. A table of the forms the
README lists, read as real lists write them."""

from __future__ import annotations

import pytest

from bot.core.config import config as config_mod
from bot.core.read import document
from bot.core.read.fields import read_line
from bot.core.read.labels import is_paper_url
from bot.core.read.markup import fold
from bot.core.read.slots import Badge
from bot.core.read.tags import read_any
from bot.core.verdict import pipeline

U = "https://arxiv.org/abs/2401.01335"

# text after the item marker, title, tag words, date words, authors, link labels
LINES = [
    (
        f"(*NeurIPS 24'*) Self-Play Fine-Tuning [[paper]({U})]",
        "Self-Play Fine-Tuning",
        "NeurIPS 24'",
        "",
        "",
        ["paper"],
    ),
    (
        f"(*NeurIPS'23*) T [[paper]({U})][[code](https://github.com/o/r)]",
        "T",
        "NeurIPS'23",
        "",
        "",
        ["paper", "code"],
    ),
    (f"(*arXiv'25*) T [[paper]({U})]", "T", "arXiv'25", "", "", ["paper"]),
    (
        f"(*NeurIPS'24 – Datasets & Benchmarks*) T [[paper]({U})]",
        "T",
        "NeurIPS'24 – Datasets & Benchmarks",
        "",
        "",
        ["paper"],
    ),
    (
        f"[2023/05] **A Title.** *Ada Lovelace et al. arXiv.* [[paper]({U})]",
        "A Title",
        "",
        "2023/05",
        "Ada Lovelace et al. arXiv",
        ["paper"],
    ),
    (f"[2023-07] **A Title** [paper]({U})", "A Title", "", "2023-07", "", ["paper"]),
    (f"**[ICLR 2024]** A Title [[Paper]]({U})", "A Title", "ICLR 2024", "", "", ["Paper"]),
    (f"**A Title.** ACL 2023. [paper]({U})", "A Title", "ACL 2023", "", "", ["paper"]),
    (f"*A Title* *ICML, 2023* [paper]({U})", "A Title", "ICML, 2023", "", "", ["paper"]),
    (
        f'"A Title", CVPR, 2023 (*Google*). [[Paper]({U})][[Code](https://github.com/o/r)]',
        "A Title",
        "CVPR, 2023",
        "",
        "",
        ["Paper", "Code"],
    ),
    (
        f'**GSA-Net**: "A Title", arXiv, 2020 (*Google*). [[Paper]({U})]',
        "A Title",
        "arXiv, 2020",
        "",
        "",
        ["Paper"],
    ),
    (f"[A Title]({U}) (ACL 2023)", "A Title", "ACL 2023", "", "", []),
    (f"**[A Title.]({U})** [[code](https://github.com/o/r)]", "A Title", "", "", "", ["code"]),
    (
        f"[**A Title.**]({U}) _Ada Lovelace, Alan Turing._ Arxiv 2025.",
        "A Title",
        "Arxiv 2025",
        "",
        "Ada Lovelace, Alan Turing",
        [],
    ),
    ("**A Title** `preprint`", "A Title", "preprint", "", "", []),
    (
        f"A Title [[📝 Paper]({U})] [[💻 Code](https://github.com/o/r)]",
        "A Title",
        "",
        "",
        "",
        ["📝 Paper", "💻 Code"],
    ),
    (f"A Title [Paper]({U}) | [Code](https://github.com/o/r)", "A Title", "", "", "", ["Paper", "Code"]),
    (f"Paper: [A Title]({U}) (CVPR 2026)", "A Title", "CVPR 2026", "", "", []),
    (
        "(*bioRxiv 2024.03*) T [[paper](https://www.biorxiv.org/content/10.1101/x)]",
        "T",
        "bioRxiv 2024.03",
        "",
        "",
        ["paper"],
    ),
    ("A Title ![](https://img.shields.io/badge/NeurIPS-2024-blue)", "A Title", "", "", "", []),
]


@pytest.mark.parametrize(
    "text, title, tag, date, authors, labels", LINES, ids=[f"l{i}" for i in range(len(LINES))]
)
def test_fields_are_read_whatever_the_format(text, title, tag, date, authors, labels):
    line = read_line(text)
    got = {s.role: s.value for s in reversed(line.slots)}
    assert got.get("title") == title, line.slots
    assert got.get("tag", "") == tag, line.slots
    assert got.get("date", "") == date, line.slots
    assert got.get("authors", "") == authors, line.slots
    assert [k.label for k in line.links if k.style != "title"] == labels
    if U in text:
        assert any(k.url == U for k in line.links)


def test_a_link_text_may_hold_balanced_brackets_as_commonmark_reads_it():
    line = read_line(
        f"ReGAN - [ReGAN: RE[LAX|BAR|INFORCE] based Sequence Generation]({U}) ([github](https://github.com/o/r))"
    )
    assert (line.links[0].url, line.links[0].style) == (U, "title")
    assert line.first("title").value == "ReGAN: RE[LAX|BAR|INFORCE] based Sequence Generation"


def test_a_bare_url_is_a_link():
    line = read_line(U)
    assert [(k.url, k.style) for k in line.links] == [(U, "{url}")]


def test_a_shields_badge_says_its_words():
    (b,) = read_line("T ![](https://img.shields.io/badge/ICML2023--Oral-orange)").badges
    assert isinstance(b, Badge) and b.words == "ICML2023-Oral"
    assert read_any(b.words)[0].venue == "ICML"


@pytest.mark.parametrize(
    "url",
    [
        "https://openreview.net/forum?id=x",
        "https://aclanthology.org/2023.acl-long.1/",
        "https://proceedings.neurips.cc/paper/2023/hash/x.html",
        "https://papers.nips.cc/paper/x",
        "https://openaccess.thecvf.com/content/x.html",
        "https://dl.acm.org/doi/10.1145/x",
        "https://ieeexplore.ieee.org/document/1",
        "https://doi.org/10.1000/x",
        "https://huggingface.co/papers/2401.01335",
        "https://www.semanticscholar.org/paper/x",
        "https://arxiv.org/abs/2401.01335",
    ],
)
def test_paper_hosts_besides_arxiv_are_paper_links(url):
    assert is_paper_url(url)
    assert not is_paper_url("https://github.com/o/r") and not is_paper_url("https://huggingface.co/o/m")


def test_lookalikes_fold_to_what_they_look_like_column_for_column():
    raw = "（*NeurIPS 24'*） T [[paper\u202f](u)]"
    assert fold(raw) == "(*NeurIPS 24'*) T [[paper ](u)]" and len(fold(raw)) == len(raw)


ZERO = config_mod.loads("")
ENTRY = f"(*Arxiv 2024.01*) A Paper [[paper]({U})]"


@pytest.mark.parametrize("marker", ["-", "*", "+", "1.", "1)"])
def test_every_item_marker_holds_entries(marker):
    rows = [f"{marker.replace('1', str(i + 1))} {ENTRY.replace('A Paper', f'Paper {i}')}" for i in range(6)]
    doc = pipeline.prepare("# L\n\n## Papers\n" + "\n".join(rows) + "\n", ZERO)
    assert pipeline.coverage(doc) == (6, 6)


def test_metadata_lines_group_headings_tocs_and_br_are_read_for_what_they_are():
    text = f"""# L

- [Papers](#papers)

## Papers

* General:
    * {ENTRY}
      continued on a lazy line<br>
    * {ENTRY.replace("A Paper", "Another")}
      - Ada Lovelace, Alan Turing
      - Code: [Official](https://github.com/o/r)
"""
    parsed = document.parse(text)
    doc = document.read(
        parsed, __import__("bot.core.read.grammar", fromlist=["Grammar"]).Grammar.from_config({}), ["*"]
    )
    lines = [i.line for i in doc.items]
    assert lines == [8, 10]  # the TOC item and the group heading `* General:` are no entries
    first, second = doc.items
    assert first.end == 9 and second.end == 12  # a lazy line and sub-items belong to their entry
    assert [k.label for k in second.entry.links] == ["paper", "Official"]
    assert second.entry.authors == "" and "Alan Turing" in second.text
