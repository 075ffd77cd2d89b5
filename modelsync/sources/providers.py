"""providers.yaml: where each provider's catalog lives, how to read it, how LiteLLM routes to it."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, field_validator

from ..errors import InputError
from ..schema import Strict, explain, load_yaml

NAME_FIELDS = {"provider", "id", "model"}


def check_name_rule(rule: str) -> str:
    """A naming rule is a format string over {provider}, {id} and {model} (the id's last part)."""
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(rule) if f is not None}
    except ValueError as exc:
        raise ValueError(
            f"naming rule {rule!r} is not a valid format string ({exc}) — write it like '{{provider}}/{{id}}'"
        ) from None
    unknown = fields - NAME_FIELDS
    if unknown:
        raise ValueError(
            f"naming rule {rule!r} uses {{{sorted(unknown)[0]}}} — use only {{provider}}, {{id}} "
            "and {model} (the id's last part)"
        )
    return rule


def apply_name_rule(rule: str, provider: str, model_id: str) -> str:
    """The default model_name of a model under a provider's naming rule."""
    return rule.format(provider=provider, id=model_id, model=model_id.rsplit("/", 1)[-1])


class ListingKey(Strict):
    """The key sent when listing a catalog: an env var and the header that carries it."""

    env: str
    header: str = "Authorization"
    scheme: str = "Bearer"
    required: bool = True  # without it the provider is skipped; optional keys just add detail


class Route(Strict):
    """How LiteLLM reaches a provider's model: `<prefix><id>`, an optional api_base, a key var."""

    prefix: str
    api_key: str | None = None  # env var name, written as os.environ/<name>
    api_base: str | None = None

    def params(self, model_id: str) -> dict[str, str]:
        """The litellm_params that route one model of this provider."""
        params = {"model": f"{self.prefix}{model_id}"}
        if self.api_base:
            params["api_base"] = self.api_base
        if self.api_key:
            params["api_key"] = f"os.environ/{self.api_key}"
        return params


class OtherRoute(Strict):
    """Another way configs reach the provider, such as `openai/` plus its api_base; read on import."""

    prefix: str
    api_base: str | None = None


class Provider(Strict):
    """One provider's entry in providers.yaml."""

    name: str
    normaliser: str
    catalog_url: str
    embeddings_url: str | None = None
    listing_key: ListingKey | None = None
    headers: dict[str, str] = {}
    paging: Literal["anthropic", "gemini"] | None = None  # how to follow pages; see paging.py
    route: Route
    other_routes: list[OtherRoute] = []
    model_name: str

    _check_rule = field_validator("model_name")(check_name_rule)

    def urls(self) -> dict[str, str]:
        """The documents that make up this provider's catalog, by the cache name they go to."""
        urls = {self.name: self.catalog_url}
        if self.embeddings_url:
            urls[f"{self.name}.embeddings"] = self.embeddings_url
        return urls

    def route_of(self, litellm_params: dict[str, Any]) -> Route | OtherRoute | None:
        """The route of this provider a deployment uses: same prefix, same api_base or none.

        An `openai/` deployment with another api_base (a local server, say) is nobody's.
        """
        model = str(litellm_params.get("model", ""))
        api_base = str(litellm_params.get("api_base") or "").rstrip("/")
        routes: list[Route | OtherRoute] = [self.route, *self.other_routes]
        for route in routes:
            if model.startswith(route.prefix) and api_base == (route.api_base or "").rstrip("/"):
                return route
        return None


def load_providers(path: Path) -> dict[str, Provider]:
    """Read and validate providers.yaml, keyed by provider name."""
    from .normalisers import NORMALISERS

    raw = load_yaml(path, "providers")
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping of provider names", "see the README's providers.yaml")
    providers: dict[str, Provider] = {}
    for name, body in raw.items():
        if not isinstance(body, dict):
            raise InputError(f"{path}: {name}: expected a mapping", "see the README's providers.yaml")
        try:
            provider = Provider(name=name, **body)
        except ValidationError as exc:
            raise _in_provider(explain(exc, path, Provider), name) from None
        if provider.normaliser not in NORMALISERS:
            raise InputError(
                f"{path}: {name}.normaliser: unknown normaliser {provider.normaliser!r}",
                f"use one of: {', '.join(sorted(NORMALISERS))}",
            )
        providers[name] = provider
    return providers


def identify(providers: dict[str, Provider], litellm_params: dict[str, Any]) -> str | None:
    """The provider whose route a deployment uses; the most specific route wins."""
    owners = [(p, route) for p in providers.values() if (route := p.route_of(litellm_params))]
    owners.sort(key=lambda owner: -len(owner[1].prefix))
    return owners[0][0].name if owners else None


def _in_provider(error: InputError, name: str) -> InputError:
    """Prefix a provider's validation error with its name, so the path reads `openrouter.route`."""
    what = error.what.replace(": ", f": {name}.", 1)
    return InputError(what, error.fix)
