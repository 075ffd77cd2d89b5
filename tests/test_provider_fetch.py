"""Provider-specific fetching: listing keys in the right header, paging, missing keys."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime

import httpx
import pytest
import yaml

from modelsync.pipeline import Options, run
from tests.helpers import MODELS_DEV_HOST, Project, real_catalog, with_models_dev

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _only(project: Project, *models: str) -> None:
    project.write_overrides({"models": list(models)})


def _stale(project: Project) -> None:
    for path in project.cache.glob("*.json"):
        os.utime(path, (0, 0))


def test_a_missing_listing_key_skips_the_fetch_with_one_warning(
    project: Project, caplog: pytest.LogCaptureFixture
) -> None:
    _only(project, "requesty:openai/gpt-4o-mini")
    _stale(project)
    seen: list[httpx.Request] = []
    client = httpx.Client(transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(500)))
    result = run(project.paths, Options(dry_run=True), client=client, now=NOW)
    assert seen == [] and [o.status for o in result.outcomes] == ["no-key"]
    (warning,) = caplog.messages
    assert warning.startswith("requesty: not fetched, REQUESTY_API_KEY is not set; using the cached catalog from")


@pytest.mark.parametrize(
    ("provider", "model", "env", "header", "value"),
    [
        ("requesty", "openai/gpt-4o-mini", "REQUESTY_API_KEY", "authorization", "Bearer rq-test-key"),
        ("openai", "gpt-4o-mini", "OPENAI_API_KEY", "authorization", "Bearer sk-test-key"),
        ("anthropic", "claude-haiku-4-5-20251001", "ANTHROPIC_API_KEY", "x-api-key", "sk-ant-test-key"),
        ("gemini", "gemini-2.5-flash", "GEMINI_API_KEY", "x-goog-api-key", "AIza-test-key"),
        ("poe", "Claude-Haiku-4.5", "POE_API_KEY", "authorization", "Bearer poe-test-key"),
    ],
)
def test_listing_keys_go_in_each_providers_header_and_nowhere_else(
    project: Project, monkeypatch: pytest.MonkeyPatch, provider: str, model: str, env: str, header: str, value: str
) -> None:
    monkeypatch.setenv(env, value.removeprefix("Bearer "))
    _only(project, f"{provider}:{model}")
    cached = (project.cache / f"{provider}.json").read_bytes()
    seen: list[httpx.Request] = []
    answer = with_models_dev(lambda request: httpx.Response(200, content=cached), seen)
    run(project.paths, Options(refresh=True), client=httpx.Client(transport=httpx.MockTransport(answer)), now=NOW)
    own = [r for r in seen if r.url.host != MODELS_DEV_HOST]
    assert own and all(r.headers[header] == value for r in own)
    assert all(header not in r.headers for r in seen if r.url.host == MODELS_DEV_HOST)  # shared: no key
    assert all(value.split()[-1] not in str(r.url) for r in seen)
    stored = "".join(p.read_text() for p in project.cache.rglob("*") if p.is_file()) + project.config.read_text()
    assert value.split()[-1] not in stored


def test_an_optional_listing_key_is_not_needed(project: Project) -> None:
    _only(project, "nano_gpt:gpt-4o-mini")
    cached = (project.cache / "nano_gpt.json").read_bytes()
    seen: list[httpx.Request] = []
    client = httpx.Client(
        transport=httpx.MockTransport(lambda r: seen.append(r) or httpx.Response(200, content=cached))
    )
    result = run(project.paths, Options(refresh=True), client=client, now=NOW)
    assert [o.status for o in result.outcomes] == ["fetched"] and "authorization" not in seen[0].headers


def test_gemini_pages_are_all_followed_and_cached_as_one_document(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-test-key")
    page1 = json.loads(real_catalog("gemini/2025-12-25-page1.json").read_text())
    page2 = {
        "models": [
            {"name": "models/veo-3.1-generate-preview-2", "supportedGenerationMethods": ["predictLongRunning"]},
            {
                "name": "models/gemini-3-flash",
                "inputTokenLimit": 1048576,
                "outputTokenLimit": 65536,
                "supportedGenerationMethods": ["generateContent"],
            },
        ]
    }
    pages: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        pages.append(request.url.params.get("pageToken", ""))
        return httpx.Response(200, json=page2 if request.url.params.get("pageToken") else page1)

    _only(project, "gemini:gemini-3-flash", "gemini:gemini-2.5-flash")
    client = httpx.Client(transport=httpx.MockTransport(with_models_dev(answer)))
    run(project.paths, Options(refresh=True), client=client, now=NOW)
    assert pages == ["", page1["nextPageToken"]]
    cached = json.loads((project.cache / "gemini.json").read_text())
    assert len(cached["models"]) == len(page1["models"]) + 2
    names = {d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"]}
    assert names == {"gemini/gemini-3-flash", "gemini/gemini-2.5-flash"}


def test_anthropic_pages_follow_last_id(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-key")
    first = {"data": [{"id": "claude-a", "max_input_tokens": 1000}], "has_more": True, "last_id": "claude-a"}
    second = {"data": [{"id": "claude-b"}], "has_more": False, "last_id": "claude-b"}
    after: list[str | None] = []

    def answer(request: httpx.Request) -> httpx.Response:
        after.append(request.url.params.get("after_id"))
        assert request.headers["anthropic-version"] == "2023-06-01"
        return httpx.Response(200, json=second if request.url.params.get("after_id") else first)

    _only(project, "anthropic:claude-b")
    client = httpx.Client(transport=httpx.MockTransport(with_models_dev(answer)))
    run(project.paths, Options(refresh=True), client=client, now=NOW)
    assert after == [None, "claude-a"]
    assert [m["id"] for m in json.loads((project.cache / "anthropic.json").read_text())["data"]] == [
        "claude-a",
        "claude-b",
    ]


def test_the_example_load_balances_one_model_across_three_or_more_providers(project: Project) -> None:
    groups: dict[str, set[str]] = {}
    for deployment in yaml.safe_load(project.config.read_text())["model_list"]:
        route = deployment["litellm_params"]["model"]
        groups.setdefault(deployment["model_name"], set()).add(
            route.split("/")[0] + deployment["litellm_params"].get("api_base", "")
        )
    assert max(len(routes) for routes in groups.values()) >= 3


def test_list_prints_the_cached_catalog_with_selection(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("--list", "openrouter", "google/*") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["id", "kind", "in", "$/M", "out", "$/M", "context", "prices", "from", "selected"]
    rows = {line.split()[0]: line for line in lines[1:-1]}
    assert set(rows) == {"google/gemini-2.5-flash", "google/gemini-2.5-flash-lite", "google/gemini-2.5-pro-preview"}
    assert rows["google/gemini-2.5-flash-lite"].split()[1:5] == ["chat", "0.1", "0.4", "1,048,576"]
    assert rows["google/gemini-2.5-flash"].endswith("yes: gemini-2.5-flash")
    assert rows["google/gemini-2.5-pro-preview"].endswith("no")
    assert lines[-1].startswith("3 of ")


def test_list_of_an_unknown_provider_is_exit_2(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("--list", "openroutr") == 2
    assert "unknown provider" in capsys.readouterr().err
