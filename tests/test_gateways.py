"""The gateways users run next: Kilo, Ollama Cloud, Fireworks, OpenCode Zen and OpenCode Go.

Each on our own fixtures in its real response shape (PROVIDERS.md "More providers"), rendered
through the whole pipeline, and the models.dev-priced ones on the real models.dev snapshot.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any

import pytest
import yaml

from modelsync.core.catalog import Document
from modelsync.sources.providers import load_providers
from modelsync.sources.store import normalise
from tests.gateway_catalogs import FIREWORKS_LIST, GO_LIST, KILO, MODELS_DEV, OLLAMA_TAGS, ZEN_LIST
from tests.helpers import ROOT, Project, assert_tiers_rendered, real_catalog

PROVIDERS = load_providers(ROOT / "providers.yaml")
FREE = 1.0e-09


def per_token(per_million: Any) -> float:
    return float(Decimal(str(per_million)) / 1_000_000)


def close(a: Any, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


def _offers(provider: str, own: Any, models_dev: Any = MODELS_DEV) -> dict[str, Any]:
    docs = {provider: Document(provider, "test", own)}
    if PROVIDERS[provider].shared_urls():
        docs["models_dev"] = Document("models_dev", "test", models_dev)
    return {o.id: o for o in normalise(PROVIDERS[provider], docs).offers} | {
        s.id: s for s in normalise(PROVIDERS[provider], docs).skipped
    }


def test_kilo_reads_openrouters_shape_with_its_own_prices() -> None:
    offers = _offers("kilo", KILO)
    haiku = offers["anthropic/claude-haiku-4.5"]
    assert haiku.prices == {"input": 1e-06, "output": 5e-06, "cache_read": 1e-07, "cache_write": 1.25e-06}
    assert haiku.price_source is None  # its own list
    assert offers["kilo/auto"].price_problem == "prompt: price -1 means a variable price"
    assert not PROVIDERS["kilo"].shared_urls(), "a list with prices never waits for models.dev"


def test_ollama_cloud_lists_names_and_is_free_by_subscription() -> None:
    offers = _offers("ollama_cloud", OLLAMA_TAGS)
    assert sorted(o for o in offers if ":" in o) == ["deepseek-v3.1:671b", "gpt-oss:120b", "qwen3-coder:480b"]
    assert all(offers[i].input_cost == 0 == offers[i].output_cost for i in ("gpt-oss:120b", "qwen3-coder:480b"))
    assert offers["ollama_cloud[3]"].reason == "entry has no id"


def test_fireworks_ids_and_context_from_its_list_prices_from_models_dev() -> None:
    offers = _offers("fireworks", FIREWORKS_LIST)
    kimi = offers["accounts/fireworks/models/kimi-k2-instruct"]
    assert (kimi.input_cost, kimi.output_cost, kimi.price_source) == (1e-06, 3e-06, "models.dev")
    assert kimi.max_input_tokens == 131072, "the list's own context length wins over models.dev's 128000"
    assert offers["accounts/fireworks/models/deepseek-v3p2"].prices["cache_read"] == 2.8e-07
    fresh = offers["accounts/fireworks/models/qwen3-vl-new"]
    assert fresh.input_cost is None and fresh.price_source is None and "supports_vision" in fresh.capabilities
    assert offers["accounts/fireworks/models/llama-base-8b"].mode == "completion"
    assert offers["accounts/fireworks/models/nomic-embed-text-v1p5"].mode == "embedding"
    assert offers["accounts/me/models/my-lora"].reason.startswith("a LoRA add-on")


def test_opencode_zen_takes_models_dev_prices_for_the_ids_it_lists() -> None:
    offers = _offers("opencode", ZEN_LIST)
    assert set(offers) == {"claude-sonnet-4-5", "glm-5.1", "big-pickle", "brand-new-model"}  # its list decides
    assert offers["glm-5.1"].input_cost == 1.4e-06 and offers["big-pickle"].input_cost == 0.0
    assert offers["brand-new-model"].input_cost is None  # unpriced: reported, LiteLLM's map bills it
    assert offers["claude-sonnet-4-5"].sdk == "@ai-sdk/anthropic"


def _deployments(project: Project, cached: dict[str, Any], models: list[Any]) -> dict[str, dict[str, Any]]:
    for name, body in cached.items():
        project.use_catalog(name, body)
    project.write_overrides({"models": models})
    assert project.run("--offline", "-q") == 0
    return {d["model_name"]: d for d in yaml.safe_load(project.config.read_text())["model_list"]}


def test_every_gateway_renders_with_its_route_and_key(project: Project) -> None:
    deployments = _deployments(
        project,
        {
            "kilo": KILO,
            "ollama_cloud": OLLAMA_TAGS,
            "fireworks": FIREWORKS_LIST,
            "opencode": ZEN_LIST,
            "opencode_go": GO_LIST,
            "models_dev": MODELS_DEV,
        },
        [
            "kilo:anthropic/claude-haiku-4.5",
            "ollama_cloud:gpt-oss:120b",
            {
                "id": "ollama_cloud:deepseek-v3.1:671b",
                "name": "pinned-ollama",
                "pin": {"input_cost_per_token": 2e-07, "output_cost_per_token": 8e-07},
            },
            "fireworks:accounts/fireworks/models/kimi-k2-instruct",
            "opencode:glm-5.1",
            "opencode:claude-sonnet-4-5",
            "opencode_go:kimi-k2.6",
            "opencode_go:minimax-m2.7",
        ],
    )
    routes = {
        name: (d["litellm_params"]["model"], d["litellm_params"].get("api_base"), d["litellm_params"]["api_key"])
        for name, d in deployments.items()
    }
    assert routes == {
        "kilo/anthropic/claude-haiku-4.5": (
            "openai/anthropic/claude-haiku-4.5",
            "https://api.kilo.ai/api/gateway",
            "os.environ/KILO_API_KEY",
        ),
        "ollama/gpt-oss:120b": ("ollama_chat/gpt-oss:120b", "https://ollama.com", "os.environ/OLLAMA_API_KEY"),
        "pinned-ollama": ("ollama_chat/deepseek-v3.1:671b", "https://ollama.com", "os.environ/OLLAMA_API_KEY"),
        "fireworks/kimi-k2-instruct": (
            "fireworks_ai/accounts/fireworks/models/kimi-k2-instruct",
            None,
            "os.environ/FIREWORKS_AI_API_KEY",
        ),
        "opencode/glm-5.1": ("openai/glm-5.1", "https://opencode.ai/zen/v1", "os.environ/OPENCODE_API_KEY"),
        "opencode/claude-sonnet-4-5": (
            "anthropic/claude-sonnet-4-5",
            "https://opencode.ai/zen",
            "os.environ/OPENCODE_API_KEY",
        ),
        "opencode-go/kimi-k2.6": ("openai/kimi-k2.6", "https://opencode.ai/zen/go/v1", "os.environ/OPENCODE_API_KEY"),
        "opencode-go/minimax-m2.7": (
            "anthropic/minimax-m2.7",
            "https://opencode.ai/zen/go",
            "os.environ/OPENCODE_API_KEY",
        ),
    }
    ollama = deployments["ollama/gpt-oss:120b"]["litellm_params"]
    assert ollama["input_cost_per_token"] == FREE == ollama["output_cost_per_token"]
    assert deployments["pinned-ollama"]["litellm_params"]["input_cost_per_token"] == 2e-07
    go = deployments["opencode-go/minimax-m2.7"]["litellm_params"]
    assert (go["input_cost_per_token"], go["cache_read_input_token_cost"]) == (3e-07, 6e-08)
    assert deployments["fireworks/kimi-k2-instruct"]["model_info"]["max_input_tokens"] == 131072


def test_opencode_go_is_one_provider_whose_import_knows_both_routes(project: Project) -> None:
    from modelsync.sources.providers import identify

    assert identify(PROVIDERS, {"model": "anthropic/minimax-m2.7", "api_base": "https://opencode.ai/zen/go"}) == (
        "opencode_go"
    )
    assert identify(PROVIDERS, {"model": "openai/kimi-k2.6", "api_base": "https://opencode.ai/zen/go/v1"}) == (
        "opencode_go"
    )
    assert identify(PROVIDERS, {"model": "anthropic/claude-haiku-4-5"}) == "anthropic"


# --- the real models.dev snapshot -----------------------------------------------------------

LISTED = {"fireworks": "fireworks-ai", "opencode": "opencode", "opencode_go": "opencode-go"}


def _list_of(provider: str, ids: list[str]) -> dict[str, Any]:
    """A list in the gateway's own shape, of the ids models.dev has for it."""
    if provider == "fireworks":
        return {
            "object": "list",
            "data": [
                {"id": i, "object": "model", "kind": "HF_BASE_MODEL", "supports_chat": True, "context_length": 131072}
                for i in ids
            ],
        }
    return {"object": "list", "data": [{"id": i, "object": "model", "created": 0, "owned_by": "opencode"} for i in ids]}


@pytest.mark.parametrize("provider", sorted(LISTED))
def test_real_snapshot_prices_the_gateways_per_token(provider: str, project: Project) -> None:
    snapshot = json.loads(real_catalog("models.dev/2026-05-21-api.json").read_text())
    models = snapshot[LISTED[provider]]["models"]
    project.use_catalog("models_dev", real_catalog("models.dev/2026-05-21-api.json"))
    project.use_catalog(provider, _list_of(provider, sorted(models)))
    project.write_overrides({"providers": {provider: {"include": ["*"]}}})
    assert project.run("--offline", "-q") == 0
    deployments = yaml.safe_load(project.config.read_text())["model_list"]
    assert len(deployments) >= len([m for m in models.values() if "cost" in m]) - 1
    anthropic_style = 0
    for deployment in deployments:
        params = deployment["litellm_params"]
        prefix, _, model_id = params["model"].partition("/")
        model = models[model_id]
        cost = model["cost"]
        assert close(params["input_cost_per_token"], per_token(cost["input"]) or FREE)
        assert close(params["output_cost_per_token"], per_token(cost["output"]) or FREE)
        for key, field in (
            ("cache_read_input_token_cost", "cache_read"),
            ("cache_creation_input_token_cost", "cache_write"),
        ):
            if cost.get(field):
                assert close(params[key], per_token(cost[field])), (model_id, key)
        assert_tiers_rendered(params, cost)
        npm = (model.get("provider") or {}).get("npm")
        if provider == "opencode_go":
            assert prefix == ("anthropic" if npm == "@ai-sdk/anthropic" else "openai"), model_id
            anthropic_style += prefix == "anthropic"
        if provider != "fireworks":  # Fireworks' own list states the context length
            limit = model["limit"]
            assert deployment["model_info"]["max_input_tokens"] == (limit.get("input") or limit["context"])
    if provider == "opencode_go":
        assert anthropic_style == 4


def test_real_snapshot_kilo_and_ollama_cloud_in_their_own_shapes(project: Project) -> None:
    """Kilo's list (OpenRouter's shape) and Ollama Cloud's /api/tags, made of the snapshot's models."""
    snapshot = json.loads(real_catalog("models.dev/2026-05-21-api.json").read_text())
    kilo = {m: e for m, e in snapshot["kilo"]["models"].items() if "cost" in e and e.get("status") != "deprecated"}
    as_string = lambda value: format(Decimal(str(value)) / 1_000_000, "f")  # noqa: E731 - per token, as Kilo sends
    project.use_catalog(
        "kilo",
        {
            "data": [
                {
                    "id": model_id,
                    "name": entry["name"],
                    "context_length": entry["limit"]["context"],
                    "architecture": {
                        "input_modalities": entry["modalities"]["input"],
                        "output_modalities": entry["modalities"]["output"],
                    },
                    "pricing": {
                        "prompt": as_string(entry["cost"]["input"]),
                        "completion": as_string(entry["cost"]["output"]),
                        **(
                            {"input_cache_read": as_string(entry["cost"]["cache_read"])}
                            if entry["cost"].get("cache_read")
                            else {}
                        ),
                    },
                    "top_provider": {"context_length": entry["limit"]["context"], "max_completion_tokens": None},
                }
                for model_id, entry in kilo.items()
            ]
        },
    )
    ollama = snapshot["ollama-cloud"]["models"]
    project.use_catalog(
        "ollama_cloud",
        {
            "models": [
                {
                    "name": name,
                    "model": name,
                    "modified_at": "2026-05-20T00:00:00Z",
                    "size": 1,
                    "digest": "d",
                    "details": {},
                }
                for name in ollama
            ]
        },
    )
    project.write_overrides({"providers": {"kilo": {"include": ["*"]}, "ollama_cloud": {"include": ["*"]}}})
    assert project.run("--offline", "-q") == 0
    deployments = yaml.safe_load(project.config.read_text())["model_list"]
    served = {d["litellm_params"]["model"]: d["litellm_params"] for d in deployments}
    assert {m for m in served if m.startswith("ollama_chat/")} == {f"ollama_chat/{name}" for name in ollama}
    assert all(p["input_cost_per_token"] == FREE for m, p in served.items() if m.startswith("ollama_chat/"))
    chat = [m for m, e in kilo.items() if "text" in e["modalities"]["output"] and not m.startswith("~")]  # aliases
    assert len(chat) > 200
    for model_id in chat:
        params, cost = served[f"openai/{model_id}"], kilo[model_id]["cost"]
        assert close(params["input_cost_per_token"], per_token(cost["input"]) or FREE), model_id
        assert close(params["output_cost_per_token"], per_token(cost["output"]) or FREE), model_id
        if cost.get("cache_read"):
            assert close(params["cache_read_input_token_cost"], per_token(cost["cache_read"])), model_id
