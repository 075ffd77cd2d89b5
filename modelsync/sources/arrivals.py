"""What a refresh does with what came: check it, normalise it, fall back to the cache, and store the good."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ..core.catalog import Catalog, Document
from ..core.errors import CacheError, CatalogError, FetchError, GenerateError
from ..core.files import WriteError
from . import cache, layout, secondary
from .cache import describe_age
from .litellm_map import DOCUMENT as LITELLM_DOC
from .litellm_map import check_map
from .models_dev import DOCUMENT as MODELS_DEV_DOC
from .models_dev import check_document
from .providers import Provider
from .sending import SHARED_NAMES, Arrival, Job
from .store import Store

log = logging.getLogger("modelsync")
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


Progress = Callable[[str, "Outcome | None"], None]  # (provider, None) on start, (provider, outcome) at the end
Fetched = dict[str, "Arrival | GenerateError"]
NeedCache = bool | frozenset[str]  # whether a failed fetch with nothing cached stops the run, or for whom


def use_shared(
    jobs: list[Job], fetched: Fetched, store: Store, now: datetime, started: float, tell: Progress
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
            when, path = store.fetched_at(job.name), layout.body_path(store.cache_dir, job.name)
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
        say(outcome, tell)
    return outcomes


def say(outcome: Outcome, tell: Progress) -> None:
    """An outcome's warning, then its progress line; from the caller's thread only."""
    if outcome.warning:
        log.warning("%s", outcome.warning)
    tell(outcome.provider, outcome)


def refused(outcome: Outcome, fetched: Fetched) -> Outcome:
    """A shared document's outcome, saying so when a reader refused it after it was fetched."""
    response = fetched.get(outcome.provider)
    if isinstance(response, GenerateError) and outcome.status != "fallback":
        return Outcome(outcome.provider, "fallback", response.what)
    return outcome


def _any_document(doc: Document) -> None:
    """A shared document with no check of its own: being JSON is enough."""


def normalise_due(
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


def _nothing_cached(name: str) -> FetchError:
    return FetchError(f"{name}: the server said 304 Not Modified but nothing is cached", "run with --refresh")


def store_good(
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
            f"{error.fix}; or save the catalog to {layout.body_path(store.cache_dir, provider.name)}",
        )
    detail = f"{error.what}; using the cached catalog from {describe_age(now - oldest)}"
    return Outcome(provider.name, status, detail, warning=f"{detail} — {error.fix}")
