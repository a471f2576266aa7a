"""The core never raises on any text a contributor can write, and never backtracks badly."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core import diff
from bot.core.arxiv_id import find_ids, parse_ref
from bot.core.config import config as config_mod
from bot.core.format import syntax
from bot.core.read import document, fields
from bot.core.read.tags import read_any
from bot.core.verdict import judge, pipeline
from tests.conftest import TODAY

CFG = config_mod.loads("")
SEED_STYLE = "## Related Works\n- (*Arxiv 2024.11*) A [[paper](https://arxiv.org/abs/2411.00418)]\n"


def judged(text: str, sections: str = "") -> list:
    doc = pipeline.prepare(text, config_mod.loads(sections), bad_bytes=document.replaced_lines(text))
    return judge.judge(doc, doc.config, "README.md", today=TODAY)


PIECES = [
    "- ",
    "* ",
    "(*",
    "*)",
    "[[",
    "]]",
    "](",
    ")",
    "(",
    "[",
    "]",
    "Arxiv 2024.11",
    "NeurIPS 24'",
    " ",
    "  ",
    "\t",
    "https://arxiv.org/abs/2401.01335",
    "arXiv:",
    "v2",
    ".pdf",
    "paper",
    "code",
    "#",
    "## Related Works",
    "```",
    "\r",
    "\ufeff",
    "（",
    "）",
    "\u0000",
    "é",
    "$^2$",
    "<!--",
    "-->",
    "@",
    "\\",
]
line_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=25).map("".join)
PROFILE = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(line_text)
def test_entry_reader_and_diagnosis_never_raise(text):
    text = text.replace("\n", " ")
    fields.read_line(text)
    doc = pipeline.prepare(SEED_STYLE + "- " + text + "\n", CFG, base=SEED_STYLE)
    for item in doc.items:
        if item.entry is not None and item.in_scope:
            found = syntax.problems(item.entry, doc.grammar)
            assert all(isinstance(p, syntax.Problem) and p.message for p in found)
            if item.fixed is not None:
                assert "\n" not in item.fixed


@PROFILE
@given(st.lists(line_text, max_size=30))
def test_documents_and_rules_never_raise(lines):
    text = "\n".join(["## Related Works", *lines])
    for f in judged(text):
        assert f.severity in ("error", "warning", "notice") and f.line >= 1


@PROFILE
@given(st.binary(max_size=400))
def test_any_bytes_decode_and_judge(data):
    text, _ = document.decode(data)
    judged(text, "sections: ['*']")


diff_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "--- a/README.md",
                "+++ b/README.md",
                "@@ -1,2 +1,3 @@",
                "@@ -0,0 +1 @@",
                "+x",
                "-y",
                " z",
                "\\ No newline at end of file",
                "diff --git a/README.md b/README.md",
                "@@",
            ]
        ),
        line_text,
    ),
    max_size=20,
).map("\n".join)


@PROFILE
@given(diff_text)
def test_diff_parser_raises_only_diff_error(text):
    try:
        lines = diff.added_lines(text, "README.md")
    except diff.DiffError as exc:
        assert str(exc)
    else:
        assert all(n >= 1 for n in lines)


@PROFILE
@given(line_text)
def test_arxiv_extraction_never_raises(text):
    ref = parse_ref(text)
    assert ref is None or ref.id
    find_ids(text)
    read_any(text)


yaml_text = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.text(max_size=10),
        st.sampled_from(["off", "error", "rules"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(
                ["rules", "grammar", "arxiv-title", "severity", "files", "sections", "order", "labels", "x"]
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=10,
)


@PROFILE
@given(yaml_text)
def test_config_loader_raises_only_config_error(value):
    import yaml

    try:
        config_mod.loads(yaml.safe_dump(value))
    except config_mod.ConfigError as exc:
        assert str(exc).startswith("config.yml")


@pytest.mark.timeout(10)
@pytest.mark.parametrize(
    "hostile",
    [
        "[[" * 50_000,
        "(" * 100_000,
        "- (*" + "[[paper](" * 12_000,
        "- (*Arxiv 2024.11*) " + "a [[b](c) " * 10_000,
        "- " + "(*" * 50_000,
        "- (*Arxiv 2024.11*) T " + "[[paper](https://x.org)]" * 4_000 + "!",
    ],
)
def test_hostile_long_lines_are_judged_quickly(hostile):
    """Guarded by a timeout, not timed: a backtracking regex would take minutes here."""
    line = hostile if hostile.startswith("- ") else "- " + hostile
    text = "## Related Works\n" + line + "\n"
    findings = judged(text, "sections: [Related Works]")
    assert findings and findings[0].line == 2
