"""bot.core.records: the record id of each paper link, and the venue a record is sure of."""

from __future__ import annotations

import pytest

from bot.core.config.keys import VENUE_ALIASES
from bot.core.model import Record, Venue
from bot.core.records import Aliases, preprint_only, published, record_id, source_of


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://arxiv.org/abs/2106.15928v2", "ARXIV:2106.15928"),
        ("https://arxiv.org/pdf/2106.15928.pdf", "ARXIV:2106.15928"),
        ("https://doi.org/10.48550/arXiv.2106.15928", "ARXIV:2106.15928"),
        ("https://aclanthology.org/2020.acl-main.447/", "ACL:2020.acl-main.447"),
        ("https://aclanthology.org/2023.findings-emnlp.12.pdf", "ACL:2023.findings-emnlp.12"),
        ("https://www.aclweb.org/anthology/P19-1001.pdf", "ACL:P19-1001"),
        ("https://aclweb.org/anthology/P/P19/P19-1001.pdf", "ACL:P19-1001"),
        ("https://doi.org/10.18653/v1/N18-3011", "DOI:10.18653/v1/N18-3011"),
        ("https://dx.doi.org/10.1145/3292500.3330701?x=1", "DOI:10.1145/3292500.3330701"),
        ("https://dl.acm.org/doi/abs/10.1145/2959100.2959190", "DOI:10.1145/2959100.2959190"),
        ("https://doi.org/10.1000/a%2Fb", "DOI:10.1000/a/b"),
        (
            "https://www.semanticscholar.org/paper/649def34f8be52c8b66281af98ae884c09aef38b",
            "URL:https://www.semanticscholar.org/paper/649def34f8be52c8b66281af98ae884c09aef38b",
        ),
        (
            "https://www.biorxiv.org/content/10.1101/2020.01.01.123456v1",
            "URL:https://www.biorxiv.org/content/10.1101/2020.01.01.123456v1",
        ),
        ("https://openreview.net/forum?id=AbCdEf123", "OPENREVIEW:AbCdEf123"),
        ("https://openreview.net/pdf?id=AbCdEf123&noteId=x", "OPENREVIEW:AbCdEf123"),
        ("https://openreview.net/group?id=ICLR.cc/2024/Conference", None),
        ("https://proceedings.neurips.cc/paper/2020/hash/abc-Abstract.html", None),
        ("https://openaccess.thecvf.com/content/CVPR2023/html/X_CVPR_2023_paper.html", None),
        ("https://arxiv.org/abs/2401.99999999", None),
        ("http://www.semanticscholar.org/paper/x", None),  # URL: only for https links as written
        ("https://notsemanticscholar.org/paper/x", None),
    ],
)
def test_record_ids(url: str, key: str | None) -> None:
    assert record_id(url) == key


def test_each_id_has_its_source() -> None:
    assert source_of("OPENREVIEW:AbCdEf123") == "OpenReview"
    assert source_of("ACL:2020.acl-main.447") == source_of("ARXIV:2401.01335") == "Semantic Scholar"


ALIASES = Aliases(VENUE_ALIASES)


def test_the_default_table_knows_the_usual_names() -> None:
    for name in ("NeurIPS", "neurips", "NIPS", "Advances in Neural Information Processing Systems"):
        assert ALIASES.canonical(name) == "NeurIPS"
    assert ALIASES.canonical("Neural  Information Processing Systems.") == "NeurIPS"
    assert (
        ALIASES.canonical("North American Chapter of the Association for Computational Linguistics")
        == "NAACL"
    )
    assert ALIASES.streams["conf/nips"] == "NeurIPS" and ALIASES.canonical("conf/nips") is None


def test_published_reads_dblp_first_then_the_publication_venue() -> None:
    pv = Venue("International Conference on Machine Learning", "conference", ("ICML",))
    rec = Record("T", publication_venue=pv, year=2023, dblp="conf/nips/VaswaniSPUJGKP17")
    got = published(rec, ALIASES)
    assert got is not None and (got.venue, got.year, got.dblp) == ("NeurIPS", 2017, True)
    got = published(
        Record("T", publication_venue=pv, year=2023, dblp="journals/corr/abs-2301-00001"), ALIASES
    )
    assert got is not None and (got.venue, got.year, got.dblp) == ("ICML", 2023, False)
    assert (
        published(Record("T", venue="International Conference on Machine Learning", year=2023), ALIASES)
        is None
    )
    arxiv = Venue("arXiv.org", "", ("ArXiv",))
    assert published(Record("T", publication_venue=arxiv, year=2024), ALIASES) is None


def test_preprint_only_needs_the_record_to_say_so() -> None:
    arxiv = Venue("arXiv.org", "", ("ArXiv",))
    assert preprint_only(Record("T", publication_venue=arxiv, dblp="journals/corr/abs-2411-00418"))
    assert preprint_only(Record("T", publication_venue=arxiv, venue="arXiv.org"))
    assert not preprint_only(Record("T"))  # a record that says nothing is not sure of anything
    assert not preprint_only(Record("T", publication_venue=arxiv, venue="Some Workshop"))
    assert not preprint_only(Record("T", dblp="conf/icml/X24"))
