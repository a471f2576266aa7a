"""bot.core.verdict.calibration: a list's accepted entries say what is its style and what a defect.

Every claim of README § Calibration is here: a kind that fires on most accepted entries is not
reported on that list, the same defect on one line of a clean list is; a rule whose severity config.yml
writes is reported whatever the list's style; a pull request is calibrated on its base, never its head;
a list whose format cannot be learnt gets only format-free checks, and no seed-style advice; the
calibration of a base is cached by its blob SHA.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.core.config import config as config_mod
from bot.core.rules import RULES
from bot.core.rules.base import Calibration
from bot.core.verdict import calibration, judge, pipeline
from bot.core.verdict.review import FileReview, plan_review
from tests.conftest import HEAD, TODAY, run_rules


def aid(i: int) -> str:
    y, m = 2024 - i // 12, 12 - i % 12
    return f"{y % 100:02d}{m:02d}.{10000 + i:05d}"


def entry(i: int, *, pdf: bool = False, tag: str = "") -> str:
    """The i-th entry of a list in the seed's format, newest first, with an id of its own."""
    y, m = 2024 - i // 12, 12 - i % 12
    url = f"https://arxiv.org/{'pdf' if pdf else 'abs'}/{aid(i)}"
    return f"- (*{tag or f'Arxiv {y}.{m:02d}'}*) Paper Number {i} on Self-Play [[paper]({url})]"


def body(n: int, pdf: set[int] = frozenset(), start: int = 0) -> str:
    return "".join(entry(i, pdf=i in pdf) + "\n" for i in range(start, start + n))


def kinds(found, rule: str) -> list[str]:
    return [f.kind for f in found if f.rule == rule]


# --------------------------------------------------------------------------- style and defects


def test_a_kind_on_most_accepted_entries_is_the_lists_style_and_is_not_reported():
    found = run_rules(body(20, pdf=set(range(15))))  # 15 of 20 link the pdf: how this list links
    assert kinds(found, "arxiv-link") == []


def test_the_same_defect_on_one_line_of_a_clean_list_is_reported():
    found = run_rules(body(20, pdf={7}))
    assert kinds(found, "arxiv-link") == ["pdf-link"]
    (f,) = [f for f in found if f.rule == "arxiv-link"]
    assert f.line == 8 and "/abs/" in f.suggestion


def test_one_defect_on_a_nine_entry_list_is_reported():
    # 1 of 9 is 11%, over the share: the minimum count keeps a single defect a defect.
    assert calibration.SHARE < 1 / 9 and calibration.MIN_COUNT > 1
    assert kinds(run_rules(body(9, pdf={4})), "arxiv-link") == ["pdf-link"]


def test_as_many_as_the_minimum_over_the_share_are_style_and_fewer_are_not():
    n = calibration.MIN_COUNT
    size = int(n / calibration.SHARE) - 1  # n of size: just over the share
    style = run_rules(body(size, pdf=set(range(n))))
    assert kinds(style, "arxiv-link") == []
    few = run_rules(body(size, pdf=set(range(n - 1))))
    assert kinds(few, "arxiv-link") == ["pdf-link"] * (n - 1)
    rare = run_rules(body(4 * size, pdf=set(range(n))))  # the same number, under the share
    assert kinds(rare, "arxiv-link") == ["pdf-link"] * n


def test_a_kind_on_fifty_accepted_entries_is_a_style_whatever_its_share():
    def big(n: int, pdf: int) -> str:  # n entries of 2024, newest first, the first `pdf` linking the pdf
        rows = []
        for i in range(n):
            m = 12 - i * 12 // n
            url = f"https://arxiv.org/{'pdf' if i < pdf else 'abs'}/24{m:02d}.{10000 + i:05d}"
            rows.append(f"- (*Arxiv 2024.{m:02d}*) Paper Number {i} on Self-Play [[paper]({url})]\n")
        return "".join(rows)

    n = int(calibration.HABIT / calibration.SHARE) + 100  # the habit is under the share here
    assert kinds(run_rules(big(n, calibration.HABIT)), "arxiv-link") == []
    assert kinds(run_rules(big(n, calibration.HABIT - 1)), "arxiv-link") == ["pdf-link"] * (
        calibration.HABIT - 1
    )


def test_kinds_are_calibrated_apart_within_a_rule():
    # The list writes pdf links; a versioned abs link is no style of it.
    text = body(20, pdf=set(range(15))).replace(f"abs/{aid(17)}", f"abs/{aid(17)}v2")
    found = run_rules(text)
    assert kinds(found, "arxiv-link") == ["versioned"]


def test_a_message_that_says_several_kinds_drops_those_that_are_the_lists_style():
    # pdf links are this list's style; the one that also pins a version is told only of that.
    text = body(20, pdf=set(range(15))).replace(f"pdf/{aid(7)}", f"pdf/{aid(7)}v3")
    (f,) = [f for f in run_rules(text) if f.rule == "arxiv-link"]
    assert f.kind == "versioned" and "pins version v3" in f.message and "pdf" not in f.message


def test_entry_syntax_problems_are_calibrated_by_field_and_markup():
    # A list whose style is a bold title (as its base says) still hears of a title in italics.
    rows = [entry(i) for i in range(20)]
    rows[3] = rows[3].replace("*) Paper", "*) **Paper").replace(" on Self-Play", " on Self-Play**")
    rows[5] = rows[5].replace("*) Paper", "*) _Paper").replace(" on Self-Play", " on Self-Play_")
    doc = pipeline.prepare(HEAD + "\n".join(rows) + "\n", config_mod.loads(""))
    bold, italic = (i for i in doc.items if i.problems)
    assert [(p.kind.id, p.detail) for p in bold.problems] == [("field-markup", "title **{}**")]
    assert [(p.kind.id, p.detail) for p in italic.problems] == [("field-markup", "title _{}_")]
    style = Calibration(20, 18, style=frozenset({("entry-syntax", "field-markup", "title **{}**")}))
    doc.config = replace(doc.config, calibration=style)
    found = judge.judge(doc, doc.config, "README.md", today=TODAY)
    assert [(f.line, f.kind) for f in found if f.rule == "entry-syntax"] == [(italic.line, "field-markup")]


# --------------------------------------------------------------------------- config forces a rule on


@pytest.mark.parametrize(
    "cfg",
    ["rules:\n  arxiv-link: warning\n", "rules:\n  arxiv-link:\n    severity: error\n"],
    ids=["bare severity", "mapping with severity"],
)
def test_a_severity_written_in_config_brings_the_rule_back(cfg):
    found = run_rules(body(20, pdf=set(range(15))), cfg=cfg)
    assert kinds(found, "arxiv-link") == ["pdf-link"] * 15


def test_options_alone_do_not_force_a_rule():
    cfg = config_mod.loads("rules:\n  links:\n    code_hosts: [github.com]\n")
    assert "links" not in cfg.forced and not cfg.forced


def test_a_repository_config_forces_a_rule_over_the_deployments():
    base = config_mod.loads("")
    repo = config_mod.overlay(base, "rules:\n  arxiv-link: error\n", ".github/awesome-review.yml")
    assert repo.forced == {"arxiv-link"}
    assert kinds(run_rules(body(20, pdf=set(range(15))), cfg=repo), "arxiv-link") == ["pdf-link"] * 15


# --------------------------------------------------------------------------- a pull request


def test_a_pull_request_is_calibrated_on_its_base_not_its_head():
    # 50 pdf links added to a clean list of 20: the head would call them style, the base does not.
    text = body(50, pdf=set(range(20, 70)), start=20) + body(20)
    found = run_rules(text, checked=set(range(1, 51)))
    assert kinds(found, "arxiv-link") == ["pdf-link"] * 50


def test_a_pull_request_adding_the_lists_style_is_not_told_otherwise():
    text = entry(99, pdf=True) + "\n" + body(20, pdf=set(range(15)))
    assert kinds(run_rules(text, checked={1}), "arxiv-link") == []


# --------------------------------------------------------------------------- no learnt format


ODD = """\
* Paper One on Self-Play. NeurIPS 2024. [paper](https://arxiv.org/abs/2404.10642)
* Paper Two on Self-Play. ICML 2024. [paper](https://arxiv.org/pdf/2401.01335)
* Paper Three on Self-Play. ACL 2024. [paper](https://arxiv.org/abs/2311.08045 [code](https://github.com/a/b)
"""


def test_a_list_too_short_to_learn_from_gets_only_format_free_checks():
    found = run_rules(ODD)
    # The pdf link and the broken bracket are said (they hold in any format)...
    assert ("arxiv-link", "pdf-link") in {(f.rule, f.kind) for f in found}
    assert any(f.rule == "entry-syntax" and f.kind == "link-unrendered" for f in found)
    # ...but no format advice: no field markup, no tag style, nothing in the seed list's style.
    fmt = {k.id for r in RULES for k in r.RULE.kinds if k.format}
    assert not [f for f in found if f.kind in fmt]
    assert not any("(*" in f.message or "Arxiv 2024" in f.message or "24'" in f.message for f in found)


def test_a_list_its_templates_explain_too_little_of_gets_no_format_advice():
    # Twelve entries in six shapes, two of each: the first shape explains a sixth of the list.
    shapes = [
        "- {t} [[paper]({u})]",
        "- **{t}** [[paper]({u})]",
        "- *{t}* [[paper]({u})]",
        '- "{t}" [[paper]({u})]',
        "- [{t}]({u})",
        "- {t}, 2024. [[paper]({u})]",
    ]
    rows = [
        s.format(t=f"Paper {i}{j} on Self-Play", u=f"https://arxiv.org/abs/2401.{10000 + 10 * i + j:05d}")
        for i, s in enumerate(shapes)
        for j in range(2)
    ]
    doc = pipeline.prepare(HEAD + "\n".join(rows) + "\n", config_mod.loads(""))
    found = judge.judge(doc, doc.config, "README.md", today=TODAY)
    withheld = doc.config.calibration.withheld
    assert "of its 12 entries" in withheld and f"it takes {calibration.EXPLAINED:.0%}" in withheld
    assert doc.config.calibration.explained < calibration.EXPLAINED * 12
    assert not [f for f in found if f.rule == "entry-syntax"]


def test_a_format_config_writes_is_used_however_little_the_list_has():
    cfg = "grammar:\n  entry: ['- (*{tag}*) {title} {links}']\n"
    few = (
        "- (*NeurIPS 24'*) Paper One on Self-Play [[paper](https://arxiv.org/abs/2404.10642)]\n"
        "- (*ICML 24'*) Paper Two on Self-Play [[paper](https://arxiv.org/abs/2401.01335)]\n"
        "- Paper Three on Self-Play [[paper](https://arxiv.org/abs/2311.08045)]\n"
    )
    found = run_rules(few, cfg=cfg)
    assert [(f.line, f.kind) for f in found if f.rule == "entry-syntax"] == [(3, "field-missing")]


def test_a_message_never_quotes_a_made_up_entry():
    # A format written in config, and no entry of it in the list to quote: no quote at all.
    cfg = "grammar:\n  entry: ['- (*{tag}*) {title} {links}']\n"
    for f in run_rules(ODD, cfg=cfg):
        assert "An entry looks like" not in f.message
    # The list's own entry, where it has one.
    rows = body(9).splitlines()
    bad = "- Paper Without Its Tag [[paper](https://arxiv.org/abs/2407.10099)]"
    (f,) = [f for f in run_rules("\n".join([bad, *rows]) + "\n", checked={1}) if f.rule == "entry-syntax"]
    quoted = f.message.split("An entry looks like `", 1)[1].rsplit("`", 1)[0]
    assert quoted in rows


def test_the_summary_says_once_why_format_advice_is_withheld():
    doc = pipeline.prepare(HEAD + ODD, config_mod.loads(""))
    found = judge.judge(doc, doc.config, "README.md", today=TODAY)
    withheld = doc.config.calibration.withheld
    review = FileReview("README.md", doc.items, found, grammar=doc.grammar, withheld=withheld)
    summary = plan_review("a" * 40, [review], config_mod.loads("")).summary
    assert summary.count("No format advice on `README.md`") == 1 and "3 entries" in summary
    assert "Entries follow this format" not in summary


def test_check_says_once_why_format_advice_is_withheld(tmp_path):
    import subprocess
    import sys

    (tmp_path / "README.md").write_text(HEAD + ODD)
    run = [sys.executable, "-m", "bot", "check", "README.md", "--offline"]
    text = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert text.stderr.count("no format advice") == 1, text.stderr
    js = subprocess.run([*run, "--format", "json"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    out = json.loads(js.stdout)
    assert "3 entries" in out["summary"]["format"]["withheld"]
    assert {f["kind"] for f in out["findings"]} >= {"pdf-link", "link-unrendered"}


@pytest.mark.parametrize("odd", [1, 2, 3])
def test_one_or_two_entries_out_of_format_are_defects_not_a_misread_format(odd):
    """A short list with one or two entries the format does not explain still gets format advice on
    them (as one or two findings are never a style); three written alike are a shape of the list's own."""
    rows = body(7 - odd).splitlines()
    rows += [f"* Paper {k} on Self-Play [paper](https://arxiv.org/abs/2402.{k + 10:05d})" for k in range(odd)]
    doc = pipeline.prepare(HEAD + "\n".join(rows) + "\n", config_mod.loads(""))
    found = judge.judge(doc, doc.config, "README.md", today=TODAY)
    advised = [f for f in found if f.rule == "entry-syntax"]
    if odd < calibration.MIN_COUNT:
        assert doc.config.calibration.withheld == "" and len(advised) == odd
    else:
        assert not advised
