"""venue-tag: a malformed tag or date, `2024` where the list writes `24'`, a month outside 1-12, a
year in the future or before `min_year`; a venue the list does not know (a warning); a preprint that
arXiv says was accepted at a venue (a notice with the venue's tag)."""

from __future__ import annotations

import pytest

from bot.core.model import ArxivLookup, Paper
from tests.conftest import rules_of

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad, PaperList, added

RULE = "venue-tag"

CASES = [
    Bad(
        "- (*NeurIPS 2024*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "(*NeurIPS 24'*)",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad(
        "- (*Arxiv 2024.13*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "month 13",
        None,
    ),
    Bad(
        "- (*Arxiv 2027.01*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "error",
        "future",
        None,
    ),
    Bad(
        "- (*ICML 12'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",  # the bound is learnt from the list's years: its oldest entry, not a rule broken
        "from 2015",
        None,
    ),
    Bad(
        "- (*FooConf 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "not a venue",
        None,
    ),
    Bad(
        "- (*neurips 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
        "warning",
        "`NeurIPS`",
        "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]",
    ),
    Bad("- (*Summer edition*) A New Paper [[paper](https://x.org/p)]", "warning", "no year", None),
    Bad(
        "1. **A New Paper.** ICLR 25'. [paper](https://arxiv.org/abs/2412.00001)",
        "error",
        "Write the venue tag `ICLR 25'` as `ICLR 2025`, in this list's style",
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(  # a preprint server read as a venue would get "not a venue this list knows"; case alone: a warning
        "1. **A New Paper.** Arxiv 2024. [paper](https://arxiv.org/abs/2412.00001)",
        "warning",
        "Write the venue tag `Arxiv 2024` as `arXiv 2024`",
        "1. **A New Paper.** arXiv 2024. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** Neurips 2024. [paper](https://arxiv.org/abs/2412.00001)",
        "warning",
        "Write the venue as `NeurIPS`: `NeurIPS 2024`",
        "1. **A New Paper.** NeurIPS 2024. [paper](https://arxiv.org/abs/2412.00001)",
        NUMBERED,
    ),
    Bad(
        "1. **A New Paper.** ICML 2012. [paper](https://arxiv.org/abs/2412.00001)",
        "warning",
        "The venue tag says 2012: this list takes papers from 2015 on (learnt from the years it holds)",
        None,
        NUMBERED,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "Write the venue tag `ICLR 2025` as `ICLR, 2025`",
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        '* **NP**: "A New Paper", NeurIPS 24\' (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "as `NeurIPS, 2024`",
        '* **NP**: "A New Paper", NeurIPS, 2024 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        NAMED,
    ),
    Bad(
        '* **NP**: "A New Paper", FooConf, 2024 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "warning",
        "`FooConf` is not a venue this list knows",
        None,
        NAMED,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2027 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)]',
        "error",
        "The venue tag says 2027, which is in the future",
        None,
        NAMED,
    ),
    Bad(
        "| A New Paper | ICLR'25 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "Write the venue tag `ICLR'25` as `ICLR 2025`",
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | neurips 2024 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "warning",
        "Write the venue as `NeurIPS`: `NeurIPS 2024`",
        "| A New Paper | NeurIPS 2024 | [paper](https://arxiv.org/abs/2412.00001) | |",
        TABLE,
    ),
    Bad(
        "| A New Paper | NeurIPS 2027 | [paper](https://arxiv.org/abs/2412.00001) | |",
        "error",
        "The venue tag says 2027, which is in the future",
        None,
        TABLE,
    ),
    # A list whose entries carry no tag has no tag style: one a contributor adds is judged by what it
    # claims, in the style it is written in (never the seed's `NeurIPS 24'`).
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing\n  - NeurIPS 2027",
        "error",
        "The venue tag says 2027, which is in the future",
        None,
        SUBITEMS,
    ),
    Bad(
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing\n  - neurips 2024",
        "warning",
        "Write the venue as `NeurIPS`: `NeurIPS 2024`",
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing\n  - NeurIPS 2024",
        SUBITEMS,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found(RULE)


def test_minor_findings_never_exceed_warning_but_follow_lower_levels():
    line = "- (*FooConf 24'*) A New Paper [[paper](https://x.org/p)]"
    assert rules_of(added(line)) == [("venue-tag", "warning")]
    assert rules_of(added(line, cfg="rules:\n  venue-tag: notice\n")) == [("venue-tag", "notice")]


def test_preprint_accepted_at_a_venue_gets_a_notice_with_the_tag():
    accepted = Paper(
        "2412.00001", "A New Paper", (), "2024-12-01T00:00:00Z", comment="Accepted by NeurIPS 2024"
    )
    line = "- (*Arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"
    (f,) = added(line, arxiv=ArxivLookup(papers={accepted.id: accepted}))
    assert (f.rule, f.severity) == ("venue-tag", "notice")
    assert f.suggestion == "- (*NeurIPS 24'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]"


def test_a_tag_in_a_list_without_tags_is_held_to_no_style():
    line = (
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace, Alan Turing\n  - NeurIPS 2024"
    )
    assert added(line, into=SUBITEMS) == []
    found = added(line.replace("NeurIPS 2024", "NeurIPS 2027"), into=SUBITEMS)
    assert [f.message for f in found if f.rule == RULE] == [
        "The venue tag says 2027, which is in the future: use the date the paper appeared."
    ]  # and not also "write it as `NeurIPS 27'`"


def test_a_min_year_config_writes_is_the_maintainers_rule_an_error():
    from tests.conftest import run_rules

    bad = "- (*ICML 12'*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]\n"
    found = run_rules(bad, cfg="rules:\n  venue-tag:\n    min_year: 2015\n", checked={1})
    (f,) = [f for f in found if f.kind == "before-min-year"]
    assert f.severity == "error" and f.message.endswith("from 2015 on.")


def test_a_restyle_is_calibrated_by_what_it_changes():
    """A list that writes `arxiv` in lower case now and then (past calibration's share) still holds
    every venue year as `'24`: the case is its habit, `SIGIR 2023` is a slip."""
    rows = [
        f"- (*ICLR'{24 - n % 3}*) Paper {n} [[paper](https://arxiv.org/abs/2401.{n:05d})]" for n in range(40)
    ]
    rows += [
        f"- (*arxiv 2024.0{n % 9 + 1}*) Preprint {n} [[paper](https://arxiv.org/abs/2402.{n:05d})]"
        for n in range(4)
    ]
    rows += [
        f"- (*arXiv 2024.0{n % 9 + 1}*) Preprint {n} [[paper](https://arxiv.org/abs/2403.{n:05d})]"
        for n in range(20)
    ]
    into = PaperList("venue years as '24", "\n".join(rows) + "\n")
    slip = added("- (*SIGIR 2023*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]", into=into)
    assert [(f.severity, f.kind) for f in slip if f.rule == RULE] == [("error", "tag-restyle")]
    habit = added("- (*arxiv 2024.12*) A New Paper [[paper](https://arxiv.org/abs/2412.00001)]", into=into)
    assert [f for f in habit if f.rule == RULE] == []
