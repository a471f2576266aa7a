import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import TODAY, run_rules, shared
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import configfile
from bot.core.config import config as config_mod
from bot.core.config.config import ConfigError, loads
from bot.core.verdict import pipeline

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_config_is_the_embedded_default_and_every_key_is_commented():
    shipped = configfile.load(ROOT / "config.yml", required=True)
    assert shipped.data == config_mod.default_data()
    lines = (ROOT / "config.yml").read_text().splitlines()
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and line.endswith(":") and not line.startswith(" " * 4):
            assert lines[i - 1].strip().startswith("#"), (
                f"config.yml:{i + 1}: {line!r} has no comment above it"
            )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "rules:\n  arxiv-title: severe\n",
            "config.yml:2: rules.arxiv-title: 'severe' is not one of error, warning, notice, off",
        ),
        (
            "rules:\n  arxiv-titel: error\n",
            "config.yml:2: rules.arxiv-titel: unknown key (did you mean 'arxiv-title'?)",
        ),
        ("rulez: {}\n", "config.yml:1: rulez: unknown key (did you mean 'rules'?)"),
        (
            "rules:\n  duplicate:\n    scope: all\n",
            "config.yml:3: rules.duplicate.scope: 'all' is not one of file, section",
        ),
        (
            "rules:\n  arxiv-title:\n    accept_at: high\n",
            "config.yml:3: rules.arxiv-title.accept_at: 'high' should be a number",
        ),
        (
            "rules:\n  order:\n    severity: loud\n",
            "config.yml:3: rules.order.severity: 'loud' is not one of",
        ),
        (
            "grammar:\n  venue_tag: '{venue}'\n",
            "config.yml:2: grammar.venue_tag: '{venue}' needs a {yy} or {yyyy} placeholder",
        ),
        (
            "grammar:\n  venue_tag: ['{venue} {yy} {venue}']\n",
            "config.yml:2: grammar.venue_tag: '{venue} {yy} {venue}': {venue} appears more than once",
        ),
        (
            "grammar:\n  preprint_tag: 'Arxiv {yyyy}.{mm}.{mm}'\n",
            "config.yml:2: grammar.preprint_tag: 'Arxiv {yyyy}.{mm}.{mm}': {mm} appears more than once",
        ),
        ("sections: Related Works\n", "config.yml:1: sections: should be a list of strings"),
        ("arxiv:\n  batch_size: 0\n", "config.yml:2: arxiv.batch_size: 0 should be at least 1"),
        ("files: [\n", "config.yml:2: is not valid YAML"),
        ("- just\n- a list\n", "config.yml:1: must be a mapping"),
        ("a: !!python/object/apply:os.system ['true']\n", "config.yml:1: is not valid YAML"),
    ],
)
def test_bad_config_names_file_line_and_key(text, message):
    with pytest.raises(ConfigError) as err:
        loads(text)
    assert str(err.value).startswith(message), str(err.value)


def test_yaml_off_and_false_mean_off():
    for text in ("rules:\n  order: off\n", "rules:\n  order: false\n", "rules:\n  order: 'OFF'\n"):
        assert loads(text).severity("order") == "off"


def test_partial_rule_mapping_keeps_other_defaults():
    cfg = loads("rules:\n  arxiv-title:\n    accept_at: 90\n")
    assert cfg.severity("arxiv-title") == "error"
    assert cfg.option("arxiv-title", "accept_at") == 90
    assert cfg.option("arxiv-title", "error_below") == 80


def test_missing_required_file_and_empty_file():
    with pytest.raises(ConfigError, match="no such file"):
        configfile.load("/nonexistent/config.yml", required=True)
    assert loads("").data == config_mod.default_data()


GRAPH_CONFIG = """
sections: ["*"]
grammar:
  preprint_tag: "arXiv {yyyy}.{mm}"
  venue_tag: "{venue}'{yy}"
  other_labels: [project, blog, datasets]
rules:
  venue-tag:
    venues: [NeurIPS, ICLR, KDD, ACL, EMNLP, AAAI, WWW, NAACL, ICML, WSDM, SIGIR, IJCAI, CIKM, TMLR, TKDE, EACL]
"""


SEED_CONFIG = """
grammar:
  entry: "- (*{tag}*) {title} {links}"
  preprint_tag: "Arxiv {yyyy}.{mm}"
  venue_tag: "{venue} {yy}'"
  link: "[[{label}]({url})]"
  paper_labels: [paper, pdf]
"""


def test_another_lists_style_is_a_config_change():
    line = "- (*NeurIPS'23*) Can Language Models Solve Graph Problems in Natural Language? [[paper](https://arxiv.org/abs/2305.10037)][[code](https://github.com/Arthur-Heng/NLGraph)]![GitHub Repo stars](https://img.shields.io/github/stars/Arthur-Heng/NLGraph?style=social)\n"
    preprint = "- (*arXiv 2024.07*) A Graph Paper [[paper](https://arxiv.org/abs/2407.00001)]\n"
    assert run_rules(preprint + line, cfg=GRAPH_CONFIG) == []
    seed_style = {f.rule for f in run_rules(preprint + line, cfg=SEED_CONFIG)}
    assert "venue-tag" in seed_style  # the seed style rejects its tags (badges are read in any style)


def test_graph_llm_list_parses_with_its_config():
    text = shared("corpus", "lists", "XiaoxinHe__Awesome-Graph-LLM.md").read_text()
    from bot.core.verdict import pipeline

    doc = pipeline.prepare(text, loads(GRAPH_CONFIG))
    items = [i for i in doc.items if i.in_scope]
    parsed = [i for i in items if i.entry]
    assert len(items) > 150
    assert len(parsed) / len(items) > 0.9  # the few others are real defects or non-paper items


# -- every template config.yml may hold, read by the machinery it feeds (issue 19, item 15) ---------

TEMPLATE_KEYS = {
    "entry": ["{title}", "{tag}", "{date}", "{authors}", "{name}", "{note}", "{links}", "{badges}", "[{title}]({paper})"],
    "details": ["{authors}", "{links}", "{note}", "{date}", "{badges}"],
    "preprint_tag": ["{yyyy}", "{yy}", "{mm}", "{m}", "{venue}", "Arxiv"],
    "venue_tag": ["{yyyy}", "{yy}", "{mm}", "{m}", "{venue}"],
    "date": ["{yyyy}", "{yy}", "{mm}", "{m}"],
    "link": ["{label}", "{url}"],
}  # fmt: skip
MARKUP = [
    " ",
    "(",
    ")",
    "*",
    "**",
    "[",
    "]",
    "[[",
    "]]",
    ".",
    ",",
    "'",
    "-",
    ":",
    "|",
    "{",
    "}",
    "\\",
    "$",
    "?",
    "x",
]
TEMPLATE_LIST = (
    "# A list\n\n## Related Works\n"
    + "".join(
        f"- (*Arxiv 2024.{m:02d}*) Title {m} [[paper](https://arxiv.org/abs/24{m:02d}.0000{m})]\n"
        for m in range(1, 9)
    )
    + "* (ICML 2024) Title [paper](https://arxiv.org/abs/2401.01335)\n- [2024/05] **T.** *A B* [code](x) (NeurIPS'24)\n"
)


@st.composite
def templates(draw) -> tuple[str, str]:
    key = draw(st.sampled_from(sorted(TEMPLATE_KEYS)))
    pieces = draw(st.lists(st.sampled_from(TEMPLATE_KEYS[key] + MARKUP), min_size=1, max_size=7))
    return key, ("- " if key == "entry" else "") + "".join(pieces)


@settings(max_examples=300, deadline=None)
@given(templates())
def test_a_template_config_validates_is_one_the_bot_can_use(template: tuple[str, str]) -> None:
    """A repeated placeholder validated and then crashed the job and `check` (re.error): a tag template
    compiles into a pattern with one group per placeholder, a link template is filled in. Any template
    either fails validation naming its key, or the whole pipeline reads, judges and fixes a list with it."""
    key, value = template
    text = yaml.safe_dump({"grammar": {key: [value]}})
    try:
        cfg = loads(text)
    except ConfigError as exc:
        assert str(exc).startswith(f"config.yml:2: grammar.{key}: "), str(exc)
        return
    found = pipeline.review_file(TEMPLATE_LIST.encode(), "README.md", cfg, None, today=TODAY)
    assert found.items  # read and judged; a suggestion, where there is one, was written in the format


def test_check_refuses_a_repeated_placeholder_in_one_line(tmp_path) -> None:
    (tmp_path / "README.md").write_text(TEMPLATE_LIST)
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "awesome-review.yml").write_text(
        "grammar:\n  venue_tag: ['{venue} {yy} {venue}']\n"
    )
    r = subprocess.run(
        [sys.executable, "-m", "bot", "check", "README.md", "--offline"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert (r.returncode, r.stdout) == (2, "")
    assert r.stderr == (
        "error: .github/awesome-review.yml:2: grammar.venue_tag: '{venue} {yy} {venue}': {venue} appears more "
        "than once "
        "(each placeholder reads one part)\n"
    )
