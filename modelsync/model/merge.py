"""Merge catalogs with overrides.yaml into the deployments of config.yaml's model_list."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from ..core.catalog import DEPRECATED, GLOB_MODES, Catalog, Offer
from ..core.errors import InputError
from ..core.prices import BY_KEY, DIMENSIONS, INFO, PARAMS, TIERS_KEY, WINDOWS_KEY
from ..core.secrets import redact_url
from ..sources.providers import Provider, apply_name_rule
from .deployed import Deployed
from .deployment import PINNED, UNPRICED, Deployment, deployment_key
from .groups import Group, resolve, retire_unsold
from .overrides import Entry, ModelRef, Overrides, ProviderSelection
from .placement import FREE, UNBILLED_KEY, place, source
from .retirements import Retired, Retiring
from .stable_id import stable_id

PARAMS_ORDER = ("model", "api_base", "api_key", *(d.key for d in DIMENSIONS if d.placement == PARAMS), TIERS_KEY)
INFO_ORDER = (
    "id",
    "mode",
    "max_input_tokens",
    "max_output_tokens",
    *(d.key for d in DIMENSIONS if d.placement == INFO),
    WINDOWS_KEY,
    UNBILLED_KEY,
)
__all__ = ["FREE", "Deployment", "Merged", "deploy", "merge", "merge_provider", "missing_model_hint"]
BY_GLOB = ModelRef(id="glob:*")  # a model taken by a glob: no name, params or pins of its own


@dataclass(frozen=True)
class Merged:
    """The merge's result: the deployments, and what was left out and why."""

    deployments: list[Deployment]
    skipped: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # provider → (id, reason)
    warnings: list[str] = field(default_factory=list)
    retired: list[Retired] = field(default_factory=list)  # named models their catalog dropped
    retiring: list[Retiring] = field(default_factory=list)  # deployments whose catalog states an end
    groups: list[Group] = field(default_factory=list)  # bare ids, as resolved against these catalogs


def merge(
    providers: dict[str, Provider],
    overrides: Overrides,
    catalogs: dict[str, Catalog],
    current: Deployed | None = None,
) -> Merged:
    """Select, name, price and order every deployment.

    `current` is what is deployed now: a named model it routes to that the catalog no
    longer lists is retired; without it (or for a model it lacks) a missing model is an error.
    """
    resolved = resolve(overrides, catalogs)
    merged = Merged([], groups=resolved.groups)
    for group in resolved.groups:  # a group no provider sells any more is retired, like a named model
        merged.retired.extend(retire_unsold(group, overrides, catalogs, current, providers))
    for name in sorted(resolved.overrides.enabled()):
        merge_provider(providers[name], resolved.overrides, catalogs[name], merged, current, overrides.models)
    merged.deployments.extend(_entry(entry) for entry in overrides.entries)
    _refuse_clashes(merged.deployments)
    merged.warnings.extend(unreachable_members(merged.deployments))
    merged.deployments.sort(key=lambda d: (*d.key(), json.dumps(d.litellm_params, sort_keys=True, default=str)))
    return merged


def merge_provider(
    provider: Provider,
    overrides: Overrides,
    catalog: Catalog,
    merged: Merged,
    current: Deployed | None = None,
    written: list[ModelRef] | None = None,
) -> None:
    """Add one provider's selected models to `merged`, and what it skipped or retired.

    `written` is models: as overrides.yaml has it, before groups expanded: where errors point.
    """
    selection = overrides.providers.get(provider.name, ProviderSelection())
    named = [ref for ref in overrides.models if ref.provider == provider.name]
    named_ids = {ref.model_id for ref in named}
    skipped = merged.skipped.setdefault(provider.name, [])
    # What the catalog could not read is news only for a model someone asked for: the rest is
    # the same noise every run.
    skipped += [
        (skip.id, skip.reason)
        for skip in catalog.skipped
        if skip.id in named_ids or _globbed(Offer(skip.id), selection)
    ]
    for offer in sorted(catalog.offers, key=lambda o: o.id):
        if offer.id in named_ids or not _globbed(offer, selection):
            continue
        problem = offer.needs_pin or offer.price_problem
        if problem:
            skipped.append((offer.id, f"{problem}; name it under models: with a pin to use it"))
            continue
        _add(merged, provider, offer, deploy(provider, selection, offer, BY_GLOB))
    offers = catalog.by_id()
    for ref in named:
        found = offers.get(ref.model_id)
        if found is None and not ref.pin.costs_both():  # never a group's member: those come from the catalog
            index = (written or overrides.models).index(ref)
            retired = deploy(provider, selection, Offer(ref.model_id), ref)
            if current is None or not current.routed(ref.id, retired.key()):
                raise _not_in_catalog(ref, index, offers)
            merged.retired.append(Retired(provider.name, ref.model_id, retired.key(), index))
            continue
        offer = found or _pinned_absentee(ref, merged, catalog.cached)
        problem = offer.needs_pin or offer.price_problem
        if problem and not ref.pin.costs_both():
            skipped.append((offer.id, f"{problem}; pin input_cost_per_token and output_cost_per_token to use it"))
            merged.warnings.append(f"{ref.id}: skipped: {problem} — pin its prices in overrides.yaml to keep it")
            continue
        _add(merged, provider, offer, deploy(provider, selection, offer, ref))


def _add(merged: Merged, provider: Provider, offer: Offer, deployment: Deployment) -> None:
    merged.deployments.append(deployment)
    if offer.retires:  # the catalog says when it ends: warn while it still works
        merged.retiring.append(Retiring(provider.name, deployment.key(), offer.retires))


def _globbed(offer: Offer, selection: ProviderSelection) -> bool:
    """Whether a provider's include/exclude globs take this offer."""
    if offer.mode not in GLOB_MODES:
        return False  # media models only when named explicitly
    if offer.retires == DEPRECATED:
        return False  # a model its catalog calls deprecated (models.dev) only when named, with a warning
    included = any(fnmatchcase(offer.id, pattern) for pattern in selection.include)
    return included and not any(fnmatchcase(offer.id, pattern) for pattern in selection.exclude)


def _pinned_absentee(ref: ModelRef, merged: Merged, cached: bool) -> Offer:
    """A named model missing from the catalog, kept on its pinned costs (said once per provider with no catalog)."""
    if cached:
        merged.warnings.append(f"{ref.id}: not in the {ref.provider} catalog; kept because its costs are pinned")
    return Offer(id=ref.model_id)


def _not_in_catalog(ref: ModelRef, index: int, offers: dict[str, Offer]) -> InputError:
    """A named model config.yaml never had, missing from the catalog: a typo, with close matches."""
    return InputError(
        f"models[{index}]: {ref.id} is not in the {ref.provider} catalog",
        f"{missing_model_hint(ref.model_id, ref.provider, offers)}; "
        "or pin its input and output costs to keep it anyway",
        loc=("models", index),
    )


def missing_model_hint(model_id: str, provider: str, offers: dict[str, Offer]) -> str:
    """Close matches for an id a catalog lacks, or where to look."""
    close = difflib.get_close_matches(model_id, offers, n=3, cutoff=0.6)
    return f"close matches: {', '.join(close)}" if close else f"try `python generate.py list {provider}`"


def deploy(provider: Provider, selection: ProviderSelection, offer: Offer, ref: ModelRef) -> Deployment:
    """The deployment of one catalog offer, with the user's name, params, model_info and pins."""
    rule = selection.name or provider.model_name
    params: dict[str, Any] = provider.route_for(offer.sdk).params(offer.id)
    pins = ref.pins
    prices = {**offer.prices, **{BY_KEY[key].name: value for key, value in pins.items() if key in BY_KEY}}
    placed = place(offer.mode, prices, offer.tiers, offer.windows)
    params.update(placed.params)
    params.update(selection.params)
    if selection.order is not None:
        params["order"] = selection.order
    params.update(ref.params)
    if ref.order_for(provider.name) is not None:
        params["order"] = ref.order_for(provider.name)
    info: dict[str, Any] = {} if offer.mode == "chat" else {"mode": offer.mode}
    info.update(placed.info)
    info.update(_limits(offer, pins))
    info.update({flag: True for flag in offer.capabilities})
    info.update(selection.model_info)
    info.update(ref.model_info)
    name = ref.name or apply_name_rule(rule, provider.name, offer.id)
    info.setdefault("id", stable_id(*deployment_key(name, params)))  # kept across price refreshes
    pinned_names = {BY_KEY[key].name for key in pins if key in BY_KEY}
    # A price that falls back to a pinned one (cache read to a pinned input price) is pinned too.
    derived = {d.key for d in DIMENSIONS if pinned_names and source(d.name, prices) in pinned_names - {d.name}}
    pinned = frozenset(pins) | derived | frozenset(selection.params) | frozenset(ref.params)
    params, info = _ordered(params, PARAMS_ORDER), _ordered(info, INFO_ORDER)
    return Deployment(provider.name, name, params, info, offer.id, pinned, price_source(provider, offer, pins))


def price_source(provider: Provider, offer: Offer, pins: dict[str, Any]) -> str:
    """Where a deployment's prices come from, as `list` and the report say it."""
    if "input_cost_per_token" in pins and "output_cost_per_token" in pins:
        return PINNED
    if offer.input_cost is None:
        return UNPRICED
    return offer.price_source or provider.name


def _limits(offer: Offer, pins: dict[str, Any]) -> dict[str, int]:
    limits = {
        "max_input_tokens": pins.get("max_input_tokens", offer.max_input_tokens),
        "max_output_tokens": pins.get("max_output_tokens", offer.max_output_tokens),
    }
    return {key: value for key, value in limits.items() if value is not None}


def _entry(entry: Entry) -> Deployment:
    return Deployment(None, entry.model_name, dict(entry.litellm_params), dict(entry.model_info or {}))


def _ordered(values: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    """Known keys in a fixed, readable order, the rest alphabetically: same input, same bytes."""
    keys = [k for k in first if k in values] + sorted(k for k in values if k not in first)
    return {key: values[key] for key in keys}


def unreachable_members(deployments: list[Deployment]) -> list[str]:
    """Groups where some deployments have an order and others none: LiteLLM prefers any ordered one."""
    orders: dict[str, list[Deployment]] = {}
    for deployment in deployments:
        orders.setdefault(deployment.model_name, []).append(deployment)
    warnings = []
    for name, members in sorted(orders.items()):
        unordered = [str(d.litellm_params["model"]) for d in members if d.litellm_params.get("order") is None]
        if unordered and len(unordered) < len(members):
            warnings.append(
                f"{name}: {', '.join(unordered)} have no order while the group's other deployments do, so LiteLLM "
                "routes to them only while every ordered one is cooling down — give each provider of the group "
                "an order (providers.<name>.order)"
            )
    return warnings


def _refuse_clashes(deployments: list[Deployment]) -> None:
    """Two deployments with the same name, route and api_base would be one deployment listed twice."""
    seen: set[tuple[str, str, str]] = set()
    for deployment in deployments:
        if deployment.key() in seen:
            name, model, api_base = deployment.key()
            raise InputError(
                f"two deployments are both {name!r} routed to {model!r}"
                + (f" at {redact_url(api_base)!r}" if api_base else ""),
                "remove the repeated entry, or give one of them another name or api_base",
            )
        seen.add(deployment.key())
