"""Our own small catalogs of the gateways, in their real response shapes (PROVIDERS.md "More providers")."""

from __future__ import annotations

from typing import Any

from tests.helpers import openrouter_entry


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
