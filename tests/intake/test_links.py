"""Paper links in an issue's text: every form a contributor writes, each paper once, at most 20, a code
link paired with its paper; linear on hostile text."""

from __future__ import annotations

import time

from bot.core.intake.links import MAX_PAPERS, find


def keys(text: str) -> list[str]:
    return [p.key for p in find(text).papers]


def test_every_arxiv_form_is_one_paper_written_as_its_abstract_page():
    text = (
        "https://arxiv.org/abs/2401.01335 http://arxiv.org/pdf/2401.01335v2.pdf "
        "arXiv:2401.01335v3 [paper](https://www.arxiv.org/abs/2401.01335) "
        "https://doi.org/10.48550/arXiv.2401.01335 https://huggingface.co/papers/2401.01335."
    )
    (paper,) = find(text).papers
    assert paper.key == "ARXIV:2401.01335" and paper.url == "https://arxiv.org/abs/2401.01335"


def test_openreview_acl_anthology_and_dois_are_papers_other_links_are_not():
    text = (
        "OpenReview: https://openreview.net/forum?id=AbCdEf123, ACL https://aclanthology.org/2020.acl-main.447/, "
        "a DOI doi:10.18653/v1/N18-3011 and https://dl.acm.org/doi/10.1145/2959100.2959190; "
        "not https://example.com/paper.pdf nor https://github.com/owner/repo."
    )
    assert keys(text) == [
        "OPENREVIEW:AbCdEf123",
        "ACL:2020.acl-main.447",
        "DOI:10.18653/v1/N18-3011",
        "DOI:10.1145/2959100.2959190",
    ]


def test_a_code_link_goes_with_the_paper_on_its_line_or_with_the_only_paper():
    one = find(
        "Paper: https://arxiv.org/abs/2401.01335\n\nCode is at https://github.com/uclaml/SPIN/tree/main"
    )
    assert one.papers[0].code == "https://github.com/uclaml/SPIN"
    two = find(
        "- https://arxiv.org/abs/2401.01335 code https://github.com/uclaml/SPIN\n- https://arxiv.org/abs/2404.10642\n"
        "see also https://github.com/other/awesome-list"
    )
    assert [p.code for p in two.papers] == ["https://github.com/uclaml/SPIN", None]


def test_at_most_twenty_papers_the_rest_counted():
    text = " ".join(f"https://arxiv.org/abs/2401.{n:05d}" for n in range(1, 31))
    found = find(text)
    assert len(found.papers) == MAX_PAPERS and found.dropped == 10


def test_hostile_text_is_read_in_linear_time():
    for text in ("https://" * 20_000, "arXiv:" * 20_000, "[(" * 30_000 + "https://arxiv.org/abs/2401.01335"):
        t0 = time.perf_counter()
        find(text)
        assert time.perf_counter() - t0 < 1.0
