"""Where each price of an offer goes in a deployment, so that LiteLLM 1.106.2 bills exactly it.

What LiteLLM does with each key was measured with the real proxy (tests/test_billing.py proves it
again on every run of the `litellm` tests):
- prompt-size tiers bill at any threshold from `tiered_pricing` (strictly above the threshold),
  cache reads, cache writes (5-minute and 1-hour) and reasoning per tier included;
- time-of-day prices bill from `model_info.off_peak_pricing` only, one set of window prices;
- where a deployment leaves a cache price unset, LiteLLM fills it from its bundled map when that
  knows the model, so a chat deployment always states both cache prices (the input price where
  the provider has no discount of its own);
- audio, image and reasoning tokens without a price of their own bill at the input or output
  price LiteLLM resolved for the request, tier included; with a price of their own, at that one
  flat price whatever the tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from ..core.catalog import Prices, Tier, Window
from ..core.prices import (
    DIMENSIONS,
    INFO,
    PARAMS,
    TIERED,
    TIERS_KEY,
    TOKEN,
    WINDOWS_KEY,
    Dimension,
    litellm_value,
    shown,
)

FREE = 1.0e-09  # what hand-kept configs write for a free model, so cost routing prefers it
TOP = 100_000_000  # the upper end of the last tier's range: above any context window
UNBILLED_KEY = "unbilled_prices"  # model_info: catalog prices LiteLLM cannot bill as stated
ALWAYS = ("input", "output", "cache_read", "cache_write")  # every chat deployment states these


class Placed(NamedTuple):
    params: dict[str, Any]
    info: dict[str, Any]


def place(mode: str, prices: Prices, tiers: Sequence[Tier] = (), windows: Sequence[Window] = ()) -> Placed:
    """The litellm_params and model_info keys that make LiteLLM bill these prices."""
    if not tiers and not windows:
        return _flat(mode == "chat" and "input" in prices and "output" in prices, prices)
    return placed_by_levels(mode, prices, tiers, windows)


def placed_by_levels(mode: str, prices: Prices, tiers: Sequence[Tier], windows: Sequence[Window]) -> Placed:
    """`place` in full: every dimension at every tier, the time windows, and notes."""
    placed = Placed({}, {})
    priced = "input" in prices and "output" in prices
    levels = [dict(prices)] + [{**prices, **tier.prices} for tier in tiers]
    notes: list[str] = []
    thresholds = [tier.above for tier in tiers]
    for dimension in DIMENSIONS:
        value = _base_value(dimension, levels, thresholds, mode == "chat" and priced, notes)
        if value is not None:
            target = placed.params if dimension.placement == PARAMS else placed.info
            target[dimension.key] = litellm_value(dimension, _written(value, dimension))
    if tiers and priced:
        placed.params[TIERS_KEY] = _tiered(levels, thresholds)
    if windows and priced:
        _windows(prices, windows, bool(tiers), placed.info, notes)
    if notes:
        placed.info[UNBILLED_KEY] = notes
    return placed


def _flat(chat: bool, prices: Prices) -> Placed:
    """`place` for the common case, no tiers or windows, kept fast: it runs for every deployment."""
    placed = Placed({}, {})
    for name, key, in_params, token in _ROWS:
        value = prices.get(name)
        if value is None:
            if not (chat and name in ALWAYS):
                continue
            value = prices["input"]  # a cache price the provider does not discount: the input price
        target = placed.params if in_params else placed.info
        target[key] = (FREE if value == 0 else value) if token else litellm_value(_DIMENSION[name], value)
    return placed


def resolve(name: str, level: Mapping[str, float]) -> float | None:
    """A dimension's price at one level: stated, else its fallback's (cache read: the input price)."""
    if name in level:
        return level[name]
    fallback = _DIMENSION[name].fallback
    return resolve(fallback, level) if fallback else None


def source(name: str, level: Mapping[str, float]) -> str | None:
    """The dimension whose stated price `resolve(name, level)` takes."""
    if name in level:
        return name
    fallback = _DIMENSION[name].fallback
    return source(fallback, level) if fallback else None


def _base_value(
    dimension: Dimension, levels: list[dict[str, float]], thresholds: list[int], chat: bool, notes: list[str]
) -> float | None:
    """The flat price to write for a dimension, or None where LiteLLM's own fallback bills it exactly."""
    name, base = dimension.name, levels[0]
    if name in ALWAYS and chat:
        return resolve(name, base)  # stated, so LiteLLM's map never fills it in
    if dimension.unit != TOKEN:
        return base.get(name)
    if not any(name in level for level in levels):
        return None
    if len(levels) == 1 or dimension.tiered:
        return resolve(name, base)
    # A modality price LiteLLM holds flat, while its fallback follows the tier LiteLLM picked.
    own = [resolve(name, level) or 0.0 for level in levels]
    if dimension.fallback and own == [resolve(dimension.fallback, level) for level in levels]:
        return None  # billed at the tier's input or output price, which is exactly it
    if len(set(own)) > 1:
        above = ", ".join(f"{shown(v, TOKEN)} above {t:,}" for v, t in zip(own[1:], thresholds, strict=True))
        notes.append(f"{dimension.label} {above} tokens: LiteLLM bills {shown(own[0], TOKEN)} at every size")
    return own[0]


def _written(value: float, dimension: Dimension) -> float:
    return FREE if value == 0 and dimension.unit == TOKEN else value


def _tiered(levels: list[dict[str, float]], thresholds: list[int]) -> list[dict[str, Any]]:
    """LiteLLM's `tiered_pricing`: one entry per prompt-size range, every tiered price resolved."""
    bounds = [0, *thresholds, TOP]
    wanted = [d for d in TIERED if d.name in ALWAYS or any(d.name in level for level in levels)]
    table = []
    for index, level in enumerate(levels):
        entry: dict[str, Any] = {"range": [bounds[index], bounds[index + 1]]}
        for dimension in wanted:
            value = resolve(dimension.name, level)
            if value is not None:
                entry[dimension.key] = _written(value, dimension)
        table.append(entry)
    return table


def _windows(prices: Prices, windows: Sequence[Window], tiered: bool, info: dict[str, Any], notes: list[str]) -> None:
    """Time-of-day prices as LiteLLM's one set of window rates, or a note saying why they cannot be."""
    wanted = [d for d in TIERED if d.name in ALWAYS or d.name in prices or any(d.name in w.prices for w in windows)]
    base = {d.key: resolve(d.name, prices) for d in wanted}
    differing: dict[tuple[tuple[str, float | None], ...], list[Window]] = {}
    for window in windows:
        rates = {d.key: resolve(d.name, {**prices, **window.prices}) for d in wanted}
        if rates != base:
            differing.setdefault(tuple(rates.items()), []).append(window)
    untold = sorted({name for w in windows for name in w.prices if name not in {d.name for d in wanted}})
    if len(differing) > 1 or tiered or untold:
        hours = ", ".join(f"{w.start}-{w.end}" for w in windows)
        notes.append(f"time-of-day prices ({hours} UTC): LiteLLM bills the base prices at every hour")
        return
    for rated, matching in differing.items():
        info[WINDOWS_KEY] = {
            "hours_utc": [f"{w.start}-{w.end}" for w in matching],
            **{key: _written(value, _BY_KEY[key]) for key, value in rated if value is not None},
        }


_DIMENSION = {d.name: d for d in DIMENSIONS}
_ROWS = tuple((d.name, d.key, d.placement == PARAMS, d.unit == TOKEN) for d in DIMENSIONS)
_BY_KEY = {d.key: d for d in DIMENSIONS}
__all__ = ["FREE", "INFO", "Placed", "place", "resolve", "source"]
