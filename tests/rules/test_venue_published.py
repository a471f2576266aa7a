"""venue-published: a preprint tag on a paper whose publication record says it appeared at a venue."""

from __future__ import annotations

import pytest

from tests.conftest import run_rules
from tests.fakes.scholar_papers import records

from .conftest import NAMED, NUMBERED, TABLE, Bad, added

SPIN = "Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models"


def _only(findings, rule="venue-published"):
    return [f for f in findings if f.rule == rule]


def test_a_published_preprint_gets_the_venue_tag_in_the_list_style() -> None:
    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]\n"
    [f] = _only(added(body.rstrip(), records=records("ARXIV:2401.01335")))
    assert f.severity == "notice"
    assert f.message.startswith("Published at ICML 2024 (DBLP `conf/icml/ChenDYJG24`): tag it `(*ICML 24'*)`")
    assert f.suggestion == f"- (*ICML 24'*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]"
    assert not f.unsafe  # DBLP is sure of venue and year, and the titles agree: `check --fix` applies it


def test_from_the_publication_venue_alone_the_fix_is_a_guess() -> None:
    body = "- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]\n"
    [f] = _only(added(body.rstrip(), records=records("ARXIV:2401.10020")))
    assert "the record's publication venue" in f.message and f.suggestion.startswith("- (*ICML 24'*)")
    assert f.unsafe  # the record's year may be the preprint's: --unsafe-fixes


def test_a_dblp_record_whose_title_differs_is_a_guess_too() -> None:
    body = "- (*Arxiv 2024.01*) Some Other Paper Entirely [[paper](https://arxiv.org/abs/2401.01335)]\n"
    [f] = _only(run_rules(body, records=records("ARXIV:2401.01335")))
    assert f.unsafe


def test_a_paper_known_only_as_a_preprint_is_left_alone() -> None:
    body = "- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]\n"
    assert _only(run_rules(body, records=records("ARXIV:2411.00418"))) == []


def test_no_record_unknown_venue_an_outage_or_offline_say_nothing() -> None:
    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]\n"
    assert _only(run_rules(body, records=records("ARXIV:2401.99999"))) == []  # not the entry's id
    down = records(unverified={"ARXIV:2401.01335": "Semantic Scholar answered 503"})
    assert _only(run_rules(body, records=down)) == []
    assert _only(run_rules(body)) == []  # not looked up
    recsys = "- (*Arxiv 2016.09*) Deep Neural Networks for YouTube Recommendations [[paper](https://doi.org/10.1145/2959100.2959190)]\n"
    assert _only(run_rules(recsys, records=records("DOI:10.1145/2959100.2959190"))) == []  # RecSys: no alias


def test_the_alias_table_is_the_config_s() -> None:
    cfg = "venues:\n  aliases: ['ICML-Conf = International Conference on Machine Learning = conf/icml']\n"
    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]\n"
    [f] = _only(run_rules(body, cfg=cfg, records=records("ARXIV:2401.01335")))
    assert "ICML-Conf 2024" in f.message


def test_another_list_format_gets_its_own_style() -> None:
    cfg = (
        "grammar:\n  entry: '- [{tag}] {title} {links}'\n  preprint_tag: 'arXiv {yyyy}'\n"
        "  venue_tag: '{venue} {yyyy}'\n  link: '[{label}]({url})'\n"
    )
    body = f"- [arXiv 2024] {SPIN} [paper](https://arxiv.org/abs/2401.01335)\n"
    [f] = _only(run_rules(body, cfg=cfg, records=records("ARXIV:2401.01335")))
    assert f.suggestion == f"- [ICML 2024] {SPIN} [paper](https://arxiv.org/abs/2401.01335)"


def test_the_rule_can_be_turned_off() -> None:
    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]\n"
    assert (
        _only(run_rules(body, cfg="rules:\n  venue-published: off\n", records=records("ARXIV:2401.01335")))
        == []
    )


def test_one_notice_when_arxiv_s_comment_and_the_record_both_say_published() -> None:
    from bot.core.model import ArxivLookup, Paper

    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://arxiv.org/abs/2401.01335)]\n"
    accepted = Paper(
        "2401.01335", SPIN, ("Z. Chen",), "2024-01-02T00:00:00Z", comment="Accepted by ICML 2024"
    )
    arxiv = ArxivLookup(papers={accepted.id: accepted})
    found = added(body.rstrip(), arxiv=arxiv, records=records("ARXIV:2401.01335"))
    assert [f.rule for f in found if "ICML 24'" in (f.suggestion or "")] == ["venue-published"]
    alone = added(body.rstrip(), arxiv=arxiv)  # no records: arXiv's comment still tells
    assert [f.rule for f in alone if "ICML 24'" in (f.suggestion or "")] == ["venue-tag"]


FORMATS = [
    Bad(
        f"1. **{SPIN}.** arXiv 2024. [paper](https://arxiv.org/abs/2401.01335)",
        "notice",
        "Published at ICML 2024 (DBLP `conf/icml/ChenDYJG24`): tag it `ICML 2024`",
        f"1. **{SPIN}.** ICML 2024. [paper](https://arxiv.org/abs/2401.01335)",
        NUMBERED,
        records=records("ARXIV:2401.01335"),
    ),
    Bad(
        f'* **SPIN**: "{SPIN}", arXiv, 2024 (*UCLA*). [[Paper](https://arxiv.org/abs/2401.01335)]',
        "notice",
        "tag it `ICML, 2024`",
        f'* **SPIN**: "{SPIN}", ICML, 2024 (*UCLA*). [[Paper](https://arxiv.org/abs/2401.01335)]',
        NAMED,
        records=records("ARXIV:2401.01335"),
    ),
    Bad(
        f"| {SPIN} | arXiv 2024 | [paper](https://arxiv.org/abs/2401.01335) | |",
        "notice",
        "tag it `ICML 2024`",
        f"| {SPIN} | ICML 2024 | [paper](https://arxiv.org/abs/2401.01335) | |",
        TABLE,
        records=records("ARXIV:2401.01335"),
    ),
]


@pytest.mark.parametrize("case", FORMATS, ids=lambda c: c.into.name)
def test_each_list_format_gets_its_own_tag(case: Bad) -> None:
    case.found("venue-published")


def test_an_accepted_openreview_paper_tagged_as_a_preprint() -> None:
    body = f"- (*Arxiv 2024.01*) {SPIN} [[paper](https://openreview.net/forum?id=ZdYm2f6cJE)]\n"
    [f] = _only(added(body.rstrip(), records=records("OPENREVIEW:ZdYm2f6cJE")))
    assert "Published at ICLR 2024" in f.message and f.suggestion.startswith("- (*ICLR 24'*)") and f.unsafe
    rejected = "- (*Arxiv 2023.10*) A Paper That Was Not Accepted [[paper](https://openreview.net/forum?id=Rj3cTd9Qx1)]\n"
    assert (
        _only(added(rejected.rstrip(), records=records("OPENREVIEW:Rj3cTd9Qx1"))) == []
    )  # "Submitted to": no venue
