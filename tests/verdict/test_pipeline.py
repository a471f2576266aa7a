"""bot.core.verdict.pipeline: one function reviews a file for `check`, the review job and the Action."""

from __future__ import annotations

import pytest

from bot.core.config import config as config_mod
from bot.core.model import ArxivLookup, Paper
from bot.core.verdict import pipeline
from tests.conftest import TODAY

CFG = config_mod.loads("")
GOOD = "- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]"
OTHER = "- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]"
LIST = f"# A list\n\n## Related Works\n{GOOD}\n{OTHER}\n"


def test_offline_the_lines_under_review_are_judged_without_lookups() -> None:
    found = pipeline.review_file(LIST.encode(), "README.md", CFG, frozenset({5}), today=TODAY)
    assert [i.line for i in found.items] == [5] and found.arxiv is None and not found.incomplete
    assert all(f.line == 5 for f in found.findings)


def test_arxiv_is_asked_once_for_the_ids_under_review() -> None:
    asked: list[list[str]] = []

    def lookup(ids: list[str]) -> ArxivLookup:
        asked.append(ids)
        return ArxivLookup(
            papers={"2411.00418": Paper("2411.00418", "Self-Evolved Reward Learning for LLMs")},
            unverified={"2408.02666": "arXiv answered 503"},
        )

    found = pipeline.review_file(LIST.encode(), "README.md", CFG, None, lookup=lookup, today=TODAY)

    assert asked == [["2411.00418", "2408.02666"]]
    assert found.incomplete  # the job runs again later
    (notice,) = [f for f in found.findings if f.rule == "arxiv-exists"]
    assert notice.line == 5 and notice.severity == "notice" and notice.unverified


def test_invalid_utf8_is_read_and_reported_on_its_line() -> None:
    data = LIST.encode().replace(b"Evaluators", b"Evalu\xffators")
    found = pipeline.review_file(data, "README.md", CFG, None, today=TODAY)
    assert found.doc.bad_bytes == {5}
    assert any(f.line == 5 and f.rule == "entry-syntax" for f in found.findings), found.findings


@pytest.mark.parametrize("spent_after", [1, 40, 150, 400, 700])
def test_the_budget_is_checked_between_items_with_no_clock(spent_after: int) -> None:
    """The pipeline asks the budget it is given between items (and every few thousand lines while it
    splits the file), so a job stops inside a long file; the budget is a callable, the core reads no
    clock. Wherever it runs out (reading, learning, judging), the error names the file and line."""
    from bot.core.budget import Budget, OverBudget

    body = "".join(
        f"- (*Arxiv 2024.05*) Paper {n} [[paper](https://arxiv.org/abs/2405.{n:05d})]\n" for n in range(300)
    )
    asked = [0]

    def over() -> bool:
        asked[0] += 1
        return asked[0] > spent_after

    with pytest.raises(OverBudget, match=r"^over the test's budget at line \d+ of README\.md$"):
        pipeline.review_file(
            ("# A list\n\n## Related Works\n" + body).encode(), "README.md", CFG, None, today=TODAY,
            budget=Budget(over, "the test's budget"),
        )  # fmt: skip
    assert asked[0] == spent_after + 1  # it stopped at the first look past the budget
    found = pipeline.review_file(
        ("# A list\n\n## Related Works\n" + body).encode(), "README.md", CFG, None, today=TODAY
    )
    assert len(found.items) == 300  # without a budget: the whole file
