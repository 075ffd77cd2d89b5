"""Every price change priced at real usage: per model, per provider and in total, USD a month."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .bill import TIERED_NOTE, bill, is_tiered
from .join import attribute
from .record import Key, Tokens, Usage

Body = dict[str, Any]


@dataclass(frozen=True)
class ModelCost:
    """One changed deployment's monthly bill at the window's usage, before and after the change."""

    provider: str
    key: Key
    sign: str  # + added, - removed, ~ changed
    before: float | None  # USD a month at the old prices; None where there is nothing to price
    after: float | None
    used: bool  # whether the window holds usage for it
    tiered: bool = False

    @property
    def delta(self) -> float:
        return (self.after or 0.0) - (self.before or 0.0) if self.used else 0.0

    def describe(self) -> str:
        if self.sign == "+":
            return "new: no usage history yet"
        if not self.used:
            return "no usage in the window: cannot say what it costs you"
        if self.before is None or self.after is None:
            return "not priced in config.yaml (LiteLLM's map bills it): cannot say"
        return f"{signed(self.delta)}/month (was {money(self.before)})"


@dataclass(frozen=True)
class Impact:
    usage: str  # the usage's source and window, said in the report
    models: tuple[ModelCost, ...]
    unmatched: int = 0  # usage keys that match no deployment of the config

    def by_provider(self) -> dict[str, float]:
        found: dict[str, float] = defaultdict(float)
        for model in self.models:
            found[model.provider] += model.delta
        return dict(sorted(found.items()))

    def total(self) -> float:
        return sum(model.delta for model in self.models)

    def notes(self) -> list[str]:
        return [TIERED_NOTE] if any(m.tiered and m.used for m in self.models) else []


def price_changes(
    usage: Usage, changes: Iterable[tuple[str, str, Key]], old: Mapping[Key, Body], new: Mapping[Key, Body]
) -> Impact:
    """What each change (provider, sign, key) does to the monthly bill at `usage`."""
    used, unmatched = attribute(usage, {*old, *new})
    models = tuple(
        _cost(provider, sign, key, used.get(key), old, new, usage.to_month) for provider, sign, key in changes
    )
    return Impact(usage.describe(), models, len(unmatched))


def _cost(
    provider: str,
    sign: str,
    key: Key,
    tokens: Tokens | None,
    old: Mapping[Key, Body],
    new: Mapping[Key, Body],
    scale: float,
) -> ModelCost:
    if tokens is None or not tokens.requests:
        return ModelCost(provider, key, sign, None, None, used=False)
    before = bill(old[key], tokens) if key in old else None
    after = bill(new[key], tokens) if key in new else None
    if sign == "-":
        after = 0.0
    tiered = any(is_tiered(side[key]) for side in (old, new) if key in side)
    return ModelCost(provider, key, sign, _scaled(before, scale), _scaled(after, scale), used=True, tiered=tiered)


def _scaled(value: float | None, scale: float) -> float | None:
    return None if value is None else value * scale


def money(value: float) -> str:
    """`$1,234.56`; a nonzero amount under a cent as `<$0.01`."""
    if 0 < abs(value) < 0.005:
        return "<$0.01"
    return f"${abs(value):,.2f}" if value >= 0 else f"-${abs(value):,.2f}"


def signed(value: float) -> str:
    return ("+" if value >= 0 else "-") + money(abs(value))
