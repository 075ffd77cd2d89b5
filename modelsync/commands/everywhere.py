"""`list --everywhere NAME`: which id every provider's cached catalog holds for one model, before you add it."""

from __future__ import annotations

from ..core.catalog import Catalog, Offer
from ..core.errors import CacheError
from ..core.paths import Paths
from ..model.groups import eligible_ids
from ..model.matching import Match, match_everywhere
from ..pipeline import load_inputs
from ..sources.driver import Sources
from ..sources.providers import Provider
from .listing import per_million, table

HEADER = ("provider", "id", "in $/M", "out $/M", "context", "how it matched")


def list_everywhere(paths: Paths, name: str) -> str:
    """Per provider with a cached catalog: the id a bare `name` would take, its price, and the near misses."""
    inputs = load_inputs(paths)
    catalogs, missing = _cached_catalogs(paths, inputs.providers)
    matches = match_everywhere(name, {provider: eligible_ids(catalog) for provider, catalog in catalogs.items()})
    in_use = inputs.overrides.enabled()
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for provider, found in matches.items():
        offers = catalogs[provider].by_id()
        use = "" if provider in in_use else " (not in use: list it under providers: to join)"
        rows += [_row(provider, offers[model_id], found, model_id, use) for model_id in found.members]
        if not found.members:
            rows.append((provider, "-", "-", "-", "-", "not sold" + use))
        notes += _notes(provider, found)
    text = table([HEADER, *rows]) + "\n"
    sold = sum(bool(m.members) for m in matches.values())
    text += f"{name}: sold by {sold} of {len(matches)} providers with a cached catalog\n"
    if missing:
        text += f"no cached catalog (not searched): {', '.join(missing)}\n"
    return text + ("\n" + "\n".join(notes) + "\n" if notes else "")


def _cached_catalogs(paths: Paths, providers: dict[str, Provider]) -> tuple[dict[str, Catalog], list[str]]:
    """Every provider's cached catalog, and the providers that have none."""
    catalogs, missing = {}, []
    store = Sources(paths.cache_dir).store
    for provider in sorted(providers):
        try:
            catalogs[provider] = store.catalog(providers[provider])
        except CacheError:
            missing.append(provider)
    return catalogs, missing


def _row(provider: str, offer: Offer, found: Match, model_id: str, use: str) -> tuple[str, ...]:
    how = found.rule if model_id == found.chosen else "its free variant, joins beside it"
    if model_id == found.chosen and found.ambiguous:
        how += f"; a tie, broken by {found.tie_rule}"
    return (
        provider,
        model_id,
        per_million(offer.input_cost, offer),
        per_million(offer.output_cost, offer),
        f"{offer.max_input_tokens:,}" if offer.max_input_tokens else "-",
        how + use,
    )


def _notes(provider: str, found: Match) -> list[str]:
    lines = [f"{provider}: {model_id} matched equally, not taken" for model_id in found.tied]
    lines += [f"{provider}: {r.id} rejected: {r.reason}" for r in found.rejected]
    return lines
