"""A refresh's requests: which documents to fetch, each once, and what came back, parsed as it arrives."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.catalog import Document
from ..core.errors import CacheError, FetchError, GenerateError
from ..core.parallel import Running
from ..core.secrets import redact_url
from ..core.settings import Settings, secret
from . import cache
from .fetch import Fetcher, Response
from .litellm_map import DOCUMENT as LITELLM_DOC
from .litellm_map import LABEL as LITELLM_LABEL
from .models_dev import DOCUMENT as MODELS_DEV_DOC
from .paging import fetch_all_pages
from .providers import Provider
from .store import Store

if TYPE_CHECKING:
    import httpx

SHARED_NAMES = {MODELS_DEV_DOC: "models.dev", LITELLM_DOC: LITELLM_LABEL}  # a shared document, in messages


@dataclass(frozen=True)
class Job:
    """One document to fetch: its URL, and the provider whose key and headers it needs (None if shared)."""

    name: str
    url: str
    owner: Provider | None


@dataclass(frozen=True)
class Arrival:
    """A fetched document: the response, and its body parsed in the fetch's own thread."""

    response: Response
    document: Document | None  # None when the cached copy stands: a 304, or the very bytes cached
    unchanged: bool  # the cached bytes and validators again: nothing to store
    confirms: str = ""  # the sha256 of the cached body it found still current (304 or the same bytes)


def jobs_of(due: list[Provider], keys: dict[str, dict[str, str] | None]) -> list[Job]:
    """Every document the due providers need, each once; own lists only where the key is there."""
    jobs: dict[str, Job] = {}
    for provider in due:
        if keys[provider.name] is not None:
            jobs.update({name: Job(name, url, provider) for name, url in provider.own_urls().items()})
        for name, url in provider.shared_urls().items():
            jobs.setdefault(name, Job(name, url, None))
    return list(jobs.values())


def start_fetches(
    jobs: list[Job], keys: dict[str, dict[str, str] | None], settings: Settings, store: Store, client: httpx.Client
) -> Running[tuple[str, Arrival | GenerateError]]:
    """Fetch every document at once, the largest first; a failure is kept as the error, to fall
    back on later.

    The threads read cache/ but write nothing and touch no state of `store`: the caller's thread
    goes on using it meanwhile.
    """
    fetchers: dict[str, Fetcher] = {}
    for job in jobs:  # one deadline per provider, and one per shared document
        who = job.owner.name if job.owner else job.name
        if who not in fetchers:
            label = job.owner.name if job.owner else SHARED_NAMES.get(job.name, job.name)
            fetchers[who] = Fetcher(client, settings, label, (keys[who] or {}) if job.owner else {})

    def one(job: Job) -> tuple[str, Arrival | GenerateError]:
        cached = cache.read_meta(store.cache_dir, job.name)
        try:
            if job.owner is None:
                response = fetchers[job.name].get(job.url, _validators(cached))
            else:
                response = fetch_all_pages(fetchers[job.owner.name], job.owner, job.url, _validators(cached))
            return job.name, _arrived(job.name, response, cached)
        except FetchError as exc:
            return job.name, exc

    # The largest download is likely the slowest: its request goes first.
    return Running(one, sorted(jobs, key=lambda job: -cache.size(store.cache_dir, job.name)))


def _arrived(name: str, response: Response, cached: cache.Meta | None) -> Arrival:
    """The response with its body parsed, unless it is what the cache holds already."""
    if response.not_modified:
        return Arrival(response, None, unchanged=True, confirms=cached.sha256 if cached else "")
    if cached is not None and cached.sha256 == hashlib.sha256(response.raw).hexdigest():
        validators = (response.headers.get("etag"), response.headers.get("last-modified"))
        unchanged = validators == (cached.etag, cached.last_modified)
        return Arrival(response, None, unchanged, confirms=cached.sha256 if unchanged else "")
    provider = SHARED_NAMES.get(name, name.split(".")[0])
    try:
        body = cache.parse(response.raw, name, redact_url(response.url))
    except CacheError as exc:
        raise FetchError(f"{provider}: {exc.what}", "the provider sent something that is not a catalog") from None
    return Arrival(response, Document(name, redact_url(response.url), body), unchanged=False)


def key_headers(provider: Provider) -> dict[str, str] | None:
    """Headers carrying the listing key; None when a required key is missing."""
    spec = provider.listing_key
    if spec is None:
        return {}
    key = secret(spec.env)
    if key is None:
        return None if spec.required else {}
    value = key.get_secret_value()
    return {spec.header: f"{spec.scheme} {value}" if spec.scheme else value}


def _validators(cached: cache.Meta | None) -> dict[str, str]:
    """Conditional-request headers from the last fetch, so an unchanged catalog costs a 304."""
    headers = {}
    if cached and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers
