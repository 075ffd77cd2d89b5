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

from modelsync.catalog import Document
from modelsync.sources.providers import load_providers
from modelsync.sources.store import normalise
from tests.helpers import ROOT, Project, assert_tiers_rendered, openrouter_entry, real_catalog

PROVIDERS = load_providers(ROOT / "providers.yaml")
FREE = 1.0e-09


def per_token(per_million: Any) -> float:
    return float(Decimal(str(per_million)) / 1_000_000)


def close(a: Any, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


def _model(model_id: str, cost: dict[str, Any] | None, context: int, npm: str | None = None) -> dict[str, Any]:
    model: dict[str, Any] = {
        "id": model_id,
        "name": model_id,
        "limit": {"context": context, "output": 32768},
        "modalities": {"input": ["text"], "output": ["text"]},
        "tool_call": True,
    }
    if cost is not None:
        model["cost"] = cost
    if npm:
        model["provider"] = {"npm": npm}
    return model


MODELS_DEV = {
    "fireworks-ai": {
        "id": "fireworks-ai",
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://api.fireworks.ai/inference/v1/",
        "env": ["FIREWORKS_API_KEY"],
        "models": {
            "accounts/fireworks/models/kimi-k2-instruct": _model(
                "accounts/fireworks/models/kimi-k2-instruct", {"input": 1, "output": 3}, 128000
            ),
            "accounts/fireworks/models/deepseek-v3p2": _model(
                "accounts/fireworks/models/deepseek-v3p2", {"input": 0.56, "output": 1.68, "cache_read": 0.28}, 160000
            ),
        },
    },
    "opencode": {
        "id": "opencode",
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://opencode.ai/zen/v1",
        "env": ["OPENCODE_API_KEY"],
        "models": {
            "claude-sonnet-4-5": _model(
                "claude-sonnet-4-5",
                {
                    "input": 3,
                    "output": 15,
                    "cache_read": 0.3,
                    "cache_write": 3.75,
                    "tiers": [{"input": 6, "output": 22.5, "tier": {"type": "context", "size": 200000}}],
                },
                1000000,
                "@ai-sdk/anthropic",
            ),
            "glm-5.1": _model("glm-5.1", {"input": 1.4, "output": 4.4, "cache_read": 0.26}, 202752),
            "big-pickle": _model("big-pickle", {"input": 0, "output": 0, "cache_read": 0}, 200000),
        },
    },
    "opencode-go": {
        "id": "opencode-go",
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://opencode.ai/zen/go/v1",
        "env": ["OPENCODE_API_KEY"],
        "models": {
            "kimi-k2.6": _model("kimi-k2.6", {"input": 0.95, "output": 4, "cache_read": 0.16}, 262144),
            "minimax-m2.7": _model(
                "minimax-m2.7", {"input": 0.3, "output": 1.2, "cache_read": 0.06}, 196608, "@ai-sdk/anthropic"
            ),
        },
    },
}
FIREWORKS_LIST = {
    "object": "list",
    "data": [
        {
            "id": "accounts/fireworks/models/kimi-k2-instruct",
            "object": "model",
            "owned_by": "fireworks",
            "created": 1752000000,
            "kind": "HF_BASE_MODEL",
            "supports_chat": True,
            "supports_image_input": False,
            "supports_tools": True,
            "context_length": 131072,
        },
        {
            "id": "accounts/fireworks/models/deepseek-v3p2",
            "object": "model",
            "owned_by": "fireworks",
            "created": 1760000000,
            "kind": "HF_BASE_MODEL",
            "supports_chat": True,
            "supports_image_input": False,
            "supports_tools": True,
            "context_length": 163840,
        },
        {
            "id": "accounts/fireworks/models/qwen3-vl-new",
            "object": "model",
            "owned_by": "fireworks",
            "created": 1764000000,
            "kind": "HF_BASE_MODEL",
            "supports_chat": True,
            "supports_image_input": True,
            "supports_tools": False,
            "context_length": 262144,
        },
        {
            "id": "accounts/fireworks/models/llama-base-8b",
            "object": "model",
            "kind": "HF_BASE_MODEL",
            "supports_chat": False,
            "context_length": 8192,
        },
        {"id": "accounts/me/models/my-lora", "object": "model", "kind": "HF_PEFT_ADDON", "supports_chat": True},
        {
            "id": "accounts/fireworks/models/nomic-embed-text-v1p5",
            "object": "model",
            "kind": "EMBEDDING_MODEL",
            "supports_chat": False,
            "context_length": 8192,
        },
    ],
}
OLLAMA_TAGS = {
    "models": [
        {
            "name": "gpt-oss:120b",
            "model": "gpt-oss:120b",
            "modified_at": "2025-08-05T12:00:00Z",
            "size": 65369818941,
            "digest": "a9a2b5f3c6d1e4f7a9a2b5f3c6d1e4f7a9a2b5f3c6d1e4f7a9a2b5f3c6d1e4f7",
            "details": {
                "format": "gguf",
                "family": "gptoss",
                "families": ["gptoss"],
                "parameter_size": "116.8B",
                "quantization_level": "MXFP4",
            },
        },
        {
            "name": "deepseek-v3.1:671b",
            "model": "deepseek-v3.1:671b",
            "modified_at": "2025-08-21T09:00:00Z",
            "size": 404430188519,
            "digest": "b1c2",
            "details": {"family": "deepseek2", "parameter_size": "671B"},
        },
        {"model": "qwen3-coder:480b", "modified_at": "2025-07-30T00:00:00Z", "size": 1, "digest": "c3"},
        {"size": 1, "digest": "no-name"},
    ]
}
ZEN_LIST = {
    "object": "list",
    "data": [
        {"id": "claude-sonnet-4-5", "object": "model", "created": 1759104000, "owned_by": "opencode"},
        {"id": "glm-5.1", "object": "model", "created": 1775520000, "owned_by": "opencode"},
        {"id": "big-pickle", "object": "model", "created": 1760000000, "owned_by": "opencode"},
        {"id": "brand-new-model", "object": "model", "created": 1780000000, "owned_by": "opencode"},
    ],
}
GO_LIST = {
    "object": "list",
    "data": [
        {"id": "kimi-k2.6", "object": "model", "created": 1776211200, "owned_by": "opencode"},
        {"id": "minimax-m2.7", "object": "model", "created": 1773878400, "owned_by": "opencode"},
    ],
}
KILO = {
    "data": [
        openrouter_entry(
            "anthropic/claude-haiku-4.5",
            "0.000001",
            "0.000005",
            pricing={
                "prompt": "0.000001",
                "completion": "0.000005",
                "input_cache_read": "0.0000001",
                "input_cache_write": "0.00000125",
            },
        ),
        openrouter_entry("z-ai/glm-4.6:free", "0", "0"),
        openrouter_entry("kilo/auto", "-1", "-1"),
    ]
}


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
