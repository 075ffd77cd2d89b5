"""A LiteLLM proxy's admin API for database models (1.106.2): read the table, create, patch, delete.

Reads come from `/v2/model/info` (paged; params decrypted, credentials left out), never from
the write responses, which carry ciphertext. Every failure is one sentence naming the proxy;
the master key is never in one (it is also registered with the secrets module, which masks it).
"""

from __future__ import annotations

from typing import Any

import httpx

from ..core.errors import GenerateError
from ..core.secrets import redact_url, remember
from ..core.settings import secret
from ..model.targets import ProxyTarget


class ProxyError(GenerateError):
    """The proxy could not be reached, refused us, or answered something we cannot use."""


class Unsure(ProxyError):
    """A write whose outcome is unknown (a timeout, a dropped connection, a 5xx): it may have landed."""


class AdminApi:
    """One proxy's model endpoints, counting the requests made."""

    def __init__(self, target: ProxyTarget, client: httpx.Client | None = None) -> None:
        self.target, self.requests = target, 0
        self.where = redact_url(target.url)
        found = secret(target.key_variable)  # the environment, else .env, as every key is read
        key = found.get_secret_value() if found is not None else ""
        if not key:
            raise ProxyError(
                f"targets.proxy.master_key names {target.key_variable}, which is not set",
                f"set {target.key_variable} to the proxy's master key in the environment or .env",
            )
        remember(key)
        headers = {"Authorization": f"Bearer {key}"}
        self.client = client or httpx.Client(timeout=target.timeout)
        self.client.headers.update(headers)

    def close(self) -> None:
        self.client.close()

    def rows(self) -> list[dict[str, Any]]:
        """Every model the proxy serves, page by page."""
        found: list[dict[str, Any]] = []
        page, pages = 1, 1
        while page <= pages:
            reply = self._json("GET", "/v2/model/info", params={"page": page, "size": self.target.page_size})
            found += reply.get("data") or []
            pages, page = int(reply.get("total_pages") or 0), page + 1
        return found

    def row(self, model_id: str) -> dict[str, Any] | None:
        """One model by id, or None: how a write that may have landed is verified."""
        reply = self._json("GET", "/v2/model/info", params={"modelId": model_id, "size": 1})
        rows = [r for r in reply.get("data") or [] if (r.get("model_info") or {}).get("id") == model_id]
        return rows[0] if rows else None

    def create(self, body: dict[str, Any]) -> None:
        self._write("POST", "/model/new", body)

    def update(self, model_id: str, body: dict[str, Any]) -> None:
        self._write("PATCH", f"/model/{model_id}/update", body)

    def delete(self, model_id: str) -> None:
        self._write("POST", "/model/delete", {"id": model_id})

    def _write(self, method: str, path: str, body: dict[str, Any]) -> None:
        try:
            self._send(method, path, body)
        except httpx.TransportError as exc:  # sent, perhaps applied, no answer
            raise Unsure(f"{self.where}{path}: no answer ({type(exc).__name__})") from None

    def _json(self, method: str, path: str, params: dict[str, Any]) -> dict[str, Any]:
        try:
            reply = self._send(method, path, None, params)
        except httpx.TransportError as exc:
            raise self._unreachable(exc) from None
        data = reply.json() if "json" in reply.headers.get("content-type", "") else None
        if not isinstance(data, dict):
            raise ProxyError(f"{self.where}{path} did not answer like a LiteLLM proxy", "check targets.proxy.url")
        return data

    def _send(
        self, method: str, path: str, body: dict[str, Any] | None, params: dict[str, Any] | None = None
    ) -> httpx.Response:
        self.requests += 1
        reply = self.client.request(method, self.target.url + path, json=body, params=params)
        if reply.status_code >= 400:
            raise self._refused(path, reply)
        return reply

    def _unreachable(self, exc: httpx.TransportError) -> ProxyError:
        kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "nothing answers there"
        return ProxyError(
            f"{self.where}: {kind} ({type(exc).__name__})",
            "check targets.proxy.url in overrides.yaml and that the proxy is running",
        )

    def _refused(self, path: str, reply: httpx.Response) -> ProxyError:
        status, said = reply.status_code, _message(reply)
        if status in (401, 403):
            return ProxyError(
                f"{self.where} refused the master key in {self.target.key_variable} ({status})",
                f"set {self.target.key_variable} to the proxy's master key",
            )
        if status == 404 and path == "/v2/model/info":
            return ProxyError(f"{self.where} has no /v2/model/info: not a LiteLLM proxy", "check targets.proxy.url")
        error = Unsure if status >= 500 else ProxyError
        return error(f"{self.where}{path} answered {status}: {said}", "run push again once the proxy is healthy")


def _message(reply: httpx.Response) -> str:
    """The proxy's own words for an error, shortened to one line."""
    try:
        data = reply.json()
    except ValueError:
        return reply.text[:200].replace("\n", " ")
    error = data.get("error") or data.get("detail") if isinstance(data, dict) else data
    if isinstance(error, dict):
        error = error.get("message") or error.get("error") or error
    return str(error)[:300].replace("\n", " ")
