"""A seed-list pull request on the fake GitHub: base and head texts, the patch GitHub would send."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

from tests.fakes.github_server import FakeFile, FakeGitHub, fake_sha

REPO = "octo/awesome-self-play"
TOKEN = "ghp_test_token_0123456789"

SEED = """\
# Awesome-Self-Play-LLMs
A collection of AWESOME things about Finetuning LLMs with Self-Play Mechanisms.

## Related Works
- (*Arxiv 2024.11*) Self-Evolved Reward Learning for LLMs [[paper](https://arxiv.org/abs/2411.00418)]
- (*Arxiv 2024.08*) Self-Taught Evaluators [[paper](https://arxiv.org/abs/2408.02666)]
- (*NeurIPS 24'*) Self-playing Adversarial Language Game Enhances LLM Reasoning [[paper](https://arxiv.org/abs/2404.10642)] [[code](https://github.com/Linear95/SPAG)]
- (*Arxiv 2024.01*) Self-Rewarding Language Models [[paper](https://arxiv.org/abs/2401.10020)]
- (*ACL 24' findings*) Adversarial Preference Optimization: Enhancing Your Alignment via RM-LLM Game [[paper](https://aclanthology.org/2024.findings-acl.221/)]

## Contributing
```
- (*conference|journal*) paper_name [[pdf](link)][[code](link)]
```
"""

GOOD = "- (*Arxiv 2025.02*) S$^2$R: Teaching LLMs to Self-verify and Self-correct via Reinforcement Learning [[paper](https://arxiv.org/abs/2502.12853)]"
BAD = "- (*ICML 2024*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models [[paper](https://arxiv.org/pdf/2401.01335v2)]"
FIXED = "- (*ICML 24'*) Self-Play Fine-Tuning Converts Weak Language Models to Strong Language Models [[paper](https://arxiv.org/abs/2401.01335)]"


LAST = "[[paper](https://arxiv.org/abs/2401.10020)]\n"  # where a 2401 paper belongs, by the section's end


def with_lines(*lines: str, after: str = "## Related Works\n") -> str:
    return SEED.replace(after, after + "".join(line + "\n" for line in lines), 1)


def patch_of(old: str, new: str) -> str:
    """The hunks GitHub puts in a PR file's `patch` (a unified diff without file headers)."""
    # Lines as git counts them, at "\n" only (str.splitlines also breaks at U+2028, "\x0c", ...).
    diff = difflib.unified_diff(
        old.removesuffix("\n").split("\n"), new.removesuffix("\n").split("\n"), lineterm="", n=3
    )
    return "\n".join(list(diff)[2:])


def open_pr(
    gh: FakeGitHub,
    number: int,
    head_text: str,
    *,
    head: str = "h1",
    hide_patch: bool = False,
    base: str = SEED,
) -> str:
    """A PR against `base` (SEED) changing README.md to head_text; returns its head SHA."""
    if REPO not in {r for r in gh_repos(gh)}:
        gh.add_repo(REPO)
        gh.add_token(TOKEN)
    base_sha, head_sha = fake_sha(f"base{number}"), fake_sha(f"{number}-{head}")
    gh.put_file(REPO, "README.md", base, ref=base_sha)
    gh.put_file(REPO, "README.md", head_text, ref=head_sha)
    files = [FakeFile("README.md", patch_of(base, head_text), hide_patch=hide_patch)]
    gh.add_pull(REPO, number, head_sha=head_sha, base_sha=base_sha, files=files)
    return head_sha


def push(gh: FakeGitHub, number: int, head_text: str, head: str) -> str:
    head_sha = fake_sha(f"{number}-{head}")
    base_sha = fake_sha(f"base{number}")
    gh.put_file(REPO, "README.md", head_text, ref=head_sha)
    gh.push(REPO, number, head_sha, [FakeFile("README.md", patch_of(SEED, head_text))])
    gh.put_file(REPO, "README.md", SEED, ref=base_sha)
    return head_sha


def gh_repos(gh: FakeGitHub) -> list[str]:
    try:
        gh.repo(REPO)
        return [REPO]
    except KeyError:
        return []


def job(number: int, head_sha: str, delivery: str = "d-1", installation_id: int | None = None) -> dict:
    return {
        "delivery_id": delivery,
        "repo": REPO,
        "number": number,
        "head_sha": head_sha,
        "base_ref": "main",
        "installation_id": installation_id,
        "action": "opened",
        "draft": False,
    }


OPENED = Path(__file__).resolve().parents[1] / "fixtures" / "github" / "pull_request.opened.json"


def pr_event(number: int, head_sha: str, installation: int, action: str = "opened") -> dict[str, Any]:
    """The recorded `pull_request` payload shape, pointed at our repository, PR and head."""
    p = json.loads(OPENED.read_text())
    p["action"], p["number"] = action, number
    p["pull_request"]["number"] = number
    p["pull_request"]["head"]["sha"] = head_sha
    p["repository"]["full_name"] = REPO
    p["installation"] = {"id": installation}
    return p
