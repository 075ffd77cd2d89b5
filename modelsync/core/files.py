"""Whole-file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import GenerateError


class WriteError(GenerateError):
    """A file or folder the user cannot, or chose not to let us, write."""


def check_writable(path: Path) -> None:
    """Refuse to replace a file its owner made read-only: replacing it would silently undo that choice.

    The mode bits are read, not only access(): root may write anything, yet a `chmod a-w` still
    says "leave this file alone".
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise write_error(path, exc) from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or _immutable(path):
        raise WriteError(
            f"{path} is read-only, so it was left as it is",
            f"make it writable (`chmod u+w {path.name}`) if it should be updated",
        )
    if not os.access(path, os.W_OK):
        raise write_error(path, PermissionError(13, "Permission denied"))


def _immutable(path: Path) -> bool:
    """Whether even root may not write it (`chattr +i`), which access() reveals to root alone."""
    return os.geteuid() == 0 and not os.access(path, os.W_OK)


CHUNK = 1 << 20  # characters encoded and written at a time


def write_atomic(path: Path, data: str | bytes, private: bool = False) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then rename it over `path`.

    `private`: readable by its owner alone (rw-------), for a file that may hold secrets.
    """
    import tempfile  # only runs that write pay for it

    check_writable(path)
    try:  # keep the old file's permissions; a new one gets rw-r--r--, not mkstemp's rw-------
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    mode = 0o600 if private else mode
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:  # encoded a slice at a time: no second copy of a large config.yaml in memory
                for start in range(0, len(data), CHUNK):
                    handle.write(data[start : start + CHUNK].encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, an immutable file: the old file stays, no temp file behind
        Path(tmp).unlink(missing_ok=True)
        raise write_error(path, exc) from None
    except BaseException:
        # Ctrl-C: leave the old file as it was and no temp file behind.
        Path(tmp).unlink(missing_ok=True)
        raise


def write_error(path: Path, exc: OSError) -> WriteError:
    reason = exc.strerror or type(exc).__name__
    return WriteError(
        f"cannot write {path}: {reason}",
        f"check that you may write to {path.parent} (and that the disk has room), or choose another path",
    )
