import pytest

from bot.core.arxiv_id import find_ids, id_month, is_valid_id, parse_ref

CANON = "https://arxiv.org/abs/2401.01335"


@pytest.mark.parametrize(
    "url, problem",
    [
        ("https://arxiv.org/pdf/2401.01335", "pdf page"),
        ("https://arxiv.org/pdf/2401.01335.pdf", ".pdf"),
        ("https://arxiv.org/abs/2401.01335v3", "pins version v3"),
        ("http://arxiv.org/abs/2401.01335", "http instead of https"),
        ("https://export.arxiv.org/abs/2401.01335", "export.arxiv.org"),
        ("https://www.arxiv.org/abs/2401.01335", "www.arxiv.org"),
        ("https://arxiv.org/html/2401.01335v1", "html page"),
        ("arXiv:2401.01335", "arXiv: identifier"),
        ("https://doi.org/10.48550/arXiv.2401.01335", "DOI"),
        ("https://www.alphaxiv.org/abs/2401.01335", "mirror alphaxiv.org"),
        ("https://huggingface.co/papers/2401.01335", "mirror huggingface.co"),
        ("https://arxiv.org/abs/2401.01335/", "extra characters"),
    ],
)
def test_every_url_form_is_recognised_and_canonicalised(url, problem):
    ref = parse_ref(url)
    assert ref is not None and ref.valid and ref.id == "2401.01335"
    assert ref.canonical_url == CANON
    assert any(problem in p.words for p in ref.problems), ref.problems


@pytest.mark.parametrize(
    "url, rid",
    [
        ("https://arxiv.org/abs/astro-ph/0601001", "astro-ph/0601001"),
        ("https://arxiv.org/pdf/quant-ph/0201082v1", "quant-ph/0201082"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
    ],
)
def test_old_style_and_early_ids(url, rid):
    ref = parse_ref(url)
    assert ref and ref.valid and ref.id == rid


def test_canonical_link_has_no_problems():
    assert parse_ref(CANON).problems == ()


@pytest.mark.parametrize(
    "rid, ok",
    [
        ("2401.01335", True),
        ("2401.O1335", False),  # letter O
        ("2413.01335", False),  # month 13
        ("1412.12345", False),  # 5 digits before 2015
        ("1501.1234", False),  # 4 digits from 2015
        ("0703.0001", False),  # before new-style ids began (2007.04)
        ("hep-th/9901001", True),
        ("hep-th/9913001", False),
    ],
)
def test_id_validation(rid, ok):
    assert is_valid_id(rid) is ok


def test_not_arxiv_and_ids_in_text():
    assert parse_ref("https://github.com/uclaml/SPIN") is None
    assert parse_ref("https://openreview.net/forum?id=abc") is None
    assert id_month("2401.01335") == (2024, 1)
    assert id_month("hep-th/9901001") == (1999, 1)
    assert find_ids("see arXiv:2401.01335 and https://arxiv.org/pdf/2502.12853v2 or 2401.O1335") == [
        "2401.01335",
        "2502.12853",
    ]
