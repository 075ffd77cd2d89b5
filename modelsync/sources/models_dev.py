"""models.dev: one open catalog of ~130 providers, read as a provider's catalog or as its price list.

`api.json` maps a provider id to `{id, name, env, npm, api, models}`; each model carries `cost`
in USD per million tokens, `limit` in tokens, `modalities`, `status` and, where the model speaks
another API than its provider, `provider.npm`. No `cost` means the price is unknown, not free.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..core.catalog import DEPRECATED, GLOB_MODES, PER_MILLION, Catalog, Document, Offer, PriceError, Tier, limit
from ..core.errors import CatalogError
from .normalisers.common import as_dict, as_list, flags, read_prices
from .normalisers.vendors import mode_from_id

SOURCE = "models.dev"
DOCUMENT = "models_dev"  # its cache name: cache/models_dev.json
SHAPE = "models_dev"  # its column in the price table (modelsync/prices.py): cost fields per dimension
MEDIA_MODES = {"image": "image_generation", "video": "video_generation", "audio": "audio_speech"}


def prices(cost: Any) -> dict[str, Any]:
    """A models.dev `cost` object as USD per token by dimension, with `tiers` by prompt size.

    Every dimension the price table gives a models.dev field (input, output, cache read and write,
    reasoning, audio in and out) is read, per million tokens; a zero discount is no price of its
    own. `tiers` maps a prompt-size threshold in tokens to that tier's prices: the newer `tiers`
    list states its threshold; the older `context_over_200k` is read only where there is no list.
    Raises PriceError when a value is not a usable price.
    """
    cost = as_dict(cost)
    found: dict[str, Any] = _read(cost, required=True)
    tiers: dict[int, dict[str, float]] = {}
    for tier in as_list(cost.get("tiers")):
        spec = as_dict(as_dict(tier).get("tier"))
        size = limit(spec.get("size"))
        if spec.get("type", "context") != "context" or size is None:
            raise PriceError(f"tier {_short(spec)} is not a prompt-size tier")
        tiers[size] = _read(as_dict(tier), required=False)
    if not tiers and isinstance(cost.get("context_over_200k"), dict):
        tiers[200_000] = _read(cost["context_over_200k"], required=False)
    if tiers:
        found["tiers"] = dict(sorted(tiers.items()))
    return found


def _read(cost: dict[str, Any], required: bool) -> dict[str, float]:
    found, problem = read_prices(cost, SHAPE, PER_MILLION, required=required)
    if problem and problem != "no input or output price":
        raise PriceError(problem)
    return found


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def provider_models(doc: Document, models_dev_id: str, reader: str) -> dict[str, Any]:
    """The `models` of one models.dev provider; a CatalogError naming `reader` when it is not there."""
    body = doc.body if isinstance(doc.body, dict) else None
    if body is None or not all(isinstance(v, dict) for v in list(body.values())[:3]):
        raise CatalogError(
            f"{reader}: {doc.source} is not models.dev's api.json (expected an object of providers)",
            "check sources.models_dev.url in providers.yaml; the cache was left as it was",
        )
    entry = body.get(models_dev_id)
    if not isinstance(entry, dict) or not isinstance(entry.get("models"), dict):
        known = ", ".join(sorted(k for k in body if isinstance(k, str))[:8])
        raise CatalogError(
            f"{reader}: models.dev has no provider {models_dev_id!r}",
            f"set models_dev: in providers.yaml to one of its ids ({known}, ...)",
        )
    return {str(k): v for k, v in entry["models"].items() if isinstance(v, dict)}


def check_document(doc: Document) -> None:
    """Raise CatalogError unless the body is models.dev's api.json with at least one provider."""
    body = doc.body
    if (
        not isinstance(body, dict)
        or not body
        or not any(isinstance(as_dict(v).get("models"), dict) for v in body.values())
    ):
        raise CatalogError(
            f"models.dev: {doc.source} is not models.dev's api.json (no provider with a models object)",
            "check sources.models_dev.url in providers.yaml; the cache was left as it was",
        )


def catalog(provider: str, doc: Document, models_dev_id: str) -> Catalog:
    """A provider's whole catalog as models.dev lists it; a deprecated model is offered as retiring."""
    models = provider_models(doc, models_dev_id, provider)
    return Catalog(provider, tuple(offer(model_id, model) for model_id, model in sorted(models.items())))


def offer(model_id: str, model: dict[str, Any]) -> Offer:
    """One models.dev model as an offer: its prices, limits, kind and capabilities."""
    inputs = as_list(as_dict(model.get("modalities")).get("input"))
    outputs = as_list(as_dict(model.get("modalities")).get("output"))
    mode = mode_from_id(model_id) if "text" in outputs or not outputs else _media_mode(outputs)
    limits = as_dict(model.get("limit"))
    found, problem = _costs(model)
    tiers = tuple(Tier(above, tier) for above, tier in found.pop("tiers", {}).items())
    return Offer(
        id=model_id,
        mode=mode,
        prices=found,
        tiers=tiers,
        max_input_tokens=limit(limits.get("input"), limits.get("context")),
        max_output_tokens=limit(limits.get("output")) if mode == "chat" else None,
        capabilities=flags(
            supports_vision="image" in inputs,
            supports_pdf_input="pdf" in inputs,
            supports_audio_input="audio" in inputs,
            supports_function_calling=model.get("tool_call"),
            supports_reasoning=model.get("reasoning"),
            supports_response_schema=model.get("structured_output"),
        ),
        price_problem=problem,
        price_source=SOURCE if problem is None else None,
        sdk=_sdk(model),
        retires=DEPRECATED if model.get("status") == "deprecated" else None,  # it still works, for now
    )


def _media_mode(outputs: list[Any]) -> str:
    return next((MEDIA_MODES[o] for o in outputs if o in MEDIA_MODES), "chat")


def _sdk(model: dict[str, Any]) -> str | None:
    npm = as_dict(model.get("provider")).get("npm")
    return npm if isinstance(npm, str) and npm else None


def _costs(model: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The model's prices by dimension (and `tiers`) from its `cost`, or why it has none."""
    if "cost" not in model:
        return {}, "models.dev states no price"
    try:
        found = prices(model["cost"])
    except PriceError as exc:
        return {}, f"cost: {exc}"
    if "input" not in found or "output" not in found:
        return {}, "no input or output price"
    return found, None


def price_listed(catalog: Catalog, doc: Document | None, models_dev_id: str) -> Catalog:
    """A catalog whose list states no prices, priced from models.dev for the ids it lists.

    The provider's own list still decides what exists and its own limits win; an id models.dev
    does not price stays unpriced (LiteLLM's bundled map bills it unless the user pins costs).
    """
    if doc is None:
        return catalog
    models = provider_models(doc, models_dev_id, catalog.provider)
    return replace(catalog, offers=tuple(_priced(o, models.get(o.id)) for o in catalog.offers))


def _priced(listed: Offer, model: dict[str, Any] | None) -> Offer:
    if model is None or listed.input_cost is not None or listed.price_problem:
        return listed
    known = offer(listed.id, model)
    if known.price_problem or (listed.mode not in GLOB_MODES and not known.input_cost and not known.output_cost):
        return replace(listed, sdk=known.sdk)  # 0/0 on an image model is models.dev not knowing, not free
    return replace(
        listed,
        prices=known.prices,
        tiers=known.tiers,
        max_input_tokens=listed.max_input_tokens or known.max_input_tokens,
        max_output_tokens=listed.max_output_tokens or (known.max_output_tokens if listed.mode == "chat" else None),
        capabilities=listed.capabilities | known.capabilities,
        price_source=SOURCE,
        sdk=known.sdk,
    )
