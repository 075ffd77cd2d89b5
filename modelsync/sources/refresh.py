"""Refresh stale catalogs: fetch, prove the response is a catalog, then replace the cache."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from ..catalog import Catalog, Document
from ..errors import CacheError, CatalogError, FetchError, GenerateError
from ..settings import Settings, secret
from . import cache
from .fetch import Fetcher, Response
from .normalisers import NORMALISERS
from .paging import fetch_all_pages
from .providers import Provider

log = logging.getLogger("modelsync")


@dataclass(frozen=True)
class Outcome:
    """What happened to one provider's catalog during a refresh."""

    provider: str
    status: str  # fetched, not-modified, fresh, fallback, no-key
    detail: str = ""
    seconds: float = 0.0
    size: int = 0
    catalog: Catalog | None = None  # what was fetched, normalised, when the fetch succeeded


def is_stale(provider: Provider, cache_dir: Path, now: datetime, window: timedelta) -> bool:
    """Whether any document of the provider's catalog is missing or older than the window."""
    for name in provider.urls():
        when = cache.fetched_at(cache_dir, name)
        if when is None or now - when > window:
            return True
    return False


Progress = Callable[[str, "Outcome | None"], None]  # (provider, None) on start, (provider, outcome) at the end


def refresh(
    providers: list[Provider],
    settings: Settings,
    cache_dir: Path,
    client: httpx.Client,
    now: datetime,
    force: bool = False,
    store: bool = True,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Refresh every stale provider at once; a failed one falls back to its cache.

    With `store`, good catalogs replace the cache; without (a dry run) they are only returned.
    """
    tell = progress or (lambda provider, outcome: None)
    window = timedelta(hours=settings.freshness_hours)
    due = [p for p in providers if force or is_stale(p, cache_dir, now, window)]
    fresh = [
        Outcome(p.name, "fresh", _age_of(p, cache_dir, now) if progress else "") for p in providers if p not in due
    ]
    for outcome in fresh:
        tell(outcome.provider, outcome)
    if not due:
        return fresh

    def one(provider: Provider) -> Outcome:
        tell(provider.name, None)
        outcome = _refresh_one(provider, settings, cache_dir, client, now, store)
        tell(provider.name, outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=min(len(due), 16)) as pool:
        done = list(pool.map(one, due))
    return fresh + done


def _age_of(provider: Provider, cache_dir: Path, now: datetime) -> str:
    ages = [cache.fetched_at(cache_dir, name) for name in provider.urls()]
    return f"cached {describe_age(now - min(a for a in ages if a))}" if all(ages) else ""


def _refresh_one(
    provider: Provider, settings: Settings, cache_dir: Path, client: httpx.Client, now: datetime, store: bool
) -> Outcome:
    started = time.monotonic()
    key_headers = _key_headers(provider)
    if key_headers is None:
        env = provider.listing_key.env if provider.listing_key else "its key"
        return _fallback(
            provider,
            cache_dir,
            now,
            "no-key",
            FetchError(
                f"{provider.name}: not fetched, {env} is not set", f"set {env} in the environment or .env to refresh it"
            ),
        )
    fetcher = Fetcher(client, settings, provider.name, key_headers)
    urls = provider.urls()
    try:
        with ThreadPoolExecutor(max_workers=len(urls)) as pool:  # a provider's documents at once, too
            fetched = pool.map(
                lambda item: fetch_all_pages(fetcher, provider, item[1], _validators(cache_dir, item[0])), urls.items()
            )
            responses = dict(zip(urls, fetched, strict=True))
        docs = [_document(cache_dir, name, response) for name, response in responses.items()]
        catalog = NORMALISERS[provider.normaliser](provider.name, docs)
        if not catalog.offers:
            raise CatalogError(f"{provider.name}: the catalog lists no models", "the provider may be having trouble")
    except (FetchError, CatalogError, CacheError) as exc:
        return _fallback(provider, cache_dir, now, "fallback", exc)
    size = sum(len(r.raw) for r in responses.values())
    if store:
        for name, response in responses.items():
            _store(cache_dir, name, response, now)
    status = "not-modified" if all(r.not_modified for r in responses.values()) else "fetched"
    return Outcome(provider.name, status, f"{len(catalog.offers)} models", time.monotonic() - started, size, catalog)


def _key_headers(provider: Provider) -> dict[str, str] | None:
    """Headers carrying the listing key; None when a required key is missing."""
    spec = provider.listing_key
    if spec is None:
        return {}
    key = secret(spec.env)
    if key is None:
        return None if spec.required else {}
    value = key.get_secret_value()
    return {spec.header: f"{spec.scheme} {value}" if spec.scheme else value}


def _validators(cache_dir: Path, name: str) -> dict[str, str]:
    """Conditional-request headers from the last fetch, so an unchanged catalog costs a 304."""
    meta = cache.read_meta(cache_dir, name)
    headers = {}
    if meta and meta.etag:
        headers["If-None-Match"] = meta.etag
    if meta and meta.last_modified:
        headers["If-Modified-Since"] = meta.last_modified
    return headers


def _document(cache_dir: Path, name: str, response: Response) -> Document:
    """The response as a parsed document; a 304 stands for the cached body."""
    if response.not_modified:
        doc = cache.read(cache_dir, name)
        if doc is None:
            raise FetchError(f"{name}: the server said 304 Not Modified but nothing is cached", "run with --refresh")
        return doc
    provider = name.split(".")[0]
    try:
        body = cache.parse(response.raw, name, cache.redact_url(response.url))
    except CacheError as exc:
        raise FetchError(f"{provider}: {exc.what}", "the provider sent something that is not a catalog") from None
    return Document(name, cache.redact_url(response.url), body)


def _store(cache_dir: Path, name: str, response: Response, now: datetime) -> None:
    if response.not_modified:
        meta = cache.read_meta(cache_dir, name)
        if meta:
            cache.touch(cache_dir, name, cache.Meta(meta.url, now, meta.sha256, meta.etag, meta.last_modified))
        return
    cache.write(cache_dir, name, response.raw, response.url, response.headers, now)


def _fallback(provider: Provider, cache_dir: Path, now: datetime, status: str, error: GenerateError) -> Outcome:
    """Use the cached catalog after a failed or impossible fetch; without one, stop with exit 2."""
    ages = [cache.fetched_at(cache_dir, name) for name in provider.urls()]
    if any(age is None for age in ages):
        raise FetchError(
            f"{error.what}, and there is no cached catalog to fall back on",
            f"{error.fix}; or save the catalog to {cache.body_path(cache_dir, provider.name)}",
        )
    oldest = min(a for a in ages if a is not None)
    detail = f"{error.what}; using the cached catalog from {describe_age(now - oldest)}"
    log.warning("%s — %s", detail, error.fix)
    return Outcome(provider.name, status, detail)


def describe_age(age: timedelta) -> str:
    """A cache's age in words: `5 minutes ago`, `3 hours ago`, `12 days ago`."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' * (count != 1)} ago"
    return "just now"
