"""Whole-file writes: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then rename it over `path`."""
    import tempfile  # only runs that write pay for it

    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:  # keep the old file's permissions; a new one gets rw-r--r--, not mkstemp's rw-------
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        # Ctrl-C or a full disk: leave the old file as it was and no temp file behind.
        Path(tmp).unlink(missing_ok=True)
        raise
