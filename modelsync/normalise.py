"""One normaliser per response shape: a provider's documents in, a Catalog in USD per token out.

A normaliser is a plain function registered in NORMALISERS under the name providers.yaml uses.
Providers whose APIs look alike share one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from .catalog import PER_TOKEN, Catalog, Document, Offer, PriceError, Skip, entries, entry_id, limit, price

OfferMaker = Callable[[str, dict[str, Any], Document], Offer]


def collect(provider: str, docs: Sequence[Document], make: OfferMaker, list_key: str = "data") -> Catalog:
    """Run `make` over every entry; skip entries without an id; collapse repeated ids."""
    chosen: dict[str, tuple[str, Offer]] = {}
    skipped: list[Skip] = []
    for doc in docs:
        for position, entry in enumerate(entries(doc, provider, list_key)):
            model_id = entry_id(entry)
            if model_id is None:
                skipped.append(Skip(f"{doc.name}[{position}]", "entry has no id"))
                continue
            # Repeated ids collapse to one offer, chosen by content so catalog order never matters.
            fingerprint = json.dumps(entry, sort_keys=True, default=str)
            if model_id not in chosen or fingerprint < chosen[model_id][0]:
                chosen[model_id] = (fingerprint, make(model_id, entry, doc))
    offers = tuple(offer for _, offer in chosen.values())
    return Catalog(provider, offers, tuple(sorted(skipped, key=lambda s: s.id)))


def costs(pricing: dict[str, Any], keys: dict[str, str], per_tokens: float) -> tuple[dict[str, float | None], str | None]:
    """Read the prices named by `keys` (Offer field → catalog key); report the first bad one."""
    found: dict[str, float | None] = {}
    problem = None
    for field, key in keys.items():
        try:
            found[field] = price(pricing.get(key), per_tokens)
        except PriceError as exc:
            found[field] = None
            problem = problem or f"{key}: {exc}"
    if problem is None and (found.get("input_cost") is None or found.get("output_cost") is None):
        problem = "no input or output price"
    for field in ("cache_read_cost", "cache_write_cost"):
        if not found.get(field):  # a zero or unusable cache price means "no separate price"
            found[field] = None
    return found, problem


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- OpenRouter (and any API in its shape) -------------------------------------------------

OPENROUTER_PRICES = {
    "input_cost": "prompt",
    "output_cost": "completion",
    "cache_read_cost": "input_cache_read",
    "cache_write_cost": "input_cache_write",
}
OPENROUTER_MODES = {
    "embeddings": "embedding",
    "rerank": "rerank",
    "image": "image_generation",
    "video": "video_generation",
    "speech": "audio_speech",
    "transcription": "audio_transcription",
}


def openrouter_mode(outputs: list[Any], doc: Document) -> str:
    """Text output means chat; otherwise the first media kind; the embeddings list is embeddings."""
    if doc.name.endswith(".embeddings"):
        return "embedding"
    if "text" in outputs or not outputs:
        return "chat"
    return next((OPENROUTER_MODES[o] for o in outputs if o in OPENROUTER_MODES), "chat")


def openrouter_capabilities(inputs: list[Any], parameters: list[Any]) -> frozenset[str]:
    flags = {
        "supports_vision": "image" in inputs,
        "supports_function_calling": "tools" in parameters,
        "supports_response_schema": "structured_outputs" in parameters,
        "supports_reasoning": "reasoning" in parameters,
    }
    return frozenset(name for name, present in flags.items() if present)


def openrouter_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    architecture = as_dict(entry.get("architecture"))
    top = as_dict(entry.get("top_provider"))
    found, problem = costs(as_dict(entry.get("pricing")), OPENROUTER_PRICES, PER_TOKEN)
    return Offer(
        id=model_id,
        mode=openrouter_mode(as_list(architecture.get("output_modalities")), doc),
        **found,
        max_input_tokens=limit(entry.get("context_length"), top.get("context_length")),
        max_output_tokens=limit(top.get("max_completion_tokens")),
        capabilities=openrouter_capabilities(
            as_list(architecture.get("input_modalities")), as_list(entry.get("supported_parameters"))
        ),
        price_problem=problem,
        needs_pin="an alias that may move to another model" if model_id.startswith("~") else None,
    )


def normalise_openrouter(provider: str, docs: Sequence[Document]) -> Catalog:
    return collect(provider, docs, openrouter_offer)


NORMALISERS: dict[str, Callable[[str, Sequence[Document]], Catalog]] = {
    "openrouter": normalise_openrouter,
}
