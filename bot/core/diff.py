"""Unified diffs → the lines each file gains, numbered as in the new file (unidiff does the parsing)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from .lines import split_lines


class DiffError(ValueError):
    """A diff that cannot be read; str() says where."""


@dataclass(frozen=True)
class FileChange:
    path: str  # new path ("" when deleted)
    old_path: str
    added: frozenset[int]  # line numbers in the new file
    status: str  # added | modified | removed | renamed
    anchors: frozenset[int] = frozenset()  # added and context lines: where a review comment may go
    removed: tuple[str, ...] = ()  # the text of the lines it removes


def parse(diff: str) -> list[FileChange]:
    """Every file of a `git diff`-style patch; a malformed one raises DiffError naming the line."""
    from unidiff import PatchSet  # imported on use: a whole-file `check` never needs it
    from unidiff.errors import UnidiffParseError

    try:
        patch = PatchSet(split_lines(diff, keepends=True))
    except UnidiffParseError as exc:
        raise DiffError(f"not a unified diff: {exc}") from None
    except Exception as exc:  # unidiff can fail on hostile input with its own bugs
        raise DiffError(f"not a unified diff: {type(exc).__name__}") from None
    out = []
    for f in patch:
        added = frozenset(ln.target_line_no for h in f for ln in h if ln.is_added and ln.target_line_no)
        context = frozenset(ln.target_line_no for h in f for ln in h if ln.is_context and ln.target_line_no)
        status = (
            "removed"
            if f.is_removed_file
            else "added"
            if f.is_added_file
            else "renamed"
            if f.is_rename or _strip(f.source_file) != _strip(f.target_file)
            else "modified"
        )
        removed = tuple(ln.value.rstrip("\r\n") for h in f for ln in h if ln.is_removed)
        out.append(
            FileChange(_strip(f.target_file), _strip(f.source_file), added, status, added | context, removed)
        )
    return out


def added_lines(diff: str, path: str) -> frozenset[int]:
    """Lines added to `path` by the hunks of that file (of a diff that may touch several). A diff
    that holds no file, or does not touch `path`, raises DiffError saying so: judging another file's
    line numbers, or nothing at all, would look like a pass. An empty diff adds nothing."""
    return file_change(diff, path).added


def file_change(diff: str, path: str) -> FileChange:
    """What the diff does to `path` (see :func:`added_lines`)."""
    if not diff.strip():  # an empty diff: nothing changed (`git diff -- FILE` of an untouched file)
        return FileChange(path, path, frozenset(), "modified")
    changes = parse(diff)
    if not changes:
        raise DiffError("holds no file changes (no `---`/`+++` headers and hunks): nothing to judge")
    for c in changes:
        if c.status != "removed" and _same(c.path, path):
            return c
    touched = ", ".join(sorted({c.path or c.old_path for c in changes}))
    raise DiffError(f"does not touch {path} (it touches {touched})")


def patch_added_lines(patch: str) -> frozenset[int]:
    """GitHub's per-file `patch` holds hunks without file headers."""
    return added_lines(_with_headers(patch), "f")


def patch_removed_lines(patch: str) -> tuple[str, ...]:
    """The text of the lines GitHub's per-file `patch` removes."""
    return file_change(_with_headers(patch), "f").removed


def patch_anchors(patch: str) -> frozenset[int]:
    """Lines of GitHub's per-file `patch` a review comment may anchor on (side RIGHT): added and
    context lines, numbered as in the new file."""
    changes = parse(_with_headers(patch))
    return changes[0].anchors if changes else frozenset()


def _with_headers(patch: str) -> str:
    return f"--- a/f\n+++ b/f\n{patch}" + ("" if patch.endswith("\n") else "\n")


def _strip(name: str | None) -> str:
    if not name or name == "/dev/null":
        return ""
    return name[2:] if name.startswith(("a/", "b/")) else name


def _same(a: str, b: str) -> bool:
    pa, pb = PurePosixPath(a), PurePosixPath(b.replace("\\", "/").lstrip("./"))
    return pa == pb or pa.parts[-len(pb.parts) :] == pb.parts or pb.parts[-len(pa.parts) :] == pa.parts


# Above this many line pairs in the changed middle, difflib's matcher can take minutes (it is
# quadratic on repeated lines: 1,000 entries separated by blank lines took 11 s, 2,000 took 80 s).
EXACT_DIFF_BUDGET = 100_000  # pairs: at most ~0.25 s even on blank-line-separated entries


def added_between(old: str, new: str) -> frozenset[int]:
    """Lines of `new` that are not in `old`, by a line diff: for PR files whose patch GitHub omits.

    GitHub omits the patch exactly when a diff is large, so this must stay fast on a rewritten
    10 MB list: the common head and tail are skipped in linear time, a small middle gets an exact
    diff, and a large one is compared as a multiset (an occurrence of a line beyond what the old
    file had is added; a moved line is not), which is linear.
    """
    import difflib
    from collections import Counter

    a, b = split_lines(old), split_lines(new)
    shortest = min(len(a), len(b))
    lo = 0
    while lo < shortest and a[lo] == b[lo]:
        lo += 1
    hi = 0
    while hi < shortest - lo and a[len(a) - 1 - hi] == b[len(b) - 1 - hi]:
        hi += 1
    mid_a, mid_b = a[lo : len(a) - hi], b[lo : len(b) - hi]
    if len(mid_a) * len(mid_b) <= EXACT_DIFF_BUDGET:
        matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        return frozenset(
            lo + n + 1
            for tag, _, _, j1, j2 in matcher.get_opcodes()
            if tag in ("insert", "replace")
            for n in range(j1, j2)
        )
    left = Counter(mid_a)
    added = set()
    for n, line in enumerate(mid_b):
        if left[line] > 0:
            left[line] -= 1
        else:
            added.add(lo + n + 1)
    return frozenset(added)
