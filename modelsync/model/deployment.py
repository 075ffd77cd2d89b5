"""One deployment of config.yaml's model_list, and its identity: (model_name, route, api_base)."""

from __future__ import annotations

from typing import Any, NamedTuple

Key = tuple[str, str, str]  # (model_name, litellm_params.model, api_base or "")
PINNED, UNPRICED = "pinned", "unpriced"  # price sources besides a catalog


def deployment_key(model_name: Any, litellm_params: dict[str, Any]) -> tuple[str, str, str]:
    """(model_name, route, api_base): one name and route may be served from two hosts."""
    return str(model_name), str(litellm_params.get("model", "")), str(litellm_params.get("api_base") or "")


class Deployment(NamedTuple):
    """One model_list entry; `provider` and `model_id` are None for a hand-written entry."""

    provider: str | None
    model_name: str
    litellm_params: dict[str, Any]
    model_info: dict[str, Any]
    model_id: str | None = None  # the id in the provider's catalog
    pinned: frozenset[str] = frozenset()  # keys whose value the user pinned in overrides.yaml
    price_source: str | None = None  # the catalog, models.dev, pinned, or unpriced (LiteLLM's map bills it)

    def key(self) -> tuple[str, str, str]:
        """A deployment's identity: name, route and api_base ("" for the route's default host)."""
        return deployment_key(self.model_name, self.litellm_params)

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"model_name": self.model_name, "litellm_params": self.litellm_params}
        if self.model_info:
            body["model_info"] = self.model_info
        return body


def keyed_deployments(model_list: Any) -> dict[Key, dict[str, Any]]:
    """Deployments keyed by (model_name, litellm_params.model, api_base); a repeated key gets a #n suffix."""
    keyed: dict[Key, dict[str, Any]] = {}
    for item in model_list if isinstance(model_list, list) else []:
        if not isinstance(item, dict):
            continue
        params = item["litellm_params"] if isinstance(item.get("litellm_params"), dict) else {}
        name, model, api_base = deployment_key(item.get("model_name", ""), params)
        key, n = (name, model, api_base), 1
        while key in keyed:
            n += 1
            key = (name, f"{model}#{n}", api_base)
        keyed[key] = item
    return keyed
