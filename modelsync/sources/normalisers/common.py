"""What every normaliser uses: walk the entries, read prices and limits defensively."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ...core.catalog import PER_TOKEN, Catalog, Document, Offer, PriceError, Skip, Tier, entries, entry_id, limit, price
from ...core.prices import TOKEN, stated

# Builds one offer from an entry, or says why the entry is skipped.
OfferMaker = Callable[[str, dict[str, Any], Document], "Offer | Skip"]


def collect(
    provider: str,
    docs: Sequence[Document],
    make: OfferMaker,
    list_key: str = "data",
    id_of: Callable[[Any], str | None] = entry_id,
) -> Catalog:
    """Run `make` over every entry; skip entries without an id; collapse repeated ids."""
    chosen: dict[str, tuple[Any, Document]] = {}
    skipped: list[Skip] = []
    for doc in docs:
        for position, entry in enumerate(entries(doc, provider, list_key)):
            model_id = id_of(entry)
            if model_id is None:
                skipped.append(Skip(f"{doc.name}[{position}]", "entry has no id"))
            elif model_id not in chosen or _first(entry, chosen[model_id][0]):
                chosen[model_id] = (entry, doc)
    made = [make(model_id, entry, doc) for model_id, (entry, doc) in chosen.items()]
    skipped += [item for item in made if isinstance(item, Skip)]
    offers = tuple(item for item in made if isinstance(item, Offer))
    return Catalog(provider, offers, tuple(sorted(skipped, key=lambda s: s.id)))


def _first(entry: Any, other: Any) -> bool:
    """Of two entries with one id, the one that sorts first by content: order never matters."""
    return json.dumps(entry, sort_keys=True, default=str) < json.dumps(other, sort_keys=True, default=str)


def read_prices(
    pricing: dict[str, Any], shape: str, per_tokens: float, required: bool = True
) -> tuple[dict[str, float], str | None]:
    """Every price the table says this shape states, by dimension; and the first unusable one.

    Token prices are divided by `per_tokens`; per-image, per-request and per-query prices are USD as
    they stand. In base prices (`required`) a zero optional price means "no price of its own" and an
    offer without both input and output prices is a problem; in a tier or window a zero is a price.
    """
    found: dict[str, float] = {}
    problem = None
    for dimension, keys in stated(shape):
        key = next((k for k in keys if pricing.get(k) is not None), keys[0])
        try:
            value = price(pricing.get(key), per_tokens if dimension.unit == TOKEN else PER_TOKEN)
        except PriceError as exc:
            problem = problem or f"{key}: {exc}"
            continue
        low, high = dimension.accepts
        if value is None or not low <= value < high or (required and value == 0 and not _core(dimension.name)):
            continue
        found[dimension.name] = value
    if required and problem is None and ("input" not in found or "output" not in found):
        problem = "no input or output price"
    return found, problem


def _core(name: str) -> bool:
    return name in ("input", "output")


def tiers_from_lists(pricing: dict[str, Any], shape: str, per_tokens: float) -> tuple[Tier, ...]:
    """Tiers stated as a list per field, `{field}_tiers: [{cost, min, max}, ...]` (Vercel's form)."""
    by_threshold: dict[int, dict[str, float]] = {}
    for dimension, keys in stated(shape):
        for step in as_list(pricing.get(f"{keys[0]}_tiers")):
            step = as_dict(step)
            above = limit(step.get("min"))
            try:
                value = price(step.get("cost"), per_tokens if dimension.unit == TOKEN else PER_TOKEN)
            except PriceError:
                continue
            if above is not None and value is not None:
                by_threshold.setdefault(above, {})[dimension.name] = value
    return tuple(Tier(above, prices) for above, prices in sorted(by_threshold.items()))


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def flags(**present: Any) -> frozenset[str]:
    """The model_info capability flags that are true, e.g. flags(supports_vision=True)."""
    return frozenset(name for name, value in present.items() if value is True)
