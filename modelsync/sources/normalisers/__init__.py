"""One normaliser per response shape: a provider's documents in, a Catalog in USD per token out.

A normaliser is `collect` with the function that turns one entry into an offer, registered here
under the name providers.yaml uses. Providers whose APIs look alike share one: point a new
provider's `normaliser` at it, no code needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial

from ...core.catalog import Catalog, Document
from .common import collect
from .gateways import fireworks_offer, ollama_id, ollama_offer
from .openrouter import offer as openrouter_offer
from .openrouter import poe_offer
from .priced import nano_gpt_offer, novita_offer, requesty_offer, vercel_offer
from .vendors import anthropic_offer, gemini_id, gemini_offer, nvidia_offer, openai_offer

Normaliser = Callable[[str, Sequence[Document]], Catalog]

normalise_openrouter: Normaliser = partial(collect, make=openrouter_offer)

NORMALISERS: dict[str, Normaliser] = {
    "openrouter": normalise_openrouter,
    "poe": partial(collect, make=poe_offer),
    "requesty": partial(collect, make=requesty_offer),
    "novita": partial(collect, make=novita_offer),
    "nano_gpt": partial(collect, make=nano_gpt_offer),
    "vercel": partial(collect, make=vercel_offer),
    "nvidia": partial(collect, make=nvidia_offer),
    "openai": partial(collect, make=openai_offer),
    "anthropic": partial(collect, make=anthropic_offer),
    "gemini": partial(collect, make=gemini_offer, list_key="models", id_of=gemini_id),
    "ollama": partial(collect, make=ollama_offer, list_key="models", id_of=ollama_id),
    "fireworks": partial(collect, make=fireworks_offer),
}

# Lists that state their own prices: models.dev is only `audit`'s second source for them.
PRICED_LISTS = frozenset({"openrouter", "poe", "requesty", "novita", "nano_gpt", "vercel", "nvidia", "ollama"})

__all__ = ["NORMALISERS", "PRICED_LISTS", "Normaliser", "normalise_openrouter"]
