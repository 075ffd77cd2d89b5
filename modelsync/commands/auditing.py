"""`audit`: compare every deployment's prices and limits with second sources, and list disagreements.

The core is pure: deployments as config.yaml holds them and what each second source says about
them in, disagreements out. A second source is models.dev (by the deployment's provider and id)
or LiteLLM's own price map (by its route); each says, per LiteLLM key, what it believes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.catalog import PriceError
from ..core.prices import BY_KEY, BY_NAME, DIMENSIONS, FREE_MARKER, TIERED, TIERS_KEY, TOKEN
from ..sources.litellm_map import LABEL as LITELLM
from ..sources.litellm_map import entry_for
from ..sources.models_dev import SOURCE as MODELS_DEV
from ..sources.models_dev import prices
from ..sources.providers import Provider, identify

FREE = FREE_MARKER  # the marker configs write for free: it agrees with a source's 0
# Every price dimension by the LiteLLM key that carries it; a tier adds `_above_<N>k_tokens`.
PRICE_KEYS = {d.name: d.key for d in DIMENSIONS if d.unit == TOKEN}
TIERED_NAMES = tuple(d.name for d in TIERED)
LIMIT_KEYS = ("max_input_tokens", "max_output_tokens")

Values = dict[str, float]  # LiteLLM key → value
Opinion = Callable[[str, dict[str, Any]], "Values | None"]  # (model, litellm_params) → values, None if unknown


@dataclass(frozen=True)
class Disagreement:
    """One key of one deployment on which a second source differs from config.yaml."""

    model_name: str
    model: str
    key: str
    config: float | None  # None: config.yaml does not set it (LiteLLM falls back to its map or the input price)
    sources: dict[str, float | None]  # every source's value for this key; None: that source is silent

    def is_price(self) -> bool:
        return self.key not in LIMIT_KEYS


@dataclass
class Audit:
    """What the audit compared and found."""

    compared: int = 0  # deployments at least one source knows
    disagreements: list[Disagreement] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)  # (model_name, model) no source knows
    tolerance: float = 0.01
    sources: tuple[str, ...] = ()


def audit(model_list: list[dict[str, Any]], opinions: dict[str, Opinion], tolerance: float = 0.01) -> Audit:
    """Every deployment's keys against every source that knows it; differences beyond `tolerance`."""
    result = Audit(tolerance=tolerance, sources=tuple(opinions))
    for item in model_list:
        params = item.get("litellm_params") if isinstance(item, dict) else None
        if not isinstance(params, dict) or not isinstance(params.get("model"), str):
            continue
        name, model = str(item.get("model_name", "")), params["model"]
        said = {source: opinion(model, params) for source, opinion in opinions.items()}
        known = {source: values for source, values in said.items() if values is not None}
        if not known:
            result.unknown.append((name, model))
            continue
        result.compared += 1
        info = item.get("model_info")
        ours = deployment_values(params, info if isinstance(info, dict) else {})
        result.disagreements += _differences(name, model, ours, known, tolerance)
    return result


def _differences(name: str, model: str, ours: Values, known: dict[str, Values], tolerance: float) -> list[Disagreement]:
    found = []
    keys = sorted(set(ours).union(*known.values()))
    for key in keys:
        mine = ours.get(key)
        theirs = {source: values.get(key) for source, values in known.items()}
        if any(_differs(key, mine, value, ours, tolerance) for value in theirs.values()):
            found.append(Disagreement(name, model, key, mine, theirs))
    return found


def _differs(key: str, mine: float | None, theirs: float | None, ours: Values, tolerance: float) -> bool:
    if theirs is None:
        return False  # a source that does not say, does not disagree
    if mine is not None:
        return not _close(mine, theirs, tolerance)
    if key in LIMIT_KEYS or _free(theirs):
        return False  # an unset limit is no claim; an unset price the source calls free costs nothing more
    billed = ours.get(_plain(key))  # an unset cache, audio, reasoning or tier price bills at the plain one
    return billed is None or not _close(billed, theirs, tolerance)


def _plain(key: str) -> str:
    """The price a dimension falls back to when it is not set (the price table's fallback)."""
    if _tier_key(key):
        return key.split("_above_")[0]
    dimension = BY_KEY.get(key)
    fallback = dimension.fallback if dimension else None
    return BY_NAME[fallback].key if fallback else ""


def _close(mine: float, theirs: float, tolerance: float) -> bool:
    return (_free(mine) and _free(theirs)) or math.isclose(mine, theirs, rel_tol=tolerance)


def _free(value: float) -> bool:
    return abs(value) <= FREE


def deployment_values(params: dict[str, Any], info: dict[str, Any]) -> Values:
    """The price and limit keys a deployment sets, wherever it sets them; tiers as `_above_<N>k` keys."""
    known = set(PRICE_KEYS.values()) | set(LIMIT_KEYS)
    values: Values = {}
    for source in (info, params):  # litellm_params win, as LiteLLM reads them first
        for key, value in source.items():
            if _number(value) and (key in known or _tier_key(key)):
                values[key] = float(value)
        for tier in source.get(TIERS_KEY) or []:
            values.update(_from_tiered(tier))
    return values


def _from_tiered(tier: Any) -> Values:
    """A `tiered_pricing` row above zero as `_above_<N>k_tokens` keys."""
    if not isinstance(tier, dict) or not isinstance(tier.get("range"), list) or not tier["range"]:
        return {}
    start = tier["range"][0]
    if not _number(start) or start <= 0:
        return {}
    suffix = _suffix(int(start))
    return {f"{key}{suffix}": float(v) for key, v in tier.items() if key in PRICE_KEYS.values() and _number(v)}


def _suffix(threshold: int) -> str:
    return f"_above_{threshold // 1000}k_tokens" if threshold % 1000 == 0 else f"_above_{threshold}_tokens"


def _tier_key(key: str) -> bool:
    return "_above_" in key and key.endswith("_tokens") and key.split("_above_")[0] in PRICE_KEYS.values()


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# --- second sources ---------------------------------------------------------------------


def models_dev_opinion(body: Any, providers: dict[str, Provider]) -> Opinion:
    """What models.dev says about a deployment: by its provider's models_dev id and its model id."""
    catalog = body if isinstance(body, dict) else {}

    def opinion(model: str, params: dict[str, Any]) -> Values | None:
        provider = providers.get(identify(providers, params) or "")
        route = provider.route_of(params) if provider else None
        if provider is None or route is None or not provider.models_dev:
            return None
        models = catalog.get(provider.models_dev, {}).get("models", {}) if isinstance(catalog, dict) else {}
        entry = models.get(model[len(route.prefix) :]) if isinstance(models, dict) else None
        return models_dev_values(entry) if isinstance(entry, dict) else None

    return opinion


def models_dev_values(entry: dict[str, Any]) -> Values | None:
    """A models.dev model's prices and limits as LiteLLM keys; None when it states no price."""
    try:
        found = prices(entry["cost"]) if isinstance(entry.get("cost"), dict) else None
    except PriceError:
        found = None
    if found is None:
        return None
    values = {PRICE_KEYS[d]: v for d, v in found.items() if d in PRICE_KEYS}
    for threshold, tier in found.get("tiers", {}).items():
        values.update({f"{PRICE_KEYS[d]}{_suffix(threshold)}": v for d, v in tier.items() if d in TIERED_NAMES})
    limit: dict[str, Any] = entry["limit"] if isinstance(entry.get("limit"), dict) else {}
    limits = {"max_input_tokens": limit.get("input") or limit.get("context"), "max_output_tokens": limit.get("output")}
    for key, raw in limits.items():
        if isinstance(raw, (int, float)) and _number(raw) and raw > 0:
            values[key] = float(raw)
    return values


def litellm_opinion(price_map: Any, providers: dict[str, Provider]) -> Opinion:
    """What LiteLLM's map says about a deployment's route; never for a gateway on a borrowed route."""
    table = price_map if isinstance(price_map, dict) else {}
    keys = set(PRICE_KEYS.values()) | set(LIMIT_KEYS)

    def opinion(model: str, params: dict[str, Any]) -> Values | None:
        if params.get("api_base") and identify(providers, params):
            return None  # e.g. openai/ at Requesty: the map prices OpenAI's own endpoint, not the gateway's
        entry = entry_for(table, model)
        if entry is None:
            return None
        return {k: float(v) for k, v in entry.items() if (k in keys or _tier_key(k)) and _number(v)}

    return opinion


SOURCES = (MODELS_DEV, LITELLM)
