"""What every normaliser uses: walk the entries, read prices and limits defensively."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from ...catalog import Catalog, Document, Offer, PriceError, Skip, entries, entry_id, price

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


def costs(pricing: dict[str, Any], keys: dict[str, str], per_tokens: float) -> tuple[dict[str, Any], str | None]:
    """Read the prices named by `keys` (Offer field → catalog key); report the first bad one."""
    found: dict[str, Any] = {}  # Offer fields → USD per token or None
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


def flags(**present: Any) -> frozenset[str]:
    """The model_info capability flags that are true, e.g. flags(supports_vision=True)."""
    return frozenset(name for name, value in present.items() if value is True)
