"""Routers that list prices in their own fields and units: Requesty, Novita, Nano-GPT, Vercel."""

from __future__ import annotations

from typing import Any

from ...core.catalog import PER_MILLION, PER_TOKEN, Document, Offer, Skip, limit
from .common import as_dict, as_list, flags, read_prices, tiers_from_lists

NOVITA_UNIT = 10_000 * PER_MILLION  # Novita's integers are 0.0001 USD per million tokens
EMBEDDING_KINDS = {"embedding", "embeddings"}


def _mode(kind: Any) -> str:
    kind = str(kind or "").lower()
    return "embedding" if kind in EMBEDDING_KINDS else "rerank" if kind == "rerank" else "chat"


def requesty_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Requesty: JSON numbers in USD per token; caching_price writes the cache, cached_price reads it."""
    prices, problem = read_prices(entry, "requesty", PER_TOKEN)
    return Offer(
        id=model_id,
        mode=_mode(entry.get("api")),
        prices=prices,
        max_input_tokens=limit(entry.get("context_window")),
        max_output_tokens=limit(entry.get("max_output_tokens")),
        capabilities=flags(
            supports_vision=entry.get("supports_vision"),
            supports_function_calling=entry.get("supports_tool_calling"),
            supports_reasoning=entry.get("supports_reasoning"),
            supports_prompt_caching=entry.get("supports_caching"),
            supports_response_schema=entry.get("supports_output_json_schema"),
        ),
        price_problem=problem,
    )


def novita_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer | Skip:
    """Novita: integers in 0.0001 USD per million, or newer decimal strings in USD per million."""
    if entry.get("status", 1) != 1:
        return Skip(model_id, f"listed as unavailable (status {entry.get('status')!r})")
    pricing = as_dict(entry.get("pricing"))
    if pricing:
        decimals = {
            "prompt": as_dict(pricing.get("prompt")).get("price_per_m_decimal"),
            "completion": as_dict(pricing.get("completion")).get("price_per_m_decimal"),
        }
        prices, problem = read_prices(decimals, "novita_decimal", PER_MILLION)
    else:
        prices, problem = read_prices(entry, "novita", NOVITA_UNIT)
    return Offer(
        id=model_id,
        mode=_mode(entry.get("model_type")),
        prices=prices,
        max_input_tokens=limit(entry.get("context_size")),
        max_output_tokens=limit(entry.get("max_output_tokens")),
        price_problem=problem,
    )


def nano_gpt_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Nano-GPT (`?detailed=true`): JSON numbers in USD per million tokens."""
    pricing = as_dict(entry.get("pricing"))
    prices, problem = read_prices(pricing, "nano_gpt", PER_MILLION)
    unit, currency = pricing.get("unit", "per_million_tokens"), pricing.get("currency", "USD")
    if unit != "per_million_tokens" or str(currency).upper() != "USD":
        problem = f"prices are in {unit} {currency}, not per_million_tokens USD"
    caps = as_dict(entry.get("capabilities"))
    return Offer(
        id=model_id,
        mode=_mode(entry.get("type")),
        prices=prices,
        max_input_tokens=limit(entry.get("context_length")),
        max_output_tokens=limit(entry.get("max_output_tokens")),
        capabilities=flags(
            supports_vision=caps.get("vision"),
            supports_reasoning=caps.get("reasoning"),
            supports_function_calling=caps.get("tool_calling"),
            supports_response_schema=caps.get("structured_output"),
        ),
        price_problem=problem,
    )


VERCEL_MODES = {
    None: "chat",
    "language": "chat",
    "embedding": "embedding",
    "rerank": "rerank",
    "image": "image_generation",
    "video": "video_generation",
}


def vercel_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer | Skip:
    """Vercel AI Gateway: decimal strings in USD per token; `type` says language or embedding.

    Newer lists state tiers as `{field}_tiers: [{cost, min, max}]` beside each flat price.
    """
    pricing = as_dict(entry.get("pricing"))
    prices, problem = read_prices(pricing, "vercel", PER_TOKEN)
    mode = VERCEL_MODES.get(entry.get("type")) if isinstance(entry.get("type"), (str, type(None))) else None
    if mode is None:
        return Skip(model_id, f"unknown model type {entry.get('type')!r}")
    tags = as_list(entry.get("tags"))
    return Offer(
        id=model_id,
        mode=mode,
        prices=prices,
        tiers=tiers_from_lists(pricing, "vercel", PER_TOKEN),
        max_input_tokens=limit(entry.get("context_window")),
        max_output_tokens=limit(entry.get("max_tokens")),
        capabilities=flags(
            supports_vision="vision" in tags,
            supports_function_calling="tool-use" in tags,
            supports_reasoning="reasoning" in tags,
        ),
        price_problem=problem,
    )
