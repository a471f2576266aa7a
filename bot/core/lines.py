"""Lines as git counts them: the one place text is split into lines.

git, GitHub's `patch` and the line numbers of a review comment end a line at "\\n" and nowhere
else. ``str.splitlines`` also breaks at U+2028, U+2029, U+0085, "\\x0b", "\\x0c", "\\x1c"-"\\x1e" and a
lone "\\r": one such character in a contributor's title shifted every later line number, so the
diff and the document disagreed about which lines a pull request adds.
"""

from __future__ import annotations


def split_lines(text: str, *, keepends: bool = False) -> list[str]:
    """The lines of ``text``, broken at "\\n" only; a final "\\n" ends the last line, it does not
    start an empty one. Without ``keepends`` a line's CRLF ending goes too (its "\\r"); with it,
    every line but an unterminated last one keeps its "\\n" (and "\\r"), as a diff parser wants."""
    parts = text.split("\n")
    last = parts.pop()
    if keepends:
        return [p + "\n" for p in parts] + ([last] if last else [])
    if last:
        parts.append(last)
    return [p[:-1] if p.endswith("\r") else p for p in parts]
