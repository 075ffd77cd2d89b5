"""The price dimensions: one row each, read by the normalisers, merge, pins, guards and the report.

A row says what a dimension is called here, which field states it in each catalog shape, its
unit, the LiteLLM key that carries it, where LiteLLM 1.106.2 must read it (measured with the real
proxy: see the README's section on prices), and whether LiteLLM bills it from a config at all.
Adding a dimension is one row here and a test.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, NamedTuple

TOKEN, IMAGE, REQUEST, QUERY = "token", "image", "request", "query"
PARAMS, INFO = "litellm_params", "model_info"
PER_UNIT_IMAGE = 1e-4  # an OpenRouter `image` price at or above this is per image, below it per token


class Dimension(NamedTuple):
    name: str  # what offers, pins and the report call it
    key: str  # the LiteLLM key
    unit: str  # USD per TOKEN, IMAGE, REQUEST or QUERY
    fields: Mapping[str, str | tuple[str, ...]]  # normaliser shape → the catalog field(s) stating it, first wins
    placement: str = PARAMS  # where LiteLLM must read it
    fallback: str | None = None  # the dimension whose price applies where the catalog states none
    tiered: bool = False  # LiteLLM's `tiered_pricing` carries it per prompt-size tier
    unbilled: str | None = None  # why LiteLLM does not bill it from a config on a chat route
    accepts: tuple[float, float] = (0.0, math.inf)  # catalog values that mean this dimension, [low, high)

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


_OPENROUTER_LIKE = ("openrouter", "poe")  # Poe's API follows OpenRouter's pricing keys


def _both(field: str) -> dict[str, str]:
    return dict.fromkeys(_OPENROUTER_LIKE, field)


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "input",
        "input_cost_per_token",
        TOKEN,
        {**_both("prompt"), "vercel": "input", "requesty": "input_price", "nano_gpt": "prompt"}
        | {"novita": "input_token_price_per_m", "novita_decimal": "prompt", "models_dev": "input"},
        tiered=True,
    ),
    Dimension(
        "output",
        "output_cost_per_token",
        TOKEN,
        {**_both("completion"), "vercel": "output", "requesty": "output_price", "nano_gpt": "completion"}
        | {"novita": "output_token_price_per_m", "novita_decimal": "completion", "models_dev": "output"},
        tiered=True,
    ),
    Dimension(
        "cache_read",
        "cache_read_input_token_cost",
        TOKEN,
        {
            **_both("input_cache_read"),
            "vercel": "input_cache_read",
            "requesty": "cached_price",
            "models_dev": "cache_read",
        },
        fallback="input",
        tiered=True,
    ),
    Dimension(
        "cache_write",
        "cache_creation_input_token_cost",
        TOKEN,
        {**_both("input_cache_write"), "vercel": "input_cache_write", "requesty": "caching_price"}
        | {"models_dev": "cache_write"},
        fallback="input",
        tiered=True,
    ),
    Dimension(
        "cache_write_1h",
        "cache_creation_input_token_cost_above_1hr",
        TOKEN,
        {"openrouter": "input_cache_write_1h"},
        fallback="cache_write",
        tiered=True,
    ),
    Dimension(
        "reasoning",
        "output_cost_per_reasoning_token",
        TOKEN,
        {"openrouter": "internal_reasoning", "models_dev": "reasoning"},
        fallback="output",
        tiered=True,
    ),
    Dimension(
        "audio_input",
        "input_cost_per_audio_token",
        TOKEN,
        {"openrouter": "audio", "models_dev": "input_audio"},
        fallback="input",
    ),
    Dimension(
        "audio_output",
        "output_cost_per_audio_token",
        TOKEN,
        {"openrouter": "audio_output", "models_dev": "output_audio"},
        fallback="output",
    ),
    Dimension(
        "audio_cache_read",
        "cache_read_input_audio_token_cost",
        TOKEN,
        {"openrouter": "input_audio_cache"},
        fallback="cache_read",
    ),
    Dimension(
        "image_input",
        "input_cost_per_image_token",
        TOKEN,
        _both("image"),
        fallback="input",
        accepts=(0.0, PER_UNIT_IMAGE),
    ),
    Dimension(
        "image_output",
        "output_cost_per_image_token",
        TOKEN,
        {"openrouter": ("image_output", "image_token")},  # image_token: equal to image_output where both occur
        fallback="output",
    ),
    Dimension(
        "per_image",
        "input_cost_per_image",
        IMAGE,
        _both("image"),
        placement=INFO,
        unbilled="it bills a per-image price only from an image count, which chat responses do not carry",
        accepts=(PER_UNIT_IMAGE, math.inf),
    ),
    Dimension(
        "per_request",
        "input_cost_per_request",
        REQUEST,
        _both("request"),
        placement=INFO,
        unbilled="it bills no per-request price on chat routes",
    ),
    Dimension(
        "web_search",
        "search_context_cost_per_query",
        QUERY,
        {"openrouter": "web_search"},
        placement=INFO,
        unbilled="it bills one query per response that searched, whatever the count",
    ),
    Dimension("rerank", "input_cost_per_query", QUERY, {}, placement=PARAMS),
)

BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
BY_KEY: dict[str, Dimension] = {d.key: d for d in DIMENSIONS}
TIERED = tuple(d for d in DIMENSIONS if d.tiered)
TIERS_KEY = "tiered_pricing"  # LiteLLM's prompt-size tiers: any threshold, from either place (measured)
WINDOWS_KEY = "off_peak_pricing"  # LiteLLM's time-of-day rates: read from model_info only (measured)
SEARCH_SIZES = ("search_context_size_low", "search_context_size_medium", "search_context_size_high")
FREE_MARKER = 1.0e-09  # the price hand-kept configs write for a free model
# Per token, a price above this is surely a price per million written in the wrong unit.
MOST_PER_TOKEN = 1e-3


def stated(shape: str) -> list[tuple[Dimension, tuple[str, ...]]]:
    """The dimensions a catalog shape states, with the fields that state each (the first present wins)."""
    found = []
    for dimension in DIMENSIONS:
        fields = dimension.fields.get(shape)
        if fields is not None:
            found.append((dimension, (fields,) if isinstance(fields, str) else fields))
    return found


def litellm_value(dimension: Dimension, price: float) -> Any:
    """A price as LiteLLM's key for it wants it: web search is one price per search context size."""
    return dict.fromkeys(SEARCH_SIZES, price) if dimension.name == "web_search" else price


def shown(value: float, unit: str) -> str:
    """A price as people read it: USD per million tokens, or per image, request or query."""
    if unit == TOKEN:
        return "free" if value <= FREE_MARKER else f"${value * 1_000_000:.4g}/M"
    return f"${value:.4g}/{unit}"


def per_unit_label(unit: str) -> str:
    return "USD per million tokens" if unit == TOKEN else f"USD per {unit}"


def price_of(key: str, value: Any) -> float | None:
    """The number a LiteLLM price key holds (web search: its medium size), or None."""
    if isinstance(value, Mapping) and key == BY_NAME["web_search"].key:
        value = value.get("search_context_size_medium")
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def price_paths(body: Mapping[str, Any]) -> dict[str, tuple[float, str]]:
    """Every price in a deployment by a readable path, with its unit: flat keys, tiers, time windows."""
    found: dict[str, tuple[float, str]] = {}
    for section in (PARAMS, INFO):
        values = body.get(section)
        if not isinstance(values, Mapping):
            continue
        for key, value in values.items():
            if key in BY_KEY and (number := price_of(key, value)) is not None:
                found[key] = (number, BY_KEY[key].unit)
        for tier in values.get(TIERS_KEY) or [] if isinstance(values.get(TIERS_KEY), list) else []:
            low = tier.get("range", [0])[0] if isinstance(tier, Mapping) else None
            if not low or not isinstance(tier, Mapping):
                continue  # the base tier repeats the flat prices
            for key, value in tier.items():
                if key in BY_KEY and (number := price_of(key, value)) is not None:
                    found[f"{key} above {low:,} tokens"] = (number, TOKEN)
        windows = values.get(WINDOWS_KEY)
        if isinstance(windows, Mapping):
            for key, value in windows.items():
                if key in BY_KEY and (number := price_of(key, value)) is not None:
                    found[f"{key} at {', '.join(windows.get('hours_utc') or [])} UTC"] = (number, TOKEN)
    return found


def unbilled(body: Mapping[str, Any]) -> list[str]:
    """The prices of a deployment LiteLLM will not bill, each with its value and why."""
    notes = []
    for section in (PARAMS, INFO):
        values = body.get(section)
        for key, value in values.items() if isinstance(values, Mapping) else []:
            dimension = BY_KEY.get(key)
            number = price_of(key, value)
            if dimension and dimension.unbilled and number is not None:
                notes.append(f"{dimension.label} {shown(number, dimension.unit)}: {dimension.unbilled}")
    return notes
