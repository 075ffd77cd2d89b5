"""What LiteLLM billed against what config.yaml's prices bill today, per deployment, and where it is cheaper.

A difference beyond the tolerance is a stale price, LiteLLM's bundled map billing a model the
config does not price, or a price that came too late; the first day it shows is said. For a model
that other providers of the same group (one model_name) sell, the same tokens are priced there too,
and the group's order by cost is suggested.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .bill import bill
from .join import shares, targets
from .record import Key, Tokens, Usage

SMALLEST = 1e-4  # USD: a difference under a hundredth of a cent is rounding, never a finding


@dataclass(frozen=True)
class Elsewhere:
    provider: str
    key: Key
    cost: float  # USD for the same tokens at this deployment's prices


@dataclass(frozen=True)
class Served:
    """One deployment's usage over the window, what LiteLLM billed, and what the config bills for it."""

    provider: str
    key: Key
    tokens: Tokens
    priced: float | None  # at config.yaml's prices; None: the config states none (LiteLLM's map bills it)
    since: date | None  # the first day LiteLLM's bill and the config's differed beyond the tolerance
    cheaper: tuple[Elsewhere, ...] = ()  # the same tokens at another provider of the group, cheapest first
    order: tuple[str, ...] = ()  # the group's providers by cost for these tokens, when not already so

    @property
    def difference(self) -> float:
        return self.tokens.billed - (self.priced or 0.0)


@dataclass(frozen=True)
class UsageReport:
    usage: str
    tolerance: float
    served: tuple[Served, ...]
    unmatched: tuple[tuple[Key, Tokens], ...]  # usage of deployments config.yaml does not have

    def differing(self) -> list[Served]:
        return [s for s in self.served if s.since is not None or s.priced is None]


def compare(
    usage: Usage, bodies: Mapping[Key, dict[str, Any]], providers: Mapping[Key, str], tolerance: float
) -> UsageReport:
    """Every deployment the window served, priced at the config, with what LiteLLM recorded."""
    daily, unmatched = _daily(usage, bodies)
    served = []
    for key in sorted(daily):
        days = daily[key]
        tokens = sum(days.values(), Tokens())
        priced = bill(bodies[key], tokens)
        since = next((day for day in sorted(days) if _differs(bodies[key], days[day], tolerance)), None)
        cheaper, order = _elsewhere(key, tokens, bodies, providers)
        served.append(Served(providers.get(key, "entries"), key, tokens, priced, since, cheaper, order))
    return UsageReport(usage.describe(), tolerance, tuple(served), tuple(sorted(unmatched.items())))


def _daily(usage: Usage, bodies: Mapping[Key, Any]) -> tuple[dict[Key, dict[date, Tokens]], dict[Key, Tokens]]:
    """Tokens per config key per day, and the usage keys that match no deployment."""
    targets_of = targets(usage, bodies)
    daily: dict[Key, dict[date, Tokens]] = defaultdict(lambda: defaultdict(Tokens))
    unmatched: dict[Key, Tokens] = defaultdict(Tokens)
    for day in usage.days:
        if not targets_of[day.key]:
            unmatched[day.key] += day.tokens
        for key, share in shares(targets_of[day.key], day.tokens).items():
            daily[key][day.day] += share
    return daily, dict(unmatched)


def _differs(body: dict[str, Any], tokens: Tokens, tolerance: float) -> bool:
    priced = bill(body, tokens)
    if priced is None:
        return False  # said once, as an unpriced deployment
    gap = abs(tokens.billed - priced)
    return gap > SMALLEST and gap > tolerance * max(priced, tokens.billed)


def _elsewhere(
    key: Key, tokens: Tokens, bodies: Mapping[Key, dict[str, Any]], providers: Mapping[Key, str]
) -> tuple[tuple[Elsewhere, ...], tuple[str, ...]]:
    """Other providers' deployments of the same group, priced for these tokens; the order by cost."""
    group = [k for k in bodies if k[0] == key[0] and providers.get(k)]
    costs = [(cost, providers[k], k) for k in group if (cost := bill(bodies[k], tokens)) is not None]
    if len({p for _, p, _ in costs}) < 2:
        return (), ()
    costs.sort()
    own = bill(bodies[key], tokens)
    cheaper = tuple(Elsewhere(p, k, c) for c, p, k in costs if k != key and own is not None and c < own)
    order = tuple(dict.fromkeys(p for _, p, _ in costs))
    current = tuple(dict.fromkeys(p for _, p, _ in sorted(costs, key=lambda c: (_order(bodies[c[2]]), c[0]))))
    ordered = all(_order(bodies[k]) != float("inf") for _, _, k in costs)
    return cheaper, () if ordered and order == current else order  # unordered: say the order to write


def _order(body: dict[str, Any]) -> float:
    value = (body.get("litellm_params") or {}).get("order")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else float("inf")
