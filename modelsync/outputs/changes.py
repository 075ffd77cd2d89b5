"""What changed in one value: a field's old and new, found by comparing two deployments or two settings sections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..core.prices import BY_KEY, QUERY, SEARCH_SIZES, TIERS_KEY, WINDOWS_KEY, price_of, shown
from ..core.secrets import mask_at
from .render import scalar

SECTIONS = ("router_settings", "litellm_settings", "general_settings")  # the usual ones; any other passes too


class _Absent:
    def __repr__(self) -> str:
        return "<absent>"


ABSENT = _Absent()


@dataclass(frozen=True)
class FieldChange:
    """One value that changes; secrets in it are masked on the way in, so no report form can show them."""

    path: str
    old: Any
    new: Any

    def __post_init__(self) -> None:
        object.__setattr__(self, "old", _masked(self.path, self.old))
        object.__setattr__(self, "new", _masked(self.path, self.new))

    @property
    def kind(self) -> str:
        return "added" if self.old is ABSENT else "removed" if self.new is ABSENT else "changed"

    @property
    def unit(self) -> str | None:
        """The unit of the price this path holds (token, image, request, query), or None."""
        return price_unit(self.path)

    def percent(self) -> float | None:
        """The relative move of a price, in percent; None for anything else."""
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (self.old, self.new))
        if not numbers or self.unit is None or not self.old:
            return None
        return float((self.new - self.old) / self.old * 100)

    def shown(self, value: Any) -> str:
        """A value as the report writes it: prices in USD per million tokens (or per unit)."""
        unit, key = self.unit, self.path.replace("[", ".").split(".")[-1]
        number = price_of(key, value) if unit is not None else None
        if number is not None and unit is not None:
            return shown(number, unit)
        if key == TIERS_KEY and isinstance(value, list):
            return "; ".join(_tier_text(tier) for tier in value)
        return _show(value)

    def describe(self) -> str:
        if self.old is ABSENT:
            dimension = BY_KEY.get(self.path)
            why = (
                f" (LiteLLM will not bill it as stated: {dimension.unbilled})"
                if dimension and dimension.unbilled
                else ""
            )
            return f"{self.path}: added {self.shown(self.new)}{why}"
        if self.new is ABSENT:
            return f"{self.path}: removed (was {self.shown(self.old)})"
        percent = self.percent()
        return f"{self.path}: {self.shown(self.old)} → {self.shown(self.new)}" + (
            "" if percent is None else f" ({percent:+.3g}%)"
        )


def _tier_text(tier: Any) -> str:
    if not isinstance(tier, dict):
        return _show(tier)
    low, high = (tier.get("range") or [0, 0])[:2]
    prices = ", ".join(f"{BY_KEY[k].label} {shown(float(v), BY_KEY[k].unit)}" for k, v in tier.items() if k in BY_KEY)
    return f"{'up to ' + format(high, ',') if not low else 'above ' + format(low, ',')} tokens: {prices}"


def price_unit(path: str) -> str | None:
    """The unit of a report path that holds one price: a flat key, a tier's, a window's, a search size."""
    parts = path.replace("[", ".").replace("]", "").split(".")
    if parts[-1] in SEARCH_SIZES and BY_KEY["search_context_cost_per_query"].key in parts:
        return QUERY
    dimension = BY_KEY.get(parts[-1])
    if dimension is None or (len(parts) > 1 and parts[0] not in (TIERS_KEY, WINDOWS_KEY)):
        return None
    return dimension.unit


def field_changes(old: Any, new: Any) -> tuple[FieldChange, ...]:
    """Every leaf that differs, numbers compared to 9 significant digits so float noise is no change."""
    from deepdiff import DeepDiff  # only when something differs: --check's happy path never pays for it

    diff = DeepDiff(old, new, significant_digits=9, number_format_notation="e", view="tree")
    found = []
    for kind, levels in diff.tree.items():
        for level in levels:
            old_value = ABSENT if "added" in kind else level.t1
            new_value = ABSENT if "removed" in kind else level.t2
            found.append(FieldChange(_path(level.path(output_format="list")), old_value, new_value))
    return tuple(sorted(_one_search_price(found), key=lambda c: c.path))


def _one_search_price(found: list[FieldChange]) -> list[FieldChange]:
    """A web search price is one price written three times (per search context size): say it once."""
    sizes = [c for c in found if c.path.rpartition(".")[2] in SEARCH_SIZES]
    by_price: dict[str, set[tuple[Any, Any]]] = {}
    for change in sizes:
        by_price.setdefault(change.path.rpartition(".")[0], set()).add((change.old, change.new))
    same = {path: moves.pop() for path, moves in by_price.items() if len(moves) == 1}
    kept = [c for c in found if c.path.rpartition(".")[0] not in same or c not in sizes]
    return kept + [FieldChange(path, old, new) for path, (old, new) in same.items()]


def settings_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[FieldChange]:
    """What changed in the top-level sections; a section that appears or goes is one change."""
    changes: list[FieldChange] = []
    names = [n for n in [*SECTIONS, *sorted(set(old) | set(new))] if n != "model_list"]
    for name in dict.fromkeys(names):
        before, after = old.get(name), new.get(name)
        if before is None or after is None:
            if before != after:
                changes.append(
                    FieldChange(name, ABSENT if before is None else before, ABSENT if after is None else after)
                )
            continue
        if before != after and not (isinstance(before, dict) and isinstance(after, dict)):
            changes.append(FieldChange(name, before, after))  # a list or scalar section: one change
        elif before != after:
            changes += [FieldChange(f"{name}.{c.path}", c.old, c.new) for c in field_changes(before, after)]
    return changes


def _path(parts: list[Any]) -> str:
    """`litellm_params.input_cost_per_token`, with the section dropped where it adds nothing."""
    if parts and parts[0] in ("litellm_params", "model_info") and len(parts) > 1:
        parts = parts[1:]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(whole value)"


def _masked(path: str, value: Any) -> Any:
    return value if value is ABSENT else mask_at(path, value)


def _show(value: Any) -> str:
    return scalar(value) if not isinstance(value, (dict, list)) else repr(value)
