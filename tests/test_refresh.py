"""Fetching: freshness, fallback to the cache, conditional requests, and keys kept at home."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from modelsync.core.settings import Settings
from modelsync.pipeline import Options, run
from modelsync.sources import cache
from tests.helpers import Project, openrouter_entry, serve

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CATALOG = {
    "data": [
        # Cache prices as before: a cache read falling back to a tenfold input price would be held.
        openrouter_entry(
            "anthropic/claude-haiku-4.5",
            pricing={"prompt": "0.000002", "completion": "0.000010", "input_cache_read": "0.0000001"},
        ),
        openrouter_entry(
            "google/gemini-2.5-flash",
            pricing={"prompt": "0.000001", "completion": "0.000002", "input_cache_read": "0.00000003"},
        ),
        openrouter_entry("google/gemini-2.5-flash-lite"),
        openrouter_entry("openai/text-embedding-3-small"),
        openrouter_entry("anthropic/claude-sonnet-4.5"),
    ]
}
EMBEDDINGS = {"data": [openrouter_entry("openai/text-embedding-3-small", "0.00000002", "0")]}


@pytest.fixture(autouse=True)
def openrouter_only(project: Project) -> None:
    """These tests fetch OpenRouter alone; the other providers have their own tests."""
    project.write_overrides(
        {
            "models": [{"id": f"openrouter:{e['id']}", "name": e["id"]} for e in CATALOG["data"]]
            + [{"id": "openrouter:openai/text-embedding-3-small", "name": "embed"}]
        }
    )
    run(project.paths, Options(offline=True))


def _age_cache(project: Project, hours: float) -> None:
    """Make every cached document look `hours` old."""
    stamp = (NOW - timedelta(hours=hours)).timestamp()
    for path in project.cache.glob("*.json"):
        os.utime(path, (stamp, stamp))


def _client(handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request]) -> httpx.Client:
    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    return httpx.Client(transport=httpx.MockTransport(record))


def _serve_catalogs(request: httpx.Request) -> httpx.Response:
    body = EMBEDDINGS if "embeddings" in request.url.path else CATALOG
    return httpx.Response(200, json=body, headers={"ETag": '"v1"'})


def test_a_fresh_cache_is_used_without_fetching(project: Project) -> None:
    _age_cache(project, hours=1)
    seen: list[httpx.Request] = []
    run(project.paths, Options(dry_run=True), client=_client(_serve_catalogs, seen), now=NOW)
    assert seen == []


def test_a_stale_cache_is_refreshed_and_stored_as_sent_with_metadata(project: Project) -> None:
    _age_cache(project, hours=25)
    seen: list[httpx.Request] = []
    result = run(project.paths, Options(), client=_client(_serve_catalogs, seen), now=NOW)
    assert sorted(str(r.url) for r in seen) == [
        "https://openrouter.ai/api/v1/embeddings/models",
        "https://openrouter.ai/api/v1/models?output_modalities=all",
    ]
    raw = (project.cache / "openrouter.json").read_bytes()
    assert json.loads(raw) == CATALOG
    meta = cache.read_meta(project.cache, "openrouter")
    assert (
        meta
        and meta.url == "https://openrouter.ai/api/v1/models?output_modalities=all"
        and meta.fetched_at == NOW
        and meta.etag == '"v1"'
    )
    assert [o.status for o in result.outcomes] == ["fetched"]
    assert result.report and "input_cost_per_token: $1/M → $2/M (+100%)" in [
        f.describe() for c in result.report.groups["openrouter"] for f in c.fields
    ]


def test_an_unchanged_catalog_costs_a_304(project: Project) -> None:
    _age_cache(project, hours=25)
    run(project.paths, Options(), client=_client(_serve_catalogs, []), now=NOW)
    later = NOW + timedelta(days=2)
    seen: list[httpx.Request] = []

    def not_modified(request: httpx.Request) -> httpx.Response:
        return httpx.Response(304) if request.headers.get("if-none-match") == '"v1"' else _serve_catalogs(request)

    before = project.committed_files()
    result = run(project.paths, Options(), client=_client(not_modified, seen), now=later)
    assert [o.status for o in result.outcomes] == ["not-modified"] and len(seen) == 2
    assert project.committed_files() == before, "a 304 changes no committed file: no noise pull request"
    assert cache.read_meta(project.cache, "openrouter").fetched_at == NOW  # type: ignore[union-attr]

    # The 304 is remembered where git does not look: the next run within a day asks nothing.
    asked: list[httpx.Request] = []
    quiet = Options(progress=lambda provider, outcome: None)
    soon = run(project.paths, quiet, client=_client(not_modified, asked), now=later + timedelta(hours=3))
    assert asked == [] and [o.status for o in soon.outcomes] == ["fresh"]
    assert soon.outcomes[0].detail == "cached 2 days ago, found unchanged 3 hours ago"
    run(project.paths, Options(), client=_client(not_modified, asked), now=later + timedelta(hours=25))
    assert len(asked) == 2, "a day after the 304, it asks again"


def test_a_confirmation_holds_only_for_the_bytes_it_confirmed(project: Project) -> None:
    """An edited cached body is as old as its own fetch: the confirmation of other bytes is void."""
    _age_cache(project, hours=25)
    run(project.paths, Options(), client=_client(_serve_catalogs, []), now=NOW)
    later = NOW + timedelta(days=2)

    def not_modified(request: httpx.Request) -> httpx.Response:
        return httpx.Response(304)

    run(project.paths, Options(), client=_client(not_modified, []), now=later)
    cached = project.cache / "openrouter.json"
    cached.write_bytes(cached.read_bytes().replace(b'"0.000002"', b'"0.000003"', 1))
    _age_cache(project, hours=25)  # a body without (matching) metadata is as old as its mtime
    asked: list[httpx.Request] = []
    run(project.paths, Options(dry_run=True), client=_client(_serve_catalogs, asked), now=later + timedelta(hours=1))
    assert "/api/v1/models" in {r.url.path for r in asked}, "the edited body is stale: asked again"


def test_a_refresh_against_a_real_server_answering_304_changes_no_file(project: Project) -> None:
    """A real HTTP server on 127.0.0.1 honouring If-None-Match, as the weekly job meets it."""
    body, embeddings = json.dumps(CATALOG).encode(), json.dumps(EMBEDDINGS).encode()
    asked: list[str | None] = []

    def conditional(payload: bytes) -> Callable[[Any], tuple[int, dict[str, str], bytes]]:
        def answer(handler: Any) -> tuple[int, dict[str, str], bytes]:
            asked.append(handler.headers.get("If-None-Match"))
            if handler.headers.get("If-None-Match") == '"v1"':
                return 304, {"ETag": '"v1"'}, b""
            return 200, {"ETag": '"v1"', "Content-Type": "application/json"}, payload

        return answer

    with serve({"/api/v1/models": conditional(body), "/api/v1/embeddings/models": conditional(embeddings)}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "-q") == 0
        before = project.committed_files()
        assert project.run("--refresh", "-q") == 0
    assert asked == [None, None, '"v1"', '"v1"']
    assert project.committed_files() == before


def test_the_same_bytes_from_a_server_without_validators_change_no_file(project: Project) -> None:
    """No ETag, no Last-Modified: the same catalog again is treated as a 304 would be."""
    body, embeddings = json.dumps(CATALOG).encode(), json.dumps(EMBEDDINGS).encode()
    routes = {"/api/v1/models": (200, {}, body), "/api/v1/embeddings/models": (200, {}, embeddings)}
    with serve(routes) as base:  # type: ignore[arg-type]
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "-q") == 0
        before = project.committed_files()
        assert project.run("--refresh", "-q") == 0
    assert project.committed_files() == before


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500),
        httpx.Response(404),
        httpx.Response(200, text="<html>maintenance</html>"),
        httpx.Response(200, json={"error": "nope"}),
        httpx.Response(200, json={"data": []}),
    ],
)
def test_a_failed_fetch_falls_back_to_the_cache_and_changes_nothing(
    project: Project, answer: httpx.Response, caplog: pytest.LogCaptureFixture
) -> None:
    _age_cache(project, hours=72)
    before = project.snapshot_files()
    result = run(
        project.paths,
        Options(),
        settings=Settings(retries=1, backoff_base=0.001),
        client=_client(lambda r: answer, []),
        now=NOW,
    )
    assert [o.status for o in result.outcomes] == ["fallback"] and not result.changed
    assert project.snapshot_files() == before
    assert "openrouter:" in caplog.text and "using the cached catalog from 3 days ago" in caplog.text


def test_a_failed_fetch_without_a_cache_is_exit_2(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    for path in project.cache.glob("openrouter*"):
        path.unlink()
    with serve({}) as base:  # answers 404 to everything
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run() == 2
    err = capsys.readouterr().err
    assert "openrouter:" in err and "HTTP 404" in err and "no cached catalog to fall back on" in err


def test_check_and_offline_never_touch_the_network(project: Project) -> None:
    hits: list[str] = []

    def count(handler: object) -> tuple[int, dict[str, str], bytes]:
        hits.append("hit")
        return 200, {}, json.dumps(CATALOG).encode()

    _age_cache(project, hours=1000)
    with serve({"/api/v1/models": count, "/api/v1/embeddings/models": count}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--check") == 0
        assert project.run("--offline", "--dry-run") == 0
        assert hits == []
        assert project.run("--dry-run", "-q", "--accept-held") == 0
        assert hits == ["hit", "hit"]


def test_a_catalog_served_from_loopback_is_fetched_end_to_end(project: Project) -> None:
    with serve(
        {
            "/api/v1/models": (200, {}, json.dumps(CATALOG).encode()),
            "/api/v1/embeddings/models": (200, {}, json.dumps(EMBEDDINGS).encode()),
        }
    ) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "-q") == 0
    assert json.loads((project.cache / "openrouter.json").read_text()) == CATALOG
    assert "input_cost_per_token: 2.0e-06" in project.config.read_text()


def test_provider_flag_limits_fetching_and_unknown_names_are_errors(project: Project) -> None:
    seen: list[httpx.Request] = []
    run(project.paths, Options(refresh=True, only=("openrouter",)), client=_client(_serve_catalogs, seen), now=NOW)
    assert len(seen) == 2
    from modelsync.core.errors import InputError

    with pytest.raises(InputError, match="--provider openroute: unknown provider"):
        run(project.paths, Options(only=("openroute",)), client=_client(_serve_catalogs, []), now=NOW)


def test_retry_after_is_honoured_then_the_fetch_succeeds(project: Project) -> None:
    answers = iter([httpx.Response(429, headers={"Retry-After": "0"}), httpx.Response(503)])

    def flaky(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or _serve_catalogs(request)

    started = time.monotonic()
    result = run(
        project.paths, Options(refresh=True), settings=Settings(backoff_base=0.01), client=_client(flaky, []), now=NOW
    )
    assert [o.status for o in result.outcomes] == ["fetched"] and time.monotonic() - started < 5


def test_metadata_never_holds_a_key_from_the_url(tmp_path: Path) -> None:
    cache.write(tmp_path, "x", b"{}", "https://user:pw@h.test/v1/models?key=SECRET&page=2", {}, NOW)
    text = (tmp_path / "x.meta.json").read_text()
    assert "SECRET" not in text and "pw" not in text and "page=2" in text


def test_refresh_when_every_fetch_fails_says_so_and_exits_2(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    with serve({}) as base:  # every path answers 404
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        before = project.snapshot_files()
        assert project.run("--refresh") == 2
    out, err = capsys.readouterr()
    assert "openrouter: GET" in err and "HTTP 404" in err and "using the cached catalog" in err
    assert "--refresh fetched no catalog: every fetch failed" in err and "from the cache as it was" in err
    assert "up to date" not in out + err
    assert project.snapshot_files() == before


def test_refresh_with_one_provider_fetched_is_a_success(project: Project) -> None:
    body = json.dumps(CATALOG).encode()
    routes = {
        "/api/v1/models": (200, {}, body),
        "/api/v1/embeddings/models": (200, {}, json.dumps(EMBEDDINGS).encode()),
    }
    with serve(routes) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "-q") == 0


def test_the_committed_cache_carries_its_real_fetch_time(tmp_path: Path) -> None:
    """A clone's files are all as new as the clone: only the metadata can tell a month-old cache."""
    from modelsync.sources.providers import load_providers
    from modelsync.sources.refresh import is_stale
    from modelsync.sources.store import Store
    from tests.helpers import ROOT

    clone = tmp_path / "cache"
    clone.mkdir()
    for path in (ROOT / "cache").glob("*.json"):
        (clone / path.name).write_bytes(path.read_bytes())  # mtime: now, as after `git clone`
    providers = load_providers(ROOT / "providers.yaml")
    names = [name for p in providers.values() for name in p.urls() if (ROOT / "cache" / f"{name}.json").exists()]
    for name in names:
        meta = cache.read_meta(clone, name)
        assert meta is not None, f"cache/{name}.meta.json is missing or does not match cache/{name}.json"
        assert cache.fetched_at(clone, name) == meta.fetched_at
    oldest = min(cache.read_meta(clone, name).fetched_at for name in names)  # type: ignore[union-attr]
    later = oldest + timedelta(days=30)
    assert all(is_stale(p, Store(clone), later, timedelta(hours=24)) for p in providers.values())
    assert "models_dev" in names and cache.read_meta(clone, "litellm") is not None  # the audit's map too


def test_a_plain_run_whose_fetches_all_fail_does_not_claim_up_to_date(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    _age_cache(project, hours=48)  # stale, so due
    with serve({}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run() == 0  # a plain run uses the cache it has
    out = capsys.readouterr().out
    assert "is up to date from the cache only: no catalog could be fetched" in out


def test_a_document_that_comes_back_byte_for_byte_is_not_parsed_again(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The very bytes cached were proved a catalog when they were stored: no parse, no new memo.
    A changed byte is parsed, normalised and rendered as ever."""
    _age_cache(project, hours=25)
    run(project.paths, Options(), client=_client(_serve_catalogs, []), now=NOW)
    parsed: list[str] = []
    real_parse = cache.parse
    monkeypatch.setattr(cache, "parse", lambda raw, name, source: parsed.append(name) or real_parse(raw, name, source))
    before = project.committed_files()
    again = run(project.paths, Options(refresh=True), client=_client(_serve_catalogs, []), now=NOW)
    assert [o.status for o in again.outcomes] == ["fetched"] and not again.changed
    assert parsed == [] and project.committed_files() == before

    dearer = json.loads(json.dumps(CATALOG))
    dearer["data"][0]["pricing"]["prompt"] = "0.0000025"

    def changed(request: httpx.Request) -> httpx.Response:
        body = EMBEDDINGS if "embeddings" in request.url.path else dearer
        return httpx.Response(200, json=body, headers={"ETag": '"v2"'})

    later = run(project.paths, Options(refresh=True), client=_client(changed, []), now=NOW)
    assert "openrouter" in parsed and later.changed
    assert "input_cost_per_token: 2.5e-06" in project.config.read_text()


def test_the_requests_are_on_their_way_while_the_caller_goes_on(project: Project) -> None:
    """`start` returns once every request is sent; the caller's thread uses the store meanwhile
    (the pipeline recalls the cached catalogs and imports jinja2 there), and `finish` waits."""
    import threading

    from modelsync.pipeline import load_inputs
    from modelsync.sources.refresh import start
    from modelsync.sources.store import Store

    sent, answer = threading.Semaphore(0), threading.Event()

    def held(request: httpx.Request) -> httpx.Response:
        sent.release()
        assert answer.wait(10), "the test never let the server answer"
        return _serve_catalogs(request)

    provider = load_inputs(project.paths).providers["openrouter"]
    store = Store(project.cache)
    with _client(held, []) as client:
        refreshing = start([provider], Settings(), store, client, NOW, force=True)
        assert all(sent.acquire(timeout=10) for _ in provider.urls()), "both requests are in flight"
        assert store.remembered(provider) is not None, "the cached catalog, recalled while they wait"
        answer.set()
        outcomes = refreshing.finish()
    assert [(o.provider, o.status) for o in outcomes] == [("openrouter", "fetched")]
    assert outcomes[0].catalog is not None and len(outcomes[0].catalog.offers) == len(CATALOG["data"])
