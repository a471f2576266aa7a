"""Publication records the fake Semantic Scholar serves, in the API's documented FullPaper shape.

The values are modelled on the public records of these papers (titles, venues, DBLP keys, ACL and
DOI ids); they are test data, not a copy of any answer. Each case the rules must tell apart has one:
a preprint since published (DBLP key), one known only through `publicationVenue`, one known only as
a preprint, ACL Anthology and DOI papers, and a venue the alias table does not know.
"""

from __future__ import annotations

from tests.fakes.scholar_server import ARXIV_ORG, paper, venue

NEURIPS = venue(
    "Neural Information Processing Systems",
    "Neural Inf Process Syst",
    "NeurIPS",
    "NIPS",
)
ICML = venue("International Conference on Machine Learning", "ICML", "Int Conf Mach Learn")
ACL = venue(
    "Annual Meeting of the Association for Computational Linguistics",
    "Annu Meet Assoc Comput Linguistics",
    "Meeting of the Association for Computational Linguistics",
    "ACL",
)
NAACL = venue("North American Chapter of the Association for Computational Linguistics", "NAACL")
RECSYS = venue("ACM Conference on Recommender Systems", "RecSys")

PAPERS = [
    # arXiv 2401.01335, published at ICML 2024: DBLP says so.
    paper(
        "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
        "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models",
        year=2024,
        venue="International Conference on Machine Learning",
        publication_venue=ICML,
        date="2024-01-02",
        arxiv="2401.01335",
        dblp="conf/icml/ChenDYJG24",
        urls=("https://arxiv.org/abs/2401.01335",),
    ),
    # arXiv 2401.10020: the record names ICML through publicationVenue only (no DBLP key).
    paper(
        "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c",
        "Self-Rewarding Language Models",
        year=2024,
        venue="International Conference on Machine Learning",
        publication_venue=ICML,
        date="2024-01-18",
        arxiv="2401.10020",
    ),
    # arXiv 2411.00418: known only as a preprint (DBLP's CoRR, publicationVenue arXiv.org).
    paper(
        "1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d",
        "Self-Evolved Reward Learning for LLMs",
        year=2024,
        venue="arXiv.org",
        publication_venue=ARXIV_ORG,
        date="2024-11-01",
        arxiv="2411.00418",
        dblp="journals/corr/abs-2411-00418",
    ),
    # arXiv 2305.18290, NeurIPS 2023 (DBLP).
    paper(
        "0d30c4c5f8b2e7a0c9a6e2b4f1d3c5e7a9b1d3f5",
        "Direct Preference Optimization: Your Language Model is Secretly a Reward Model",
        year=2023,
        venue="Neural Information Processing Systems",
        publication_venue=NEURIPS,
        date="2023-05-29",
        arxiv="2305.18290",
        dblp="conf/nips/RafailovSMMEF23",
    ),
    # The API documentation's own example: ACL 2020, on the ACL Anthology.
    paper(
        "5c5751d45e298cea054f32b392c12c61027d2fe7",
        "S2ORC: The Semantic Scholar Open Research Corpus",
        year=2020,
        venue="Annual Meeting of the Association for Computational Linguistics",
        publication_venue=ACL,
        date="2020-07-01",
        acl="2020.acl-main.447",
        doi="10.18653/V1/2020.ACL-MAIN.447",
        dblp="conf/acl/LoWNKW20",
        urls=("https://www.aclweb.org/anthology/2020.acl-main.447",),
    ),
    # NAACL 2018 (industry track), an old-style ACL id.
    paper(
        "649def34f8be52c8b66281af98ae884c09aef38b",
        "Construction of the Literature Graph in Semantic Scholar",
        year=2018,
        venue="North American Chapter of the Association for Computational Linguistics",
        publication_venue=NAACL,
        acl="N18-3011",
        doi="10.18653/v1/N18-3011",
        dblp="conf/naacl/AmmarGBCCDDEFHK18",
    ),
    # An ACM DOI, at a venue the default alias table does not know (RecSys).
    paper(
        "9e2f1a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
        "Deep Neural Networks for YouTube Recommendations",
        year=2016,
        venue="ACM Conference on Recommender Systems",
        publication_venue=RECSYS,
        date="2016-09-07",
        doi="10.1145/2959100.2959190",
        dblp="conf/recsys/CovingtonAS16",
    ),
]


def records(*ids: str, unverified: dict[str, str] | None = None):
    """What the fakes would answer for `ids` (OpenReview's for `OPENREVIEW:` ids, Semantic Scholar's
    for the others), read by the clients' own parsers (no server needed)."""
    from bot.adapters.openreview import parse_note
    from bot.adapters.semantic_scholar import parse_record
    from bot.core.model import RecordLookup
    from bot.core.records import OPENREVIEW
    from tests.fakes.openreview_server import NOTES
    from tests.fakes.scholar_server import FakeScholar

    fake = FakeScholar(PAPERS)
    notes = {OPENREVIEW + n["id"]: n for n in NOTES}
    out = RecordLookup(unverified=dict(unverified or {}))
    for key in ids:
        if key in out.unverified:
            continue
        if key in notes:
            out.papers[key] = parse_note(notes[key])
        elif (found := None if key.startswith(OPENREVIEW) else fake.find(key)) is not None:
            out.papers[key] = parse_record(found)
        else:
            out.missing.add(key)
    return out
