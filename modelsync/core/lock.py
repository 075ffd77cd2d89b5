"""One run at a time: a second run that would write does not wait, it stops and says why."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GenerateError
from .files import write_error


class LockedError(GenerateError):
    """Another run holds the lock."""


@contextmanager
def exclusive(config: Path) -> Iterator[None]:
    """Lock the folder of config.yaml for the duration; raise LockedError at once if another run has it.

    The lock is on the folder itself, so no lock file is ever left behind; the kernel drops it
    when the process ends, however it ends.
    """
    folder = config.resolve().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY)
    except OSError as exc:
        raise write_error(config, exc) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(
                f"another run (`python generate.py`) is updating {config.name} in {folder}",
                "wait for it to finish, then run again",
            ) from None
        yield
    finally:
        os.close(fd)
