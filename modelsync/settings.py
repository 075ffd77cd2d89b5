"""Tunables from the environment and `.env`: freshness, network limits, change guards, keys.

Only runs that fetch or guard load these: `--check` on an up-to-date config never imports
pydantic-settings, which costs more start-up time than all the rest of the check.
"""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from .secrets import remember


class Settings(BaseSettings):
    """Tunables, read from `MODELSYNC_*` environment variables or `.env`."""

    model_config = SettingsConfigDict(env_prefix="MODELSYNC_", env_file=".env", extra="ignore", frozen=True)

    # A cached catalog younger than this is used as it is; older ones are refreshed.
    freshness_hours: float = 24.0
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    # The whole fetch of one provider, retries included, ends by this deadline.
    total_timeout: float = 90.0
    retries: int = 3
    backoff_base: float = 1.0
    backoff_cap: float = 20.0
    # A server asking us to wait longer than this (Retry-After) is given up on after this long.
    retry_after_cap: float = 60.0
    max_catalog_bytes: int = 64 * 1024 * 1024

    # Change guards: a refresh that would remove more than this share of a provider's selected
    # models, or move a price more than this factor, is held for review.
    max_removed_share: float = 0.25
    max_price_factor: float = 10.0


def secret(env_var: str, env_file: Path = Path(".env")) -> SecretStr | None:
    """The value of a key from the environment, else from `.env`; None when unset or empty."""
    value = os.environ.get(env_var)
    if not value and env_file.is_file():
        value = dotenv_values(env_file).get(env_var)
    if not value:
        return None
    remember(value)  # so that no log line or error can show it
    return SecretStr(value)
