"""Usage from the admin UI's CSV export (daily activity with models), for CI that cannot reach the database.

The export names a model but not its route or api_base: each row is keyed by the model alone, and
matched to config.yaml's deployments by route or name (see join.py). Read row by row: memory stays
flat whatever the file's length.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from ..core.errors import GenerateError
from .record import Day, Tokens, Usage

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
    sums: dict[tuple[str, str], list[float]] = {}  # (model, date) → the NEEDED numbers, summed as read
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.reader(file)
            columns = _columns(path, next(reader, []))
            for line, row in enumerate(reader, start=2):
                _add(sums, path, line, row, columns)
    except OSError as exc:
        raise GenerateError(f"cannot read {path}: {exc.strerror}", "check usage.csv in overrides.yaml") from None
    per_day = {((model, "", ""), date.fromisoformat(day)): _tokens(numbers) for (model, day), numbers in sums.items()}
    if not per_day:
        raise GenerateError(f"{path} holds no usage rows", "export the daily activity with models again")
    end = max(day for _, day in per_day) + timedelta(days=1)
    start = max(min(day for _, day in per_day), end - timedelta(days=window_days))
    days = tuple(Day(key, day, tokens) for (key, day), tokens in sorted(per_day.items()) if day >= start)
    return Usage(f"CSV export {path.name}", start, end, days)


def _columns(path: Path, header: Sequence[str]) -> list[int]:
    """Where each NEEDED column is; an export of other columns is an error naming what is missing."""
    missing = [name for name in NEEDED if name not in header]
    if missing:
        raise GenerateError(
            f"{path}:1: not the admin UI's daily activity export: no column {', '.join(missing)}",
            "export it with export_type=daily_with_models (Usage → Export → CSV, daily with models)",
        )
    return [list(header).index(name) for name in NEEDED]


def _add(sums: dict[tuple[str, str], list[float]], path: Path, line: int, row: list[str], columns: list[int]) -> None:
    """Add one row's numbers to its model and day."""
    try:
        day, model, *numbers = (row[i] for i in columns)
        date.fromisoformat(day[:10])
        values = [float(n) if n else 0.0 for n in numbers]
    except (ValueError, IndexError):
        raise GenerateError(
            f"{path}:{line}: a date or number that is not one", "fix that row, or export the file again"
        ) from None
    found = sums.setdefault((model, day[:10]), [0.0] * len(values))
    for i, value in enumerate(values):
        found[i] += value


def _tokens(numbers: list[float]) -> Tokens:
    spend, prompt, completion, requests, read, write = numbers  # in NEEDED's order, after date and model
    return Tokens(int(requests), int(prompt), int(completion), int(read), int(write), 0, spend)
