"""Pins: the values overrides.yaml sets over a catalog's, every price dimension checked by its LiteLLM key."""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import ConfigDict, Field, model_validator

from ..core.prices import BY_KEY, DIMENSIONS, MOST_PER_TOKEN, TIERS_KEY, TOKEN, WINDOWS_KEY, per_unit_label
from ..core.schema import Strict
from ..core.secrets import refuse_literals

Tokens = Annotated[int, Field(gt=0)]
PIN_KEYS = tuple(d.key for d in DIMENSIONS)  # every price dimension, by its LiteLLM key
COST_KEYS = (*PIN_KEYS, TIERS_KEY, WINDOWS_KEY)  # every key that carries a price: pinned, never a param


def refuse_cost_params(params: dict[str, Any]) -> dict[str, Any]:
    """Costs belong under `pin`, where they are validated and win over the catalog."""
    misplaced = [key for key in COST_KEYS if key in params]
    if misplaced:
        raise ValueError(
            f"{', '.join(misplaced)} is a cost — put it under `pin:` (next to params), where it wins over the catalog's"
        )
    return refuse_literals(params)


class Pin(Strict):
    """Values that win over the catalog's: limits, and a price for any dimension by its LiteLLM key.

    Price keys are checked against the table in prices.py (not declared as fields, which would make
    pydantic build a validator per dimension on every start), so a new row is pinnable as it lands.
    """

    model_config = ConfigDict(extra="allow", frozen=True)

    max_input_tokens: Tokens | None = None
    max_output_tokens: Tokens | None = None

    @model_validator(mode="before")
    @classmethod
    def _prices(cls, values: Any) -> Any:
        if not isinstance(values, dict):
            return values
        return {key: value if key in cls.model_fields else _price(str(key), value) for key, value in values.items()}

    def costs_both(self) -> bool:
        """Whether the pins alone price a model: input and output per token, or (rerank) per query."""
        extra = self.__pydantic_extra__ or {}
        return ("input_cost_per_token" in extra and "output_cost_per_token" in extra) or "input_cost_per_query" in extra


def _price(key: str, value: Any) -> float:
    """A pinned price, checked: a known dimension, a number, 0 or more, and per token when it says so."""
    dimension = BY_KEY.get(key)
    if dimension is None:
        allowed = ", ".join(("max_input_tokens", "max_output_tokens", *PIN_KEYS))
        raise ValueError(f"unknown key {key!r} — use one of: {allowed}")
    number = _number(value)
    if number is None:
        raise ValueError(f"{key}: {value!r} is not a price — write a number of USD per {dimension.unit}")
    if number < 0:
        raise ValueError(f"{key}: should be 0 or more, not {value!r} — fix that value in overrides.yaml")
    if dimension.unit == TOKEN and number > MOST_PER_TOKEN:
        raise ValueError(
            f"{key}: {number:g} is USD per token, which would be ${number * 1e6:,.0f} per million tokens; "
            f"it looks like a price per million — write {number / 1e6:.6g} "
            f"(LiteLLM's unit is USD per token, not {per_unit_label(TOKEN)})"
        )
    return number


def _number(value: Any) -> float | None:
    """A finite number, also from text such as `1e-06` (which YAML 1.1 reads as a string)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None
