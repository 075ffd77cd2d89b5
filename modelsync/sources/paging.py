"""Paged catalogs: follow every page and keep them as one document in the provider's own shape."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..core.errors import FetchError
from .fetch import Fetcher, Response
from .providers import Provider

MAX_PAGES = 100


def fetch_all_pages(fetcher: Fetcher, provider: Provider, url: str, validators: dict[str, str]) -> Response:
    """The whole catalog at `url`; for a paged provider, every page joined into one body."""
    headers = {**provider.headers, **validators}
    if provider.paging is None:
        return fetcher.get(url, headers)
    next_url, items_key = PAGERS[provider.paging]
    first = fetcher.get(url, provider.headers)  # conditional requests do not fit paging
    body = _json(first, provider)
    items = list(body.get(items_key) or [])
    for _ in range(MAX_PAGES):
        following = next_url(url, body)
        if following is None:
            break
        body = _json(fetcher.get(following, provider.headers), provider)
        items += body.get(items_key) or []
    else:
        raise FetchError(f"{provider.name}: more than {MAX_PAGES} catalog pages", "check the paging in providers.yaml")
    joined = {items_key: items}
    return Response(first.url, json.dumps(joined, indent=1).encode(), first.headers)


def _json(response: Response, provider: Provider) -> dict[str, Any]:
    try:
        body = json.loads(response.raw)
    except ValueError:
        raise FetchError(f"{provider.name}: a catalog page is not JSON", "check the catalog URL") from None
    if not isinstance(body, dict):
        raise FetchError(f"{provider.name}: a catalog page is not a JSON object", "check the catalog URL")
    return body


def _with_query(url: str, **params: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query.update(params)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _anthropic_next(url: str, body: dict[str, Any]) -> str | None:
    if body.get("has_more") and isinstance(body.get("last_id"), str):
        return _with_query(url, after_id=body["last_id"])
    return None


def _gemini_next(url: str, body: dict[str, Any]) -> str | None:
    token = body.get("nextPageToken")
    return _with_query(url, pageToken=token) if isinstance(token, str) and token else None


PAGERS: dict[str, tuple[Callable[[str, dict[str, Any]], str | None], str]] = {
    "anthropic": (_anthropic_next, "data"),
    "gemini": (_gemini_next, "models"),
}
