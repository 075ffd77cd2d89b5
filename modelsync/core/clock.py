"""Today's date, and how far a date a catalog states is from it (`in 12 days`, `104 days ago`).

The one place output depends on the day it is made. A writing run records what an up-to-date
`--check` will say (outputs/said.py); a phrase that depends on today cannot be recorded as
text, so a message holds an `Until` that becomes its phrase only when written: for the
terminal, today's; for the record, a mark around the date, where the check puts its own day's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

_mark: str | None = None  # while a run records: the text that fences a date instead of its phrase


def today() -> date:
    """Today in UTC, as every run sees it (tests replace this function to freeze the clock)."""
    return datetime.now(UTC).date()


@dataclass(frozen=True)
class Until:
    """A log argument: ` (in 12 days)`, ` (today)` or ` (104 days ago)` for an ISO date, '' for other text."""

    day: str

    def __str__(self) -> str:
        if _iso(self.day) is None:
            return ""
        return f"{_mark}{self.day}{_mark}" if _mark else phrase(self.day, today())


def phrase(day: str, on: date) -> str:
    """What `Until(day)` says on the day `on`."""
    end = _iso(day)
    if end is None:
        return ""
    days = (end - on).days
    plural = "" if abs(days) == 1 else "s"
    return " (today)" if days == 0 else f" (in {days} day{plural})" if days > 0 else f" ({-days} day{plural} ago)"


@contextmanager
def marking(mark: str) -> Iterator[None]:
    """While inside, an `Until` is written as `mark`, the date, `mark` instead of its phrase."""
    global _mark
    before, _mark = _mark, mark
    try:
        yield
    finally:
        _mark = before


def _iso(day: str) -> date | None:
    try:
        return date.fromisoformat(day[:10]) if len(day) >= 10 and day[:4].isdigit() else None
    except ValueError:
        return None
