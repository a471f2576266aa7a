"""Lines are what git says they are: the diff parser, the large-diff fallback, the document reader and
the review job agree on line numbers whatever characters a line holds (issue 10, item 1)."""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.github import ClientOptions, GitHubAdapter
from bot.core import diff
from bot.core.config import config as config_mod
from bot.core.lines import split_lines
from bot.core.read import document
from bot.core.read.grammar import Grammar
from bot.service.connections import Connections
from tests.fakes.scenario import BAD, GOOD, REPO, job, open_pr, with_lines

# Every character str.splitlines breaks at, besides "\n"; git breaks at none of them.
SEPARATORS = ["\u2028", "\u2029", "\u0085", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\r"]
CFG = config_mod.loads("")
G = Grammar.from_config(CFG["grammar"])


def git_patch(old: str, new: str) -> str:
    """The hunks of a PR file's `patch`, with lines cut where git cuts them: at "\\n"."""
    a, b = old.removesuffix("\n").split("\n"), new.removesuffix("\n").split("\n")
    return "\n".join(list(difflib.unified_diff(a, b, lineterm="", n=3))[2:])


@pytest.mark.parametrize("sep", SEPARATORS)
def test_only_a_newline_ends_a_line(sep: str) -> None:
    assert split_lines(f"a{sep}b\nc\n") == [f"a{sep}b", "c"]
    assert split_lines(f"a{sep}b\nc", keepends=True) == [f"a{sep}b\n", "c"]


def test_crlf_endings_and_the_final_newline() -> None:
    assert split_lines("a\r\nb\r\n") == ["a", "b"]
    assert split_lines("a\r\nb\r\n", keepends=True) == ["a\r\n", "b\r\n"]
    assert split_lines("") == [] and split_lines("\n") == [""] and split_lines("a\n\n") == ["a", ""]


exotic_line = st.lists(
    st.one_of(
        st.sampled_from(SEPARATORS), st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=6)
    ),
    max_size=6,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    old=st.lists(exotic_line, min_size=1, max_size=12),
    added=st.lists(exotic_line, min_size=1, max_size=6),
    at=st.integers(min_value=0),
)
def test_diff_fallback_and_document_agree_on_the_added_lines(old, added, at):
    at %= len(old) + 1
    old = [f"{n} {line}" for n, line in enumerate(old)]  # distinct lines: one right answer
    added = [f"+{n} {line}" for n, line in enumerate(added)]
    new = old[:at] + added + old[at:]
    old_text, new_text = "".join(x + "\n" for x in old), "".join(x + "\n" for x in new)
    want = frozenset(range(at + 1, at + 1 + len(added)))
    assert diff.patch_added_lines(git_patch(old_text, new_text)) == want
    assert diff.added_between(old_text, new_text) == want
    doc = document.read(new_text, G, ["*"])
    assert [doc.lines[n - 1] for n in sorted(want)] == [x.removesuffix("\r") for x in added]  # CRLF


TITLE_WITH = "- (*Arxiv 2024.11*) Self-Generated Critiques Boost Reward{sep}Modeling for Language Models [[paper](https://arxiv.org/abs/2411.16646)]"


@pytest.mark.parametrize("sep", ["\u2028 ", "\u0085 ", "\x0c", "\x1e", "\r"])
def test_a_pr_whose_good_entry_holds_a_line_separator_still_gets_its_bad_entry_judged(job_env, sep):
    """Was: U+2028 shifted the diff's line numbers past the bad entry (`review: passed`); "\\x0c" made
    the patch unreadable (DiffError), so the job failed three times and posted nothing."""
    gh, _, settings = job_env
    head_text = with_lines(TITLE_WITH.format(sep=sep), BAD)
    bad_line = head_text.split("\n").index(BAD) + 1
    head = open_pr(gh, 1, head_text)
    Connections(settings).review(
        job(1, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    (review,) = gh.repo(REPO).reviews
    assert review["state"] == "CHANGES_REQUESTED"
    assert bad_line in {c["line"] for c in gh.repo(REPO).review_comments}
    assert "review: needs changes" in gh.labels_of(REPO, 1)


def test_a_good_entry_with_a_separator_and_a_good_entry_pass(job_env):
    gh, _, settings = job_env
    head = open_pr(gh, 2, with_lines(GOOD, TITLE_WITH.format(sep="\u2029")))
    Connections(settings).review(
        job(2, head), github=GitHubAdapter(settings, options=ClientOptions(sleep=lambda s: None))
    )
    assert "review: needs changes" not in gh.labels_of(REPO, 2)
