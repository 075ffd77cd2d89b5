"""One document, many providers: models.dev is fetched once per run, cached once, normalised once."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

import modelsync.sources.cache
from modelsync.pipeline import Options, run
from modelsync.sources.store import Store
from tests.helpers import ROOT, Project

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
READERS = ["deepseek:deepseek-chat", "groq:llama-3.3-70b-versatile", "xai:grok-4.3", "openai:gpt-4o-mini"]
MODELS_DEV = json.loads((ROOT / "cache" / "models_dev.json").read_text())


@pytest.fixture
def readers(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    project.write_overrides({"models": READERS})
    run(project.paths, Options(offline=True))  # not main(): it would point the log elsewhere
    for path in project.cache.glob("*.json"):
        os.utime(path, (0, 0))
    for path in project.cache.glob("*.meta.json"):
        path.unlink()  # as saved by hand: the files' (old) times tell the age
    return project


def _client(models_dev: Callable[[httpx.Request], httpx.Response], seen: list[str]) -> httpx.Client:
    openai = (ROOT / "cache" / "openai.json").read_bytes()

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        if request.url.host == "models.dev":
            return models_dev(request)
        return httpx.Response(200, content=openai, headers={"ETag": '"o1"'})

    return httpx.Client(transport=httpx.MockTransport(answer))


def _changed(body: dict[str, Any]) -> Callable[[httpx.Request], httpx.Response]:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.headers.get("if-none-match") == '"m2"':
            return httpx.Response(304, headers={"ETag": '"m2"'})
        return httpx.Response(200, json=body, headers={"ETag": '"m2"'})

    return answer


def _repriced() -> dict[str, Any]:
    body = json.loads(json.dumps(MODELS_DEV))
    body["deepseek"]["models"]["deepseek-chat"]["cost"]["input"] = 0.3
    body["openai"]["models"]["gpt-4o-mini"]["cost"]["input"] = 0.2
    return body


def test_models_dev_is_fetched_once_for_all_its_readers(readers: Project) -> None:
    seen: list[str] = []
    result = run(readers.paths, Options(accept_held=True), client=_client(_changed(_repriced()), seen), now=NOW)
    assert seen.count("models.dev") == 1 and seen.count("api.openai.com") == 1
    statuses = {o.provider: o.status for o in result.outcomes}
    assert statuses == {
        "models_dev": "fetched",
        "deepseek": "fetched",
        "groq": "fetched",
        "xai": "fetched",
        "openai": "fetched",
    }
    assert "input_cost_per_token: 3.0e-07" in result.text and "input_cost_per_token: 2.0e-07" in result.text
    assert json.loads((readers.cache / "models_dev.json").read_text()) == _repriced()
    seen.clear()
    again = run(readers.paths, Options(refresh=True), client=_client(_changed(_repriced()), seen), now=NOW)
    assert seen.count("models.dev") == 1
    assert {o.provider: o.status for o in again.outcomes}["models_dev"] == "not-modified"


def test_a_dry_run_uses_the_fetched_document_for_every_reader_and_writes_nothing(readers: Project) -> None:
    before = readers.snapshot_files()
    result = run(readers.paths, Options(dry_run=True), client=_client(_changed(_repriced()), []), now=NOW)
    assert "input_cost_per_token: 3.0e-07" in result.text and "input_cost_per_token: 2.0e-07" in result.text
    assert readers.snapshot_files() == before


@pytest.mark.parametrize(
    "answer",
    [httpx.Response(503), httpx.Response(200, text="<html>down</html>"), httpx.Response(200, json={"data": []})],
)
def test_a_bad_models_dev_leaves_every_reader_on_the_cached_copy(
    readers: Project, answer: httpx.Response, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELSYNC_RETRIES", "0")
    cached = (readers.cache / "models_dev.json").read_bytes()
    from modelsync.core.settings import load_settings

    result = run(readers.paths, Options(), settings=load_settings(), client=_client(lambda r: answer, []), now=NOW)
    assert (readers.cache / "models_dev.json").read_bytes() == cached
    warnings = [m for m in caplog.messages if "models.dev" in m]
    assert len(warnings) == 1 and "using the cached copy" in warnings[0]
    assert "input_cost_per_token: 2.8e-07" in result.text  # deepseek as cached
    # Its readers say they used the cache, not that a 304 confirmed it ("unchanged, cache kept").
    assert {o.provider: o.status for o in result.outcomes if o.provider != "openai"} == dict.fromkeys(
        ("models_dev", "deepseek", "groq", "xai"), "fallback"
    )


def test_a_document_one_reader_cannot_use_is_kept_from_no_reader(
    readers: Project, caplog: pytest.LogCaptureFixture
) -> None:
    body = _repriced()
    del body["groq"]  # models.dev dropped a provider we read
    cached = (readers.cache / "models_dev.json").read_bytes()
    result = run(readers.paths, Options(), client=_client(_changed(body), []), now=NOW)
    assert (readers.cache / "models_dev.json").read_bytes() == cached
    assert "input_cost_per_token: 2.8e-07" in result.text, "deepseek too keeps the cached copy"
    assert {o.provider: o.status for o in result.outcomes}["models_dev"] == "fallback"
    assert any("models.dev has no provider 'groq'" in m for m in caplog.messages)


def test_check_recalls_models_dev_readers_without_parsing_the_document(
    readers: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(readers.paths, Options(offline=True))  # a writing run stores the memo
    parse = modelsync.sources.cache.parse

    def refuse(raw: bytes, name: str, source: str) -> Any:
        assert name != "models_dev", "models.dev was parsed again"
        return parse(raw, name, source)

    monkeypatch.setattr(modelsync.sources.cache, "parse", refuse)
    assert run(readers.paths, Options(check=True)).changed is False


def test_the_store_reads_and_hashes_a_shared_document_once(readers: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    read_bytes = modelsync.sources.cache.read_bytes

    def counting(cache_dir: Any, name: str) -> bytes | None:
        reads.append(name)
        return read_bytes(cache_dir, name)

    monkeypatch.setattr(modelsync.sources.cache, "read_bytes", counting)
    store = Store(readers.cache)
    from modelsync.sources.providers import load_providers

    providers = load_providers(readers.providers)
    for name in ("deepseek", "groq", "xai", "openai"):
        store.catalog(providers[name])
    assert reads.count("models_dev") == 1
