"""The price table, what normalisers read with it, and where placement puts each price."""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from modelsync.core.catalog import Catalog, Document, Tier, Window
from modelsync.core.errors import InputError
from modelsync.core.prices import BY_NAME, DIMENSIONS, INFO, PARAMS, PER_UNIT_IMAGE, TOKEN
from modelsync.model.deployed import Deployed
from modelsync.model.guards import Limits, guard
from modelsync.model.merge import Deployment, merge
from modelsync.model.overrides import Overrides, load_overrides
from modelsync.model.placement import UNBILLED_KEY, place, placed_by_levels
from modelsync.outputs.changes import FieldChange
from modelsync.outputs.report import summarise
from modelsync.sources.normalisers import NORMALISERS
from modelsync.sources.providers import load_providers
from tests.helpers import ROOT, openrouter_entry, real_catalog

PROVIDERS = load_providers(ROOT / "providers.yaml")


def normalise(shape: str, body: dict[str, Any]) -> Any:
    return NORMALISERS[shape](shape, [Document(shape, "test", body)])


def test_every_row_names_a_real_shape_key_placement_and_fallback() -> None:
    assert len({d.name for d in DIMENSIONS}) == len({d.key for d in DIMENSIONS}) == len(DIMENSIONS)
    shapes = {field for d in DIMENSIONS for field in d.fields}
    assert shapes <= {*NORMALISERS, "novita_decimal", "models_dev"}  # models_dev: sources/models_dev.py
    for dimension in DIMENSIONS:
        assert dimension.placement in (PARAMS, INFO)
        assert dimension.fallback is None or BY_NAME[dimension.fallback].unit == dimension.unit == TOKEN
        assert not dimension.unbilled or dimension.placement == INFO, "shown in /model/info, never billed wrong"


def test_the_real_openrouter_catalog_yields_each_dimension_as_often_as_it_states_it() -> None:
    raw = json.loads(real_catalog("openrouter/2026-08-19-all-modalities.json").read_text())
    offers = {o.id: o for o in normalise("openrouter", raw).offers if not o.price_problem}
    stated: Counter[str] = Counter()
    for entry in raw["data"]:
        pricing = entry["pricing"]
        if entry["id"] not in offers:
            continue
        for dimension in DIMENSIONS:
            fields = dimension.fields.get("openrouter", ())
            for field in (fields,) if isinstance(fields, str) else fields:
                value = Decimal(pricing.get(field, "0"))
                low, high = dimension.accepts
                if (value or dimension.name in ("input", "output")) and low <= value < high:
                    stated[dimension.name] += 1
                    break
    found = Counter(name for offer in offers.values() for name in offer.prices)
    assert found == stated
    assert found["web_search"] == 160 and found["cache_write_1h"] == 32 and found["audio_output"] == 2
    assert found["image_input"] + found["per_image"] == 36  # `image`: per token below $100/M, else per image
    thresholds = Counter(t.above for o in offers.values() for t in o.tiers)
    assert thresholds == {272000: 22, 200000: 18, 128000: 10, 256000: 9, 32000: 5}
    windowed = sorted(o.id for o in offers.values() if o.windows)
    assert windowed == ["deepseek/deepseek-v4-pro", "deepseek/deepseek-v4-pro-0813"]


def _openrouter(**pricing: Any) -> Any:
    entry = openrouter_entry("v/m", **{"pricing": {"prompt": "0.000001", "completion": "0.000002", **pricing}})
    (offer,) = normalise("openrouter", {"data": [entry]}).offers
    return offer


def test_overrides_become_tiers_later_ones_winning_and_time_windows() -> None:
    offer = _openrouter(
        input_cache_read="0.0000001",
        overrides=[
            {"min_prompt_tokens": 32000, "prompt": "0.000002", "input_cache_read": "0.0000002"},
            {"min_prompt_tokens": 256000, "prompt": "0.000004"},
            {"utc_start": 1630, "utc_end": 30, "prompt": "0.0000005"},
        ],
    )
    assert offer.tiers == (
        Tier(32000, {"input": 2e-06, "cache_read": 2e-07}),
        Tier(256000, {"input": 4e-06, "cache_read": 2e-07}),  # the 32k override still applies above 256k
    )
    assert offer.windows == (Window("16:30", "00:30", {"input": 5e-07}),)


def test_an_override_with_conditions_this_tool_cannot_read_needs_a_pin() -> None:
    offer = _openrouter(overrides=[{"min_prompt_tokens": 1000, "utc_start": 100, "utc_end": 200, "prompt": "1"}])
    assert offer.price_problem and "overrides[0]" in offer.price_problem


def test_vercel_tiers_are_read_from_lists_beside_each_price() -> None:
    pricing = {
        "input": "0.000001",
        "output": "0.000002",
        "input_tiers": [{"cost": "0.000001", "min": 0, "max": 128000}, {"cost": "0.000003", "min": 128000}],
    }
    body = {"data": [{"id": "v/m", "type": "language", "pricing": pricing}]}
    (offer,) = normalise("vercel", body).offers
    assert offer.tiers == (Tier(128000, {"input": 3e-06}),)


def test_a_chat_deployment_always_states_its_cache_prices_an_embedding_does_not() -> None:
    chat = place("chat", {"input": 1e-06, "output": 2e-06})
    assert chat.params == {
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 2e-06,
        "cache_read_input_token_cost": 1e-06,
        "cache_creation_input_token_cost": 1e-06,
    }
    assert place("embedding", {"input": 2e-08, "output": 0.0}).params == {
        "input_cost_per_token": 2e-08,
        "output_cost_per_token": 1e-09,
    }


def test_tiers_become_tiered_pricing_with_every_price_resolved() -> None:
    prices = {"input": 1e-06, "output": 2e-06, "cache_read": 1e-07, "reasoning": 3e-06}
    placed = place("chat", prices, [Tier(200000, {"input": 2e-06, "output": 4e-06})])
    assert placed.params["tiered_pricing"] == [
        {
            "range": [0, 200000],
            "input_cost_per_token": 1e-06,
            "output_cost_per_token": 2e-06,
            "cache_read_input_token_cost": 1e-07,
            "cache_creation_input_token_cost": 1e-06,
            "output_cost_per_reasoning_token": 3e-06,
        },
        {
            "range": [200000, 100_000_000],
            "input_cost_per_token": 2e-06,
            "output_cost_per_token": 4e-06,
            "cache_read_input_token_cost": 1e-07,  # a price a tier leaves out stays the base one
            "cache_creation_input_token_cost": 2e-06,  # no write price: the tier's input price
            "output_cost_per_reasoning_token": 3e-06,
        },
    ]


def test_a_modality_price_is_left_to_the_tier_when_it_follows_it_and_said_when_litellm_cannot_bill_it() -> None:
    tier = Tier(200000, {"input": 2e-06, "audio_input": 2e-06})
    follows = place("chat", {"input": 1e-06, "output": 2e-06, "audio_input": 1e-06}, [tier])
    assert "input_cost_per_audio_token" not in follows.params and UNBILLED_KEY not in follows.info
    tier = Tier(200000, {"input": 2e-06, "audio_input": 5e-06})
    apart = place("chat", {"input": 1e-06, "output": 2e-06, "audio_input": 3e-06}, [tier])
    assert apart.params["input_cost_per_audio_token"] == 3e-06
    assert apart.info[UNBILLED_KEY] == ["audio input $5/M above 200,000 tokens: LiteLLM bills $3/M at every size"]


def test_time_windows_become_off_peak_pricing_or_a_note() -> None:
    prices = {"input": 1e-06, "output": 2e-06}
    peak = [Window("01:00", "04:00", {"input": 2e-06, "output": 4e-06}), Window("04:00", "06:00", {})]
    assert place("chat", prices, windows=peak).info["off_peak_pricing"] == {
        "hours_utc": ["01:00-04:00"],
        "input_cost_per_token": 2e-06,
        "output_cost_per_token": 4e-06,
        "cache_read_input_token_cost": 2e-06,
        "cache_creation_input_token_cost": 2e-06,
    }
    two = [Window("01:00", "04:00", {"input": 2e-06}), Window("04:00", "06:00", {"input": 3e-06})]
    assert "LiteLLM bills the base prices" in place("chat", prices, windows=two).info[UNBILLED_KEY][0]


def test_per_unit_prices_go_to_model_info_where_litellm_shows_them() -> None:
    placed = place("chat", {"input": 1e-06, "output": 2e-06, "web_search": 0.01, "per_image": 0.003})
    assert placed.info == {
        "input_cost_per_image": 0.003,
        "search_context_cost_per_query": dict.fromkeys(
            ("search_context_size_low", "search_context_size_medium", "search_context_size_high"), 0.01
        ),
    }
    assert PER_UNIT_IMAGE == 1e-4


def _pinned(tmp_path: Path, pin: str) -> Overrides:
    path = tmp_path / "overrides.yaml"
    path.write_text(f"models:\n  - id: openrouter:a/b\n    pin: {pin}\n")
    return load_overrides(path, PROVIDERS)


def test_every_dimension_can_be_pinned(tmp_path: Path) -> None:
    pins = {d.key: 0.5 if d.unit != TOKEN else 1e-06 for d in DIMENSIONS}
    assert _pinned(tmp_path, json.dumps(pins)).models[0].pins == pins


def test_a_price_per_million_written_per_token_is_refused_with_its_unit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cache_read_input_token_cost") as refused:
        _pinned(tmp_path, "{cache_read_input_token_cost: 0.3}")
    assert "models[0].pin" in refused.value.what and "USD per token" in refused.value.what
    assert "write 3e-07" in refused.value.fix


def _deployment(params: dict[str, Any], info: dict[str, Any] | None = None) -> Deployment:
    base = {"model": "openrouter/a/b", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06}
    return Deployment("openrouter", "m", {**base, **params}, info or {}, "a/b")


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        (
            _deployment({}, {"search_context_cost_per_query": {"search_context_size_medium": 0.01}}),
            _deployment({}, {"search_context_cost_per_query": {"search_context_size_medium": 0.2}}),
            "search_context_cost_per_query would move 20.0× ($0.01/query → $0.2/query)",
        ),
        (
            _deployment({"tiered_pricing": [{"range": [0, 9]}, {"range": [9, 99], "input_cost_per_token": 2e-6}]}),
            _deployment({"tiered_pricing": [{"range": [0, 9]}, {"range": [9, 99], "input_cost_per_token": 3e-5}]}),
            "input_cost_per_token above 9 tokens would move 15.0× ($2/M → $30/M)",
        ),
    ],
)
def test_guards_watch_every_dimension_tiers_included(old: Deployment, new: Deployment, reason: str) -> None:
    kept, held = guard(Deployed.of([old], {}, (), ""), [new], Overrides(), PROVIDERS, Limits())
    assert [h.reason for h in held] == [reason] and kept == [old]


def test_the_report_shows_prices_per_million_or_per_unit_with_a_percentage() -> None:
    tier = FieldChange("tiered_pricing[1].input_cost_per_token", 2.5e-06, 5e-06)
    assert tier.describe() == "tiered_pricing[1].input_cost_per_token: $2.5/M → $5/M (+100%)"
    image = FieldChange("input_cost_per_image", 0.003, 0.004)
    assert image.describe() == "input_cost_per_image: $0.003/image → $0.004/image (+33.3%)"


def test_an_added_model_says_its_prices_context_and_what_litellm_will_not_bill() -> None:
    body = _deployment({}, {"max_input_tokens": 200000, "input_cost_per_request": 0.02}).as_dict()
    assert summarise(body) == (
        "prices: input $1/M, output $2/M, per request $0.02/request; context 200,000 tokens",
        "LiteLLM will not bill per request $0.02/request: it bills no per-request price on chat routes",
    )


def test_the_fast_path_places_every_untiered_real_offer_as_the_full_one_does() -> None:
    raw = json.loads(real_catalog("openrouter/2026-08-19-all-modalities.json").read_text())
    offers = [o for o in normalise("openrouter", raw).offers if not o.tiers and not o.windows]
    assert len(offers) > 400
    for offer in offers:
        assert place(offer.mode, offer.prices) == placed_by_levels(offer.mode, offer.prices, (), ()), offer.id


def test_a_pin_names_only_known_dimensions_and_reads_yaml_exponents(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown key 'input_cost_per_tokens'") as refused:
        _pinned(tmp_path, "{input_cost_per_tokens: 1.0e-06}")
    assert "unknown key 'input_cost_per_tokens'" in refused.value.what
    assert "search_context_cost_per_query" in refused.value.fix
    assert _pinned(tmp_path, "{input_cost_per_token: 1e-06}").models[0].pins == {"input_cost_per_token": 1e-06}


def test_a_rerank_model_listed_at_zero_is_not_free_and_deploys_on_a_per_query_pin() -> None:
    entry = openrouter_entry("cohere/rerank-x", "0", "0")
    entry["architecture"]["output_modalities"] = ["rerank"]
    (offer,) = normalise("openrouter", {"data": [entry]}).offers
    assert offer.price_problem and "input_cost_per_query" in offer.price_problem
    ref = {"id": "openrouter:cohere/rerank-x", "pin": {"input_cost_per_query": 0.002}}
    merged = merge(
        PROVIDERS, Overrides.model_validate({"models": [ref]}), {"openrouter": Catalog("openrouter", (offer,))}
    )
    (deployment,) = merged.deployments
    assert deployment.litellm_params["input_cost_per_query"] == 0.002 and deployment.model_info["mode"] == "rerank"


def test_a_web_search_price_change_is_reported_once_not_per_search_size() -> None:
    from modelsync.outputs.changes import field_changes

    web = "search_context_cost_per_query"
    old = _deployment({}, {web: place("chat", {"web_search": 0.01}).info[web]})
    new = _deployment({}, {web: place("chat", {"web_search": 0.014}).info[web]})
    changes = field_changes(old.as_dict(), new.as_dict())
    assert [c.describe() for c in changes] == ["search_context_cost_per_query: $0.01/query → $0.014/query (+40%)"]
