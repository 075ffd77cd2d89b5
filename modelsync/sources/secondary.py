"""A provider's secondary documents (OpenRouter's embeddings list): one that fails leaves the rest standing.

The main list decides whether a provider refreshed. A secondary document that cannot be fetched
or read keeps its cached copy (with none cached, the models it lists are left out until it can
be fetched), and the warning names that document's file and URL, never the main list's.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from ..core.catalog import Catalog
from ..core.errors import CatalogError, GenerateError
from . import cache, layout
from .providers import Provider
from .store import Store


def failed(store: Store, name: str) -> None:
    """A secondary document this run could not use: the refresh's warning says so, the store need not."""
    store.said_missing.add(name)


def catalog(provider: Provider, store: Store, fetched: MutableMapping[str, Any]) -> Catalog:
    """The provider's catalog; a fetched secondary document it cannot read goes back to its cached copy."""
    try:
        return store.catalog(provider)
    except CatalogError as exc:
        fresh = [name for name in provider.secondary_urls() if not isinstance(fetched.get(name, exc), GenerateError)]
        if not fresh:
            raise
        for name in fresh:  # if the main list was at fault, the second try says so
            store.forget(name)
            failed(store, name)
            fetched[name] = CatalogError(exc.what, exc.fix)
        return store.catalog(provider)


def failures(provider: Provider, fetched: MutableMapping[str, Any], store: Store, now: datetime) -> str:
    """One sentence per secondary document this run could not use: what failed, and what stands instead."""
    said = []
    for name in provider.secondary_urls():
        error = fetched.get(name)
        if not isinstance(error, GenerateError):
            continue
        path, when = layout.body_path(store.cache_dir, name), store.fetched_at(name)
        stands = (
            f"kept the cached {path} from {cache.describe_age(now - when)}"
            if when
            else f"nothing is cached at {path}, so the models it lists are left out until it can be fetched"
        )
        said.append(f"{error.what} — {provider.name}'s main list was refreshed; {stands}")
    return "; ".join(said)
