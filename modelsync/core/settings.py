"""Tunables from the environment and `.env`: freshness, network limits, change guards, keys.

`load_settings()` reads them. pydantic-settings (env_settings.py) validates whatever the
environment or `.env` says about them; when neither names a `MODELSYNC_*` variable, the usual
case, they are the defaults below and pydantic-settings is never loaded: with the asyncio it
imports, about 50 ms of every refresh before its first request could be sent. `--check` on an
up-to-date config reads none of this.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError
from .secrets import remember

if TYPE_CHECKING:  # pydantic loads only when a value is read: the usual run never needs it
    from pydantic import SecretStr

PREFIX = "MODELSYNC_"
ENV_FILE = Path(".env")  # in the working folder, as pydantic-settings reads it


@dataclass(frozen=True)
class Settings:
    """The tunables, each with its default; `MODELSYNC_<NAME>` in the environment or `.env` sets one."""

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


# What each value may be, as pydantic's bounds (checked only when a variable names one); no NaN or
# infinity anywhere: `MODELSYNC_MAX_PRICE_FACTOR=nan` would otherwise hold no price jump at all.
RANGES: dict[str, dict[str, float]] = {
    "freshness_hours": {"ge": 0},
    "connect_timeout": {"gt": 0},
    "read_timeout": {"gt": 0},
    "total_timeout": {"gt": 0},
    "retries": {"ge": 0},
    "backoff_base": {"ge": 0},
    "backoff_cap": {"ge": 0},
    "retry_after_cap": {"ge": 0},
    "max_catalog_bytes": {"gt": 0},
    "max_removed_share": {"ge": 0, "le": 1},
    "max_price_factor": {"gt": 1},
}


def load_settings() -> Settings:
    """The settings as the environment and `.env` give them; a value that is not one is exit 2."""
    named = [*os.environ, *_dotenv().keys()]
    if not any(name.upper().startswith(PREFIX) for name in named):  # the names are case-insensitive
        return Settings()

    from pydantic import ValidationError

    from .env_settings import from_environment  # pydantic-settings: only when a variable asks for it

    try:
        read = from_environment(Settings, PREFIX, ENV_FILE, RANGES)
    except ValidationError as exc:
        problems = [f"{PREFIX}{str(e['loc'][0]).upper()}={e.get('input')!r}: {e['msg']}" for e in exc.errors()]
        raise InputError(
            "; ".join(problems), "fix it in the environment or .env, or unset it for the default"
        ) from None
    return Settings(**read)


def check_settings() -> None:
    """Refuse a bad `MODELSYNC_*` value before any command runs, even one that never reads it.

    Cheap when nothing names one (the usual case): `.env` is only searched for the prefix.
    """
    if any(name.upper().startswith(PREFIX) for name in os.environ) or _dotenv_mentions_prefix():
        load_settings()


def _dotenv_mentions_prefix(env_file: Path = ENV_FILE) -> bool:
    try:
        return PREFIX in env_file.read_text(encoding="utf-8", errors="replace").upper()
    except OSError:  # no .env (or none readable): nothing is named there
        return False


def secret(env_var: str, env_file: Path = ENV_FILE) -> SecretStr | None:
    """The value of a key from the environment, else from `.env`; None when unset or empty."""
    value = os.environ.get(env_var) or _dotenv(env_file).get(env_var)
    if not value:
        return None
    remember(value)  # so that no log line or error can show it
    from pydantic import SecretStr

    return SecretStr(value)


def _dotenv(env_file: Path = ENV_FILE) -> dict[str, str | None]:
    if not env_file.is_file():
        return {}
    from dotenv import dotenv_values

    return dotenv_values(env_file)
