"""Broken markdown is what renders wrong on GitHub (bot.core.read.render, with cmark-gfm), judged
against how the list's accepted entries render (bot.core.rules.entry_syntax): brackets a list shows on
purpose are no defect; a bracket never closed, a link that shows its `](`, an unclosed `**` are."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.read.render import ANGLE, BOLD, CLOSE, LINK, OPEN, TANGLED, residues, shown
from tests.conftest import run_rules

U = "https://arxiv.org/abs/2401.01335"

RENDER_AS_WRITTEN = [
    f"(*Arxiv 2024.11*) Title [[paper]({U})] [[code](https://github.com/o/r)]",
    f"[2024/05/20] **Title** | [[paper]]({U}) | [code]",  # AGI-Edgerunners' rows: `[[paper]](url)`
    f"[[CVPR]({U})] PointNet: Deep Learning on Point Sets. [[tensorflow](https://github.com/o/r)] [__`cls.`__]",
    "[**Name**] A Title, ICLR 2024.",
    f"[Title]({U}) <br> *Ada Lovelace* <ins>ICLR, 2024</ins>",
    f"| [//]: # (2024.05) [Title]({U}) | [<sub>code</sub>](https://github.com/o/r) |",
    "Why 1 + 1 < 1 in Visual Token Pruning, <1 ms",  # a less-than sign, no tag
    f"[MaskGAN: Filling in the ______ ]({U})",  # a blank, no bold
    "**A Title.** ICLR 2024. `[not a link](x)`",  # code shows as written
    f"A Title &lt;x&gt; &#91;sic&#93; [paper]({U})",  # entities show what they stand for
    f"A Title [Re] Reproduced [paper]({U})",
]


@pytest.mark.parametrize("line", RENDER_AS_WRITTEN)
def test_brackets_and_tags_that_render_as_written_leave_no_mark(line):
    assert shown(line) == frozenset() and residues([line]) == [frozenset()]


RENDER_WRONG = [
    (f"(*Arxiv 2024.12*) A New Paper [[paper]({U})", {OPEN}),
    (f"Title [[Paper]({U})] [Project](https://x.org/p)]", {CLOSE}),
    (f"Title [[pdf]] ({U})", {LINK}),  # a space between `]` and `(`: no link
    ("Title [[paper](Title of the paper)]", {LINK}),  # a URL with spaces: no link
    (f"**A Title. ICLR 2024. [paper]({U})", {BOLD}),
    ("A Title <img src=https://img.shields.io/x.svg?style=social > [code](https://github.com/o/r)", {ANGLE}),
    ("formatting (<thinktags, boxed answers)", {ANGLE}),
    # a link pasted into another's URL: it renders as one link to a URL that is no address
    ("[LLM4Opt]([https://github.com/a/llm-course](https://github.com/b/LLM4Opt)) - Applying LLMs", {TANGLED}),
    ("Welcome to the Big Model Era [Link]((https://icml.cc/virtual/2022/tutorial/18440))", {TANGLED}),
]


@pytest.mark.parametrize("line, marks", RENDER_WRONG)
def test_markup_github_shows_as_text_is_marked(line, marks):
    assert shown(line) == marks and residues([line]) == [marks]


PIECES = ["[", "]", "(", ")", "](", "] (", "**", "*", "__", "_", "<", ">", "<br>", "`", "``", "\\", "&lt;",
          "&amp;", "x", " ", "Title", "https://a.b", "www.a.b", "![", "<a href='x'>", "</a>", "~~", ":", "|",
          "***", "[paper](https://a.b)", "[[code](https://c.d)]"]  # fmt: skip
LINE = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=20))
def test_the_shortcut_never_skips_a_line_cmark_would_mark(lines):
    """residues() renders only the lines a cheap test cannot clear, in one batch: it must answer as
    rendering each line on its own does."""
    assert residues(lines) == [shown(line) for line in lines]


# --------------------------------------------------------------------------- against the accepted entries


def _syntax(found):
    return [f for f in found if f.rule == "entry-syntax"]


AGI = "\n".join(
    f"- [2024/0{n}/1{n}] **Agent Paper {n}** | [[paper]](https://arxiv.org/abs/2401.0000{n}) | [code]"
    for n in range(1, 8)
)
POINT_CLOUD = "\n".join(  # Yochengliu/awesome-point-cloud-analysis: a venue link, then a task in brackets
    f"- [[CVPR](https://openaccess.thecvf.com/p{n}.pdf)] Point Paper {n}. [[code](https://github.com/o/r{n})]"
    f" [__`{'cls.' if n % 2 else 'seg.'}`__] :star:"
    for n in range(1, 8)
)


@pytest.mark.parametrize("body", [AGI, POINT_CLOUD], ids=["[[paper]](url)", "[[CVPR](url)] Title"])
def test_a_list_whose_brackets_render_as_written_gets_no_bracket_finding(body):
    assert _syntax(run_rules(body + "\n")) == []


SEED = "\n".join(
    f"- (*Arxiv 2024.0{n}*) Seed Paper {n} [[paper](https://arxiv.org/abs/2401.0000{n})]" for n in range(1, 8)
)


def test_a_bracket_never_closed_is_a_warning_without_a_suggestion():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)"
    (f,) = _syntax(run_rules(SEED + "\n" + line + "\n", checked={8}))
    assert f.severity == "warning" and f.suggestion is None
    assert "GitHub shows a stray `[`" in f.message


def test_a_link_that_shows_its_brackets_is_reported_unless_the_list_writes_it_so():
    line = "- (*Arxiv 2024.12*) A New Paper [[paper]] (https://arxiv.org/abs/2412.00001)"
    (f,) = _syntax(run_rules(SEED + "\n" + line + "\n", checked={8}))
    assert "a link does not render" in f.message.casefold()
    # A list whose accepted entries all write `[[paper]] (url)`: that is how it renders, on purpose.
    spaced = "\n".join(
        f"- (*Arxiv 2024.0{n}*) Spaced Paper {n} [[paper]] (https://arxiv.org/abs/2401.0000{n})"
        for n in range(1, 8)
    )
    assert not [
        f for f in _syntax(run_rules(spaced + "\n" + line + "\n", checked={8})) if "render" in f.message
    ]


def test_a_rewrite_that_would_leave_a_stray_bracket_is_no_suggestion():
    """The syntax repair reads `[` as part of the title; the rewrite would still show it: none."""
    line = "- (Arxiv 2024.12) A New Paper [[paper](https://arxiv.org/abs/2412.00001)"
    for f in run_rules(SEED + "\n" + line + "\n", checked={8}):
        assert f.suggestion is None or shown(f.suggestion[2:]) == frozenset(), f
