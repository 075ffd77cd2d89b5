"""overrides.yaml: the user's choices — which models, their names, pins, params and extra entries."""

from __future__ import annotations

import difflib
import logging
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, field_validator, model_validator

from ..core.errors import InputError, LocatedError
from ..core.schema import Strict, dotted, explain, load_yaml
from ..core.secrets import refuse_literals
from ..core.yamlfile import line_of
from ..sources.providers import Provider, check_name_rule
from ..usage.config import GuardsConfig, UsageConfig
from .pins import Pin, refuse_cost_params
from .sections import check_sections
from .targets import Targets
from .typos import Block, misspelt_keys

log = logging.getLogger("modelsync")
Order = Annotated[int, Field(ge=0)]


def refuse_two_orders(order: int | None, params: dict[str, Any]) -> None:
    """`order:` and `params: {order: ...}` say the same thing; two of them would be a guess."""
    if order is not None and "order" in params:
        raise ValueError("order is set twice, as order: and in params: — keep one of them")


class ModelRef(Strict):
    """One model picked by `provider:model-id`, or by a bare id on every provider that sells it."""

    id: str
    name: str | None = Field(default=None, min_length=1)
    params: dict[str, Any] = {}
    model_info: dict[str, Any] = {}
    pin: Pin = Pin()
    # A bare id's group: where to look, where not, and each member's order of preference.
    providers: list[str] | None = None
    exclude: list[str] = []
    order: Order | dict[str, Order] | None = None

    _check_params = field_validator("params")(refuse_cost_params)
    _check_info = field_validator("model_info")(refuse_literals)

    @field_validator("id")
    @classmethod
    def _provider_and_model(cls, value: str) -> str:
        provider, colon, model = value.partition(":")
        if not provider or (colon and not model):
            raise ValueError(
                f"{value!r} is not a model id — write provider:model-id, like openrouter:openai/gpt-4o, "
                "or a bare id, like claude-haiku-4.5, for every provider that sells it"
            )
        return value

    @model_validator(mode="after")
    def _fits_its_kind(self) -> ModelRef:
        if self.is_group:
            if self.pins:
                raise ValueError(
                    f"{self.id}: pin is for one provider's model — pin it on a provider:model-id entry, "
                    "which wins over this group for that provider"
                )
        else:
            if self.providers is not None or self.exclude:
                raise ValueError(
                    f"{self.id}: providers and exclude choose the providers of a bare id — "
                    f"drop them, or write the id without its {self.provider}: part"
                )
            if isinstance(self.order, dict):
                raise ValueError(f"{self.id}: one provider, one order — write order: 1, not a mapping")
        refuse_two_orders(self.order if isinstance(self.order, int) else None, self.params)
        return self

    @cached_property
    def pins(self) -> dict[str, Any]:
        """The pinned values that are set, by key."""
        return self.pin.model_dump(exclude_none=True)

    @property
    def is_group(self) -> bool:
        """A bare id, with no `provider:` part: the same model on every provider that sells it."""
        return ":" not in self.id

    @property
    def provider(self) -> str:
        return "" if self.is_group else self.id.partition(":")[0]

    @property
    def model_id(self) -> str:
        return self.id if self.is_group else self.id.partition(":")[2]

    @property
    def group_name(self) -> str:
        """A bare id's model_name: its name, else the id itself."""
        return self.name or self.id

    def order_for(self, provider: str) -> int | None:
        """The order this entry gives a deployment on `provider`, over the provider's own."""
        return self.order.get(provider) if isinstance(self.order, dict) else self.order


class ProviderSelection(Strict):
    """Which of a provider's models to take by glob, and what to give all of them."""

    include: list[str] = []
    exclude: list[str] = []
    name: str | None = None  # naming rule, overriding providers.yaml's
    params: dict[str, Any] = {}
    model_info: dict[str, Any] = {}
    order: Order | None = None  # LiteLLM's order of preference, for every deployment of this provider

    _check_rule = field_validator("name")(lambda v: v if v is None else check_name_rule(v))
    _check_params = field_validator("params")(refuse_cost_params)
    _check_info = field_validator("model_info")(refuse_literals)

    @model_validator(mode="after")
    def _one_order(self) -> ProviderSelection:
        refuse_two_orders(self.order, self.params)
        return self

    def order_of(self) -> int | None:
        """This provider's order, written as `order:` or in params."""
        value = self.params.get("order", self.order)
        return value if isinstance(value, int) else None


class Entry(Strict):
    """A hand-written deployment, passed through as written."""

    model_name: str = Field(min_length=1)
    litellm_params: dict[str, Any]
    model_info: dict[str, Any] | None = None

    _check_params = field_validator("litellm_params", "model_info")(refuse_literals)

    @field_validator("litellm_params")
    @classmethod
    def _has_model(cls, value: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(value.get("model"), str) or not value["model"]:
            raise ValueError("litellm_params has no model — add the LiteLLM route, like `model: azure/gpt-4o`")
        return value


class Overrides(Strict):
    """The whole of overrides.yaml."""

    providers: dict[str, ProviderSelection] = {}
    models: list[ModelRef] = []
    entries: list[Entry] = []
    settings: dict[str, Any] = {}  # top-level sections of config.yaml, passed through as written
    usage: UsageConfig | None = None  # where the proxy's usage comes from, for the report's dollars
    guards: GuardsConfig = GuardsConfig()
    targets: Targets = Targets()  # where `push` sends the model list besides config.yaml

    _check_settings = field_validator("settings")(check_sections)

    @field_validator("models", mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        """`- openrouter:x/y` is short for `- id: openrouter:x/y`."""
        if isinstance(value, list):
            return [{"id": item} if isinstance(item, str) else item for item in value]
        return value

    @field_validator("models")
    @classmethod
    def _no_repeated_models(cls, models: list[ModelRef]) -> list[ModelRef]:
        _refuse_repeats([(ref.id, ref.name, ref.params.get("api_base")) for ref in models], lambda key: key[0])
        return models

    @field_validator("entries")
    @classmethod
    def _no_repeated_entries(cls, entries: list[Entry]) -> list[Entry]:
        keys = [(e.model_name, e.litellm_params["model"], e.litellm_params.get("api_base")) for e in entries]
        _refuse_repeats(keys, lambda key: key[0])
        return entries

    def sections(self) -> dict[str, Any]:
        """The top-level sections to write, in the order overrides.yaml gives them."""
        return dict(self.settings)

    def enabled(self) -> set[str]:
        """The providers this file uses: those with a selection, a named model or a group naming them."""
        used = set(self.providers) | {ref.provider for ref in self.models if not ref.is_group}
        return used | {name for ref in self.models if ref.is_group for name in ref.providers or ()}

    def groups(self) -> list[tuple[int, ModelRef]]:
        """The bare-id entries, with their index in models:."""
        return [(index, ref) for index, ref in enumerate(self.models) if ref.is_group]


def _refuse_repeats(keys: list[Any], label: Any) -> None:
    seen: dict[Any, int] = {}
    for index, key in enumerate(keys):
        if key in seen:
            raise LocatedError(
                f"item [{index}] repeats item [{seen[key]}] ({label(key)}) — remove one of them", at=(index,)
            )
        seen[key] = index


def load_overrides(path: Path, providers: dict[str, Provider]) -> Overrides:
    """Read overrides.yaml, validate it, and check every provider it names exists."""
    raw = load_yaml(path, "overrides")
    if raw is None:  # a truncated save or a stray `>` far more often than a wish to serve nothing
        what = f"{path} is empty, and rendering it would remove every deployment from config.yaml"
        raise InputError(what, "restore it (`git checkout overrides.yaml`), or write `models: []` to mean no model")
    if not isinstance(raw, dict):
        raise InputError(
            f"{path}: the file holds a {type(raw).__name__}, not a mapping",
            "write it as keys providers:, models:, entries:, settings: (see the README)",
        )
    try:
        overrides = Overrides.model_validate(raw)
    except ValidationError as exc:
        raise explain(exc, path, Overrides) from None
    for loc, name in _provider_mentions(overrides):
        if name not in providers:
            close = difflib.get_close_matches(name, providers, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise InputError(
                f"{path}:{line_of(path, loc)}: {dotted(loc)}: unknown provider {name!r}",
                f"{hint}known providers: {', '.join(sorted(providers))}",
            )
    _warn_close_misses(overrides, path)
    return overrides


def _warn_close_misses(overrides: Overrides, path: Path) -> None:
    """A key LiteLLM does not know but nearly does is most likely a typo: say so, with the key meant."""
    for loc, key, meant in misspelt_keys(_free_blocks(overrides)):
        log.warning(
            "%s:%s: %s: %r is not a key LiteLLM knows — did you mean %r?",
            path,
            line_of(path, loc),
            dotted(loc),
            key,
            meant,
        )


def _provider_mentions(overrides: Overrides) -> list[tuple[tuple[str | int, ...], str]]:
    found: list[tuple[tuple[str | int, ...], str]] = [(("providers", name), name) for name in overrides.providers]
    found += [(("models", i, "id"), ref.provider) for i, ref in enumerate(overrides.models) if not ref.is_group]
    for i, ref in overrides.groups():
        found += [(("models", i, "providers", j), name) for j, name in enumerate(ref.providers or ())]
        found += [(("models", i, "exclude", j), name) for j, name in enumerate(ref.exclude)]
        if isinstance(ref.order, dict):
            found += [(("models", i, "order", name), name) for name in ref.order]
    return found


def _free_blocks(overrides: Overrides) -> list[Block]:
    """overrides.yaml's params and model_info blocks, each with where it is: keys LiteLLM reads as they are."""
    blocks: list[Block] = []
    for name, selection in overrides.providers.items():
        blocks += [(("providers", name, "params"), "litellm_params", selection.params)]
        blocks += [(("providers", name, "model_info"), "model_info", selection.model_info)]
    for index, ref in enumerate(overrides.models):
        blocks += [(("models", index, "params"), "litellm_params", ref.params)]
        blocks += [(("models", index, "model_info"), "model_info", ref.model_info)]
    for index, entry in enumerate(overrides.entries):
        blocks += [(("entries", index, "litellm_params"), "litellm_params", entry.litellm_params)]
        blocks += [(("entries", index, "model_info"), "model_info", entry.model_info)]
    return blocks
