"""What the rules' tests share: a list in the seed's format, and `added`, which inserts lines into a
list and judges them as the only added lines, the way `check --diff` does (the format learnt from the
list without them)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import ArxivLookup, Finding, Paper
from tests.conftest import HEAD, run_rules


@dataclass(frozen=True)
class PaperList:
    """A list in one format: what stands above its entries (headings, a table's header) and the
    entries themselves; `added` counts lines from the first entry."""

    name: str
    body: str
    head: str = HEAD


SEED = PaperList(
    "seed",
    """\
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*NeurIPS 24'*) Self-playing Adversarial Language Game Enhances LLM Reasoning [[paper](https://arxiv.org/abs/2404.10642)] [[code](https://github.com/Linear95/SPAG)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game [[paper](https://arxiv.org/abs/2311.08045)] [[code](https://github.com/Linear95/APO)]
""",
)

# arXiv's metadata for the id the new entries link to.
PAPER = Paper("2412.00001", "A New Paper: With a Subtitle", ("A. Author",), "2024-12-01T00:00:00Z", version=1)


def added(
    line: str,
    at: int = 1,
    cfg: str | None = None,
    arxiv: ArxivLookup | None = None,
    into: PaperList = SEED,
    repos: dict[str, str] | None = None,
) -> list[Finding]:
    """Insert `line` (one or more lines) before line `at` of the list's entries and judge it as the
    only added lines."""
    rows = into.body.splitlines()
    new = line.split("\n")
    rows[at - 1 : at - 1] = new
    return run_rules(
        "\n".join(rows) + "\n",
        checked=set(range(at, at + len(new))),
        cfg=cfg,
        arxiv=arxiv,
        head=into.head,
        repos=repos,
    )


@dataclass(frozen=True)
class Bad:
    """A bad line added to a list (before its line `at`), and what the rule must say of it: the
    severity, words of the message, and the suggestion (None: no mechanical fix; "": the suggestion
    removes the line), on the line it was added at."""

    line: str
    severity: str
    words: str
    suggestion: str | None
    into: PaperList = SEED
    at: int = 1
    arxiv: ArxivLookup | None = None
    repos: dict[str, str] | None = None

    def found(self, rule: str) -> Finding:
        found = added(self.line, self.at, arxiv=self.arxiv, into=self.into, repos=self.repos)
        mine = [f for f in found if f.rule == rule]
        assert mine, f"{rule} missed: {self.line} ({[(f.rule, f.message) for f in found]})"
        f = mine[0]
        assert f.severity == self.severity
        assert self.words in f.message, f.message
        assert f.line == self.at
        assert f.suggestion == self.suggestion
        return f
