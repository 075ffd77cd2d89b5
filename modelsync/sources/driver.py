"""The one driver of the catalogs: the cache Store, the settings, the HTTP client's lifetime and the refresh.

Every command that reads or refreshes catalogs asks a `Sources`; none builds a Store, loads
settings or opens a client of its own. httpx and the settings load only when a refresh needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .store import Store

if TYPE_CHECKING:
    import httpx

    from ..core.settings import Settings
    from .arrivals import NeedCache, Outcome, Progress
    from .providers import Provider
    from .refresh import Refreshing


class Sources:
    """Where catalogs come from; as a context manager it closes the client it opened."""

    def __init__(
        self,
        cache_dir: Path,
        settings: Settings | None = None,
        client: httpx.Client | None = None,
        now: datetime | None = None,
    ) -> None:
        self.store = Store(cache_dir)
        self._settings = settings
        self._client = client
        self._own_client: httpx.Client | None = None
        self._now = now

    @property
    def settings(self) -> Settings:
        """The settings given, else as the environment and `.env` say, read once when first needed."""
        if self._settings is None:
            from ..core.settings import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def client(self) -> httpx.Client:
        """The client given, else one opened now and closed with this object."""
        if self._client is None:
            from .fetch import make_client

            self._client = self._own_client = make_client(self.settings)
        return self._client

    def refresh(
        self,
        providers: Sequence[Provider],
        force: bool = False,
        write: bool = True,
        progress: Progress | None = None,
        need_cache: NeedCache = True,
    ) -> Refreshing:
        """Send the requests of every stale provider; `.finish()` on the answer waits and uses them."""
        from .refresh import start

        return start(
            list(providers), self.settings, self.store, self.client, self.now(), force, write, progress, need_cache
        )

    def refresh_shared(
        self, urls: dict[str, str], force: bool = False, progress: Progress | None = None
    ) -> list[Outcome]:
        """Refresh shared documents no provider asked for (the audit's second sources)."""
        from .refresh import refresh_sources

        return refresh_sources(urls, self.settings, self.store, self.client, self.now(), force, progress)

    def now(self) -> datetime:
        return self._now or datetime.now(UTC)

    def close(self) -> None:
        if self._own_client is not None:
            self._own_client.close()
            self._client = self._own_client = None

    def __enter__(self) -> Sources:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
