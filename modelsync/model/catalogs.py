"""The catalogs a render reads: every provider overrides.yaml uses, from the store.

A provider with nothing cached (offline, or a listing whose key is not set) need not stop the
run when every model overrides.yaml takes from it is named with both costs pinned, as `import`
writes a model its catalog could not confirm: those render from their pins, and the run says
once per provider how to fetch the catalog.
"""

from __future__ import annotations

from ..core.catalog import Catalog
from ..core.errors import CacheError
from ..sources.providers import Provider
from ..sources.store import Store
from .overrides import Overrides


def load_catalogs(providers: dict[str, Provider], overrides: Overrides, store: Store) -> dict[str, Catalog]:
    """Every enabled provider's catalog: what this run fetched, else the cache's, else none if pins suffice."""
    catalogs = {name: _catalog(providers[name], overrides, store) for name in sorted(overrides.enabled())}
    store.release()
    return catalogs


def _catalog(provider: Provider, overrides: Overrides, store: Store) -> Catalog:
    try:
        return store.catalog(provider)
    except CacheError:
        cached = any(store.raw(name) is not None for name in provider.own_urls())
        if cached or not renders_from_pins(provider.name, overrides):
            raise  # a damaged cache, or a model that needs the catalog: the error says how to get it
        return Catalog(provider.name, (), cached=False)


def renders_from_pins(provider: str, overrides: Overrides) -> bool:
    """Whether every model overrides.yaml takes from `provider` is named with both costs pinned."""
    named = [ref for ref in overrides.models if ref.provider == provider]
    selection = overrides.providers.get(provider)
    globbed = selection is not None and bool(selection.include)
    return bool(named) and not globbed and all(ref.pin.costs_both() for ref in named)


def uncached_warnings(
    catalogs: dict[str, Catalog], providers: dict[str, Provider], warned: frozenset[str] = frozenset()
) -> list[str]:
    """One warning per provider rendered from pins alone, saying how to fetch its catalog.

    Not for those in `warned`: this run's refresh has said already why it has none, and how to fetch it.
    """
    warnings = []
    for name, catalog in sorted(catalogs.items()):
        if catalog.cached or name in warned:
            continue
        key = providers[name].listing_key
        needs = f" (with {key.env} set)" if key is not None and key.required else ""
        warnings.append(
            f"{name}: no catalog in cache/, so its models were rendered from their pinned costs — fetch it "
            f"with `python generate.py --provider {name}`{needs} to price and check them against the catalog"
        )
    return warnings
