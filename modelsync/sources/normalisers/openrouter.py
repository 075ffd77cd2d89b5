"""OpenRouter's shape, which Poe's API follows: `pricing.prompt` strings in USD per token."""

from __future__ import annotations

from typing import Any

from ...catalog import PER_TOKEN, Document, Offer, limit
from .common import as_dict, as_list, costs, flags

PRICES = {
    "input_cost": "prompt",
    "output_cost": "completion",
    "cache_read_cost": "input_cache_read",
    "cache_write_cost": "input_cache_write",
}
MODES = {
    "embeddings": "embedding",
    "rerank": "rerank",
    "image": "image_generation",
    "video": "video_generation",
    "speech": "audio_speech",
    "transcription": "audio_transcription",
}


def mode(outputs: list[Any], doc: Document) -> str:
    """Text output means chat; otherwise the first media kind; the embeddings list is embeddings."""
    if doc.name.endswith(".embeddings"):
        return "embedding"
    if "text" in outputs or not outputs:
        return "chat"
    return next((MODES[o] for o in outputs if o in MODES), "chat")


def offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    architecture = as_dict(entry.get("architecture"))
    top = as_dict(entry.get("top_provider"))
    found, problem = costs(as_dict(entry.get("pricing")), PRICES, PER_TOKEN)
    parameters = as_list(entry.get("supported_parameters"))
    return Offer(
        id=model_id,
        mode=mode(as_list(architecture.get("output_modalities")), doc),
        **found,
        max_input_tokens=limit(entry.get("context_length"), top.get("context_length")),
        max_output_tokens=limit(top.get("max_completion_tokens")),
        capabilities=flags(
            supports_vision="image" in as_list(architecture.get("input_modalities")),
            supports_function_calling="tools" in parameters,
            supports_response_schema="structured_outputs" in parameters,
            supports_reasoning="reasoning" in parameters,
        ),
        price_problem=problem,
        needs_pin="an alias that may move to another model" if model_id.startswith("~") else None,
    )


def poe_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Poe: OpenRouter's architecture and pricing keys, null prices, `supported_features`."""
    architecture = as_dict(entry.get("architecture"))
    found, problem = costs(as_dict(entry.get("pricing")), PRICES, PER_TOKEN)
    features = as_list(entry.get("supported_features"))
    return Offer(
        id=model_id,
        mode=mode(as_list(architecture.get("output_modalities")), doc),
        **found,
        max_input_tokens=limit(entry.get("context_window"), entry.get("context_length")),
        capabilities=flags(
            supports_vision="image" in as_list(architecture.get("input_modalities")),
            supports_function_calling="tools" in features,
        ),
        price_problem=problem,
    )
