"""Change guards: a refresh is not trusted blindly.

When new catalogs would remove too many of a provider's selected models, move a price more than
tenfold, or turn a paid model free (or a free one paid), those changes are held: the deployment
keeps its old values, the rest is written, and the report lists what was held and why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from .merge import FREE, Deployment
from .overrides import Overrides
from .report import Key, keyed_deployments
from .sources.providers import Provider, identify

COSTS = ("input_cost_per_token", "output_cost_per_token")
ALL_COSTS = (*COSTS, "cache_read_input_token_cost", "cache_creation_input_token_cost")


@dataclass(frozen=True)
class Held:
    provider: str
    key: Key
    reason: str


@dataclass(frozen=True)
class Limits:
    max_removed_share: float = 0.25
    max_price_factor: float = 10.0


def guard(
    old_config: dict[str, Any],
    new: list[Deployment],
    overrides: Overrides,
    providers: dict[str, Provider],
    limits: Limits,
) -> tuple[list[Deployment], list[Held]]:
    """The deployments with suspicious catalog changes undone, and what was held."""
    old = keyed_deployments(old_config.get("model_list"))
    result = {d.key(): d for d in new}
    held: list[Held] = []
    for key, deployment in result.items():
        if key in old and deployment.provider:
            reason = _price_jump(old[key].get("litellm_params") or {}, deployment, limits.max_price_factor)
            if reason:
                result[key] = _keep_old_costs(deployment, old[key].get("litellm_params") or {})
                held.append(Held(deployment.provider, key, reason))
    for provider, (gone, before) in _catalog_removals(old, result, overrides, providers).items():
        if before and len(gone) / before > limits.max_removed_share:
            reason = (
                f"{len(gone)} of {before} selected {provider} models would go (over {limits.max_removed_share:.0%})"
            )
            for key in gone:
                body = old[key]
                result[key] = Deployment(
                    provider, key[0], dict(body["litellm_params"]), dict(body.get("model_info") or {})
                )
                held.append(Held(provider, key, reason))
    return sorted(result.values(), key=lambda d: d.key()), sorted(held, key=lambda h: (h.provider, h.key))


def _price_jump(old: dict[str, Any], new: Deployment, factor: float) -> str | None:
    """Why a catalog price change looks wrong, if it does: free↔paid or a move beyond `factor`."""
    for field in COSTS:
        before, after = _number(old.get(field)), _number(new.litellm_params.get(field))
        if field in new.pinned or before is None or after is None or before == after:
            continue
        if (before <= FREE) != (after <= FREE):
            return (
                f"{field.split('_')[0]} cost would turn {'free' if after <= FREE else 'paid'} ({before:g} → {after:g})"
            )
        ratio = max(before, after) / min(before, after)
        if ratio > factor:
            return f"{field.split('_')[0]} cost would move {ratio:.1f}× ({before:g} → {after:g})"
    return None


def _keep_old_costs(deployment: Deployment, old: dict[str, Any]) -> Deployment:
    params = {k: v for k, v in deployment.litellm_params.items() if k not in ALL_COSTS or k in deployment.pinned}
    params.update({k: old[k] for k in ALL_COSTS if k in old and k not in deployment.pinned})
    ordered = {k: params[k] for k in deployment.litellm_params if k in params}
    ordered.update({k: v for k, v in params.items() if k not in ordered})
    return deployment._replace(litellm_params=ordered)


def _catalog_removals(
    old: dict[Key, dict[str, Any]], new: dict[Key, Deployment], overrides: Overrides, providers: dict[str, Provider]
) -> dict[str, tuple[list[Key], int]]:
    """Per provider: old deployments that vanish although overrides.yaml still selects them, and the count before."""
    gone: dict[str, list[Key]] = defaultdict(list)
    before: dict[str, int] = defaultdict(int)
    routes = {str(d.litellm_params.get("model")) for d in new.values()}
    for key, body in old.items():
        params = body.get("litellm_params") or {}
        name = identify(providers, params)
        if name is None:
            continue
        before[name] += 1
        route = str(params.get("model", ""))
        model_id = route[len(providers[name].route.prefix) :]
        # Gone from the output, though still asked for and not merely renamed: the catalog dropped it.
        if key not in new and route not in routes and _still_selected(overrides, name, model_id):
            gone[name].append(key)
    return {name: (keys, before[name]) for name, keys in gone.items()}


def _still_selected(overrides: Overrides, provider: str, model_id: str) -> bool:
    """Whether the user still asks for this model: a vanished one went with the catalog, not an edit."""
    selection = overrides.providers.get(provider)
    if selection is None:
        return False
    included = any(fnmatchcase(model_id, p) for p in selection.include)
    return included and not any(fnmatchcase(model_id, p) for p in selection.exclude)


def _number(value: Any) -> float | None:
    """A positive cost, or None for anything else."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None
