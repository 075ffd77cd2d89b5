"""Network faults against a real HTTP server on 127.0.0.1: bounded retries, then the cache, losing nothing."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from modelsync.core.errors import FetchError
from modelsync.core.settings import Settings
from modelsync.pipeline import Options, run
from tests.helpers import Project, openrouter_entry, serve

GOOD = json.dumps({"data": [openrouter_entry("vendor/model", "0.000002", "0.000004")]}).encode()
EMPTY_EMBEDDINGS = (200, {}, b'{"data": []}')
TIGHT = {
    "connect_timeout": 0.5,
    "read_timeout": 0.5,
    "total_timeout": 3.0,
    "retries": 2,
    "backoff_base": 0.05,
    "backoff_cap": 0.1,
    "retry_after_cap": 1.5,
    "max_catalog_bytes": 50_000,
}


@pytest.fixture
def provider_project(project: Project) -> Project:
    project.write_overrides({"models": ["openrouter:vendor/model"]})
    project.use_catalog("openrouter", {"data": [openrouter_entry("vendor/model")]})
    project.use_catalog("openrouter.embeddings", {"data": []})
    run(project.paths, Options(offline=True))
    return project


def _point_at(project: Project, base: str) -> None:
    text = project.providers.read_text().replace("https://openrouter.ai", base)
    project.providers.write_text(text)


def _sequence(*answers: Any) -> Handler:
    """Answer with each of `answers` in turn, the last one forever."""
    remaining = list(answers)

    def answer(handler: BaseHTTPRequestHandler) -> Any:
        item = remaining.pop(0) if len(remaining) > 1 else remaining[0]
        return item(handler) if callable(item) else item

    return answer


Handler = Callable[[BaseHTTPRequestHandler], Any]


def _slow(seconds: float) -> Handler:
    def answer(handler: BaseHTTPRequestHandler) -> Any:
        time.sleep(seconds)
        return 200, {}, GOOD

    return answer


def _drip(handler: BaseHTTPRequestHandler) -> None:
    """Send a body one byte at a time, each within the read timeout, never finishing in time."""
    handler.send_response(200)
    handler.send_header("Content-Length", str(len(GOOD)))
    handler.end_headers()
    try:
        for byte in GOOD[:60]:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass  # the client gave up, as it should


def _cut_short(handler: BaseHTTPRequestHandler) -> None:
    """Promise a long body, send ten bytes, hang up."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(GOOD[:10])
    handler.wfile.flush()
    handler.close_connection = True


FAILURES: dict[str, Handler | tuple[int, dict[str, str], bytes]] = {
    "read_timeout": _slow(2.0),
    "slow_drip_past_deadline": _drip,
    "server_error_every_time": (503, {}, b"unavailable"),
    "html_page": (200, {"Content-Type": "text/html"}, b"<html><body>Maintenance</body></html>"),
    "truncated_json": (200, {}, GOOD[: len(GOOD) // 2]),
    "connection_cut_mid_body": _cut_short,
    "wrong_shape": (200, {}, b'{"models": {"vendor/model": 1}}'),
    "empty_data": (200, {}, b'{"data": []}'),
    "over_size_cap": (200, {}, b'{"data": [' + b" " * 60_000 + b"]}"),
    "not_found": (404, {}, b"gone"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_provider_leaves_cache_and_config_as_they_were(
    case: str, provider_project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    with serve({"/api/v1/models": FAILURES[case], "/api/v1/embeddings/models": EMPTY_EMBEDDINGS}) as base:
        _point_at(provider_project, base)
        before = provider_project.snapshot_files()
        started = time.monotonic()
        result = run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))
    assert time.monotonic() - started < 10, "retries are bounded"
    assert [o.status for o in result.outcomes] == ["fallback"] and not result.changed
    assert provider_project.snapshot_files() == before
    assert "openrouter:" in caplog.text and "using the cached catalog from" in caplog.text


def test_connection_refused_falls_back(provider_project: Project, caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    _point_at(provider_project, f"http://127.0.0.1:{port}")
    result = run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))
    assert [o.status for o in result.outcomes] == ["fallback"] and "ConnectError" in caplog.text


@contextmanager
def _unanswered_listener() -> Iterator[int]:
    """A port whose accept queue is full, so a new connection hangs in connect."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    fillers = []
    for _ in range(4):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(server.getsockname())
        fillers.append(filler)
    try:
        yield server.getsockname()[1]
    finally:
        for filler in fillers:
            filler.close()
        server.close()


def test_connect_timeout_falls_back(provider_project: Project, caplog: pytest.LogCaptureFixture) -> None:
    with _unanswered_listener() as port:
        _point_at(provider_project, f"http://127.0.0.1:{port}")
        started = time.monotonic()
        result = run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))
    assert [o.status for o in result.outcomes] == ["fallback"] and time.monotonic() - started < 10
    assert "timed out (ConnectTimeout)" in caplog.text


@pytest.mark.parametrize("first", [(500, {}, b""), (502, {}, b""), (503, {}, b"")])
def test_server_errors_then_success_are_retried(provider_project: Project, first: Any) -> None:
    with serve(
        {"/api/v1/models": _sequence(first, first, (200, {}, GOOD)), "/api/v1/embeddings/models": EMPTY_EMBEDDINGS}
    ) as base:
        _point_at(provider_project, base)
        result = run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))
    assert [o.status for o in result.outcomes] == ["fetched"]
    assert "input_cost_per_token: 2.0e-06" in provider_project.config.read_text()


@pytest.mark.parametrize("retry_after", ["1", "http-date"])
def test_429_retry_after_is_honoured(provider_project: Project, retry_after: str) -> None:
    def too_many(handler: BaseHTTPRequestHandler) -> Any:
        value = formatdate(time.time() + 2, usegmt=True) if retry_after == "http-date" else retry_after
        return 429, {"Retry-After": value}, b"slow down"

    with serve(
        {"/api/v1/models": _sequence(too_many, (200, {}, GOOD)), "/api/v1/embeddings/models": EMPTY_EMBEDDINGS}
    ) as base:
        _point_at(provider_project, base)
        started = time.monotonic()
        result = run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))
        waited = time.monotonic() - started
    assert [o.status for o in result.outcomes] == ["fetched"]
    assert 0.5 <= waited <= 1.5 + 1.0, "waits as asked, but never past retry_after_cap"


def test_no_cache_and_a_failing_provider_is_a_clear_error(provider_project: Project) -> None:
    (provider_project.cache / "openrouter.json").unlink()
    with serve({"/api/v1/models": (503, {}, b""), "/api/v1/embeddings/models": EMPTY_EMBEDDINGS}) as base:
        _point_at(provider_project, base)
        with pytest.raises(FetchError, match="HTTP 503, and there is no cached catalog to fall back on"):
            run(provider_project.paths, Options(refresh=True), settings=Settings(**TIGHT))


def test_the_total_deadline_bounds_a_server_that_never_answers(provider_project: Project) -> None:
    """A read timeout longer than the provider's whole deadline: the deadline wins."""
    patient = {**TIGHT, "read_timeout": 30.0, "total_timeout": 1.5, "retries": 0}
    with serve({"/api/v1/models": _slow(20), "/api/v1/embeddings/models": EMPTY_EMBEDDINGS}) as base:
        _point_at(provider_project, base)
        started = time.monotonic()
        result = run(provider_project.paths, Options(refresh=True), settings=Settings(**patient))
        took = time.monotonic() - started
    assert [o.status for o in result.outcomes] == ["fallback"]
    assert took < 6, f"gave up after {took:.1f} s, not at the 1.5 s deadline"
