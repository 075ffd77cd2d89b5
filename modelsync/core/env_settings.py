"""pydantic-settings reading a settings dataclass from `PREFIX*` variables and `.env`, validated.

Imported only when the environment or `.env` names one of them (settings.load_settings); the
fields are made from the dataclass it is given, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Annotated, Any, get_type_hints

from pydantic import Field, create_model
from pydantic_settings import BaseSettings, SettingsConfigDict


def from_environment(
    settings: type[Any], prefix: str, env_file: Path, ranges: dict[str, dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The values of `settings`' fields as the environment and `env_file` give them, each within its
    range (pydantic's ge/gt/le) and finite; raises ValidationError."""

    class FromEnvironment(BaseSettings):
        model_config = SettingsConfigDict(env_prefix=prefix, env_file=env_file, extra="ignore", frozen=True)

    ranges = ranges or {}
    types = get_type_hints(settings)
    found: dict[str, Any] = {
        f.name: (_bounded(types[f.name], ranges.get(f.name, {})), f.default) for f in fields(settings)
    }
    return create_model("EnvSettings", __base__=FromEnvironment, **found)().model_dump()


def _bounded(kind: Any, bounds: dict[str, Any]) -> Any:
    """The field's type with its range, finite where it is a float."""
    finite: dict[str, Any] = {"allow_inf_nan": False} if kind is float else {}
    return Annotated[kind, Field(**bounds, **finite)]
