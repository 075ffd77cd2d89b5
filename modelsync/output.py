"""How results reach the terminal: the change report as text, and the log's format."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .report import Report

log = logging.getLogger("modelsync")


def setup_logging(verbosity: int) -> None:
    """Warnings always, progress with -v, nothing but errors with -q; all on stderr."""
    level = {-1: logging.ERROR, 0: logging.WARNING}.get(verbosity, logging.INFO if verbosity == 1 else logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LevelPrefix())
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


class _LevelPrefix(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        return message if record.levelno <= logging.INFO else f"{record.levelname.lower()}: {message}"


def text(report: Report, verbose: bool = False) -> str:
    """The report for a terminal: one line per model, grouped by provider, counts last."""
    lines = [f"note: {report.note}"] if report.note else []
    if report.held:
        lines.append(f"held for review ({len(report.held)}): kept at their old values; "
                     "`python generate.py --accept-held` takes them")
        lines += [f"  ! {held.provider}: {_label(held.key)}: {held.reason}" for held in report.held]
    for group, changes in report.groups.items():
        counts = {s: sum(c.sign == s for c in changes) for s in "+-~"}
        summary = ", ".join(f"{n} {word}" for n, word in zip(counts.values(), ("added", "removed", "changed")) if n)
        lines.append(f"{group}: {summary}")
        for change in changes:
            lines.append(f"  {change.sign} {change.label()}")
            lines += [f"      {field.describe()}" for field in change.fields]
    if report.settings:
        lines.append("settings:")
        lines += [f"  ~ {field.describe()}" for field in report.settings]
    for provider, skipped in sorted(report.skipped.items()):
        if skipped:
            lines.append(f"{provider}: {len(skipped)} skipped")
            if verbose:
                lines += [f"  ! {model_id}: {reason}" for model_id, reason in sorted(skipped)]
    lines.append(_total(report))
    return "\n".join(lines) + "\n"


def _label(key: tuple[str, str]) -> str:
    name, model = key
    return name if name == model else f"{name} ({model})"


def _total(report: Report) -> str:
    counts = report.counts()
    if not report.has_changes():
        what = "no model or settings changes" + (" (layout or comments differ)" if report.before is not None else "")
    else:
        what = ", ".join(f"{n} {word}" for word, n in counts.items()) + (" deployments" if any(counts.values()) else "")
        if report.settings:
            what += f"; {len(report.settings)} settings changed"
    before = "" if report.before is None else f" (was {report.before})"
    return f"total: {what}; {report.after} deployments{before}"


def shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
