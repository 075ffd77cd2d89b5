"""Refresh stale catalogs: fetch each document once, prove it is a catalog, then replace the cache.

A document several providers read (models.dev's api.json) is fetched once however many of them
are due, and a provider whose own list or shared document fails falls back to its cache alone.

`start` sends every request and returns at once, so the caller can do the work that does not need
the new catalogs while they are on their way; `Refreshing.finish` then waits, checks, normalises
and stores. Each body is parsed in its fetch's thread as it arrives, while slower ones still load;
the very bytes already cached are not parsed or checked again (they were when they were stored).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..core.catalog import Catalog, Document
from ..core.errors import CacheError, CatalogError, FetchError, GenerateError
from ..core.files import WriteError
from ..core.parallel import Running
from ..core.secrets import redact_url
from ..core.settings import Settings, secret
from . import cache, secondary
from .cache import describe_age
from .fetch import Fetcher, Response
from .litellm_map import DOCUMENT as LITELLM_DOC
from .litellm_map import LABEL as LITELLM_LABEL
from .litellm_map import check_map
from .models_dev import DOCUMENT as MODELS_DEV_DOC
from .models_dev import check_document
from .paging import fetch_all_pages
from .providers import Provider
from .store import Store

if TYPE_CHECKING:
    import httpx

log = logging.getLogger("modelsync")
SHARED_NAMES = {MODELS_DEV_DOC: "models.dev", LITELLM_DOC: LITELLM_LABEL}  # a shared document, in messages
# How a shared document is proved to be what it should be before it replaces the cache.
SHARED_CHECKS: dict[str, Callable[[Document], None]] = {MODELS_DEV_DOC: check_document, LITELLM_DOC: check_map}


@dataclass(frozen=True)
class Outcome:
    """What happened to one provider's catalog (or one shared document) during a refresh."""

    provider: str
    status: str  # fetched, not-modified, fresh, fallback, no-key
    detail: str = ""
    seconds: float = 0.0
    size: int = 0
    catalog: Catalog | None = None  # what was fetched, normalised, when the fetch succeeded
    warning: str = ""  # why the cache was used instead


def nothing_refreshed(outcomes: list[Outcome]) -> bool:
    """Whether providers were due and not one of them could be fetched (every one fell back to its cache)."""
    due = [o for o in outcomes if o.status != "fresh"]
    return bool(due) and not any(o.status in ("fetched", "not-modified") for o in due)


@dataclass(frozen=True)
class _Job:
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


Progress = Callable[[str, "Outcome | None"], None]  # (provider, None) on start, (provider, outcome) at the end
Fetched = dict[str, "Arrival | GenerateError"]
NeedCache = bool | frozenset[str]  # whether a failed fetch with nothing cached stops the run, or for whom


def is_stale(provider: Provider, store: Store, now: datetime, window: timedelta) -> bool:
    """Whether any document of the provider's catalog is missing or older than the window."""
    return any(_stale(store, name, now, window) for name in provider.urls())


@dataclass
class Refreshing:
    """A refresh whose requests are on their way; `finish` waits for them and uses what came."""

    due: list[Provider]
    fresh: list[Outcome]
    keys: dict[str, dict[str, str] | None]
    jobs: list[_Job]
    running: Running[tuple[str, Arrival | GenerateError]] | None
    store: Store
    now: datetime
    started: float
    write: bool
    tell: Progress
    need_cache: NeedCache

    def finish(self) -> list[Outcome]:
        """Wait for every fetch, then check, normalise and (with `write`) store what came."""
        if self.running is None:
            return self.fresh
        store, now, started = self.store, self.now, self.started
        fetched = dict(self.running.results())
        shared = _use_shared(self.jobs, fetched, store, now, started, self.tell)
        done = _normalise_due(self.due, self.keys, fetched, shared, store, now, started, self.need_cache)
        shared = [_refused(o, fetched) for o in shared]
        if self.write:
            _write(self.due, done, shared, fetched, store, now)
        for outcome in done:
            _say(outcome, self.tell)
        return self.fresh + shared + done


def start(
    providers: list[Provider],
    settings: Settings,
    store: Store,
    client: httpx.Client,
    now: datetime,
    force: bool = False,
    write: bool = True,
    progress: Progress | None = None,
    need_cache: NeedCache = True,
) -> Refreshing:
    """Send the requests of every stale provider and return while they are on their way;
    `.finish()` then waits and uses them. A failed provider falls back to its cache.

    Good documents are laid over the cache in `store` for this run; with `write` they replace the
    cache too (without, a dry run, they are only used). A failed provider with nothing cached stops
    the run, unless not `need_cache` (an import, which can do without it): then it is warned about.
    `need_cache` may also name the providers that need one (the others' models are pinned).
    """
    tell = progress or (lambda provider, outcome: None)
    window = timedelta(hours=settings.freshness_hours)
    due = [p for p in providers if force or is_stale(p, store, now, window)]
    fresh = [Outcome(p.name, "fresh", _age_of(p, store, now) if progress else "") for p in providers if p not in due]
    for outcome in fresh:
        tell(outcome.provider, outcome)
    keys = {p.name: _key_headers(p) for p in due}
    jobs = _jobs(due, keys)
    for provider in due:
        tell(provider.name, None)
    started = time.monotonic()
    running = _start_fetches(jobs, keys, settings, store, client) if due else None
    return Refreshing(due, fresh, keys, jobs, running, store, now, started, write, tell, need_cache)


def refresh_sources(
    urls: dict[str, str],
    settings: Settings,
    store: Store,
    client: httpx.Client,
    now: datetime,
    force: bool = False,
    progress: Progress | None = None,
) -> list[Outcome]:
    """Refresh shared documents that no provider run asked for (the audit's second sources)."""
    tell = progress or (lambda provider, outcome: None)
    window = timedelta(hours=settings.freshness_hours)
    due = {name: url for name, url in urls.items() if force or _stale(store, name, now, window)}
    jobs = [_Job(name, url, None) for name, url in due.items()]
    if not jobs:
        return []
    for job in jobs:
        tell(job.name, None)
    started = time.monotonic()
    fetched = dict(_start_fetches(jobs, {}, settings, store, client).results())
    shared = _use_shared(jobs, fetched, store, now, started, tell)
    _write([], [], shared, fetched, store, now)
    return shared


def _stale(store: Store, name: str, now: datetime, window: timedelta) -> bool:
    when = store.checked_at(name)
    return when is None or now - when > window


def _jobs(due: list[Provider], keys: dict[str, dict[str, str] | None]) -> list[_Job]:
    """Every document the due providers need, each once; own lists only where the key is there."""
    jobs: dict[str, _Job] = {}
    for provider in due:
        if keys[provider.name] is not None:
            jobs.update({name: _Job(name, url, provider) for name, url in provider.own_urls().items()})
        for name, url in provider.shared_urls().items():
            jobs.setdefault(name, _Job(name, url, None))
    return list(jobs.values())


def _start_fetches(
    jobs: list[_Job], keys: dict[str, dict[str, str] | None], settings: Settings, store: Store, client: httpx.Client
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

    def one(job: _Job) -> tuple[str, Arrival | GenerateError]:
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


def _use_shared(
    jobs: list[_Job], fetched: Fetched, store: Store, now: datetime, started: float, tell: Progress
) -> list[Outcome]:
    """Check each shared document and lay the good ones over the cache; warn once for a bad one."""
    outcomes = []
    for job in (j for j in jobs if j.owner is None):
        label = SHARED_NAMES.get(job.name, job.name)
        arrival = fetched[job.name]
        try:
            if isinstance(arrival, GenerateError):
                raise arrival
            if arrival.document is not None:
                SHARED_CHECKS.get(job.name, _any_document)(arrival.document)
            elif store.raw(job.name) is None:
                raise _nothing_cached(job.name)
        except (FetchError, CatalogError, CacheError) as exc:
            when, path = store.fetched_at(job.name), cache.body_path(store.cache_dir, job.name)
            age = f"using the cached copy {path} from {describe_age(now - when)}" if when else f"nothing is at {path}"
            detail = f"{exc.what}; {age}"
            outcomes.append(Outcome(job.name, "fallback", detail, warning=f"{detail} — {exc.fix}"))
            fetched[job.name] = exc  # for its readers too: not fetched
            continue
        if arrival.document is not None:
            store.use(job.name, arrival.response.raw, arrival.document.source, arrival.document)
        response = arrival.response
        status = "not-modified" if response.not_modified else "fetched"
        outcomes.append(Outcome(job.name, status, f"{label}, once", time.monotonic() - started, len(response.raw)))
    for outcome in outcomes:
        _say(outcome, tell)
    return outcomes


def _say(outcome: Outcome, tell: Progress) -> None:
    """An outcome's warning, then its progress line; from the caller's thread only."""
    if outcome.warning:
        log.warning("%s", outcome.warning)
    tell(outcome.provider, outcome)


def _refused(outcome: Outcome, fetched: Fetched) -> Outcome:
    """A shared document's outcome, saying so when a reader refused it after it was fetched."""
    response = fetched.get(outcome.provider)
    if isinstance(response, GenerateError) and outcome.status != "fallback":
        return Outcome(outcome.provider, "fallback", response.what)
    return outcome


def _any_document(doc: Document) -> None:
    """A shared document with no check of its own: being JSON is enough."""


def _normalise_due(
    due: list[Provider],
    keys: dict[str, dict[str, str] | None],
    fetched: Fetched,
    shared: list[Outcome],
    store: Store,
    now: datetime,
    started: float,
    need_cache: NeedCache = True,
) -> list[Outcome]:
    """Each due provider's catalog from what was fetched; a failure falls back to its cache.

    When a provider cannot read a fresh shared document, every reader goes back to the cached one,
    so no two providers of one run read two versions of it.
    """
    fresh_shared = {o.provider for o in shared if o.status == "fetched"}
    while True:
        results = [_one(p, keys[p.name], fetched, store, now, started, _needs(need_cache, p)) for p in due]
        rejected = {
            name
            for provider, (_, unreadable) in zip(due, results, strict=True)
            if unreadable
            for name in provider.shared_urls()
            if name in fresh_shared
        }
        if not rejected:
            return [outcome for outcome, _ in results]
        why = "; ".join(o.detail.partition("; using the cached")[0] for o, unreadable in results if unreadable)
        for name in sorted(rejected):
            log.warning(
                "%s: the fetched document was not used (%s); every provider reading it keeps the cached copy"
                " — the cache was left as it was",
                SHARED_NAMES.get(name, name),
                why,
            )
            store.forget(name)
            fresh_shared.discard(name)
            fetched[name] = FetchError(f"{SHARED_NAMES.get(name, name)}: not usable by every provider", why)


def _one(
    provider: Provider,
    key_headers: dict[str, str] | None,
    fetched: Fetched,
    store: Store,
    now: datetime,
    started: float,
    need_cache: bool = True,
) -> tuple[Outcome, bool]:
    """The provider's outcome, and whether its fetched documents were unreadable as a catalog."""
    if key_headers is None:
        env = provider.listing_key.env if provider.listing_key else "its key"
        error = FetchError(
            f"{provider.name}: not fetched, {env} is not set", f"set {env} in the environment or .env to refresh it"
        )
        return _fallback(provider, store, now, "no-key", error, need_cache), False
    own = provider.own_urls()
    try:
        for name in own:
            arrival = fetched[name]
            if isinstance(arrival, GenerateError) and name in provider.secondary_urls():
                secondary.failed(store, name)  # its cached copy stands, if any: the outcome says so
                continue
            if isinstance(arrival, GenerateError):
                raise arrival
            if arrival.document is not None:
                store.use(name, arrival.response.raw, arrival.document.source, arrival.document)
    except (FetchError, CacheError) as exc:
        _forget(store, own)
        return _fallback(provider, store, now, "fallback", exc, need_cache), False
    try:
        catalog = secondary.catalog(provider, store, fetched)
        if not catalog.offers:
            raise CatalogError(f"{provider.name}: the catalog lists no models", "the provider may be having trouble")
    except (CatalogError, CacheError) as exc:
        _forget(store, own)
        return _fallback(provider, store, now, "fallback", exc, need_cache), True
    arrived = [fetched.get(name) for name in [*own, *provider.shared_urls()]]  # models.dev too
    read = [a.response for a in arrived if isinstance(a, Arrival)]
    if not read:  # a reader of models.dev alone, which could not be fetched: said once, for models.dev
        return Outcome(provider.name, "fallback", f"{len(catalog.offers)} models, from the cached copy"), False
    status = "not-modified" if all(r.not_modified for r in read) else "fetched"
    size = sum(len(a.response.raw) for name in own if isinstance(a := fetched[name], Arrival))
    detail, warning = f"{len(catalog.offers)} models", secondary.failures(provider, fetched, store, now)
    return Outcome(provider.name, status, detail, time.monotonic() - started, size, catalog, warning), False


def _needs(need_cache: NeedCache, provider: Provider) -> bool:
    return need_cache if isinstance(need_cache, bool) else provider.name in need_cache


def _forget(store: Store, names: dict[str, str]) -> None:
    for name in names:
        store.forget(name)


def _age_of(provider: Provider, store: Store, now: datetime) -> str:
    oldest, checked = store.oldest(provider), store.last_checked(provider)
    if oldest is None:
        return ""
    if checked is None or checked - oldest < timedelta(minutes=1):
        return f"cached {describe_age(now - oldest)}"
    return f"cached {describe_age(now - oldest)}, found unchanged {describe_age(now - checked)}"


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


def _validators(cached: cache.Meta | None) -> dict[str, str]:
    """Conditional-request headers from the last fetch, so an unchanged catalog costs a 304."""
    headers = {}
    if cached and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


def _nothing_cached(name: str) -> FetchError:
    return FetchError(f"{name}: the server said 304 Not Modified but nothing is cached", "run with --refresh")


def _write(
    due: list[Provider], done: list[Outcome], shared: list[Outcome], fetched: Fetched, store: Store, now: datetime
) -> None:
    """Store every document that served a good catalog: bodies as sent, then their metadata."""
    names = {o.provider for o in shared if o.status in ("fetched", "not-modified")}
    for provider, outcome in zip(due, done, strict=True):
        if outcome.catalog is not None:
            names.update(provider.own_urls())
    found = {}
    for name in sorted(names):
        arrival = fetched.get(name)
        if isinstance(arrival, Arrival):  # a shared document every reader refused is an error here
            _store(store, name, arrival, now)
            if arrival.confirms:
                found[name] = (arrival.confirms, now)
    if found:
        try:
            cache.confirm(store.cache_dir, found)
        except WriteError as exc:  # only costs the next run one more question
            log.debug("confirmations not stored: %s", exc)


def _store(store: Store, name: str, arrival: Arrival, now: datetime) -> None:
    """Replace a cached document with what was fetched; a 304, or the same bytes and validators
    again, leaves every committed file as it is.

    Rewriting the metadata's time then would change a committed file each week for nothing; the
    confirmation goes to cache/.confirmed.json instead, which git ignores.
    """
    if not arrival.unchanged:
        response = arrival.response
        cache.write(store.cache_dir, name, response.raw, response.url, response.headers, now)


def _fallback(
    provider: Provider, store: Store, now: datetime, status: str, error: GenerateError, need_cache: bool = True
) -> Outcome:
    """Use the cached catalog after a failed or impossible fetch; without one, stop with exit 2."""
    oldest = store.oldest(provider)
    if oldest is None and not need_cache:
        return Outcome(provider.name, status, f"{error.what}; nothing cached", warning=f"{error.what} — {error.fix}")
    if oldest is None:
        raise FetchError(
            f"{error.what}, and there is no cached catalog to fall back on",
            f"{error.fix}; or save the catalog to {cache.body_path(store.cache_dir, provider.name)}",
        )
    detail = f"{error.what}; using the cached catalog from {describe_age(now - oldest)}"
    return Outcome(provider.name, status, detail, warning=f"{detail} — {error.fix}")
