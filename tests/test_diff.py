"""bot.core.diff: unified diffs and GitHub's per-file patches → the lines a file gains and where a
review comment may anchor."""

from __future__ import annotations

import pytest

from bot.core import diff

BLANK = " "  # a context line holding an empty line
TWO_FILES = f"""\
diff --git a/README.md b/README.md
--- a/README.md
+++ b/README.md
@@ -1,3 +1,4 @@
 # List
{BLANK}
+- new entry
 - old entry
diff --git a/old.md b/new.md
similarity index 90%
rename from old.md
rename to new.md
--- a/old.md
+++ b/new.md
@@ -1 +1,2 @@
 keep
+added
diff --git a/gone.md b/gone.md
deleted file mode 100644
--- a/gone.md
+++ /dev/null
@@ -1 +0,0 @@
-bye
"""


def test_each_file_with_its_added_lines_status_and_anchors() -> None:
    readme, renamed, gone = diff.parse(TWO_FILES)

    assert (readme.path, readme.status, readme.added, readme.anchors) == (
        "README.md",
        "modified",
        {3},
        {1, 2, 3, 4},
    )
    assert (renamed.path, renamed.old_path, renamed.status, renamed.added) == (
        "new.md",
        "old.md",
        "renamed",
        {2},
    )
    assert (gone.path, gone.status, gone.added) == ("", "removed", frozenset())


def test_added_lines_are_those_of_the_file_checked_and_another_files_diff_is_refused() -> None:
    assert diff.added_lines(TWO_FILES, "./README.md") == {3}
    single = TWO_FILES.split("diff --git a/old.md")[0]
    assert diff.added_lines(single, "README.md") == {3}  # `git diff -- FILE` piped in
    with pytest.raises(diff.DiffError, match=r"does not touch other\.md \(it touches "):
        diff.added_lines(TWO_FILES, "other.md")  # several files, none of them: issue 10, item 15
    with pytest.raises(diff.DiffError, match=r"does not touch docs/LIST\.md"):
        diff.added_lines(single, "docs/LIST.md")  # was: README.md's line numbers judged in LIST.md
    with pytest.raises(diff.DiffError, match="holds no file changes"):
        diff.added_lines("hello\n", "README.md")
    assert diff.added_lines("", "README.md") == frozenset()  # nothing changed: nothing to judge


def test_githubs_patches_have_no_file_headers() -> None:
    patch = "@@ -10,2 +10,3 @@\n ctx\n+new line 11\n ctx"  # no trailing newline, as GitHub sends it
    assert diff.patch_added_lines(patch) == {11}
    assert diff.patch_anchors(patch) == {10, 11, 12}  # context lines take comments too
    assert diff.patch_anchors("@@ -1 +1 @@\n-old\n+new\n\\ No newline at end of file\n") == {1}


def test_what_is_not_a_diff_says_so() -> None:
    with pytest.raises(diff.DiffError, match="not a unified diff"):
        diff.parse("--- a/x\n+++ b/x\n@@ -1,2 +1,9 @@\n+only one line\n")


def test_added_between_finds_inserted_and_changed_lines() -> None:
    old = "a\nb\nc\nd\n"
    assert diff.added_between(old, "a\nb\nnew\nc\nd\n") == {3}
    assert diff.added_between(old, "a\nB\nc\nd\n") == {2}
    assert diff.added_between(old, old) == frozenset()
    assert diff.added_between("", "x\ny\n") == {1, 2}


def test_a_large_rewrite_is_compared_as_a_multiset() -> None:
    old = "".join(f"line {i}\n" for i in range(2000))
    new = "".join(f"line {i}\n" for i in reversed(range(2000))) + "brand new\n"
    assert diff.added_between(old, new) == {2001}  # moved lines are not added; the new one is
