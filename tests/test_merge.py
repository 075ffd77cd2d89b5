from __future__ import annotations

from typing import Any

import pytest

from modelsync.core.catalog import Catalog, Offer
from modelsync.core.errors import InputError
from modelsync.model.merge import FREE, merge
from modelsync.model.overrides import Overrides
from modelsync.model.stable_id import stable_id
from modelsync.sources.providers import load_providers
from tests.helpers import ROOT

PROVIDERS = load_providers(ROOT / "providers.yaml")
CATALOG = Catalog(
    "openrouter",
    (
        Offer(
            "a/chat-1",
            prices={"input": 1e-06, "output": 2e-06},
            max_input_tokens=1000,
            max_output_tokens=100,
            capabilities=frozenset({"supports_vision"}),
        ),
        Offer("a/chat-1:free", prices={"input": 0.0, "output": 0.0}),
        Offer("a/chat-2-preview", prices={"input": 3e-06, "output": 4e-06}),
        Offer("b/embed", mode="embedding", prices={"input": 2e-08, "output": 0.0}),
        Offer("b/image", mode="image_generation", prices={"input": 1e-06, "output": 1e-06}),
        Offer("openrouter/auto", price_problem="price -1 means a variable price"),
        Offer("~a/chat-latest", prices={"input": 1e-06, "output": 2e-06}, needs_pin="an alias"),
    ),
)


def deployments(overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    merged = merge(PROVIDERS, Overrides.model_validate(overrides), {"openrouter": CATALOG})
    return {d.model_name: d.as_dict() for d in merged.deployments}


def test_globs_select_chat_and_embeddings_but_never_media_aliases_or_routers() -> None:
    chosen = deployments({"providers": {"openrouter": {"include": ["*"], "exclude": ["*-preview"]}}})
    assert sorted(chosen) == ["openrouter/a/chat-1", "openrouter/a/chat-1:free", "openrouter/b/embed"]


def test_a_deployment_carries_route_key_costs_limits_and_capabilities() -> None:
    chosen = deployments({"models": ["openrouter:a/chat-1"]})
    assert chosen["openrouter/a/chat-1"] == {
        "model_name": "openrouter/a/chat-1",
        "litellm_params": {
            "model": "openrouter/a/chat-1",
            "api_key": "os.environ/OPENROUTER_API_KEY",
            "input_cost_per_token": 1e-06,
            "output_cost_per_token": 2e-06,
            # stated although the catalog has no cache prices, so LiteLLM's map never fills them in
            "cache_read_input_token_cost": 1e-06,
            "cache_creation_input_token_cost": 1e-06,
        },
        "model_info": {
            "id": stable_id("openrouter/a/chat-1", "openrouter/a/chat-1", ""),
            "max_input_tokens": 1000,
            "max_output_tokens": 100,
            "supports_vision": True,
        },
    }


def test_free_models_cost_the_free_marker_and_embeddings_say_their_mode() -> None:
    chosen = deployments({"models": ["openrouter:a/chat-1:free", "openrouter:b/embed"]})
    free = chosen["openrouter/a/chat-1:free"]["litellm_params"]
    assert free["input_cost_per_token"] == free["output_cost_per_token"] == FREE
    embed = chosen["openrouter/b/embed"]
    assert embed["model_info"]["mode"] == "embedding"
    assert embed["litellm_params"]["output_cost_per_token"] == FREE


def test_named_model_wins_over_its_glob_pick_and_pins_win_over_the_catalog() -> None:
    chosen = deployments(
        {
            "providers": {"openrouter": {"include": ["a/*"], "params": {"timeout": 30}}},
            "models": [
                {
                    "id": "openrouter:a/chat-1",
                    "name": "chat",
                    "params": {"rpm": 5},
                    "model_info": {"supports_vision": False},
                    "pin": {"input_cost_per_token": 5e-07, "max_output_tokens": 7},
                }
            ],
        }
    )
    assert "openrouter/a/chat-1" not in chosen
    params, info = chosen["chat"]["litellm_params"], chosen["chat"]["model_info"]
    assert params["input_cost_per_token"] == 5e-07 and params["output_cost_per_token"] == 2e-06
    assert params["rpm"] == 5 and params["timeout"] == 30
    assert info["max_output_tokens"] == 7 and info["supports_vision"] is False


def test_equal_names_form_one_load_balanced_group() -> None:
    chosen = merge(
        PROVIDERS,
        Overrides.model_validate(
            {
                "models": [
                    {"id": "openrouter:a/chat-1", "name": "chat"},
                    {"id": "openrouter:a/chat-1:free", "name": "chat"},
                ]
            }
        ),
        {"openrouter": CATALOG},
    ).deployments
    assert [d.model_name for d in chosen] == ["chat", "chat"]


def test_a_variable_price_router_is_skipped_unless_pinned() -> None:
    merged = merge(
        PROVIDERS, Overrides.model_validate({"models": ["openrouter:openrouter/auto"]}), {"openrouter": CATALOG}
    )
    assert not merged.deployments and "variable price" in merged.warnings[0]
    pinned = deployments(
        {
            "models": [
                {
                    "id": "openrouter:openrouter/auto",
                    "pin": {"input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06},
                }
            ]
        }
    )
    assert pinned["openrouter/openrouter/auto"]["litellm_params"]["input_cost_per_token"] == 1e-06


def test_an_alias_named_with_a_pin_is_kept() -> None:
    chosen = deployments(
        {
            "models": [
                {
                    "id": "openrouter:~a/chat-latest",
                    "pin": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
                }
            ]
        }
    )
    assert "openrouter/~a/chat-latest" in chosen


def test_a_media_model_named_explicitly_carries_its_mode() -> None:
    chosen = deployments({"models": ["openrouter:b/image"]})
    assert chosen["openrouter/b/image"]["model_info"]["mode"] == "image_generation"


def test_an_unknown_model_id_is_an_error_with_close_matches() -> None:
    with pytest.raises(InputError, match="a/chat-3 is not in the openrouter catalog") as error:
        deployments({"models": ["openrouter:a/chat-3"]})
    assert "close matches: a/chat-1" in str(error.value)


def test_a_model_gone_from_the_catalog_stays_when_its_costs_are_pinned() -> None:
    merged = merge(
        PROVIDERS,
        Overrides.model_validate(
            {
                "models": [
                    {
                        "id": "openrouter:gone/model",
                        "pin": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06},
                    }
                ]
            }
        ),
        {"openrouter": CATALOG},
    )
    assert [d.model_name for d in merged.deployments] == ["openrouter/gone/model"]
    assert "kept because its costs are pinned" in merged.warnings[0]


def test_a_hand_written_entry_clashing_with_a_generated_one_is_an_error() -> None:
    with pytest.raises(InputError, match="two deployments"):
        deployments(
            {
                "models": ["openrouter:a/chat-1"],
                "entries": [{"model_name": "openrouter/a/chat-1", "litellm_params": {"model": "openrouter/a/chat-1"}}],
            }
        )


def test_the_provider_naming_rule_can_be_overridden() -> None:
    chosen = deployments({"providers": {"openrouter": {"include": ["a/chat-1"], "name": "{model}"}}})
    assert list(chosen) == ["chat-1"]
