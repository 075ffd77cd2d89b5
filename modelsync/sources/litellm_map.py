"""LiteLLM's own price map (`model_prices_and_context_window.json`): what LiteLLM bills a model it knows.

The map is keyed by model, sometimes with its route's prefix (`gemini/gemini-2.5-flash`) and
sometimes without (`gpt-4o-mini`); each entry names its `litellm_provider`. It is a second
source for `audit`, never an input of config.yaml.
"""

from __future__ import annotations

from typing import Any

from ..core.catalog import Document
from ..core.errors import CatalogError

DOCUMENT = "litellm"  # its source name in providers.yaml and its cache name: cache/litellm.json
LABEL = "LiteLLM's map"


def check_map(doc: Document) -> None:
    """Raise CatalogError unless the body looks like LiteLLM's price map."""
    body = doc.body
    if not isinstance(body, dict) or not any(
        isinstance(entry, dict) and "litellm_provider" in entry for entry in body.values()
    ):
        raise CatalogError(
            f"{LABEL}: {doc.source} is not LiteLLM's price map (no entry with a litellm_provider)",
            "check sources.litellm.url in providers.yaml; the cache was left as it was",
        )


def entry_for(price_map: dict[str, Any], model: str) -> dict[str, Any] | None:
    """The map's entry for a deployment's `litellm_params.model`, as LiteLLM would look it up.

    `openai/gpt-4o-mini` is found as `gpt-4o-mini` (an entry of provider openai); an entry is
    only taken when its provider is the route's, so `openai/` gateways never borrow OpenAI's.
    """
    prefix, _, rest = model.partition("/")
    for key in (model, rest):
        entry = price_map.get(key) if key else None
        if isinstance(entry, dict) and str(entry.get("litellm_provider", "")).split("-")[0] == prefix:
            return entry
    return None
