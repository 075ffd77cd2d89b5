"""The change report: what a new config.yaml changes, model by model, grouped by provider."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..core.prices import BY_KEY, price_paths, shown, unbilled
from ..core.secrets import redact_url
from ..model.deployed import Deployed
from ..model.deployment import PINNED, UNPRICED, Deployment, Key
from ..model.groups import GroupChange
from ..sources.providers import Provider, identify
from .changes import FieldChange, field_changes, settings_changes

HAND_WRITTEN = "entries"  # the group of hand-written deployments
SIGNS = {"+": "added", "-": "removed", "~": "changed"}


@dataclass(frozen=True)
class ModelChange:
    sign: str  # + added, - removed, ~ changed
    key: Key
    fields: tuple[FieldChange, ...] = ()
    summary: tuple[str, ...] = ()  # an added model: its prices, context window, what LiteLLM will not bill
    brief: str = ""  # an added model in a few words: input and output price, context window
    note: str = ""  # where its prices come from, when not its own catalog

    def label(self, ambiguous: frozenset[tuple[str, str]] = frozenset()) -> str:
        return label(self.key, ambiguous)


def label(key: Key, ambiguous: frozenset[tuple[str, str]] = frozenset()) -> str:
    """`name (route)`; the api_base too where the same name and route come from two hosts."""
    name, model, api_base = key
    text = name if name == model else f"{name} ({model})"
    return f"{text} at {shown_base(api_base)}" if api_base and (name, model) in ambiguous else text


def shown_base(api_base: str) -> str:
    """An api_base as a report may show it: no password or key inside a URL."""
    return redact_url(api_base) if "://" in api_base else api_base


@dataclass(frozen=True)
class Report:
    groups: dict[str, list[ModelChange]] = field(default_factory=dict)
    settings: list[FieldChange] = field(default_factory=list)
    skipped: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    held: list[Any] = field(default_factory=list)  # guards.Held: changes kept back for review
    group_changes: list[GroupChange] = field(default_factory=list)  # bare-id groups' members that moved
    before: int | None = 0  # None: no readable config.yaml before
    after: int = 0
    note: str = ""
    changed: bool = False  # whether config.yaml's bytes change, even with no model or settings change
    ambiguous: frozenset[tuple[str, str]] = frozenset()  # (name, route) pairs served from several api_bases
    retired: list[Any] = field(default_factory=list)  # merge.Retired: named models their catalog dropped
    retiring: list[Any] = field(default_factory=list)  # merge.Retiring: models whose catalog states an end date
    dollars: Any = None  # usage.impact.Impact: the changes priced at real usage, when a usage source is set

    def has_changes(self) -> bool:
        return bool(self.settings or any(self.groups.values()))

    def counts_by_group(self) -> dict[str, dict[str, int]]:
        return {
            group: {word: sum(c.sign == sign for c in changes) for sign, word in SIGNS.items()}
            for group, changes in self.groups.items()
        }

    def counts(self) -> dict[str, int]:
        signs = [c.sign for changes in self.groups.values() for c in changes]
        return {"added": signs.count("+"), "removed": signs.count("-"), "changed": signs.count("~")}


def compare(
    deployed: Deployed, new: list[Deployment], new_settings: dict[str, Any], providers: dict[str, Provider]
) -> Report:
    """The report of what replacing what is `deployed` with `new` changes."""
    old = deployed.model_list
    fresh = {d.key(): d for d in new}
    group_of = {key: d.provider or HAND_WRITTEN for key, d in fresh.items()}
    for key, body in old.items():
        group_of.setdefault(key, identify(providers, body.get("litellm_params") or {}) or HAND_WRITTEN)
    groups: dict[str, list[ModelChange]] = defaultdict(list)
    moved = _moved_hosts(sorted(fresh.keys() - old.keys()), sorted(old.keys() - fresh.keys()))
    for key in sorted(fresh.keys() - old.keys() - moved.keys()):
        body = fresh[key].as_dict()
        groups[group_of[key]].append(
            ModelChange("+", key, summary=summarise(body), brief=brief(body), note=price_note(fresh[key]))
        )
    for key in sorted(old.keys() - fresh.keys() - set(moved.values())):
        groups[group_of[key]].append(ModelChange("-", key))
    pairs = [(key, key) for key in sorted(fresh.keys() & old.keys())] + sorted(moved.items())
    for key, was in pairs:
        body = fresh[key].as_dict()
        if body != old[was]:  # cheap equality first; deepdiff only where something differs
            fields = field_changes(old[was], body)
            if fields:
                groups[group_of[key]].append(ModelChange("~", key, fields, note=price_note(fresh[key])))
    return Report(
        groups={name: sorted(groups[name], key=_order) for name in sorted(groups)},
        settings=settings_changes(deployed.sections, new_settings),
        before=deployed.count,
        after=len(new),
        note=deployed.note,
        changed=True,
        ambiguous=ambiguous_pairs([*fresh, *old]),
    )


def retirements(report: Report) -> tuple[list[Any], list[Any]]:
    """The retired models that left config.yaml, and those the shrink guard kept there."""
    return [r for r in report.retired if not r.held], [r for r in report.retired if r.held]


def price_note(deployment: Deployment) -> str:
    """Where a deployment's prices come from, said only when it is not the provider's own list."""
    source = deployment.price_source
    if source == UNPRICED:
        return "unpriced: no catalog states its price, so LiteLLM's bundled map bills it; pin costs to set them"
    if source in (None, PINNED, deployment.provider):
        return ""
    return f"prices from {source}"


def _moved_hosts(added: list[Key], removed: list[Key]) -> dict[Key, Key]:
    """One deployment whose api_base alone changed is a change, not a removal and an addition."""

    def by_pair(keys: list[Key]) -> dict[tuple[str, str], list[Key]]:
        found: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for key in keys:
            found[key[:2]].append(key)
        return found

    new, gone = by_pair(added), by_pair(removed)
    return {new[pair][0]: gone[pair][0] for pair in new.keys() & gone.keys() if len(new[pair]) == len(gone[pair]) == 1}


def ambiguous_pairs(keys: list[Key]) -> frozenset[tuple[str, str]]:
    """The (name, route) pairs that occur with more than one api_base."""
    bases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, model, api_base in keys:
        bases[(name, model.split("#")[0])].add(api_base)
    return frozenset(pair for pair, found in bases.items() if len(found) > 1)


def summarise(body: dict[str, Any]) -> tuple[str, ...]:
    """What a newly added deployment costs and holds, and which of its prices LiteLLM will not bill."""
    prices = ", ".join(f"{_label(path)} {shown(value, unit)}" for path, (value, unit) in price_paths(body).items())
    info = body.get("model_info") or {}
    context = info.get("max_input_tokens")
    lines = [
        f"prices: {prices or 'from LiteLLM' + chr(39) + 's own map'}"
        + (f"; context {context:,} tokens" if isinstance(context, int) else "")
    ]
    return tuple(lines + [f"LiteLLM will not bill {note}" for note in unbilled(body)])


def brief(body: dict[str, Any]) -> str:
    """`$1/M in, $5/M out, 200,000 context`: an added model where a whole summary would not fit."""
    prices = price_paths(body)
    parts = [
        f"{shown(*prices[key])} {word}"
        for key, word in (("input_cost_per_token", "in"), ("output_cost_per_token", "out"))
        if key in prices
    ]
    context = (body.get("model_info") or {}).get("max_input_tokens")
    return ", ".join(parts + ([f"{context:,} context"] if isinstance(context, int) else []))


def _label(path: str) -> str:
    """`cache_read_input_token_cost above 200,000 tokens` as `cache read above 200,000 tokens`."""
    key, _, rest = path.partition(" ")
    dimension = BY_KEY.get(key)
    return (dimension.label if dimension else key) + (f" {rest}" if rest else "")


def _order(change: ModelChange) -> tuple[int, Key]:
    return "+-~".index(change.sign), change.key
