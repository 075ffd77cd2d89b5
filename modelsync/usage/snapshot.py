"""A usage snapshot to commit: tokens per dimension per deployment key per day, and nothing else.

It never holds a user, key, key alias, email, team, tag or request text: the sources aggregate
those away before a snapshot is built, and the file has no field that could carry one.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import GenerateError
from ..core.files import write_atomic
from .record import Day, Tokens, Usage

FORMAT = "modelsync usage snapshot 1"
TOKEN_FIELDS = ("requests", "input", "output", "cache_read", "cache_write", "reasoning")


def dumps(usage: Usage) -> str:
    """The snapshot's text: deterministic, one day of one deployment per line."""
    rows = [_row(day) for day in sorted(usage.days, key=lambda d: (d.key, d.day))]
    head = {
        "format": FORMAT,
        "source": _public(usage.source),
        "start": usage.start.isoformat(),
        "end": usage.end.isoformat(),
    }
    body = ",\n".join("    " + json.dumps(row, sort_keys=True) for row in rows)
    return json.dumps(head, indent=2)[:-2] + ',\n  "days": [\n' + body + "\n  ]\n}\n"


def _public(source: str) -> str:
    """The source's name without its address: a database's host and user stay out of a committed file."""
    return re.sub(r"\S+://\S+\s*", "", source)


def write(path: Path, usage: Usage) -> None:
    write_atomic(path, dumps(usage))


def _row(day: Day) -> dict[str, Any]:
    name, route, api_base = day.key
    return {
        "model_name": name,
        "route": route,
        "api_base": api_base,
        "day": day.day.isoformat(),
        **day.tokens.as_dict(),
    }


def read(path: Path) -> Usage:
    """A snapshot written by `usage snapshot`; anything else is an error naming the file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != FORMAT:
            raise ValueError("format")
        days = tuple(_day(row) for row in document["days"])
        start, end = date.fromisoformat(document["start"]), date.fromisoformat(document["end"])
    except OSError as exc:
        raise GenerateError(f"cannot read {path}: {exc.strerror}", "write it with `usage snapshot`") from None
    except (ValueError, KeyError, TypeError, AttributeError):
        raise GenerateError(
            f"{path} is not a usage snapshot modelsync wrote", "write it again with `python generate.py usage snapshot`"
        ) from None
    return Usage(f"snapshot {path.name} (of {document.get('source', 'unknown')})", start, end, days)


def _day(row: dict[str, Any]) -> Day:
    tokens = Tokens(**{name: int(row[name]) for name in TOKEN_FIELDS}, billed=float(row["billed"]))
    return Day(
        (str(row["model_name"]), str(row["route"]), str(row["api_base"])), date.fromisoformat(row["day"]), tokens
    )
