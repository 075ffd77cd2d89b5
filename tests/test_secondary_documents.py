"""A failing secondary document (OpenRouter's embeddings list) keeps the main catalog, and names itself."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import yaml

from modelsync.sources.providers import load_providers
from tests.helpers import ROOT, Handler, Project, openrouter_entry, run_generate, serve

EMBEDDING = openrouter_entry("openai/text-embedding-3-small", "0.00000002", "0")
SERVED = json.dumps({"data": [openrouter_entry("vendor/model", "0.000002", "0.000004")]}).encode()
TIGHT = {"MODELSYNC_READ_TIMEOUT": "0.5", "MODELSYNC_TOTAL_TIMEOUT": "3"}
EMBEDDINGS_PATH = "/api/v1/embeddings/models"


def _hangs(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    time.sleep(2.0)  # past the read timeout
    return 200, {}, b'{"data": []}'


FAILURES: dict[str, Handler | tuple[int, dict[str, str], bytes]] = {
    "server_error": (500, {}, b"oops"),
    "timeout": _hangs,
    "bad_json": (200, {}, b'{"data": ['),
    "wrong_shape": (200, {}, b'{"models": {"x": 1}}'),
}


def _project(project: Project, embeddings: list[dict[str, Any]] | None) -> Project:
    """OpenRouter's chat list cached at $1/M; its embeddings list cached as given, or not at all."""
    project.config.unlink()
    named = ["openrouter:vendor/model", *(f"openrouter:{e['id']}" for e in embeddings or [])]
    project.write_overrides({"models": named})
    project.use_catalog("openrouter", {"data": [openrouter_entry("vendor/model")]})
    (project.cache / "openrouter.embeddings.json").unlink()
    if embeddings is not None:
        project.use_catalog("openrouter.embeddings", {"data": embeddings})
    done = run_generate(project, "--offline")
    assert done.returncode == 0, done.stderr
    return project


def _refresh(project: Project, embeddings: Handler | tuple[int, dict[str, str], bytes]) -> Any:
    with serve({"/api/v1/models": (200, {}, SERVED), EMBEDDINGS_PATH: embeddings}) as base:
        text = project.providers.read_text()
        for field in ("catalog_url", "embeddings_url"):
            text = text.replace(f"{field}: https://openrouter.ai", f"{field}: {base}")
        project.providers.write_text(text)
        return run_generate(project, "--refresh", "--provider", "openrouter", env=TIGHT)


def _params(project: Project) -> dict[str, dict[str, Any]]:
    model_list = yaml.safe_load(project.config.read_text())["model_list"]
    return {d["litellm_params"]["model"]: d["litellm_params"] for d in model_list}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_failing_embeddings_list_keeps_the_fresh_main_list_and_the_cached_embeddings(
    project: Project, case: str
) -> None:
    _project(project, [EMBEDDING])
    cached = (project.cache / "openrouter.embeddings.json").read_bytes()
    done = _refresh(project, FAILURES[case])
    assert done.returncode == 0, done.stderr
    assert _params(project)["openrouter/vendor/model"]["input_cost_per_token"] == 2e-06  # the main list refreshed
    assert "openrouter/openai/text-embedding-3-small" in _params(project)  # from the cached embeddings list
    assert (project.cache / "openrouter.embeddings.json").read_bytes() == cached
    assert json.loads((project.cache / "openrouter.json").read_bytes()) == json.loads(SERVED)
    warning = done.stderr
    assert EMBEDDINGS_PATH in warning and f"kept the cached {project.cache / 'openrouter.embeddings.json'}" in warning
    assert "openrouter.json" not in warning and "using the cached catalog" not in warning


def test_with_no_embeddings_cached_the_main_list_stands_and_every_message_names_the_missing_document(
    project: Project,
) -> None:
    _project(project, None)
    done = _refresh(project, (500, {}, b"oops"))
    assert done.returncode == 0, done.stderr
    missing = project.cache / "openrouter.embeddings.json"
    assert f"nothing is cached at {missing}" in done.stderr and f"{EMBEDDINGS_PATH} failed: HTTP 500" in done.stderr
    assert "openrouter.json" not in done.stderr and done.stderr.count("openrouter.embeddings.json") == 1
    assert _params(project)["openrouter/vendor/model"]["input_cost_per_token"] == 2e-06
    offline = run_generate(project, "--offline")
    assert offline.returncode == 0, offline.stderr
    assert f"{missing} does not exist, so the models listed at http://127.0.0.1:" in offline.stderr
    assert "openrouter.json" not in offline.stderr.replace("openrouter.embeddings.json", "")


def test_a_failing_main_list_with_nothing_cached_names_the_main_document(project: Project) -> None:
    _project(project, [EMBEDDING])
    (project.cache / "openrouter.json").unlink()
    (project.cache / "openrouter.meta.json").unlink(missing_ok=True)
    with serve({"/api/v1/models": (500, {}, b"oops"), EMBEDDINGS_PATH: (200, {}, b'{"data": []}')}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        done = run_generate(project, "--refresh", "--provider", "openrouter", env=TIGHT)
    assert done.returncode == 2
    assert "/api/v1/models?output_modalities=all failed: HTTP 500" in done.stderr
    assert f"save the catalog to {project.cache / 'openrouter.json'}" in done.stderr


def test_the_mirror_advice_lists_every_document_each_provider_reads() -> None:
    section = (ROOT / "docs" / "providers.md").read_text().partition("## Mirrors")[2].partition("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    for name, provider in load_providers(ROOT / "providers.yaml").items():
        (row,) = [row for row in rows if f"`{name}`" in row.split("|")[1]]
        said = {"catalog_url": provider.catalog_url, "embeddings_url": provider.embeddings_url}
        for key, url in said.items():
            assert (f"`{key}`" in row) == (url is not None), (name, key)
        assert ("models_dev.json" in row) == bool(provider.shared_urls()), name
        for document in provider.secondary_urls():
            assert f"`{document}.json` (secondary)" in row


def test_a_failing_models_dev_names_its_url_and_cache_file(project: Project) -> None:
    """models.dev is the other document many providers read: its failure names it, not a reader's catalog."""
    project.config.unlink()
    project.write_overrides({"providers": {"deepseek": {"include": ["*"]}}})
    assert run_generate(project, "--offline").returncode == 0
    with serve({"/api.json": (500, {}, b"oops")}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://models.dev", base))
        done = run_generate(project, "--refresh", "--provider", "deepseek", env=TIGHT)
    assert f"models.dev: GET {base}/api.json failed: HTTP 500" in done.stderr
    assert f"using the cached copy {project.cache / 'models_dev.json'} from" in done.stderr
    assert "deepseek.json" not in done.stderr
