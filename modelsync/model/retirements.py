"""Retirements: models a catalog stopped listing, and models whose catalog says when they end.

A model overrides.yaml names that its refreshed catalog no longer lists is *retired* when the
deployment still routes to it (or already lists it as retired): it leaves config.yaml and
the report names the overrides.yaml line to delete, so a weekly job keeps running. A name the
deployment never had is a typo, and stays an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .deployment import Key


@dataclass(frozen=True)
class Retired:
    """A named model its catalog dropped: gone from config.yaml, still in overrides.yaml."""

    provider: str
    model_id: str
    key: Key  # the deployment config.yaml had: (model_name, route, api_base)
    index: int  # its place under `models:` in overrides.yaml
    line: int | None = None  # the overrides.yaml line that names it
    text: str | None = None  # that line, to delete
    held: bool = False  # the shrink guard kept it in config.yaml: gone only after --accept-held
    group: str | None = None  # the bare id, for a member of a group that no provider sells now

    @property
    def id(self) -> str:
        """What overrides.yaml names: the bare id of a group, else `provider:id`."""
        return self.group or f"{self.provider}:{self.model_id}"

    def where(self) -> str:
        """Where overrides.yaml names it, for a human."""
        at = f"line {self.line}: {self.text}" if self.line else f"models[{self.index}]"
        return f"delete overrides.yaml {at} (or run `python generate.py remove {self.id}`)"

    def state(self) -> str:
        """What became of it, for a warning: left config.yaml, or held there for review."""
        if self.held:
            return "held for review, still served in config.yaml until `python generate.py --accept-held` retires it"
        return "retired from config.yaml"


@dataclass(frozen=True)
class Retiring:
    """A deployment that still works, whose catalog states when it ends."""

    provider: str
    key: Key
    date: str  # as the catalog says it: a date, or a word such as "deprecated"

    def says(self) -> str:
        """`ends 2026-06-01`, or what a catalog that gives no date says (`deprecated`)."""
        return f"ends {self.date}" if self.date[:1].isdigit() else self.date


def locate(retired: list[Retired], overrides: Path) -> list[Retired]:
    """Each retired model with the overrides.yaml line that names it."""
    if not retired:
        return retired
    try:
        lines = overrides.read_text(encoding="utf-8").splitlines()
    except OSError:
        return retired
    found = []
    for item in retired:
        pattern = re.compile(rf"(?<![\w:/.-]){re.escape(item.id)}(?![\w:/.-])")
        number = next((n for n, line in enumerate(lines, 1) if pattern.search(line)), None)
        found.append(replace(item, line=number, text=lines[number - 1].strip() if number else None))
    return found


def mark_held(retired: list[Retired], held_keys: set[Key]) -> list[Retired]:
    """The retired models, each marked held where the shrink guard kept its deployment."""
    return [replace(item, held=item.key in held_keys) for item in retired]


def comment_safe(value: Any) -> str:
    """Text that stays on one comment line, whatever it holds."""
    text = str(value)
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")
