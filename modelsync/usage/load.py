"""Read the usage source overrides.yaml names, over its window ending today."""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from ..core.errors import GenerateError
from ..core.secrets import ENV_REFERENCE, remember
from .config import UsageConfig
from .record import Usage

log = logging.getLogger("modelsync")


def load_usage(config: UsageConfig, folder: Path, today: date | None = None) -> Usage:
    """The usage the configured source holds; a GenerateError names the source and the fix."""
    if config.csv:
        from .csv_export import read_csv

        return _not_empty(read_csv(folder / config.csv, config.window_days))
    if config.snapshot:
        from .snapshot import read

        return _not_empty(read(folder / config.snapshot))
    end = (today or datetime.now(UTC).date()) + timedelta(days=1)  # today's requests count
    from .postgres import read_database

    variable = str(config.database)[len(ENV_REFERENCE) :]
    return _not_empty(read_database(_url(variable), end - timedelta(days=config.window_days), end, variable))


def usage_or_none(config: UsageConfig | None, folder: Path) -> Usage | None:
    """The usage for a report, or None with a warning: a usage source never blocks the config."""
    if config is None:
        return None
    try:
        return load_usage(config, folder)
    except GenerateError as exc:
        log.warning("usage: %s; the report goes without dollar figures", exc)
        return None


def _url(variable: str) -> str:
    value = os.environ.get(variable)
    if not value:
        from ..core.settings import secret

        found = secret(variable)
        value = found.get_secret_value() if found else None
    if not value:
        raise GenerateError(
            f"usage.database names {variable}, which is not set", f"set {variable} to the proxy's DATABASE_URL"
        )
    remember(value)  # never printed anywhere, whole
    return value


def _not_empty(usage: Usage) -> Usage:
    if not usage.days:
        raise GenerateError(
            f"{usage.describe()}: no successful requests in the window",
            "widen usage.window_days, or check that the proxy logs spend to this source",
        )
    return usage
