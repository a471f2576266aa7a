"""code-repo: a GitHub code link whose repository does not exist or is private (a warning by
default), or is archived (always a warning); silent when repositories were not looked up (offline,
no token) or GitHub did not answer for one. The lookup itself is tests/test_code_repo.py's."""

from __future__ import annotations

import pytest

from bot.core.model import Finding
from tests.conftest import run_rules

from .conftest import NAMED, NUMBERED, SUBITEMS, TABLE, Bad

PAPER = "- (*Arxiv 2025.02*) S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning [[paper](https://arxiv.org/abs/2502.12853)]"


def entry(*code: str) -> str:
    return PAPER + "".join(f" [[code]({url})]" for url in code)


def rule_findings(body: str, repos: dict[str, str] | None, cfg: str = "") -> list[Finding]:
    return [f for f in run_rules(body, cfg=cfg, repos=repos) if f.rule == "code-repo"]


def test_missing_and_archived_repositories_are_warnings() -> None:
    body = "\n".join(
        [
            entry("https://github.com/Gone/Away"),
            entry("https://github.com/old/Frozen/tree/main"),
            entry("https://github.com/fine/Repo"),
        ]
    )
    repos = {"gone/away": "missing", "old/frozen": "archived", "fine/repo": "ok"}
    found = rule_findings(body + "\n", repos)
    assert [(f.line, f.severity) for f in found] == [(1, "warning"), (2, "warning")]
    assert "The code repository Gone/Away does not exist or is private" in found[0].message
    assert "The code repository old/Frozen is archived" in found[1].message


def test_not_looked_up_or_unanswered_or_not_github_is_silent() -> None:
    body = entry("https://github.com/Gone/Away", "https://gitlab.com/Gone/Away") + "\n"
    assert rule_findings(body, None) == []  # offline / no token
    assert rule_findings(body, {}) == []  # GitHub did not answer for it
    assert rule_findings(entry("https://gitlab.com/Gone/Away") + "\n", {"gone/away": "missing"}) == []


def test_severity_is_configurable_and_archived_stays_a_warning() -> None:
    body = entry("https://github.com/a/b") + "\n" + entry("https://github.com/c/d") + "\n"
    repos = {"a/b": "missing", "c/d": "archived"}
    assert [f.severity for f in rule_findings(body, repos, "rules:\n  code-repo: error\n")] == [
        "error",
        "warning",
    ]
    assert rule_findings(body, repos, "rules:\n  code-repo: off\n") == []


GONE = {"gone/away": "missing", "old/frozen": "archived"}

CASES = [
    Bad(
        "1. **A New Paper.** ICLR 2025. [paper](https://arxiv.org/abs/2412.00001) [code](https://github.com/Gone/Away)",
        "warning",
        "The code repository Gone/Away does not exist or is private",
        None,
        NUMBERED,
        repos=GONE,
    ),
    Bad(  # the list labels its code links `Official`, on a `Code:` line below the entry
        "- [A New Paper](https://arxiv.org/abs/2412.00001)\n  - Ada Lovelace\n  - Code: [Official](https://github.com/Gone/Away)",
        "warning",
        "The code repository Gone/Away does not exist or is private",
        None,
        SUBITEMS,
        repos=GONE,
    ),
    Bad(
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)][[PyTorch](https://github.com/old/Frozen)]',
        "warning",
        "The code repository old/Frozen is archived",
        None,
        NAMED,
        repos=GONE,
    ),
    Bad(  # a code label naming whose implementation it is
        '* **NP**: "A New Paper", ICLR, 2025 (*MIT*). [[Paper](https://arxiv.org/abs/2412.00001)][[PyTorch (gone)](https://github.com/Gone/Away)]',
        "warning",
        "The code repository Gone/Away does not exist or is private",
        None,
        NAMED,
        repos=GONE,
    ),
    Bad(
        "| A New Paper | ICLR 2025 | [paper](https://arxiv.org/abs/2412.00001) | [code](https://github.com/Gone/Away) |",
        "warning",
        "The code repository Gone/Away does not exist or is private",
        None,
        TABLE,
        repos=GONE,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.into.name)
def test_bad_lines_are_found_with_their_fix(case):
    case.found("code-repo")
