"""The `usage:` and `guards:` sections of overrides.yaml: where usage comes from, and the money guard."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ..core.schema import Strict
from ..core.secrets import ENV_REFERENCE

Days = Annotated[int, Field(gt=0, le=366)]


class UsageConfig(Strict):
    """One usage source: LiteLLM's database, the admin UI's CSV export, or a committed snapshot."""

    database: str | None = None  # os.environ/DATABASE_URL: the connection string is a secret
    csv: str | None = None  # a path, relative to overrides.yaml
    snapshot: str | None = None  # a path, relative to overrides.yaml
    window_days: Days = 30
    tolerance: Annotated[float, Field(ge=0)] = 0.02  # `usage`: a bill differing by more than this share is reported

    @field_validator("database")
    @classmethod
    def _from_environment(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(ENV_REFERENCE):
            raise ValueError(
                "the connection string is a secret — write `database: os.environ/DATABASE_URL` "
                "and set DATABASE_URL in the environment or .env"
            )
        return value

    @model_validator(mode="after")
    def _one_source(self) -> UsageConfig:
        named = [name for name in ("database", "csv", "snapshot") if getattr(self, name)]
        if len(named) != 1:
            said = " and ".join(named) if named else "none"
            raise ValueError(f"name exactly one usage source of database, csv or snapshot (found {said})")
        return self


class GuardsConfig(Strict):
    """Guards on top of the settings' (MODELSYNC_MAX_*): the one that needs usage to judge."""

    max_monthly_increase: Annotated[float, Field(ge=0)] | None = None  # USD at current usage
