"""How messages reach the terminal: the log's format and paths as the user types them."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .secrets import mask_text

log = logging.getLogger("modelsync")


SCRIPT = "python generate.py"  # how messages name the command; the installed one is `modelsync`


def as_invoked(text: str, me: str) -> str:
    """A message or report with the command named as the user runs it."""
    return text if me == SCRIPT else text.replace(SCRIPT, me)


@contextmanager
def quietly(enabled: bool = True) -> Iterator[None]:
    """Warnings held back, errors still shown: for a pass whose warnings the run after it repeats."""
    level = log.level
    if enabled:
        log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def setup_logging(verbosity: int, me: str = SCRIPT) -> None:
    """Warnings always, progress with -v, nothing but errors with -q; all on stderr."""
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(verbosity, logging.INFO if verbosity == 1 else logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelPrefix(me))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class _LevelPrefix(logging.Formatter):
    def __init__(self, me: str) -> None:
        super().__init__()
        self.me = me

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        message = as_invoked(mask_text(message), self.me)  # mask: the last door, no log line shows a key
        return message if record.levelno <= logging.INFO else f"{record.levelname.lower()}: {message}"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
