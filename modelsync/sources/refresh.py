"""Refresh stale catalogs: fetch each document once, prove it is a catalog, then replace the cache.

A document several providers read (models.dev's api.json) is fetched once however many of them
are due, and a provider whose own list or shared document fails falls back to its cache alone.

`start` sends every request and returns at once, so the caller can do the work that does not need
the new catalogs while they are on their way; `Refreshing.finish` then waits, checks, normalises
and stores. Each body is parsed in its fetch's thread as it arrives, while slower ones still load;
the very bytes already cached are not parsed or checked again (they were when they were stored).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ..core.errors import GenerateError
from ..core.parallel import Running
from ..core.settings import Settings
from .arrivals import (
    NeedCache,
    Outcome,
    Progress,
    normalise_due,
    refused,
    say,
    store_good,
    use_shared,
)
from .cache import describe_age
from .providers import Provider
from .sending import Arrival, Job, jobs_of, key_headers, start_fetches
from .store import Store

if TYPE_CHECKING:
    import httpx


def is_stale(provider: Provider, store: Store, now: datetime, window: timedelta) -> bool:
    """Whether any document of the provider's catalog is missing or older than the window."""
    return any(_stale(store, name, now, window) for name in provider.urls())


@dataclass
class Refreshing:
    """A refresh whose requests are on their way; `finish` waits for them and uses what came."""

    due: list[Provider]
    fresh: list[Outcome]
    keys: dict[str, dict[str, str] | None]
    jobs: list[Job]
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
        shared = use_shared(self.jobs, fetched, store, now, started, self.tell)
        done = normalise_due(self.due, self.keys, fetched, shared, store, now, started, self.need_cache)
        shared = [refused(o, fetched) for o in shared]
        if self.write:
            store_good(self.due, done, shared, fetched, store, now)
        for outcome in done:
            say(outcome, self.tell)
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
    keys = {p.name: key_headers(p) for p in due}
    jobs = jobs_of(due, keys)
    for provider in due:
        tell(provider.name, None)
    started = time.monotonic()
    running = start_fetches(jobs, keys, settings, store, client) if due else None
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
    jobs = [Job(name, url, None) for name, url in due.items()]
    if not jobs:
        return []
    for job in jobs:
        tell(job.name, None)
    started = time.monotonic()
    fetched = dict(start_fetches(jobs, {}, settings, store, client).results())
    shared = use_shared(jobs, fetched, store, now, started, tell)
    store_good([], [], shared, fetched, store, now)
    return shared


def _stale(store: Store, name: str, now: datetime, window: timedelta) -> bool:
    when = store.checked_at(name)
    return when is None or now - when > window


def _age_of(provider: Provider, store: Store, now: datetime) -> str:
    oldest, checked = store.oldest(provider), store.last_checked(provider)
    if oldest is None:
        return ""
    if checked is None or checked - oldest < timedelta(minutes=1):
        return f"cached {describe_age(now - oldest)}"
    return f"cached {describe_age(now - oldest)}, found unchanged {describe_age(now - checked)}"
