"""Routers that list prices in their own fields and units: Requesty, Novita, Nano-GPT, Vercel."""

from __future__ import annotations

from typing import Any

from ...catalog import PER_MILLION, PER_TOKEN, Document, Offer, Skip, limit
from .common import as_dict, as_list, costs, flags

NOVITA_UNIT = 10_000 * PER_MILLION  # Novita's integers are 0.0001 USD per million tokens
EMBEDDING_KINDS = {"embedding", "embeddings"}


def _mode(kind: Any) -> str:
    kind = str(kind or "").lower()
    return "embedding" if kind in EMBEDDING_KINDS else "rerank" if kind == "rerank" else "chat"


def requesty_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Requesty: JSON numbers in USD per token; caching_price writes the cache, cached_price reads it."""
    found, problem = costs(
        entry,
        {
            "input_cost": "input_price",
            "output_cost": "output_price",
            "cache_read_cost": "cached_price",
            "cache_write_cost": "caching_price",
        },
        PER_TOKEN,
    )
    return Offer(
        id=model_id,
        mode=_mode(entry.get("api")),
        **found,
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
        found, problem = costs(decimals, {"input_cost": "prompt", "output_cost": "completion"}, PER_MILLION)
    else:
        found, problem = costs(
            entry, {"input_cost": "input_token_price_per_m", "output_cost": "output_token_price_per_m"}, NOVITA_UNIT
        )
    return Offer(
        id=model_id,
        mode=_mode(entry.get("model_type")),
        **found,
        max_input_tokens=limit(entry.get("context_size")),
        max_output_tokens=limit(entry.get("max_output_tokens")),
        price_problem=problem,
    )


def nano_gpt_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Nano-GPT (`?detailed=true`): JSON numbers in USD per million tokens."""
    pricing = as_dict(entry.get("pricing"))
    found, problem = costs(pricing, {"input_cost": "prompt", "output_cost": "completion"}, PER_MILLION)
    unit, currency = pricing.get("unit", "per_million_tokens"), pricing.get("currency", "USD")
    if unit != "per_million_tokens" or str(currency).upper() != "USD":
        problem = f"prices are in {unit} {currency}, not per_million_tokens USD"
    caps = as_dict(entry.get("capabilities"))
    return Offer(
        id=model_id,
        mode=_mode(entry.get("type")),
        **found,
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
    """Vercel AI Gateway: decimal strings in USD per token; `type` says language or embedding."""
    found, problem = costs(
        as_dict(entry.get("pricing")),
        {
            "input_cost": "input",
            "output_cost": "output",
            "cache_read_cost": "input_cache_read",
            "cache_write_cost": "input_cache_write",
        },
        PER_TOKEN,
    )
    mode = VERCEL_MODES.get(entry.get("type")) if isinstance(entry.get("type"), (str, type(None))) else None
    if mode is None:
        return Skip(model_id, f"unknown model type {entry.get('type')!r}")
    tags = as_list(entry.get("tags"))
    return Offer(
        id=model_id,
        mode=mode,
        **found,
        max_input_tokens=limit(entry.get("context_window")),
        max_output_tokens=limit(entry.get("max_tokens")),
        capabilities=flags(
            supports_vision="vision" in tags,
            supports_function_calling="tool-use" in tags,
            supports_reasoning="reasoning" in tags,
        ),
        price_problem=problem,
    )
