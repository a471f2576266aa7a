"""paper-title: a paper linked outside arXiv whose title is not its publication record's."""

from __future__ import annotations

import pytest

from tests.conftest import run_rules
from tests.fakes.scholar_papers import records

from .conftest import NUMBERED, SUBITEMS, TABLE, Bad

S2ORC = "S2ORC: The Semantic Scholar Open Research Corpus"


def _only(findings):
    return [f for f in findings if f.rule == "paper-title"]


def test_an_acl_anthology_title_that_is_another_paper_s() -> None:
    body = "- (*ACL 20'*) A Wrong Title [[paper](https://aclanthology.org/2020.acl-main.447/)]\n"
    [f] = _only(run_rules(body, records=records("ACL:2020.acl-main.447")))
    assert f.severity == "warning" and f.unsafe
    assert f.message.startswith(f"The paper's record is “{S2ORC}”, not this title")
    assert f.suggestion == f"- (*ACL 20'*) {S2ORC} [[paper](https://aclanthology.org/2020.acl-main.447/)]"


def test_a_near_title_is_capped_at_warning_and_the_same_title_passes() -> None:
    near = "- (*ACL 20'*) S2ORC: The Semantic Scholar Open Research Corpora [[paper](https://aclanthology.org/2020.acl-main.447.pdf)]\n"
    [f] = _only(
        run_rules(near, cfg="rules:\n  paper-title: error\n", records=records("ACL:2020.acl-main.447"))
    )
    assert f.severity == "warning" and f.message.startswith("The title differs")
    same = f"- (*ACL 20'*) {S2ORC.lower()} [[paper](https://www.aclweb.org/anthology/2020.acl-main.447)]\n"
    assert _only(run_rules(same, records=records("ACL:2020.acl-main.447"))) == []


def test_old_acl_ids_dois_and_acm_links_resolve() -> None:
    body = (
        "- (*NAACL 18'*) Wrong [[paper](https://aclanthology.org/N18-3011.pdf)]\n"
        "- (*NAACL 18'*) Wrong [[paper](https://doi.org/10.18653/v1/N18-3011)]\n"
        "- (*RecSys 16'*) Wrong [[paper](https://dl.acm.org/doi/10.1145/2959100.2959190)]\n"
    )
    recs = records("ACL:N18-3011", "DOI:10.18653/v1/N18-3011", "DOI:10.1145/2959100.2959190")
    assert [f.line for f in _only(run_rules(body, records=recs))] == [1, 2, 3]


def test_arxiv_links_unknown_records_and_other_hosts_are_left_alone() -> None:
    body = (
        "- (*Arxiv 2024.01*) Wrong [[paper](https://arxiv.org/abs/2401.01335)]\n"  # arxiv-title's
        "- (*ACL 21'*) Wrong [[paper](https://aclanthology.org/2021.acl-long.1/)]\n"  # no record
        "- (*NeurIPS 23'*) Wrong [[paper](https://proceedings.neurips.cc/paper/2023/hash/abc-Abstract.html)]\n"
    )
    assert _only(run_rules(body, records=records("ARXIV:2401.01335", "ACL:2021.acl-long.1"))) == []


def test_an_outage_is_a_not_verified_notice_naming_the_source() -> None:
    body = (
        "- (*ACL 20'*) A Wrong Title [[paper](https://aclanthology.org/2020.acl-main.447/)]\n"
        "- (*ICLR 24'*) Some Title [[paper](https://openreview.net/forum?id=AbCdEf123)]\n"
    )
    down = records(
        unverified={
            "ACL:2020.acl-main.447": "Semantic Scholar answered 429",
            "OPENREVIEW:AbCdEf123": "OpenReview answered 503",
        }
    )
    first, second = _only(run_rules(body, records=down))
    assert first.severity == "notice" and first.unverified == "Semantic Scholar"
    assert (
        first.message
        == "Not verified against Semantic Scholar (Semantic Scholar answered 429); the bot will check again."
    )
    assert second.severity == "notice" and second.unverified == "OpenReview"
    assert (
        second.message
        == "Not verified against OpenReview (OpenReview answered 503); the bot will check again."
    )
    assert _only(run_rules(body)) == []  # offline: nothing


def test_an_openreview_title_is_checked_against_openreview() -> None:
    wrong = "- (*ICLR 24'*) Self-Play Tuning of Weak Models [[paper](https://openreview.net/forum?id=ZdYm2f6cJE)]\n"
    [f] = _only(run_rules(wrong, records=records("OPENREVIEW:ZdYm2f6cJE")))
    assert "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models" in f.message
    right = "- (*ICLR 24'*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models [[pdf](https://openreview.net/pdf?id=ZdYm2f6cJE)]\n"
    assert _only(run_rules(right, records=records("OPENREVIEW:ZdYm2f6cJE"))) == []
    unknown = "- (*ICLR 21'*) An Old Paper [[paper](https://openreview.net/forum?id=OldV1Note1)]\n"
    assert (
        _only(run_rules(unknown, records=records("OPENREVIEW:OldV1Note1"))) == []
    )  # API v1 only: no verdict


ACL_RECORD = records("ACL:2020.acl-main.447")
FORMATS = [
    Bad(
        "1. **A Wrong Title.** ACL 2020. [paper](https://aclanthology.org/2020.acl-main.447/)",
        "warning",
        f"The paper's record is “{S2ORC}”",
        f"1. **{S2ORC}.** ACL 2020. [paper](https://aclanthology.org/2020.acl-main.447/)",
        NUMBERED,
        records=ACL_RECORD,
    ),
    Bad(  # the title is the link: its text changes, the URL and the lines below stay
        "- [A Wrong Title](https://aclanthology.org/2020.acl-main.447/)\n  - Kyle Lo, Lucy Lu Wang",
        "warning",
        f"The paper's record is “{S2ORC}”",
        f"- [{S2ORC}](https://aclanthology.org/2020.acl-main.447/)\n  - Kyle Lo, Lucy Lu Wang",
        SUBITEMS,
        records=ACL_RECORD,
    ),
    Bad(
        "| A Wrong Title | ACL 2020 | [paper](https://aclanthology.org/2020.acl-main.447/) | |",
        "warning",
        f"The paper's record is “{S2ORC}”",
        f"| {S2ORC} | ACL 2020 | [paper](https://aclanthology.org/2020.acl-main.447/) | |",
        TABLE,
        records=ACL_RECORD,
    ),
]


@pytest.mark.parametrize("case", FORMATS, ids=lambda c: c.into.name)
def test_each_list_format_gets_the_record_s_title(case: Bad) -> None:
    case.found("paper-title")
