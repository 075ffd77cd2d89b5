"""What a normaliser makes of a provider's catalog: offers in USD per token, and what it skipped."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from .errors import CatalogError

# The LiteLLM modes globs select; media and other kinds are taken only when named explicitly.
GLOB_MODES = frozenset({"chat", "embedding", "rerank"})

PER_TOKEN = 1
PER_MILLION = 1_000_000
DEPRECATED = "deprecated"  # Offer.retires of a model its catalog marks deprecated without a date


class Document(NamedTuple):
    """One JSON document of a catalog as the provider sent it, and where it came from."""

    name: str  # cache name: "openrouter", "openrouter.embeddings"
    source: str  # URL or file, for messages
    body: Any


Prices = Mapping[str, float]  # price dimension (modelsync.core.prices) → USD per token, image, request or query


@dataclass(frozen=True)
class Tier:
    """Prices that apply to a prompt longer than `above` tokens: the dimensions the catalog restates."""

    above: int
    prices: Prices = field(hash=False)


@dataclass(frozen=True)
class Window:
    """Prices that apply from `start` to `end` (UTC, "HH:MM", end excluded): the dimensions restated."""

    start: str
    end: str
    prices: Prices = field(hash=False)


@dataclass(frozen=True)
class Offer:
    """One model a provider sells: its prices by dimension, in USD per token (or per unit)."""

    id: str
    mode: str = "chat"
    prices: Prices = field(default_factory=dict, hash=False)
    tiers: tuple[Tier, ...] = ()  # by prompt size, lowest threshold first
    windows: tuple[Window, ...] = ()  # by time of day
    max_input_tokens: int | None = None
    max_output_tokens: int | None = None
    capabilities: frozenset[str] = frozenset()  # model_info flags such as supports_vision
    price_problem: str | None = None  # why the catalog's price cannot be used as it is
    needs_pin: str | None = None  # why only an explicit, pinned selection may use it
    price_source: str | None = None  # where the prices come from when not the provider's own list
    sdk: str | None = None  # the API the model speaks when not its provider's (models.dev `provider.npm`)
    # When the provider says the model ends: a date (OpenRouter `expiration_date`, OpenAI
    # `shutdown_date`), or a word where none is given: a models.dev normaliser sets
    # retires="deprecated" for `status: deprecated`, and the report warns under "retiring".
    retires: str | None = None

    @property
    def input_cost(self) -> float | None:
        return self.prices.get("input")

    @property
    def output_cost(self) -> float | None:
        return self.prices.get("output")


@dataclass(frozen=True)
class Skip:
    """An id left out, and why: a catalog entry no normaliser could read, or a close id a match did not take."""

    id: str
    reason: str


@dataclass(frozen=True)
class Catalog:
    """A provider's normalised catalog."""

    provider: str
    offers: tuple[Offer, ...]
    skipped: tuple[Skip, ...] = field(default=())
    cached: bool = True  # False: nothing is cached; the models named with both costs pinned render from them

    def by_id(self) -> dict[str, Offer]:
        return {offer.id: offer for offer in self.offers}


class PriceError(ValueError):
    """A catalog price that is not a usable number; its message is the reason."""


def price(raw: Any, per_tokens: float = PER_TOKEN) -> float | None:
    """A catalog price as USD per token; None when absent. Raises PriceError when unusable."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise PriceError(f"price {_short(raw)} is not a number")
    try:
        value = Decimal(raw.strip()) if isinstance(raw, str) else Decimal(raw)
    except (InvalidOperation, ValueError):
        raise PriceError(f"price {_short(raw)} is not a number") from None
    if not value.is_finite():
        raise PriceError(f"price {_short(raw)} is not finite")
    if value == -1:
        raise PriceError("price -1 means a variable price")
    if value < 0:
        raise PriceError(f"price {_short(raw)} is negative")
    per_token = float(value / Decimal(per_tokens))
    if math.isinf(per_token):
        raise PriceError(f"price {_short(raw)} is out of range")
    # Twelve significant digits drop float noise (2.5500000000000003) and keep every real price.
    return float(f"{per_token:.12g}")


def limit(*candidates: Any) -> int | None:
    """The first candidate that is a positive whole number of tokens; 0 and junk mean unknown."""
    for raw in candidates:
        if isinstance(raw, bool):
            continue
        if isinstance(raw, int) and raw > 0:
            return raw
        if isinstance(raw, float) and raw.is_integer() and 0 < raw < 2**53:
            return int(raw)
        if isinstance(raw, str) and raw.isdigit() and int(raw) > 0:
            return int(raw)
    return None


def end_date(raw: Any) -> str | None:
    """A catalog's stated end of a model as short printable text; None when absent or junk."""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw > 0:
        return str(raw)  # a timestamp: shown as sent
    if isinstance(raw, str) and raw.strip() and raw.isprintable() and len(raw) <= 40:
        return raw.strip()
    return None


def entries(doc: Document, provider: str, key: str = "data") -> list[Any]:
    """The list of model entries in an OpenAI-style `{"data": [...]}` document."""
    items = doc.body.get(key) if isinstance(doc.body, dict) else None
    if not isinstance(items, list):
        raise CatalogError(
            f"{provider}: {doc.source} is not a model catalog (expected an object with a {key!r} list, "
            f"got {_describe(doc.body)})",
            "check the provider's catalog URL in providers.yaml; the cache was left as it was",
        )
    return items


def entry_id(entry: Any, key: str = "id") -> str | None:
    """An entry's model id, or None when it has none worth using."""
    if not isinstance(entry, dict):
        return None
    value = entry.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _describe(body: Any) -> str:
    if isinstance(body, dict):
        keys = ", ".join(sorted(map(str, body))[:5])
        return f"an object with keys {keys}" if keys else "an empty object"
    return f"a JSON {type(body).__name__}"


def _short(raw: Any) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."
