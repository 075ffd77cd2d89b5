"""Every provider's normaliser, on real catalogs where one was saved and on our fixtures elsewhere."""

from __future__ import annotations

import json
import math
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest

from modelsync.core.catalog import Catalog, Document
from modelsync.sources.normalisers import NORMALISERS
from modelsync.sources.providers import identify, load_providers
from tests.helpers import ROOT, real_catalog

PROVIDERS = load_providers(ROOT / "providers.yaml")


def normalise(provider: str, body: Any, name: str | None = None) -> Catalog:
    return NORMALISERS[PROVIDERS[provider].normaliser](provider, [Document(name or provider, "test", body)])


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


def test_every_provider_in_providers_yaml_has_a_normaliser_and_a_key_reference() -> None:
    assert set(PROVIDERS) == {
        "openrouter",
        "requesty",
        "novita",
        "nano_gpt",
        "vercel",
        "poe",
        "nvidia",
        "openai",
        "anthropic",
        "gemini",
        "deepseek",
        "groq",
        "mistral",
        "xai",
        "kilo",
        "ollama_cloud",
        "fireworks",
        "opencode",
        "opencode_go",
    }
    for provider in PROVIDERS.values():
        assert provider.route.api_key and provider.route.params("x")["api_key"].startswith("os.environ/")


# --- real catalogs ------------------------------------------------------------------------


def test_vercel_real_catalog() -> None:
    raw = json.loads(real_catalog("vercel/2025-11-18.json").read_text())
    catalog = normalise("vercel", raw)
    assert len(catalog.offers) == 144 and not catalog.skipped
    assert Counter(o.mode for o in catalog.offers) == {"chat": 127, "embedding": 17}
    offers = catalog.by_id()
    for entry in raw["data"]:
        offer = offers[entry["id"]]
        assert close(offer.input_cost, float(Decimal(entry["pricing"]["input"])))
        assert close(offer.output_cost, float(Decimal(entry["pricing"]["output"])))
        if "input_cache_read" in entry["pricing"] and float(entry["pricing"]["input_cache_read"]):
            assert close(offer.prices.get("cache_read"), float(Decimal(entry["pricing"]["input_cache_read"])))
    embed = offers["amazon/titan-embed-text-v2"]
    assert embed.mode == "embedding" and embed.max_input_tokens is None and embed.output_cost == 0


def test_nvidia_real_catalog_collapses_repeated_ids_and_is_free() -> None:
    raw = json.loads(real_catalog("nvidia/2026-05-03.json").read_text())
    catalog = normalise("nvidia", raw)
    assert len(raw["data"]) == 141 and len(catalog.offers) == len({e["id"] for e in raw["data"]}) == 135
    assert all(o.input_cost == 0 and o.output_cost == 0 for o in catalog.offers)


def test_novita_real_catalog_units_are_ten_thousandths_of_a_dollar_per_million() -> None:
    raw = json.loads(real_catalog("novita/2025-05-02-two-models.json").read_text())
    offers = normalise("novita", raw).by_id()
    prover = offers["deepseek/deepseek-prover-v2-671b"]  # 7000 → $0.70 per million
    assert close(prover.input_cost, 7e-07) and close(prover.output_cost, 2.5e-06)
    assert prover.max_input_tokens == 160000 and prover.max_output_tokens == 160000


def test_openai_real_catalog_modes() -> None:
    raw = json.loads(real_catalog("openai/2026-08-17.json").read_text())
    offers = normalise("openai", raw).by_id()
    assert len(offers) == 118
    expected = {
        "gpt-4o": "chat",
        "text-embedding-3-small": "embedding",
        "whisper-1": "audio_transcription",
        "tts-1": "audio_speech",
        "gpt-image-1": "image_generation",
        "sora-2": "video_generation",
        "omni-moderation-latest": "moderation",
        "gpt-realtime": "realtime",
        "davinci-002": "completion",
        "gpt-5.5-pro": "chat",
        "gpt-4o-mini-transcribe": "audio_transcription",
    }
    assert {i: offers[i].mode for i in expected} == expected
    assert all(o.input_cost is None and o.price_problem is None for o in offers.values())


def test_anthropic_real_catalog() -> None:
    raw = json.loads(real_catalog("anthropic/2026-08-17.json").read_text())
    offers = normalise("anthropic", raw).by_id()
    assert len(offers) == 10
    for entry in raw["data"]:
        offer = offers[entry["id"]]
        assert offer.max_input_tokens == entry["max_input_tokens"] and offer.max_output_tokens == entry["max_tokens"]
        assert ("supports_vision" in offer.capabilities) == entry["capabilities"]["image_input"]["supported"]


def test_gemini_real_catalog_page() -> None:
    raw = json.loads(real_catalog("gemini/2025-12-25-page1.json").read_text())
    catalog = normalise("gemini", raw)
    offers = catalog.by_id()
    assert len(offers) + len(catalog.skipped) == 50
    assert [s.id for s in catalog.skipped] == ["aqa"]
    assert offers["gemini-2.5-flash"].max_input_tokens == 1048576 and offers["gemini-2.5-flash"].mode == "chat"
    assert offers["gemini-embedding-001"].mode == "embedding"
    assert offers["imagen-4.0-generate-001"].mode == "image_generation"
    assert offers["veo-3.0-generate-001"].mode == "video_generation"
    assert offers["gemini-2.5-flash-preview-tts"].mode == "audio_speech"


# --- our fixtures, in the shapes PROVIDERS.md gives -----------------------------------------


def test_requesty_numbers_in_usd_per_token_with_cache_prices() -> None:
    body = {
        "data": [
            {
                "id": "anthropic/claude-haiku-4-5",
                "input_price": 1e-06,
                "output_price": 5e-06,
                "caching_price": 1.25e-06,
                "cached_price": 1e-07,
                "context_window": 200000,
                "max_output_tokens": 64000,
                "supports_vision": True,
                "supports_tool_calling": True,
                "api": "chat",
                "description": "x",
                "future_field": {"ignored": True},
            },
            {
                "id": "coding/gemini-2.5-flash",
                "input_price": 3.0000000000000004e-07,
                "output_price": 2.5e-06,
                "caching_price": None,
                "cached_price": None,
            },
            {"id": "broken/model", "input_price": None, "output_price": 1e-06},
            {"input_price": 1e-06, "output_price": 1e-06},
        ]
    }
    catalog = normalise("requesty", body)
    offers = catalog.by_id()
    haiku = offers["anthropic/claude-haiku-4-5"]
    assert haiku.prices == {"input": 1e-06, "output": 5e-06, "cache_read": 1e-07, "cache_write": 1.25e-06}
    assert haiku.capabilities == {"supports_vision", "supports_function_calling"}
    assert offers["coding/gemini-2.5-flash"].input_cost == 3e-07  # float noise dropped
    assert offers["broken/model"].price_problem == "no input or output price"
    assert [s.reason for s in catalog.skipped] == ["entry has no id"]


def test_nano_gpt_numbers_per_million_with_float_noise() -> None:
    body = {
        "object": "list",
        "data": [
            {
                "id": "gpt-4o-mini",
                "context_length": 128000,
                "max_output_tokens": 16384,
                "capabilities": {"vision": True, "tool_calling": True},
                "pricing": {"prompt": 0.15, "completion": 0.6, "currency": "USD", "unit": "per_million_tokens"},
            },
            {
                "id": "noisy",
                "pricing": {
                    "prompt": 2.5500000000000003,
                    "completion": 10.200000000000001,
                    "unit": "per_million_tokens",
                    "currency": "USD",
                },
            },
            {"id": "euro", "pricing": {"prompt": 1, "completion": 2, "unit": "per_million_tokens", "currency": "EUR"}},
            {"id": "no-pricing", "context_length": None},
        ],
    }
    offers = normalise("nano_gpt", body).by_id()
    assert offers["gpt-4o-mini"].input_cost == 1.5e-07 and offers["gpt-4o-mini"].output_cost == 6e-07
    assert offers["noisy"].input_cost == 2.55e-06 and offers["noisy"].output_cost == 1.02e-05
    assert "EUR" in (offers["euro"].price_problem or "")
    assert offers["no-pricing"].price_problem and offers["no-pricing"].max_input_tokens is None


def test_novita_newer_decimal_layout() -> None:
    body = {
        "data": [
            {
                "id": "new/model",
                "status": 1,
                "model_type": "chat",
                "context_size": 32000,
                "pricing": {"prompt": {"price_per_m_decimal": "0.27"}, "completion": {"price_per_m_decimal": "1.1"}},
            }
        ]
    }
    (offer,) = normalise("novita", body).offers
    assert offer.input_cost == 2.7e-07 and offer.output_cost == 1.1e-06


def test_poe_strings_or_null_and_millisecond_timestamps() -> None:
    body = {
        "object": "list",
        "data": [
            {
                "id": "Claude-Haiku-4.5",
                "created": 1760486400000,
                "owned_by": "Anthropic",
                "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
                "supported_features": ["tools"],
                "pricing": {"prompt": "0.00000085", "completion": "0.0000043"},
                "context_window": None,
                "context_length": None,
                "metadata": {"display_name": "Claude-Haiku-4.5"},
            },
            {"id": "Assistant", "pricing": None, "architecture": None},
            {"id": "Half-Priced", "pricing": {"prompt": "0.000001", "completion": None}},
        ],
    }
    offers = normalise("poe", body).by_id()
    haiku = offers["Claude-Haiku-4.5"]
    assert haiku.input_cost == 8.5e-07 and haiku.output_cost == 4.3e-06 and haiku.max_input_tokens is None
    assert haiku.capabilities == {"supports_vision", "supports_function_calling"}
    assert offers["Assistant"].price_problem and offers["Half-Priced"].price_problem


def test_vercel_empty_pricing_and_unknown_types() -> None:
    body = {
        "data": [
            {"id": "a/new", "type": "language", "pricing": {}},
            {"id": "a/hologram", "type": "hologram", "pricing": {"input": "0.1", "output": "0.1"}},
        ]
    }
    catalog = normalise("vercel", body)
    assert catalog.by_id()["a/new"].price_problem
    assert [s.id for s in catalog.skipped] == ["a/hologram"]


# --- routes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "params"),
    [
        ("openrouter", {"model": "openrouter/x/y", "api_key": "os.environ/OPENROUTER_API_KEY"}),
        (
            "requesty",
            {
                "model": "openai/x/y",
                "api_base": "https://router.requesty.ai/v1",
                "api_key": "os.environ/REQUESTY_API_KEY",
            },
        ),
        ("novita", {"model": "novita/x/y", "api_key": "os.environ/NOVITA_API_KEY"}),
        ("nano_gpt", {"model": "nano-gpt/x/y", "api_key": "os.environ/NANOGPT_API_KEY"}),
        ("vercel", {"model": "vercel_ai_gateway/x/y", "api_key": "os.environ/VERCEL_AI_GATEWAY_API_KEY"}),
        ("poe", {"model": "poe/x/y", "api_key": "os.environ/POE_API_KEY"}),
        ("nvidia", {"model": "nvidia_nim/x/y", "api_key": "os.environ/NVIDIA_NIM_API_KEY"}),
        ("openai", {"model": "openai/x/y", "api_key": "os.environ/OPENAI_API_KEY"}),
        ("anthropic", {"model": "anthropic/x/y", "api_key": "os.environ/ANTHROPIC_API_KEY"}),
        ("gemini", {"model": "gemini/x/y", "api_key": "os.environ/GEMINI_API_KEY"}),
    ],
)
def test_each_provider_routes_as_litellm_expects_and_is_recognised_back(provider: str, params: dict[str, str]) -> None:
    assert PROVIDERS[provider].route.params("x/y") == params
    assert identify(PROVIDERS, params) == provider
