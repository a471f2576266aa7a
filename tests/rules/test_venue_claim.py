"""venue-claim: a venue tag that the publication record contradicts, judged only on what it is sure of."""

from __future__ import annotations

import pytest

from tests.conftest import run_rules
from tests.fakes.scholar_papers import records

from .conftest import NAMED, NUMBERED, TABLE, Bad

DPO = "Direct Preference Optimization: Your Language Model is Secretly a Reward Model"
SERL = "Self-Evolved Reward Learning for LLMs"


def _only(findings):
    return [f for f in findings if f.rule == "venue-claim"]


def test_another_venue_in_the_dblp_key_is_a_warning_with_the_record_s_tag() -> None:
    body = f"- (*ICML 23'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    [f] = _only(run_rules(body, records=records("ARXIV:2305.18290")))
    assert f.severity == "warning" and f.unsafe
    assert (
        "The tag says ICML 2023, but the paper's record (DBLP `conf/nips/RafailovSMMEF23`) says NeurIPS 2023"
        in f.message
    )
    assert f.suggestion == f"- (*NeurIPS 23'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]"


def test_the_right_venue_under_any_alias_passes() -> None:
    for tag in ("NeurIPS 23'", "NIPS 23'"):
        body = f"- (*{tag}*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
        assert _only(run_rules(body, records=records("ARXIV:2305.18290"))) == [], tag


def test_another_year_counts_only_from_the_dblp_key() -> None:
    body = f"- (*NeurIPS 24'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    [f] = _only(run_rules(body, records=records("ARXIV:2305.18290")))
    assert "says NeurIPS 2023" in f.message and f.suggestion.startswith("- (*NeurIPS 23'*)")
    # publicationVenue alone: the record's year may be the preprint's, so no verdict on the year
    body = "- (*ICML 25'*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]\n"
    assert _only(run_rules(body, records=records("ARXIV:2401.10020"))) == []


def test_another_venue_in_the_publication_venue_is_a_warning() -> None:
    body = "- (*ICLR 24'*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]\n"
    [f] = _only(run_rules(body, records=records("ARXIV:2401.10020")))
    assert "the record's publication venue" in f.message and "ICML 2024" in f.message


def test_a_venue_for_a_paper_known_only_as_a_preprint_once_records_had_time() -> None:
    old = f"- (*ICML 22'*) {SERL} [[paper](https://arxiv.org/abs/2411.00418)]\n"
    [f] = _only(run_rules(old, records=records("ARXIV:2411.00418")))
    assert "shows no venue, only a preprint" in f.message and f.suggestion is None
    recent = f"- (*ICML 25'*) {SERL} [[paper](https://arxiv.org/abs/2411.00418)]\n"  # 2025 + 1 >= 2026
    assert _only(run_rules(recent, records=records("ARXIV:2411.00418"))) == []
    cfg = "rules:\n  venue-claim:\n    settle_years: 0\n"
    assert len(_only(run_rules(recent, cfg=cfg, records=records("ARXIV:2411.00418")))) == 1


def test_unsure_records_unknown_venues_workshops_and_outages_give_no_verdict() -> None:
    recsys = "- (*ICML 16'*) Deep Neural Networks for YouTube Recommendations [[paper](https://doi.org/10.1145/2959100.2959190)]\n"
    assert _only(run_rules(recsys, records=records("DOI:10.1145/2959100.2959190"))) == []  # RecSys unknown
    odd = f"- (*MLSys 23'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    assert _only(run_rules(odd, records=records("ARXIV:2305.18290"))) == []  # a venue the table lacks
    workshop = f"- (*ICML 23' Workshop*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    assert _only(run_rules(workshop, records=records("ARXIV:2305.18290"))) == []
    down = records(unverified={"ARXIV:2305.18290": "Semantic Scholar answered 503"})
    body = f"- (*ICML 23'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    assert _only(run_rules(body, records=down)) == []


def test_a_severity_from_config() -> None:
    body = f"- (*ICML 23'*) {DPO} [[paper](https://arxiv.org/abs/2305.18290)]\n"
    [f] = _only(run_rules(body, cfg="rules:\n  venue-claim: error\n", records=records("ARXIV:2305.18290")))
    assert f.severity == "error"


FORMATS = [
    Bad(
        f"1. **{DPO}.** ICML 2023. [paper](https://arxiv.org/abs/2305.18290)",
        "warning",
        "says NeurIPS 2023",
        f"1. **{DPO}.** NeurIPS 2023. [paper](https://arxiv.org/abs/2305.18290)",
        NUMBERED,
        records=records("ARXIV:2305.18290"),
    ),
    Bad(
        f'* **DPO**: "{DPO}", ICML, 2023 (*Stanford*). [[Paper](https://arxiv.org/abs/2305.18290)]',
        "warning",
        "says NeurIPS 2023",
        f'* **DPO**: "{DPO}", NeurIPS, 2023 (*Stanford*). [[Paper](https://arxiv.org/abs/2305.18290)]',
        NAMED,
        records=records("ARXIV:2305.18290"),
    ),
    Bad(
        f"| {DPO} | ICML 2023 | [paper](https://arxiv.org/abs/2305.18290) | |",
        "warning",
        "says NeurIPS 2023",
        f"| {DPO} | NeurIPS 2023 | [paper](https://arxiv.org/abs/2305.18290) | |",
        TABLE,
        records=records("ARXIV:2305.18290"),
    ),
]


@pytest.mark.parametrize("case", FORMATS, ids=lambda c: c.into.name)
def test_each_list_format_gets_the_record_s_tag(case: Bad) -> None:
    case.found("venue-claim")
