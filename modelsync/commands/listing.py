"""`--list PROVIDER [GLOB]`: a provider's cached catalog as a table, to find ids for overrides.yaml."""

from __future__ import annotations

import difflib
from fnmatch import fnmatchcase

from ..core.catalog import Offer
from ..core.errors import InputError
from ..core.paths import Paths
from ..model.groups import resolve
from ..model.merge import Merged, merge_provider
from ..model.overrides import Overrides
from ..pipeline import Inputs, load_inputs
from ..sources.driver import Sources
from ..sources.store import Store
from .listing_filters import Filters

HEADER = ("id", "kind", "in $/M", "out $/M", "context", "prices from", "selected")


def list_catalog(paths: Paths, provider_name: str, pattern: str = "*", filters: Filters | None = None) -> str:
    """One row per model of the provider's cached catalog whose id matches `pattern` and the filters."""
    filters = filters or Filters()
    inputs = load_inputs(paths)
    provider = inputs.providers.get(provider_name)
    if provider is None:
        close = difflib.get_close_matches(provider_name, inputs.providers, n=1)
        raise InputError(
            f"list {provider_name}: unknown provider",
            f"{f'did you mean {close[0]!r}? ' if close else ''}known providers: {', '.join(sorted(inputs.providers))}",
        )
    store = Sources(paths.cache_dir).store
    catalog = store.catalog(provider)
    merged = Merged([])
    if provider_name in inputs.overrides.enabled():
        merge_provider(provider, _with_groups(inputs, store), catalog, merged)
    names: dict[str, list[str]] = {}
    for deployment in merged.deployments:
        names.setdefault(deployment.model_id or "", []).append(deployment.model_name)
    skipped = dict(merged.skipped.get(provider_name, []))
    rows = [
        _row(offer, provider_name, names.get(offer.id), skipped.get(offer.id))
        for offer in sorted(catalog.offers, key=lambda o: o.id)
        if fnmatchcase(offer.id, pattern) and filters.keep(offer)
    ]
    if filters == Filters():  # entries that are not models only show when nothing is filtered
        rows += [
            (skip.id, "-", "-", "-", "-", "-", f"skipped: {skip.reason}")
            for skip in catalog.skipped
            if fnmatchcase(skip.id, pattern)
        ]
    return table([HEADER, *rows]) + f"\n{len(rows)} of {len(catalog.offers) + len(catalog.skipped)} models\n"


def _with_groups(inputs: Inputs, store: Store) -> Overrides:
    """overrides with its bare ids resolved, so a group's members show as selected."""
    overrides = inputs.overrides
    if not overrides.groups():
        return overrides
    catalogs = {name: store.catalog(inputs.providers[name]) for name in sorted(overrides.enabled())}
    return resolve(overrides, catalogs).overrides


def _row(offer: Offer, provider: str, names: list[str] | None, skip_reason: str | None) -> tuple[str, ...]:
    selected = f"yes: {', '.join(sorted(set(names)))}" if names else f"skipped: {skip_reason}" if skip_reason else "no"
    return (
        offer.id,
        offer.mode,
        per_million(offer.input_cost, offer),
        per_million(offer.output_cost, offer),
        f"{offer.max_input_tokens:,}" if offer.max_input_tokens else "-",
        _source(offer, provider),
        selected,
    )


def per_million(cost: float | None, offer: Offer) -> str:
    if cost is None:
        return "?" if offer.price_problem else "-"
    return "free" if cost == 0 else f"{cost * 1_000_000:.4g}"


def _source(offer: Offer, provider: str) -> str:
    if offer.price_problem:
        return "-"
    if offer.input_cost is None:
        return "unpriced (LiteLLM's map)"  # LiteLLM bills it from its bundled map unless costs are pinned
    return offer.price_source or provider


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] for row in rows
    )
