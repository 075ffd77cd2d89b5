"""Usage from the admin UI's CSV export (daily activity with models), for CI that cannot reach the database.

The export names a model but not its route or api_base: each row is keyed by the model alone, and
matched to config.yaml's deployments by route or name (see join.py). Read row by row: memory stays
flat whatever the file's length.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from ..core.errors import GenerateError
from .record import Day, Key, Tokens, Usage

NEEDED = (
    "date",
    "model",
    "spend",
    "prompt_tokens",
    "completion_tokens",
    "successful_requests",
    "cache_read_input_tokens",
    "cache_creation_input_tokens",
)


def read_csv(path: Path, window_days: int) -> Usage:
    """The export's last `window_days` days (ending on its latest date), per model and day."""
    per_day: dict[tuple[Key, date], Tokens] = defaultdict(Tokens)
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            _check_columns(path, reader.fieldnames or ())
            for line, row in enumerate(reader, start=2):
                key, day, tokens = _row(path, line, row)
                per_day[(key, day)] += tokens
    except OSError as exc:
        raise GenerateError(f"cannot read {path}: {exc.strerror}", "check usage.csv in overrides.yaml") from None
    if not per_day:
        raise GenerateError(f"{path} holds no usage rows", "export the daily activity with models again")
    end = max(day for _, day in per_day) + timedelta(days=1)
    start = max(min(day for _, day in per_day), end - timedelta(days=window_days))
    days = tuple(Day(key, day, tokens) for (key, day), tokens in sorted(per_day.items()) if day >= start)
    return Usage(f"CSV export {path.name}", start, end, days)


def _check_columns(path: Path, found: Sequence[str]) -> None:
    missing = [name for name in NEEDED if name not in found]
    if missing:
        raise GenerateError(
            f"{path}:1: not the admin UI's daily activity export: no column {', '.join(missing)}",
            "export it with export_type=daily_with_models (Usage → Export → CSV, daily with models)",
        )


def _row(path: Path, line: int, row: dict[str, str]) -> tuple[Key, date, Tokens]:
    try:
        day = date.fromisoformat(row["date"][:10])
        tokens = Tokens(
            int(float(row["successful_requests"] or 0)),
            int(float(row["prompt_tokens"] or 0)),
            int(float(row["completion_tokens"] or 0)),
            int(float(row["cache_read_input_tokens"] or 0)),
            int(float(row["cache_creation_input_tokens"] or 0)),
            0,  # the export has no reasoning count
            float(row["spend"] or 0),
        )
    except (ValueError, TypeError):
        raise GenerateError(
            f"{path}:{line}: a date or number that is not one", "fix that row, or export the file again"
        ) from None
    return (row["model"], "", ""), day, tokens
