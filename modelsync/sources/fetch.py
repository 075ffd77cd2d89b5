"""HTTP: fetch one catalog URL with bounded retries, a size cap and a deadline, keys kept safe."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from ..core import warmup
from ..core.errors import FetchError
from ..core.secrets import redact_url
from ..core.settings import Settings

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Response:
    """A fetched body, or `not_modified` when a conditional request came back 304."""

    url: str
    raw: bytes
    headers: dict[str, str]
    not_modified: bool = False


def make_client(settings: Settings, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
    # Redirects are followed by hand, so that a key never follows one to another host.
    return httpx.Client(
        timeout=timeout,
        verify=warmup.tls_context() or True,  # begun in the background at start-up when the run may fetch
        follow_redirects=False,
        transport=transport,
        headers={"Accept": "application/json", "User-Agent": "modelsync"},
    )


@dataclass
class Fetcher:
    """Fetches catalog URLs for one provider under a shared deadline."""

    client: httpx.Client
    settings: Settings
    provider: str
    secret_headers: dict[str, str]  # sent only to the URL's own host
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.settings.total_timeout

    def get(self, url: str, headers: dict[str, str]) -> Response:
        """GET with retries for what is worth retrying; raises FetchError when it cannot."""
        attempt = 0
        while True:
            try:
                return self._once(url, headers)
            except _Retryable as exc:
                attempt += 1
                wait = exc.wait if exc.wait is not None else self._backoff(attempt)
                if attempt > self.settings.retries or time.monotonic() + wait > self.deadline:
                    raise FetchError(
                        f"{self.provider}: GET {redact_url(url)} failed: {exc.reason}",
                        "try again later, or check the URL in providers.yaml",
                    ) from None
                self.sleep(wait)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter, so many clients do not retry in step."""
        ceiling = min(self.settings.backoff_cap, self.settings.backoff_base * 2 ** (attempt - 1))
        return random.uniform(ceiling / 2, ceiling)

    def _once(self, url: str, headers: dict[str, str]) -> Response:
        origin = _origin(url)
        for _ in range(MAX_REDIRECTS + 1):
            sent = {**headers, **(self.secret_headers if _origin(url) == origin else {})}
            status, response_headers, body = self._stream(url, sent)
            if status not in REDIRECT_STATUS:
                break
            location = response_headers.get("location")
            if not location:
                break
            url = urljoin(url, location)
        else:
            raise FetchError(
                f"{self.provider}: too many redirects from {redact_url(url)}",
                "point catalog_url in providers.yaml at the final address",
            )
        return self._check(url, status, response_headers, body)

    def _stream(self, url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One request, reading the body under the size cap and the overall deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Retryable("the total deadline passed", wait=float("inf"))
        # No wait of one request outlasts the provider's whole deadline: a server that accepts and
        # never answers is given up on when the deadline passes, not after the full read timeout.
        timeout = httpx.Timeout(
            min(self.settings.read_timeout, remaining), connect=min(self.settings.connect_timeout, remaining)
        )
        try:
            with self.client.stream("GET", url, headers=headers, timeout=timeout) as response:
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.settings.max_catalog_bytes:
                        raise FetchError(
                            f"{self.provider}: {redact_url(url)} sent more than "
                            f"{self.settings.max_catalog_bytes} bytes",
                            "raise MODELSYNC_MAX_CATALOG_BYTES if that catalog is really that large",
                        )
                    if time.monotonic() > self.deadline:
                        raise _Retryable(
                            f"the body was still arriving after {self.settings.total_timeout:g} s", wait=float("inf")
                        )
                    chunks.append(chunk)
                return response.status_code, {k.lower(): v for k, v in response.headers.items()}, b"".join(chunks)
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"{type(exc).__name__}: {_reason(exc)}") from None

    def _check(self, url: str, status: int, headers: dict[str, str], body: bytes) -> Response:
        if status == 304:
            return Response(url, b"", headers, not_modified=True)
        if status in RETRY_STATUS:
            wait = retry_after(headers.get("retry-after"), self.settings.retry_after_cap)
            raise _Retryable(f"HTTP {status}", wait=wait)
        if status != 200:
            hint = (
                "check the listing key in the environment or .env"
                if status in (401, 403)
                else "check the URL in providers.yaml"
            )
            raise FetchError(f"{self.provider}: GET {redact_url(url)} answered HTTP {status}", hint)
        return Response(url, body, headers)


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


def retry_after(value: str | None, cap: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), at most `cap`."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max(0.0, (when - datetime.now(UTC)).total_seconds()), cap)


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.rpartition("@")[2].lower()


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:197] + "..."
