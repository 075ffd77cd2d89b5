"""One normaliser per response shape: a provider's documents in, a Catalog in USD per token out.

A normaliser is a plain function registered here under the name providers.yaml uses. Providers
whose APIs look alike share one: point a new provider's `normaliser` at it, no code needed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..catalog import Catalog, Document
from .openrouter import normalise_openrouter, normalise_poe
from .priced import normalise_nano_gpt, normalise_novita, normalise_requesty, normalise_vercel
from .vendors import normalise_anthropic, normalise_gemini, normalise_nvidia, normalise_openai

Normaliser = Callable[[str, Sequence[Document]], Catalog]

NORMALISERS: dict[str, Normaliser] = {
    "openrouter": normalise_openrouter,
    "poe": normalise_poe,
    "requesty": normalise_requesty,
    "novita": normalise_novita,
    "nano_gpt": normalise_nano_gpt,
    "vercel": normalise_vercel,
    "nvidia": normalise_nvidia,
    "openai": normalise_openai,
    "anthropic": normalise_anthropic,
    "gemini": normalise_gemini,
}

__all__ = ["NORMALISERS", "Normaliser", "normalise_openrouter"]
