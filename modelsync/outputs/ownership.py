"""Whose config.yaml it is: a run replaces only a file modelsync wrote, and never a backup of one it did not.

A LiteLLM config kept by hand has no GENERATED header. Replacing it would lose the user's work,
since the next changing run overwrites config.yaml.bak too. So it is replaced only once `import`
has turned that very file into overrides.yaml (whose header records the file's sha256), and it is
then kept as a backup that no later run replaces.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import re
from pathlib import Path

from ..core.errors import InputError
from ..core.files import check_writable, write_atomic
from ..core.output import shown
from .stamp import PREFIX

MARK = "GENERATED"  # the word our header.yaml.j2 writes, and that a custom header must keep
HEAD_BYTES = 4096  # enough for the leading comment block, without reading a large file whole
log = logging.getLogger("modelsync")
IMPORTED = re.compile(r"^# Imported from .* \(sha256=(?P<digest>[0-9a-f]{64})\)", re.MULTILINE)


def generated(text: str) -> bool:
    """Whether a config's text came from modelsync (its header says so), or holds nothing to lose."""
    if not text.strip():
        return True
    head = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        head.append(line)
    return any(MARK in line or line.startswith(PREFIX) for line in head)


def file_generated(path: Path) -> bool:
    """generated() for a file, reading its head only; a missing file has nothing to lose either."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except FileNotFoundError:
        return True
    except OSError:
        return False  # unreadable: never assume it is ours to replace
    return generated(head.decode("utf-8", "replace"))


def import_mark(source: bytes) -> str:
    """What import's header records of the config it read, so a run may then replace that file."""
    return f"(sha256={hashlib.sha256(source).hexdigest()})"


def taken_over(config: Path, overrides: Path) -> bool:
    """Refuse to replace a hand-kept config.yaml; True when import took over this very file.

    Then the run may replace it, and its backup holds a hand-kept file that no later run replaces.
    """
    if file_generated(config):
        return False
    try:
        found = IMPORTED.search(overrides.read_text(encoding="utf-8", errors="replace")[:HEAD_BYTES])
        mine = hashlib.sha256(config.read_bytes()).hexdigest()
    except OSError:
        found = None
    if found is not None and found["digest"] == mine:
        return True
    name = shown(config)
    raise InputError(
        f"{name} was not written by modelsync (its header does not say {MARK}), so it was left as it is",
        f"to manage it with modelsync, run `python generate.py import {name}` (add --force to replace an "
        f"overrides.yaml that selects nothing yet), then run again; to replace it anyway, move it away "
        f"first (`mv {name} {name}.mine`)",
    )


def backup_path(config: Path) -> Path:
    """Where the previous config.yaml goes: config.yaml.bak, unless that holds a hand-kept config.

    A hand-kept backup is never replaced: the next free or generated `.bak.N` is used instead.
    """
    for number in itertools.count():
        candidate = config.with_name(config.name + (".bak" if number == 0 else f".bak.{number}"))
        if file_generated(candidate):
            return candidate
    raise AssertionError("unreachable")


def replace_config(path: Path, old: str | None, text: str, hand_kept: bool = False) -> None:
    """Keep the previous config.yaml as config.yaml.bak (or, beside a hand-kept one, .bak.N), then replace it."""
    check_writable(path)  # before the .bak: a config.yaml we may not replace leaves every file as it was
    if old is not None:
        backup = backup_path(path)
        # A hand-kept file byte for byte, and for its owner alone: it may hold the literal keys import moved to .env.
        write_atomic(backup, path.read_bytes() if hand_kept else old, private=hand_kept)
        if hand_kept:
            log.warning("%s was kept by hand, then imported: it is kept as %s, which no run replaces", path, backup)
    write_atomic(path, text)
