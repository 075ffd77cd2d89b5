"""The one owner of cache/ and the normalised memo: ask it for a provider's catalog and its age.

A document is read, hashed and parsed at most once per run however many providers read it
(models.dev's api.json serves many), and a catalog whose documents and code are unchanged is
recalled from the memo instead of normalised again. Documents fetched in this run but not yet
stored (a dry run, or a refresh still checking them) are laid over the cache with `use`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..core.catalog import Catalog, Document
from ..core.errors import CacheError
from ..core.files import WriteError
from ..core.secrets import redact_url
from . import cache, layout, memo
from .models_dev import DOCUMENT as MODELS_DEV_DOC
from .models_dev import catalog as models_dev_catalog
from .models_dev import check_document, price_listed
from .normalisers import NORMALISERS
from .providers import MODELS_DEV, Provider

log = logging.getLogger("modelsync")


class Store:
    """cache/ (documents as sent, with their metadata) and cache/.normalised/ (the memo)."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self._raw: dict[str, bytes | None] = {}
        self._sources: dict[str, str] = {}  # cache name → where its bytes came from, for messages
        self._digests: dict[str, str] = {}
        self._parsed: dict[str, Document] = {}
        self._laid: set[str] = set()  # documents fetched in this run, laid over the cached ones
        self._catalogs: dict[str, Catalog] = {}
        self._fresh: dict[str, tuple[str, Catalog]] = {}  # normalised afresh: memo key, catalog
        self._confirmed: dict[str, tuple[str, datetime]] | None = None  # cache/.confirmed.json, once read
        self._absent: dict[str, str] = {}  # secondary documents missing from cache/: what that costs
        self.said_missing: set[str] = set()  # secondary documents a refresh warning named already

    # --- documents -----------------------------------------------------------------------

    def raw(self, name: str) -> bytes | None:
        """A document's bytes (fetched this run, else cached), or None when there are none."""
        if name not in self._raw:
            self._raw[name] = cache.read_bytes(self.cache_dir, name)
            self._sources[name] = str(layout.body_path(self.cache_dir, name))
        return self._raw[name]

    def digest(self, name: str) -> str:
        if name not in self._digests:
            self._digests[name] = hashlib.sha256(self.raw(name) or b"").hexdigest()
        return self._digests[name]

    def document(self, name: str) -> Document | None:
        """A document, parsed once per run; None when it is neither fetched nor cached."""
        if name not in self._parsed:
            raw = self.raw(name)
            if raw is None:
                return None
            self._parsed[name] = Document(name, self._sources[name], cache.parse(raw, name, self._sources[name]))
        return self._parsed[name]

    def use(self, name: str, raw: bytes, source: str, parsed: Document | None = None) -> None:
        """Lay a document fetched in this run over the cached one, for every reader of it."""
        self._raw[name], self._sources[name] = raw, source
        self._laid.add(name)
        self._digests.pop(name, None)
        self._parsed.pop(name, None)
        if parsed is not None:
            self._parsed[name] = parsed
        self._catalogs.clear()

    def release(self) -> None:
        """Let go of every parsed document, and of the bytes of those still as cached: the catalogs
        made from them are what a run goes on with, and a later reader reads and parses again. At
        200,000 models they are half the memory. What this run fetched stays (a dry run stores none)."""
        self._parsed.clear()
        for name in [n for n in self._raw if n not in self._laid]:
            del self._raw[name]

    def forget(self, name: str) -> None:
        """Drop what `use` laid over the cache: back to the cached bytes."""
        for held in (self._raw, self._sources, self._digests, self._parsed):
            held.pop(name, None)
        self._laid.discard(name)
        self._catalogs.clear()

    def fetched_at(self, name: str) -> datetime | None:
        """When the cached document's content was fetched (its age in messages)."""
        return cache.fetched_at(self.cache_dir, name)

    def checked_at(self, name: str) -> datetime | None:
        """When the cached document was last known current: fetched, or found unchanged since.

        What freshness is judged by; a confirmation counts only for the very bytes it confirmed.
        """
        meta = cache.read_meta(self.cache_dir, name)  # read (and the body hashed) once
        if meta is None:
            return cache.file_time(self.cache_dir, name)
        if self._confirmed is None:
            self._confirmed = cache.confirmed(self.cache_dir)
        sha, at = self._confirmed.get(name, ("", None))
        return at if at and sha == meta.sha256 and at > meta.fetched_at else meta.fetched_at

    def oldest(self, provider: Provider) -> datetime | None:
        """When the oldest document a provider needs was fetched; None when one is missing."""
        return self._earliest(provider, self.fetched_at)

    def last_checked(self, provider: Provider) -> datetime | None:
        """When every document a provider needs was last known current; None when one is missing."""
        return self._earliest(provider, self.checked_at)

    def _earliest(self, provider: Provider, when: Callable[[str], datetime | None]) -> datetime | None:
        """The earliest time among a provider's documents; None when a document it cannot do without is missing."""
        needed = provider.urls() if provider.normaliser == MODELS_DEV else provider.own_urls()
        ages = {name: when(name) for name in needed}
        if any(at is None for name, at in ages.items() if name not in provider.secondary_urls()):
            return None
        return min(at for at in ages.values() if at is not None)

    # --- catalogs ------------------------------------------------------------------------

    def catalog(self, provider: Provider) -> Catalog:
        """A provider's catalog, normalised, or recalled when nothing that made it has changed."""
        catalog = self._catalog(provider, or_normalise=True)
        assert catalog is not None
        return catalog

    def remembered(self, provider: Provider) -> Catalog | None:
        """The catalog when the memo holds it for the documents as they are; None rather than normalise.

        What a refresh recalls while it waits: cheap, and kept if the same bytes come back.
        """
        return self._catalog(provider, or_normalise=False)

    def _catalog(self, provider: Provider, or_normalise: bool) -> Catalog | None:
        if provider.name in self._catalogs:
            return self._catalogs[provider.name]
        names = self._read_by(provider)
        made_from = memo.key(
            f"{provider.name}\0{provider.models_dev or ''}",
            provider.normaliser,
            [(name, self.digest(name).encode()) for name in names],
        )
        catalog = memo.recall(self.cache_dir, provider.name, made_from)
        if catalog is None and not or_normalise:
            return None
        self._fresh.pop(provider.name, None)  # made from documents since forgotten, if any
        if catalog is None:
            catalog = normalise(provider, {name: self._needed(provider, name) for name in names})
            self._fresh[provider.name] = (made_from, catalog)
        self._catalogs[provider.name] = catalog
        return catalog

    def _read_by(self, provider: Provider) -> list[str]:
        """The documents a provider's catalog is made from: its own, and models.dev when it reads it."""
        names = [name for name in provider.own_urls() if self._secondary_there(provider, name)]
        if MODELS_DEV_DOC in provider.shared_urls() and (
            provider.normaliser == MODELS_DEV or self.raw(MODELS_DEV_DOC) is not None
        ):
            names.append(MODELS_DEV_DOC)  # an unpriced list without models.dev cached stays unpriced
        for name in names:
            if self.raw(name) is None:
                raise self._missing(provider, name)
        return names

    def _secondary_there(self, provider: Provider, name: str) -> bool:
        """Whether a document is there, or can be done without: a missing secondary one is noted for `absences`."""
        secondary = provider.secondary_urls()
        if name not in secondary or self.raw(name) is not None:
            return True
        self._absent[name] = (
            f"{provider.name}: {layout.body_path(self.cache_dir, name)} does not exist, so the models listed at "
            f"{redact_url(secondary[name])} are left out — run `python generate.py --provider {provider.name}` "
            "with network access, or save that document there"
        )
        return False

    def absences(self) -> list[str]:
        """A sentence per secondary document missing from cache/ that no refresh warning named already."""
        return [text for name, text in sorted(self._absent.items()) if name not in self.said_missing]

    def _needed(self, provider: Provider, name: str) -> Document:
        document = self.document(name)
        if document is None:
            raise self._missing(provider, name)
        return document

    def _missing(self, provider: Provider, name: str) -> CacheError:
        return CacheError(
            f"no cached catalog for {provider.name}: {layout.body_path(self.cache_dir, name)} does not exist",
            f"run `python generate.py --provider {provider.name}` with network access, or save the catalog there",
        )

    def remember(self) -> None:
        """Store the memo of every catalog normalised afresh (after a run that wrote its result).

        A cache folder we may not write only costs speed next time.
        """
        try:
            for made_from, catalog in self._fresh.values():
                memo.remember(self.cache_dir, catalog, made_from)
        except WriteError as exc:
            log.debug("normalised catalogs not stored: %s", exc)
        self._fresh.clear()


def normalise(provider: Provider, docs: dict[str, Document]) -> Catalog:
    """A provider's documents as its catalog: its own list, or models.dev's, priced from models.dev."""
    shared = docs.get(MODELS_DEV_DOC)
    if shared is not None:
        check_document(shared)
    if provider.normaliser == MODELS_DEV:
        assert shared is not None and provider.models_dev
        return models_dev_catalog(provider.name, shared, provider.models_dev)
    own = [doc for name, doc in docs.items() if name != MODELS_DEV_DOC]
    listed = NORMALISERS[provider.normaliser](provider.name, own)
    return price_listed(listed, shared, provider.models_dev) if provider.models_dev else listed
