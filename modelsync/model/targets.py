"""overrides.yaml's `targets:`: where `push` sends the model list, and the key it uses."""

from __future__ import annotations

from pydantic import Field, field_validator

from ..core.schema import Strict
from ..core.secrets import ENV_REFERENCE


class ProxyTarget(Strict):
    """A running LiteLLM proxy whose model table (`store_model_in_db: true`) `push` reconciles."""

    url: str
    master_key: str  # os.environ/VAR: the key itself never sits in a file
    page_size: int = Field(default=500, gt=0, le=1000)  # rows per /v2/model/info page
    timeout: float = Field(default=30.0, gt=0)  # seconds per request

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or "@" in value:
            raise ValueError("url must be the proxy's address, like http://127.0.0.1:4000 (no user or key in it)")
        return value.rstrip("/")

    @field_validator("master_key")
    @classmethod
    def _from_environment(cls, value: str) -> str:
        if not value.startswith(ENV_REFERENCE) or len(value) == len(ENV_REFERENCE):
            raise ValueError(
                "master_key must name an environment variable, like os.environ/LITELLM_MASTER_KEY — "
                "a key written in overrides.yaml would be committed with it"
            )
        return value

    @property
    def key_variable(self) -> str:
        return self.master_key[len(ENV_REFERENCE) :]


class Targets(Strict):
    """Every target besides config.yaml; today one: a proxy's model table."""

    proxy: ProxyTarget | None = None
