"""The project's `.env`: where `import` puts the keys it moves out of a hand-kept config.

The file is its owner's alone (created 0600, and an existing one is made 0600 before a key is
added). Lines are only ever appended: a name already there keeps its value. A `.env` that is a
symbolic link is refused, since a key must not follow a link out of the project. Values are
written so that python-dotenv (LiteLLM's reader, and ours) reads them back byte for byte.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from pathlib import Path

from .errors import InputError
from .files import write_error

log = logging.getLogger("modelsync")
# Written unquoted, as `docker run --env-file` reads no quotes; anything else goes in single quotes.
BARE = re.compile(r"^[^\s'\"\\#$`]*$")
IGNORE_LINES = frozenset({".env", "/.env", ".env*", "*.env"})


def read(path: Path) -> dict[str, str]:
    """The NAME=value pairs `.env` holds ({} when there is none); a link is refused."""
    if path.is_symlink():
        raise _link_error(path)
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    try:
        return {name: value for name, value in dotenv_values(path).items() if value is not None}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"{path} cannot be read ({getattr(exc, 'strerror', None) or type(exc).__name__}), so nothing was written",
            "make it a readable UTF-8 file, or move it aside, then run import again",
        ) from None


def append(path: Path, values: dict[str, str]) -> None:
    """Add a `NAME=value` line per value at the end of `.env`, creating it 0600, never through a link."""
    if not values:
        return
    lead = "\n" if path.is_file() and not path.read_bytes().endswith(b"\n") and path.stat().st_size else ""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise (_link_error(path) if exc.errno == errno.ELOOP else write_error(path, exc)) from None
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        os.fchmod(fd, 0o600)  # an existing .env readable by others is about to hold keys
        handle.write(lead + "".join(_line(name, value) for name, value in values.items()))
        handle.flush()
        os.fsync(fd)
    if not _ignored(path):
        log.warning(
            "%s is not in %s — add a `.env` line there, so its keys are never committed",
            path.name,
            path.with_name(".gitignore"),
        )


def _line(name: str, value: str) -> str:
    """One line of .env; in single quotes python-dotenv reads `\\'` and `\\\\` back and expands nothing."""
    if BARE.match(value):
        return f"{name}={value}\n"
    return f"{name}='" + value.replace("\\", "\\\\").replace("'", "\\'") + "'\n"


def _ignored(path: Path) -> bool:
    """Whether the .gitignore beside `.env` names it (the one `init` writes does)."""
    try:
        lines = path.with_name(".gitignore").read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.strip() in IGNORE_LINES for line in lines)


def _link_error(path: Path) -> InputError:
    return InputError(
        f"{path} is a symbolic link, and keys are written only into a regular file, so nothing was written",
        "replace the link with a file (or remove it), then run import again",
    )
