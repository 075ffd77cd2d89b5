"""Which catalog rows `--list` shows: free ones, ones under a price, ones with a capability."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ..core.catalog import Offer

# What a user asks for, and how an offer shows it.
CAPABILITIES: dict[str, Callable[[Offer], bool]] = {
    "vision": lambda offer: "supports_vision" in offer.capabilities,
    "tools": lambda offer: "supports_function_calling" in offer.capabilities,
    "reasoning": lambda offer: "supports_reasoning" in offer.capabilities,
    "embeddings": lambda offer: offer.mode == "embedding",
}


class Filters(NamedTuple):
    free: bool = False
    max_input_price: float | None = None  # USD per million tokens
    max_output_price: float | None = None
    capabilities: tuple[str, ...] = ()

    def keep(self, offer: Offer) -> bool:
        if self.free and not (offer.input_cost == 0 and offer.output_cost == 0):
            return False
        for ceiling, cost in ((self.max_input_price, offer.input_cost), (self.max_output_price, offer.output_cost)):
            if ceiling is not None and (cost is None or cost * 1_000_000 > ceiling * (1 + 1e-9)):
                return False
        return all(CAPABILITIES[name](offer) for name in self.capabilities)
