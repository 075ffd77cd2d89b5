"""What a deployment's prices bill for a day's tokens, read as LiteLLM 1.106.2 reads them.

The prompt counts cache reads and writes inside it; the completion counts reasoning inside it.
Two things daily totals cannot say, priced the honest way and said in the report:
- prompt-size tiers (`tiered_pricing`): a tier applies to one prompt over its threshold, and a
  day's total does not hold prompt sizes, so tokens are priced at the base tier (a floor);
- 1-hour cache writes: the rows do not split them out, so writes bill at the 5-minute price.
"""

from __future__ import annotations

from typing import Any

from .record import Tokens

TIERED_NOTE = "prompt-size tiers priced at the base price: daily totals do not hold prompt sizes"


def bill(body: dict[str, Any], tokens: Tokens) -> float | None:
    """USD for `tokens` at the deployment's configured prices; None when it states no input price."""
    params = body.get("litellm_params") or {}
    price_in, price_out = _price(params, "input_cost_per_token"), _price(params, "output_cost_per_token")
    if price_in is None or price_out is None:
        return None
    read = _stated(_price(params, "cache_read_input_token_cost"), price_in)
    write = _stated(_price(params, "cache_creation_input_token_cost"), price_in)
    reasoning = _stated(_price(params, "output_cost_per_reasoning_token"), price_out)
    plain_in = max(tokens.input - tokens.cache_read - tokens.cache_write, 0)
    plain_out = max(tokens.output - tokens.reasoning, 0)
    return float(
        plain_in * price_in
        + tokens.cache_read * read
        + tokens.cache_write * write
        + plain_out * price_out
        + tokens.reasoning * reasoning
    )


def is_tiered(body: dict[str, Any]) -> bool:
    return bool((body.get("litellm_params") or {}).get("tiered_pricing"))


def _stated(price: float | None, otherwise: float) -> float:
    """A price of 0 is a price; only an unstated one falls back."""
    return otherwise if price is None else price


def _price(params: dict[str, Any], key: str) -> float | None:
    value = params.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        return float(value)
    except ValueError:
        return None
