"""Bare ids in overrides.yaml: one model on every provider whose catalog sells it, resolved at each render.

`- claude-haiku-4.5` becomes one `provider:id` reference per provider whose catalog holds that
model (found by `matching`), all under one model_name, so the merge treats them as it treats
references written by hand. A `provider:id` entry of the same name wins for its provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.catalog import Catalog
from ..core.errors import InputError
from ..sources.providers import Provider, identify
from .deployed import Deployed
from .deployment import Deployment, Key, deployment_key
from .matching import Match, match, match_everywhere
from .overrides import ModelRef, Overrides
from .retirements import Retired

Member = tuple[str, str]  # (provider, catalog id)


@dataclass(frozen=True)
class Group:
    """One bare-id entry, resolved against today's catalogs."""

    index: int  # in models:
    ref: ModelRef
    matches: dict[str, Match]  # per provider searched
    members: tuple[Member, ...]
    by_hand: tuple[str, ...] = ()  # providers whose member is a provider:id entry of the same name

    @property
    def name(self) -> str:
        return self.ref.group_name

    @property
    def reviewed(self) -> bool:
        """Whether the entry lists its providers: then a new member joins without review."""
        return self.ref.providers is not None

    def ties(self) -> list[str]:
        """Each provider where two ids matched equally: both named, and the rule that chose."""
        return [
            f"{provider}: {', '.join((m.chosen or '', *m.tied))} match {self.ref.id} equally; "
            f"took {m.chosen} by {m.tie_rule}"
            for provider, m in sorted(self.matches.items())
            if m.ambiguous and provider not in self.by_hand  # a hand-written member settles it
        ]


@dataclass
class Resolved:
    overrides: Overrides  # with every group expanded into provider:id references
    groups: list[Group] = field(default_factory=list)


def searched(ref: ModelRef, overrides: Overrides) -> list[str]:
    """The providers a bare id is looked for on: its `providers:`, else every one in use, less `exclude`."""
    candidates = ref.providers if ref.providers is not None else sorted(overrides.enabled())
    return [name for name in candidates if name not in ref.exclude]


def eligible_ids(catalog: Catalog) -> list[str]:
    """The ids a group may take: aliases and unusable prices need a pinned, hand-written entry."""
    return [offer.id for offer in catalog.offers if not (offer.needs_pin or offer.price_problem)]


def resolve(overrides: Overrides, catalogs: dict[str, Catalog]) -> Resolved:
    """Expand every bare id into the provider:id references of its members."""
    groups = overrides.groups()
    if not groups:
        return Resolved(overrides)
    expanded: list[ModelRef] = []
    resolved = Resolved(overrides)
    for index, ref in enumerate(overrides.models):
        if not ref.is_group:
            expanded.append(ref)
            continue
        group = resolve_group(index, ref, overrides, catalogs)
        resolved.groups.append(group)
        expanded += [_member_ref(ref, provider, model_id) for provider, model_id in group.members]
    resolved.overrides = overrides.model_copy(update={"models": expanded})
    return resolved


def resolve_group(index: int, ref: ModelRef, overrides: Overrides, catalogs: dict[str, Catalog]) -> Group:
    """One bare id's members on the providers it is looked for on; none when no catalog sells it now."""
    names = searched(ref, overrides)
    if not names:
        raise InputError(
            f"models[{index}]: {ref.id} is looked for on every provider in use, and none is",
            "name the providers you use under providers: (`poe: {}` takes none of its models by glob), "
            "or give the entry providers: [...]",
            loc=("models", index),
        )
    candidates = {name: eligible_ids(catalogs[name]) for name in names if name in catalogs}
    matches = match_everywhere(ref.id, candidates, explain=False)
    hand_written = [r for r in overrides.models if not r.is_group and r.name == ref.group_name]
    by_hand = tuple(sorted({r.provider for r in hand_written if r.provider in names}))
    members = tuple(
        (provider, model_id)
        for provider, found in sorted(matches.items())
        if provider not in by_hand
        for model_id in found.members
    )
    return Group(index, ref, matches, members, by_hand)


def retire_unsold(
    group: Group,
    overrides: Overrides,
    catalogs: dict[str, Catalog],
    current: Deployed | None,
    providers: dict[str, Provider],
) -> list[Retired]:
    """A group no provider sells now: retired when config.yaml served it (or lists it retired), else a typo."""
    if group.members or group.by_hand:
        return []
    names = searched(group.ref, overrides)
    retired = _retired_members(group, names, current, providers) if current is not None else []
    if retired:
        return retired
    ref = group.ref
    candidates = {name: eligible_ids(catalogs[name]) for name in names if name in catalogs}
    near = _nearest(match_everywhere(ref.id, candidates))  # now the near misses are worth describing
    raise InputError(
        f"models[{group.index}]: {ref.id} is sold by none of the providers it is looked for on ({', '.join(names)})",
        f"{near}check the spelling with `python generate.py list --everywhere {ref.id}`, "
        "or list a provider that sells it under providers:",
        loc=("models", group.index),
    )


def _retired_members(
    group: Group, names: list[str], current: Deployed, providers: dict[str, Provider]
) -> list[Retired]:
    """The deployments config.yaml has of this group's model, each retired; or the group, listed retired before."""
    found = []
    for key in sorted(k for k in current.keys if k[0] == group.name):
        params = {"model": key[1], "api_base": key[2] or None}
        provider = identify(providers, params) or ""
        route = providers[provider].route_of(params) if provider in names else None
        if provider not in names or route is None:
            continue
        model_id = key[1][len(route.prefix) :]
        if model_id in match(group.ref.id, [model_id], explain=False).members:  # this model, not a rename
            found.append(Retired(provider, model_id, key, group.index, group=group.ref.id))
    if not found and group.ref.id in current.retired_ids:
        found.append(Retired("", group.ref.id, (group.name, "", ""), group.index, group=group.ref.id))
    return found


def _member_ref(ref: ModelRef, provider: str, model_id: str) -> ModelRef:
    """The provider:id reference of one member, carrying the entry's name, params and order."""
    return ModelRef(
        id=f"{provider}:{model_id}",
        name=ref.group_name,
        params=ref.params,
        model_info=ref.model_info,
        order=ref.order_for(provider),
    )


def _nearest(matches: dict[str, Match]) -> str:
    near = sorted({r.id for m in matches.values() for r in m.rejected[:2]})[:4]
    return f"close ids: {', '.join(near)}; " if near else ""


@dataclass(frozen=True)
class GroupChange:
    """How a bare-id group's members differ from config.yaml's: who joined, who left, which ids tied."""

    name: str
    joined: tuple[Member, ...] = ()  # (provider, litellm route)
    left: tuple[Member, ...] = ()
    ties: tuple[str, ...] = ()
    new: bool = False  # the group was not in config.yaml before


def group_changes(
    deployed: Deployed, deployments: list[Deployment], groups: list[Group], providers: dict[str, Provider]
) -> list[GroupChange]:
    """Each group whose members moved since the old config.yaml, or whose match was a tie."""
    changes = []
    for group in groups:
        before = _members_in(deployed, group.name, providers)
        after = {d.key(): d.provider or "entries" for d in deployments if d.model_name == group.name}
        joined = tuple(sorted((after[key], key[1]) for key in after.keys() - before.keys()))
        left = tuple(sorted((before[key], key[1]) for key in before.keys() - after.keys()))
        ties = tuple(group.ties())
        if joined or left or ties:
            changes.append(GroupChange(group.name, joined, left, ties, new=not before))
    return changes


def _members_in(deployed: Deployed, name: str, providers: dict[str, Provider]) -> dict[Key, str]:
    """The deployed members of a group, by identity, with the provider each routes to."""
    found = {}
    for item in deployed.model_list.values():
        params = item.get("litellm_params")
        if isinstance(params, dict) and item.get("model_name") == name:
            found[deployment_key(name, params)] = identify(providers, params) or "entries"
    return found
