"""providers.yaml: where each provider's catalog lives, how to read it, how LiteLLM routes to it."""

from __future__ import annotations

import string
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import PrivateAttr, ValidationError, field_validator, model_validator

from ..core.errors import InputError
from ..core.schema import Strict, explain, kind_of, load_yaml
from ..core.secrets import is_secret
from ..core.yamlfile import line_of

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

    @field_validator("api_base")
    @classmethod
    def _no_credentials(cls, value: str | None) -> str | None:
        """The route is written into config.yaml: a password or token in its URL would be too."""
        if value is not None and is_secret("api_base", value):
            raise ValueError(
                "api_base carries a credential (a password or a token in the URL), which would be written "
                "into config.yaml — write `api_base: os.environ/VAR` and set VAR in the environment or .env"
            )
        return value

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


class KnownBy(Strict):
    """How hand-kept configs point at a provider: its hosts, and env vars that hold its api_base."""

    hosts: list[str] = []  # api.example.com: any api_base URL on this host is this provider
    env: list[str] = []  # EXAMPLE_API_BASE: `api_base: os.environ/EXAMPLE_API_BASE` is this provider

    def knows(self, api_base: str) -> bool:
        if api_base.startswith("os.environ/"):
            return api_base.removeprefix("os.environ/") in self.env
        return (urlsplit(api_base).hostname or "").lower() in {host.lower() for host in self.hosts}


class Source(Strict):
    """A document many providers read (models.dev's api.json, LiteLLM's price map): fetched once."""

    url: str


SOURCES_KEY = "sources"  # the one top-level key of providers.yaml that is not a provider
MODELS_DEV = "models_dev"  # the normaliser, the source and the cache name of models.dev's api.json


class Provider(Strict):
    """One provider's entry in providers.yaml."""

    name: str
    normaliser: str
    catalog_url: str | None = None  # none when the whole catalog comes from models.dev
    # Its id in models.dev: where a list without prices takes them, and what `audit` compares with.
    models_dev: str | None = None
    embeddings_url: str | None = None
    listing_key: ListingKey | None = None
    headers: dict[str, str] = {}
    paging: Literal["anthropic", "gemini"] | None = None  # how to follow pages; see paging.py
    route: Route
    sdk_routes: dict[str, Route] = {}  # models that speak another API (models.dev `provider.npm`)
    other_routes: list[OtherRoute] = []
    known_by: KnownBy = KnownBy()
    model_name: str
    _shared: dict[str, str] = PrivateAttr(default_factory=dict)  # source cache name → URL

    _check_rule = field_validator("model_name")(check_name_rule)

    @model_validator(mode="after")
    def _has_a_catalog(self) -> Provider:
        if self.normaliser == MODELS_DEV and not self.models_dev:
            raise ValueError(
                "normaliser models_dev reads models.dev under an id — add models_dev: <its id in models.dev>"
            )
        if self.normaliser != MODELS_DEV and not self.catalog_url:
            raise ValueError(
                "catalog_url is missing — add the provider's list-models URL, or use normaliser models_dev"
            )
        return self

    def own_urls(self) -> dict[str, str]:
        """The provider's own documents (sent its listing key), by the cache name they go to."""
        urls = {self.name: self.catalog_url} if self.catalog_url else {}
        if self.embeddings_url:
            urls[f"{self.name}.embeddings"] = self.embeddings_url
        return urls

    def secondary_urls(self) -> dict[str, str]:
        """Its own documents besides the main list (OpenRouter's embeddings): one that fails leaves the rest."""
        return {name: url for name, url in self.own_urls().items() if name != self.name}

    def shared_urls(self) -> dict[str, str]:
        """The documents it reads that other providers read too (models.dev), by cache name."""
        return dict(self._shared)

    def urls(self) -> dict[str, str]:
        """Every document that makes up this provider's catalog, by the cache name it goes to."""
        return {**self.own_urls(), **self._shared}

    def route_for(self, sdk: str | None) -> Route:
        """The route of a model that speaks `sdk`'s API (models.dev npm), else the provider's own."""
        return self.sdk_routes.get(sdk or "", self.route)

    @cached_property
    def prefixes(self) -> tuple[str, ...]:
        """Every route's prefix: a deployment's model that starts with none of them is not this provider's."""
        routes: list[Route | OtherRoute] = [self.route, *self.sdk_routes.values(), *self.other_routes]
        return tuple(route.prefix for route in routes)

    def route_of(self, litellm_params: dict[str, Any]) -> Route | OtherRoute | None:
        """The route of this provider a deployment uses: same prefix, and its api_base, none, or one it is known by.

        An `openai/` deployment with another api_base (a local server, say) is nobody's.
        """
        model = str(litellm_params.get("model", ""))
        if not model.startswith(self.prefixes):  # most providers, for most deployments: said at once
            return None
        api_base = str(litellm_params.get("api_base") or "").rstrip("/")
        routes: list[Route | OtherRoute] = [self.route, *self.sdk_routes.values(), *self.other_routes]
        for route in routes:
            if model.startswith(route.prefix) and api_base == (route.api_base or "").rstrip("/"):
                return route
        if api_base and self.known_by.knows(api_base):
            return next((route for route in routes if model.startswith(route.prefix)), None)
        return None


def load_providers(path: Path) -> dict[str, Provider]:
    """Read and validate providers.yaml, keyed by provider name."""
    from .normalisers import NORMALISERS, PRICED_LISTS

    raw = _read(path)
    sources = _sources(raw, path)
    known = sorted({*NORMALISERS, MODELS_DEV})
    providers: dict[str, Provider] = {}
    for name, body in raw.items():
        if name == SOURCES_KEY:
            continue
        if not isinstance(body, dict):
            raise InputError(
                f"{path}:{line_of(path, (name,))}: {name}: should be a mapping of its settings, not {kind_of(body)}",
                "see the README's providers.yaml",
            )
        try:
            provider = Provider(name=name, **body)
        except ValidationError as exc:
            raise _in_provider(explain(exc, path, Provider, within=(name,)), name) from None
        if provider.normaliser not in known:
            raise InputError(
                f"{path}: {name}.normaliser: unknown normaliser {provider.normaliser!r}",
                f"use one of: {', '.join(known)}",
            )
        if provider.models_dev and provider.normaliser not in PRICED_LISTS:  # it reads models.dev
            if MODELS_DEV not in sources:
                raise InputError(
                    f"{path}: {name}.models_dev: no URL for models.dev",
                    f"add `{SOURCES_KEY}: {{{MODELS_DEV}: {{url: https://models.dev/api.json}}}}` to {path.name}",
                )
            provider._shared = {MODELS_DEV: sources[MODELS_DEV].url}
        providers[name] = provider
    return providers


def load_sources(path: Path) -> dict[str, Source]:
    """The shared documents providers.yaml names under `sources:`, by cache name."""
    return _sources(_read(path), path)


def _read(path: Path) -> dict[str, Any]:
    raw = load_yaml(path, "providers")
    if not isinstance(raw, dict):
        raise InputError(f"{path}: expected a mapping of provider names", "see the README's providers.yaml")
    return raw


def _sources(raw: dict[str, Any], path: Path) -> dict[str, Source]:
    body = raw.get(SOURCES_KEY) or {}
    if not isinstance(body, dict):
        raise InputError(
            f"{path}: {SOURCES_KEY}: expected a mapping of source names", "see the README's providers.yaml"
        )
    sources = {}
    for name, spec in body.items():
        try:
            sources[str(name)] = Source.model_validate(spec)
        except ValidationError as exc:
            raise _in_provider(explain(exc, path, Source), f"{SOURCES_KEY}.{name}") from None
    return sources


def identify(providers: dict[str, Provider], litellm_params: dict[str, Any]) -> str | None:
    """The provider whose route a deployment uses; the most specific route wins."""
    model = str(litellm_params.get("model", ""))
    candidates = [p for p in providers.values() if model.startswith(p.prefixes)]  # cheap: most are not
    owners = [(p, route) for p in candidates if (route := p.route_of(litellm_params))]
    owners.sort(key=lambda owner: -len(owner[1].prefix))
    return owners[0][0].name if owners else None


def _in_provider(error: InputError, name: str) -> InputError:
    """Prefix a provider's validation error with its name, so the path reads `openrouter.route`."""
    what = error.what.replace(": ", f": {name}.", 1)
    return InputError(what, error.fix)
