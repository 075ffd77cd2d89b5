"""The refresh's progress on stderr, one line per provider, for the commands that fetch."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..sources.arrivals import Outcome


class ProgressPrinter:
    """Per provider on stderr: that it is fetching, then its outcome (models, bytes, time, cache or not)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.lock = threading.Lock()  # fetches run in threads: one line at a time

    def __call__(self, provider: str, outcome: Outcome | None) -> None:
        if outcome is None:
            line = f"{provider}: fetching…"
        elif outcome.status in ("fetched", "not-modified"):
            source = "unchanged (304), cache kept" if outcome.status == "not-modified" else "fetched"
            line = f"{provider}: {source}, {outcome.detail}, {_size(outcome.size)} in {outcome.seconds:.2f} s"
        elif outcome.status == "fresh":
            line = f"{provider}: from cache ({outcome.detail or 'fresh'})"
        else:
            line = f"{provider}: from cache after a failed fetch (see the warning)"
        with self.lock:
            print(line, file=self.stream or sys.stderr, flush=True)


def _size(count: int) -> str:
    for unit, size in (("MB", 1 << 20), ("KB", 1 << 10)):
        if count >= size:
            return f"{count / size:.1f} {unit}"
    return f"{count} bytes"
