"""pydantic-settings reading `Settings` from `MODELSYNC_*` variables and `.env`, validated.

Imported only when the environment or `.env` names one of them (settings.load_settings); the
fields are made from `Settings` itself, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Annotated, Any, get_type_hints

from pydantic import Field, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict

from .settings import ENV_FILE, PREFIX, RANGES, Settings


class _FromEnvironment(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, env_file=ENV_FILE, extra="ignore", frozen=True)


_TYPES = get_type_hints(Settings)


def _bounded(name: str) -> Any:
    """The field's type with its range, finite where it is a float."""
    bounds: dict[str, Any] = {**RANGES.get(name, {}), **({"allow_inf_nan": False} if _TYPES[name] is float else {})}
    return Annotated[_TYPES[name], Field(**bounds)]


_FIELDS: dict[str, Any] = {f.name: (_bounded(f.name), f.default) for f in fields(Settings)}
EnvSettings = create_model("EnvSettings", __base__=_FromEnvironment, **_FIELDS)
