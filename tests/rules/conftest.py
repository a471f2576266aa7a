"""What the rules' tests share: a list in the seed's format, and `added`, which inserts lines into a
list and judges them as the only added lines, the way `check --diff` does (the format learnt from the
list without them)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.core.model import ArxivLookup, Finding, Paper, RecordLookup
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

# Lists of other formats, each as written by a real list (shared/corpus/lists), newest first.
NUMBERED = PaperList(  # thunlp/PromptPapers, with its links on the title's line
    "numbered",
    """\
1. **Self-Evolved Reward Learning for LLMs.** ICLR 2025. [paper](https://arxiv.org/abs/2411.00418)
2. **Self-Taught Evaluators.** arXiv 2024. [paper](https://arxiv.org/abs/2408.02666)
3. **Self-playing Adversarial Language Game Enhances LLM Reasoning.** NeurIPS 2024. [paper](https://arxiv.org/abs/2404.10642) [code](https://github.com/Linear95/SPAG)
4. **Self-Rewarding Language Models.** ICML 2024. [paper](https://arxiv.org/abs/2401.10020)
5. **Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game.** ACL 2024. [paper](https://arxiv.org/abs/2311.08045) [code](https://github.com/Linear95/APO)
6. **Direct Preference Optimization: Your Language Model is Secretly a Reward Model.** NeurIPS 2023. [paper](https://arxiv.org/abs/2305.18290)
""",
)
SUBITEMS = PaperList(  # opendilab/awesome-RLHF: the title is the paper link, metadata below it
    "sub-items",
    """\
- [Self-Evolved Reward Learning for LLMs](https://arxiv.org/abs/2411.00418)
  - Chenghua Huang, Zhizhen Fan, Lu Wang, Fangkai Yang
  - Keyword: Reward Model, Self-Training
- [Self-Taught Evaluators](https://arxiv.org/abs/2408.02666)
  - Tianlu Wang, Ilia Kulikov, Olga Golovneva, Ping Yu
  - Keyword: LLM-as-a-Judge, Synthetic Data
  - Code: [Official](https://github.com/facebookresearch/RAM)
- [Self-playing Adversarial Language Game Enhances LLM Reasoning](https://arxiv.org/abs/2404.10642)
  - Pengyu Cheng, Tianhao Hu, Han Xu, Zhisong Zhang
  - Keyword: Self-Play, Adversarial Game
  - Code: [Official](https://github.com/Linear95/SPAG)
- [Self-Rewarding Language Models](https://arxiv.org/abs/2401.10020)
  - Weizhe Yuan, Richard Yuanzhe Pang, Kyunghyun Cho, Xian Li
  - Keyword: Self-Rewarding, DPO
- [Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game](https://arxiv.org/abs/2311.08045)
  - Pengyu Cheng, Yifan Yang, Jian Li, Yong Dai
  - Keyword: Adversarial Game, Reward Model
  - Code: [Official](https://github.com/Linear95/APO)
- [Direct Preference Optimization: Your Language Model is Secretly a Reward Model](https://arxiv.org/abs/2305.18290)
  - Rafael Rafailov, Archit Sharma, Eric Mitchell, Stefano Ermon
  - Keyword: DPO, Offline Preference
""",
)
NAMED = PaperList(  # cmhungsteve/Awesome-Transformer-Attention
    "named",
    """\
* **SER**: "Self-Evolved Reward Learning for LLMs", arXiv, 2024 (*Fudan*). [[Paper](https://arxiv.org/abs/2411.00418)]
* **Self-Taught**: "Self-Taught Evaluators", arXiv, 2024 (*Meta*). [[Paper](https://arxiv.org/abs/2408.02666)][[PyTorch](https://github.com/facebookresearch/RAM)]
* **SPAG**: "Self-playing Adversarial Language Game Enhances LLM Reasoning", NeurIPS, 2024 (*Tencent*). [[Paper](https://arxiv.org/abs/2404.10642)][[PyTorch](https://github.com/Linear95/SPAG)]
* **Self-Rewarding**: "Self-Rewarding Language Models", ICML, 2024 (*Meta*). [[Paper](https://arxiv.org/abs/2401.10020)]
* **APO**: "Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game", ACL, 2024 (*Tencent*). [[Paper](https://arxiv.org/abs/2311.08045)][[PyTorch](https://github.com/Linear95/APO)]
* **DPO**: "Direct Preference Optimization: Your Language Model is Secretly a Reward Model", NeurIPS, 2023 (*Stanford*). [[Paper](https://arxiv.org/abs/2305.18290)]
""",
)
TABLE = PaperList(  # a GFM table, read by its header
    "table",
    """\
| Self-Evolved Reward Learning for LLMs | ICLR 2025 | [paper](https://arxiv.org/abs/2411.00418) | |
| Self-Taught Evaluators | arXiv 2024 | [paper](https://arxiv.org/abs/2408.02666) | [code](https://github.com/facebookresearch/RAM) |
| Self-playing Adversarial Language Game Enhances LLM Reasoning | NeurIPS 2024 | [paper](https://arxiv.org/abs/2404.10642) | [code](https://github.com/Linear95/SPAG) |
| Self-Rewarding Language Models | ICML 2024 | [paper](https://arxiv.org/abs/2401.10020) | |
| Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game | ACL 2024 | [paper](https://arxiv.org/abs/2311.08045) | [code](https://github.com/Linear95/APO) |
| Direct Preference Optimization: Your Language Model is Secretly a Reward Model | NeurIPS 2023 | [paper](https://arxiv.org/abs/2305.18290) | |
""",
    HEAD + "\n| Title | Venue | Paper | Code |\n|---|---|---|---|\n",
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
    records: RecordLookup | None = None,
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
        records=records,
    )


@dataclass(frozen=True)
class Bad:
    """A bad line added to a list (before its line `at`), and what the rule must say of it: the
    severity, words of the message, and the suggestion (None: no mechanical fix; "": the suggestion
    removes the line), on the lines it was added at."""

    line: str
    severity: str
    words: str
    suggestion: str | None
    into: PaperList = SEED
    at: int = 1
    arxiv: ArxivLookup | None = None
    repos: dict[str, str] | None = None
    records: RecordLookup | None = None

    def found(self, rule: str) -> Finding:
        found = added(
            self.line, self.at, arxiv=self.arxiv, into=self.into, repos=self.repos, records=self.records
        )
        mine = [f for f in found if f.rule == rule]
        assert mine, f"{rule} missed: {self.line} ({[(f.rule, f.message) for f in found]})"
        f = mine[0]
        assert f.severity == self.severity
        assert self.words in f.message, f.message
        assert (f.line, f.end_line) == (self.at, self.at + self.line.count("\n"))  # the whole entry
        assert f.suggestion == self.suggestion
        return f


def xfail(case: Bad, reason: str):
    """A case written for the right behaviour, which the rule does not have yet: it must fail (strict)
    until the rule is fixed, and then the mark goes."""
    return pytest.param(
        case, marks=pytest.mark.xfail(strict=True, reason=reason), id=f"{case.into.name}-xfail"
    )
