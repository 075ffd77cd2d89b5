"""Literal keys found on import, moved to `.env`: one variable per credential.

Each distinct value gets one `os.environ/VAR`, named as LiteLLM and its users know it where
there is such a name (LITELLM_MASTER_KEY, DATABASE_URL, LANGFUSE_SECRET_KEY, SLACK_WEBHOOK_URL,
REDIS_PASSWORD, the provider's OPENROUTER_API_KEY), else after whom it belongs to, however many
deployments repeat it; a second value for the same name gets `_2`, and so does a name `.env`
already holds with another value. A value under a credential key moves whatever its type (a
number, each item of a list or mapping). The value itself is never printed: the warning names
the variable. What counts as a literal secret is the secrets policy's (`core/secrets.py`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from ..core.secrets import is_placeholder, is_secret, is_secret_key

log = logging.getLogger("modelsync")
# Credentials whose variable LiteLLM and its users already know by name, by their key in config.yaml.
WELL_KNOWN = {
    "master_key": "LITELLM_MASTER_KEY",
    "salt_key": "LITELLM_SALT_KEY",
    "database_url": "DATABASE_URL",
    "redis_password": "REDIS_PASSWORD",
    "redis_url": "REDIS_URL",
    "slack_webhook_url": "SLACK_WEBHOOK_URL",
    "alert_to_webhook_url": "SLACK_WEBHOOK_URL",
    "langfuse_public_key": "LANGFUSE_PUBLIC_KEY",
    "langfuse_secret": "LANGFUSE_SECRET_KEY",
    "langfuse_secret_key": "LANGFUSE_SECRET_KEY",
}
CACHE_SECTIONS = frozenset({"LITELLM_SETTINGS", "ROUTER_SETTINGS"})  # whose `password` is Redis's
ENVIRONMENT_SECTION = "ENVIRONMENT_VARIABLES"  # its keys are variable names already
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
GENERIC_LABELS = {"api", "www", "router", "gateway", "app", "v1", "com", "net", "org", "ai", "io", "dev", "internal"}


class Credentials:
    """Names the variables that literal keys move to, remembering each value's variable."""

    def __init__(self, config: Any = None, dotenv: dict[str, str] | None = None) -> None:
        self._by_value: dict[str, str] = {}
        self._dotenv = dotenv or {}  # what .env already holds: reused for the same value, never overwritten
        # A variable the config already reads may hold another key: a moved one never reuses it.
        self._taken: set[str] = set(referenced_variables(config)) | set(self._dotenv)
        self._claim_environment(config)

    def _claim_environment(self, config: Any) -> None:
        """A literal in `environment_variables:` keeps its own name, before any other key may take it."""
        section = config.get("environment_variables") if isinstance(config, dict) else None
        for name, value in section.items() if isinstance(section, dict) else ():
            if ENV_NAME.match(str(name)) and not isinstance(value, (dict, list)) and is_secret(name, value):
                self._variable(str(value), str(name))

    def scrub(self, values: Any, where: str, owner: str, provider: bool = False) -> Any:
        """`values` with every literal secret replaced by its os.environ/ reference.

        `owner` names the credential: a provider's key variable itself (`provider=True`), or a
        word such as a host or section that the key's name is added to.
        """
        return self._clean("", values, where, owner, provider, None)

    def _clean(self, key: Any, value: Any, where: str, owner: str, provider: bool, under: str | None) -> Any:
        """`value` found at `where` under `key`; `under`: the credential key it sits below, if any."""
        under = under or (str(key) if is_secret_key(key) else None)
        if isinstance(value, dict):
            return {k: self._clean(k, v, f"{where}.{k}", owner, provider, under) for k, v in value.items()}
        if isinstance(value, list):
            return [
                self._clean(key, item, f"{where}[{i}]", _item_owner(item, owner), provider, under)
                for i, item in enumerate(value)
            ]
        if (under and not is_placeholder(value)) or is_secret(key, value):
            var = self._variable(str(value), self._base(owner, under or str(key), provider))
            log.warning("%s: a literal secret was moved out: it is now os.environ/%s, its value in .env", where, var)
            return f"os.environ/{var}"
        return value

    def moved(self) -> dict[str, str]:
        """Each variable to add to .env, with its value: those .env does not hold already."""
        return {name: value for value, name in self._by_value.items() if self._dotenv.get(name) != value}

    def variables(self) -> list[str]:
        """Every variable a moved key now lives in, to be set before the proxy starts."""
        return sorted(set(self._by_value.values()))

    @staticmethod
    def host_name(api_base: str) -> str:
        """A server's name from its URL: `api.together.xyz` → together, `localhost:8000` → localhost."""
        host = urlsplit(api_base).hostname or "server"
        try:
            ipaddress.ip_address(host)
            return f"SERVER_{host}"
        except ValueError:
            pass
        labels = [label for label in host.split(".")[:-1] or [host] if label not in GENERIC_LABELS]
        return labels[-1] if labels else host  # the registrable name: llm.lab.example.com → EXAMPLE

    def _base(self, owner: str, key: str, provider: bool) -> str:
        if provider and key == "api_key":
            return _variable_name(owner)
        if owner == ENVIRONMENT_SECTION and ENV_NAME.match(key):
            return key
        if key.lower() in WELL_KNOWN:
            return WELL_KNOWN[key.lower()]
        if key == "password" and owner in CACHE_SECTIONS:
            return "REDIS_PASSWORD"
        if key.startswith("aws_"):
            return _variable_name(key)
        name = _variable_name(key)
        return name if name.startswith(f"{_variable_name(owner)}_") else _variable_name(f"{owner}_{key}")

    def _variable(self, value: str, base: str) -> str:
        if value in self._by_value:
            return self._by_value[value]
        name, n = base, 1
        while name in self._taken and self._dotenv.get(name) != value:
            n += 1
            name = f"{base}_{n}"
        self._taken.add(name)
        self._by_value[value] = name
        return name


def referenced_variables(value: Any) -> set[str]:
    """Every VAR that an `os.environ/VAR` anywhere in `value` names."""
    if isinstance(value, dict):
        return set().union(*map(referenced_variables, value.values()))
    if isinstance(value, list):
        return set().union(*map(referenced_variables, value))
    return {value.removeprefix("os.environ/")} if isinstance(value, str) and value.startswith("os.environ/") else set()


def _item_owner(item: Any, owner: str) -> str:
    """A named list item (a guardrail, a credential, an MCP server) owns the keys inside it."""
    if isinstance(item, dict):
        for key in ("guardrail_name", "credential_name", "server_name", "name"):
            if isinstance(item.get(key), str) and item[key]:
                return str(item[key])
    return owner


def _variable_name(text: str) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_") or "SECRET"
