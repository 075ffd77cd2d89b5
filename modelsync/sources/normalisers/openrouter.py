"""OpenRouter's shape, which Poe's API follows: `pricing.prompt` strings in USD per token.

`pricing.overrides` restates prices for prompts over `min_prompt_tokens` (a tier) or for a UTC
time window (`utc_start`/`utc_end`, HHMM). OpenRouter's rule: an override applies when all its
conditions match, later ones win per price, and prices it leaves out stay the base ones. A prompt
"over" a threshold is taken strictly, as the vendors state their tiers ("over 200K tokens").
"""

from __future__ import annotations

from typing import Any

from ...core.catalog import PER_TOKEN, Document, Offer, Tier, Window, end_date, limit
from .common import as_dict, as_list, flags, read_prices

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


def overrides(pricing: dict[str, Any], shape: str) -> tuple[tuple[Tier, ...], tuple[Window, ...], str | None]:
    """The tiers and time windows of `pricing.overrides`; a problem when one cannot be read."""
    entries = [as_dict(item) for item in as_list(pricing.get("overrides"))]
    tiers: dict[int, dict[str, float]] = {}
    windows: list[Window] = []
    for position, item in enumerate(entries):
        restated, problem = read_prices(item, shape, PER_TOKEN, required=False)
        above, start, end = (
            limit(item.get("min_prompt_tokens")),
            _hhmm(item.get("utc_start")),
            _hhmm(item.get("utc_end")),
        )
        if problem or (above is not None and start is not None) or (above is None and (start is None or end is None)):
            return (), (), problem or f"pricing.overrides[{position}] has conditions this tool cannot read"
        if above is not None:
            tiers[above] = {}
        elif start and end:
            windows.append(Window(start, end, restated))
    for above in tiers:  # each tier: every applicable override, later ones winning per price
        for item in entries:
            threshold = limit(item.get("min_prompt_tokens"))
            if threshold is not None and threshold <= above:
                tiers[above].update(read_prices(item, shape, PER_TOKEN, required=False)[0])
    return tuple(Tier(above, prices) for above, prices in sorted(tiers.items())), tuple(windows), None


def _hhmm(raw: Any) -> str | None:
    """OpenRouter's `utc_start: 1630` as "16:30"; None when it is not a time of day."""
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw < 2400 or raw % 100 >= 60:
        return None
    return f"{raw // 100:02d}:{raw % 100:02d}"


def priced(pricing: dict[str, Any], shape: str, kind: str = "chat") -> dict[str, Any]:
    """An offer's price fields from OpenRouter-style `pricing`: prices, tiers, windows, problem."""
    prices, problem = read_prices(pricing, shape, PER_TOKEN)
    tiers, windows, override_problem = overrides(pricing, shape)
    if kind == "rerank" and not problem and "rerank" not in prices and not any(prices.values()):
        # Listed at $0 per token, but sold per search, at a price the list does not state: not free.
        problem = "a rerank model is sold per search, at a price the catalog does not state (pin input_cost_per_query)"
    return {"prices": prices, "tiers": tiers, "windows": windows, "price_problem": problem or override_problem}


def offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    architecture = as_dict(entry.get("architecture"))
    top = as_dict(entry.get("top_provider"))
    parameters = as_list(entry.get("supported_parameters"))
    kind = mode(as_list(architecture.get("output_modalities")), doc)
    return Offer(
        id=model_id,
        mode=kind,
        **priced(as_dict(entry.get("pricing")), "openrouter", kind),
        max_input_tokens=limit(entry.get("context_length"), top.get("context_length")),
        max_output_tokens=limit(top.get("max_completion_tokens")),
        capabilities=flags(
            supports_vision="image" in as_list(architecture.get("input_modalities")),
            supports_function_calling="tools" in parameters,
            supports_response_schema="structured_outputs" in parameters,
            supports_reasoning="reasoning" in parameters,
        ),
        needs_pin="an alias that may move to another model" if model_id.startswith("~") else None,
        retires=end_date(entry.get("expiration_date")),
    )


def poe_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Poe: OpenRouter's architecture and pricing keys, null prices, `supported_features`."""
    architecture = as_dict(entry.get("architecture"))
    features = as_list(entry.get("supported_features"))
    return Offer(
        id=model_id,
        mode=mode(as_list(architecture.get("output_modalities")), doc),
        **priced(as_dict(entry.get("pricing")), "poe"),
        max_input_tokens=limit(entry.get("context_window"), entry.get("context_length")),
        capabilities=flags(
            supports_vision="image" in as_list(architecture.get("input_modalities")),
            supports_function_calling="tools" in features,
        ),
    )
