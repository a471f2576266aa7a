"""Writing a file the user named (`check --fix` the list, `init --write` config.yml) without following
a link, and without losing an edit made meanwhile.

A committed symlink must not turn `--fix` (or the pre-commit hook) into a write outside the
repository: a target that is a link is refused, the temporary file is made by `mkstemp` (a fresh name,
`O_EXCL`: never an existing file or link), and a file is opened with `O_NOFOLLOW`. `--fix` replaces
the list after its network lookups, so it first compares the file with what it read: a change made
in between is refused, never overwritten.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class WriteError(Exception):
    """Why the file was not written, in one line naming it; nothing changed."""


def refuse_link(path: str | Path) -> None:
    """WriteError when `path` is a symbolic link (dangling or not)."""
    if os.path.islink(path):
        raise WriteError(f"{path}: is a symbolic link; refusing to write through it (nothing changed)")


def replace(path: str | Path, data: bytes, expected: bytes, what: str = "fixed file") -> None:
    """Replace the regular file `path` with `data` in one step (a crash never leaves half a file),
    keeping its mode, if it still holds `expected`."""
    refuse_link(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write the {what} ({exc.strerror}); nothing changed") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise WriteError(f"{path}: is not a regular file; nothing changed")
        if f.read() != expected:
            raise WriteError(f"{path}: changed while it was being checked; nothing written (run again)")
    _swap_in(Path(path), data, stat.S_IMODE(st.st_mode), (st.st_dev, st.st_ino), expected, what)


def create(path: str | Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write a new file `path` (0666 less the umask); with `overwrite`, replace a regular file there.
    A link at `path`, even one pointing nowhere, is refused."""
    refuse_link(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:
        refuse_link(path)  # made meanwhile
        if not overwrite:
            raise WriteError(f"{path} exists: --force overwrites it") from None
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode):
            raise WriteError(f"{path}: is not a regular file; nothing changed") from None
        _swap_in(Path(path), data, stat.S_IMODE(st.st_mode), (st.st_dev, st.st_ino))
        return
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as exc:
        raise WriteError(f"{path}: cannot be written ({exc.strerror})") from None


def _swap_in(
    path: Path,
    data: bytes,
    mode: int,
    identity: tuple[int, int],
    expected: bytes | None = None,
    what: str = "file",
) -> None:
    """Write `data` to a fresh temporary file beside `path`, then rename it over `path`, if `path` is
    still the file `identity` names (device, inode) and still holds `expected` (when given)."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".awesome-review")
    except OSError as exc:
        raise WriteError(f"{path}: cannot write the {what} ({exc.strerror}); nothing changed") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), mode)
            f.flush()
            os.fsync(f.fileno())
        _unchanged(path, identity, expected)
        os.replace(tmp, path)
    except OSError as exc:
        raise WriteError(f"{path}: cannot write the {what} ({exc.strerror}); nothing changed") from None
    finally:
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _unchanged(path: Path, identity: tuple[int, int], expected: bytes | None) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        fd = -1
    if fd < 0:
        raise WriteError(f"{path}: was replaced while it was being checked; nothing written (run again)")
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if (st.st_dev, st.st_ino) != identity:
            raise WriteError(f"{path}: was replaced while it was being checked; nothing written (run again)")
        if expected is not None and f.read() != expected:
            raise WriteError(f"{path}: changed while it was being checked; nothing written (run again)")
