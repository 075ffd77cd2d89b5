"""Change guards: a refresh is not trusted blindly.

When new catalogs would remove too many of a provider's selected models, move a price more than
tenfold, or turn a paid model free (or a free one paid), those changes are held: the deployment
keeps its old values, the rest is written, and the report lists what was held and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from ..core.prices import price_paths as prices_of
from ..core.prices import shown
from ..sources.providers import Provider, identify
from .deployed import Deployed
from .deployment import Deployment, Key
from .groups import Group
from .overrides import Overrides
from .pins import COST_KEYS
from .placement import FREE, UNBILLED_KEY

PRICE_KEYS = frozenset({*COST_KEYS, UNBILLED_KEY})  # what a held deployment keeps from the old config


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
    deployed: Deployed,
    new: list[Deployment],
    overrides: Overrides,
    providers: dict[str, Provider],
    limits: Limits,
    groups: Sequence[Group] = (),
    brought: Mapping[str, frozenset[str]] | None = None,
) -> tuple[list[Deployment], list[Held]]:
    """The deployments with suspicious catalog changes undone, and what was held.

    `brought` holds, per provider, the ids this run's refresh added to its catalog.
    """
    old = deployed.model_list
    result = {d.key(): d for d in new}
    held: list[Held] = []
    for key, provider, why in _new_members(old, result, groups, providers, brought or {}):
        del result[key]
        held.append(Held(provider, key, why))
    for key, deployment in result.items():
        if key in old and deployment.provider:
            reason = _price_jump(old[key], deployment, limits.max_price_factor)
            if reason:
                result[key] = _keep_old_costs(deployment, old[key])
                held.append(Held(deployment.provider, key, reason))
    for provider, (gone, before) in _catalog_removals(old, result, overrides, providers, groups).items():
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
    """Why a catalog price change looks wrong, if it does: free↔paid or a move beyond `factor`.

    Every price dimension is watched, prompt-size tiers and time windows included.
    """
    before, after = prices_of(old), prices_of(new.as_dict())
    for path in (p for p in before if p in after):  # in the table's order: input first
        (was, unit), (now, _) = before[path], after[path]
        if path.split(" ")[0] in new.pinned or was == now or was < 0 or now < 0:
            continue
        if (was <= FREE) != (now <= FREE):
            turned = "free" if now <= FREE else "paid"
            return f"{path} would turn {turned} ({shown(was, unit)} → {shown(now, unit)})"
        ratio = max(was, now) / max(min(was, now), 1e-300)
        if ratio > factor * (1 + 1e-9):  # $1/M → $10/M divides to 10.000000000000002: exactly 10× is not more
            return f"{path} would move {ratio:.1f}× ({shown(was, unit)} → {shown(now, unit)})"
    return None


def _keep_old_costs(deployment: Deployment, old: dict[str, Any]) -> Deployment:
    """The deployment with every unpinned price as the old config had it."""
    sections = []
    for name, new in (("litellm_params", deployment.litellm_params), ("model_info", deployment.model_info)):
        found = old.get(name)
        before: dict[str, Any] = found if isinstance(found, dict) else {}
        keep = {k: v for k, v in new.items() if k not in PRICE_KEYS or k in deployment.pinned}
        keep.update({k: v for k, v in before.items() if k in PRICE_KEYS and k not in deployment.pinned})
        ordered = {k: keep[k] for k in new if k in keep}
        ordered.update({k: v for k, v in keep.items() if k not in ordered})
        sections.append(ordered)
    return deployment._replace(litellm_params=sections[0], model_info=sections[1])


def _new_members(
    old: Mapping[Key, dict[str, Any]],
    new: dict[Key, Deployment],
    groups: Sequence[Group],
    providers: dict[str, Provider],
    brought: Mapping[str, frozenset[str]],
) -> list[tuple[Key, str, str]]:
    """Members that a refresh brought into an existing group: a provider in use began selling the model.

    A member that joins through an edit of overrides.yaml (a new group, a provider taken into use, a
    bare id written for hand-kept entries) joins as asked, and so does any in a group listing `providers:`.
    """
    names = {key[0] for key in old}
    in_use = {identify(providers, body.get("litellm_params") or {}) for body in old.values()}
    found = []
    for group in groups:
        if group.reviewed or group.name not in names:
            continue
        for key, deployment in new.items():
            provider, model_id = deployment.provider or "", deployment.model_id or ""
            member = deployment.model_name == group.name and (provider, model_id) in group.members
            if member and key not in old and model_id in brought.get(provider, ()) and provider in in_use:
                rule = group.matches[provider].rule if provider in group.matches else "matched"
                reason = f"{provider} now sells {model_id} ({rule}), which would join group {group.name}"
                found.append((key, provider, reason))
    return found


def _catalog_removals(
    old: Mapping[Key, dict[str, Any]],
    new: dict[Key, Deployment],
    overrides: Overrides,
    providers: dict[str, Provider],
    groups: Sequence[Group] = (),
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
        asked = _still_selected(overrides, name, model_id) or _left_group(groups, name, key[0])
        if key not in new and route not in routes and asked:
            gone[name].append(key)
    return {name: (keys, before[name]) for name, keys in gone.items()}


def _still_selected(overrides: Overrides, provider: str, model_id: str) -> bool:
    """Whether the user still asks for this model: a vanished one went with the catalog, not an edit."""
    if any(ref.provider == provider and ref.model_id == model_id for ref in overrides.models):
        return True  # named, and retired because its catalog dropped it
    selection = overrides.providers.get(provider)
    if selection is None:
        return False
    included = any(fnmatchcase(model_id, p) for p in selection.include)
    return included and not any(fnmatchcase(model_id, p) for p in selection.exclude)


def _left_group(groups: Sequence[Group], provider: str, model_name: str) -> bool:
    """Whether a group of this name still looks for its model on `provider`, and finds it there no more."""
    return any(
        group.name == model_name
        and provider in group.matches  # still looked for there (not excluded, not left out of providers:)
        and provider not in group.by_hand  # a provider:id entry of the group's name took its place: an edit
        and all(member != provider for member, _ in group.members)
        for group in groups
    )


def _number(value: Any) -> float | None:
    """A positive cost, or None for anything else."""
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 else None
