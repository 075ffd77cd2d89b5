"""Literal keys found on import, moved to the environment: one variable per credential.

Each distinct value gets one `os.environ/VAR`, named after whom it belongs to (OPENROUTER_API_KEY,
REDIS_PASSWORD, LITELLM_MASTER_KEY), however many deployments repeat it; a second value for the
same owner gets `_2`. The value itself is never written or printed: the warning names the
variable to set. What counts as a literal secret is the secrets policy's (`secrets.is_secret`).
"""

from __future__ import annotations

import ipaddress
import logging
import re
from typing import Any
from urllib.parse import urlsplit

from ..core.secrets import is_secret

log = logging.getLogger("modelsync")
# Credentials whose variable LiteLLM and its users already know by name.
WELL_KNOWN = {"master_key": "LITELLM_MASTER_KEY", "redis_password": "REDIS_PASSWORD", "password": "REDIS_PASSWORD"}
GENERIC_LABELS = {"api", "www", "router", "gateway", "app", "v1", "com", "net", "org", "ai", "io", "dev", "internal"}


class Credentials:
    """Names the variables that literal keys move to, remembering each value's variable."""

    def __init__(self, config: Any = None) -> None:
        self._by_value: dict[str, str] = {}
        # A variable the config already reads may hold another key: a moved one never reuses it.
        self._taken: set[str] = set(referenced_variables(config))

    def scrub(self, values: Any, where: str, owner: str, provider: bool = False) -> Any:
        """`values` with every literal secret replaced by its os.environ/ reference.

        `owner` names the credential: a provider's key variable itself (`provider=True`), or a
        word such as a host or section that the key's name is added to.
        """
        if isinstance(values, list):
            return [self.scrub(item, f"{where}[{i}]", _item_owner(item, owner)) for i, item in enumerate(values)]
        if not isinstance(values, dict):
            return values
        clean = {}
        for key, value in values.items():
            if isinstance(value, (dict, list)):
                value = self.scrub(value, f"{where}.{key}", owner)
            elif is_secret(key, value):
                var = self._variable(value, self._base(owner, str(key), provider))
                log.warning(
                    "%s.%s: a literal key was moved out: it is now os.environ/%s — set %s in the environment or .env",
                    where,
                    key,
                    var,
                    var,
                )
                value = f"os.environ/{var}"
            clean[key] = value
        return clean

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
        if key in WELL_KNOWN:
            return WELL_KNOWN[key]
        if key.startswith("aws_"):
            return _variable_name(key)
        name = _variable_name(key)
        return name if name.startswith(f"{_variable_name(owner)}_") else _variable_name(f"{owner}_{key}")

    def _variable(self, value: str, base: str) -> str:
        if value in self._by_value:
            return self._by_value[value]
        name, n = base, 1
        while name in self._taken:
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
