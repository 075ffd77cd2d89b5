"""models.dev as a source: whole catalogs (DeepSeek, Groq, Mistral, xAI) and prices for unpriced lists.

Checked on our own small documents in models.dev's shape and on the real snapshot, where every
price, cache price, tier and limit must equal the snapshot's, per token.
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

import pytest
import yaml

from modelsync.core.catalog import Catalog, Document, PriceError
from modelsync.outputs import stamp
from modelsync.pipeline import Options, run
from modelsync.sources.models_dev import prices
from modelsync.sources.providers import load_providers
from modelsync.sources.store import normalise
from tests.helpers import ROOT, Project, assert_tiers_rendered, real_catalog

PROVIDERS = load_providers(ROOT / "providers.yaml")
SNAPSHOT = "models.dev/2026-05-21-api.json"
WHOLE = {"deepseek": "deepseek", "groq": "groq", "mistral": "mistral", "xai": "xai"}  # ours → models.dev id
# price dimension → models.dev cost field
FIELDS = {
    "input": "input",
    "output": "output",
    "cache_read": "cache_read",
    "cache_write": "cache_write",
    "reasoning": "reasoning",
    "audio_input": "input_audio",
    "audio_output": "output_audio",
}


def per_token(per_million: Any) -> float:
    return float(Decimal(str(per_million)) / 1_000_000)


def close(a: float | None, b: float) -> bool:
    return a is not None and math.isclose(a, b, rel_tol=1e-9)


def catalog_of(provider: str, models_dev: Any, own: Any = None) -> Catalog:
    docs = {"models_dev": Document("models_dev", "test", models_dev)}
    if own is not None:
        docs[provider] = Document(provider, "test", own)
    return normalise(PROVIDERS[provider], docs)


@pytest.fixture(scope="module")
def snapshot() -> dict[str, Any]:
    body: dict[str, Any] = json.loads(real_catalog(SNAPSHOT).read_text())
    return body


# --- the price reader ---------------------------------------------------------------------


def test_every_cost_dimension_is_read_in_usd_per_token() -> None:
    found = prices(
        {
            "input": 3,
            "output": 15,
            "cache_read": 0.3,
            "cache_write": 3.75,
            "reasoning": 20,
            "input_audio": 2,
            "output_audio": 8,
        }
    )
    assert found == {
        "input": 3e-06,
        "output": 1.5e-05,
        "cache_read": 3e-07,
        "cache_write": 3.75e-06,
        "reasoning": 2e-05,
        "audio_input": 2e-06,
        "audio_output": 8e-06,
    }


def test_tiers_carry_their_threshold_and_the_older_field_is_read_only_without_them() -> None:
    listed = {
        "input": 2.5,
        "output": 15,
        "context_over_200k": {"input": 5, "output": 22.5},  # named 200k, but the list says 272k
        "tiers": [{"input": 5, "output": 22.5, "cache_read": 0.5, "tier": {"size": 272000, "type": "context"}}],
    }
    assert prices(listed)["tiers"] == {272000: {"input": 5e-06, "output": 2.25e-05, "cache_read": 5e-07}}
    older = {"input": 1.25, "output": 10, "context_over_200k": {"input": 2.5, "output": 15}}
    assert prices(older)["tiers"] == {200000: {"input": 2.5e-06, "output": 1.5e-05}}


def test_a_zero_cache_price_is_no_discount_but_a_zero_price_is_free() -> None:
    assert prices({"input": 0, "output": 0, "cache_read": 0}) == {"input": 0.0, "output": 0.0}


@pytest.mark.parametrize(
    ("cost", "reason"),
    [
        ({"input": "cheap", "output": 1}, "input: price 'cheap' is not a number"),
        ({"input": -2, "output": 1}, "input: price -2 is negative"),
        (
            {"input": 1, "output": 1, "tiers": [{"input": 2, "tier": {"type": "time"}}]},
            "tier {'type': 'time'} is not a prompt-size tier",
        ),
    ],
)
def test_an_unusable_cost_is_a_price_error(cost: dict[str, Any], reason: str) -> None:
    with pytest.raises(PriceError, match=f"^{re.escape(reason)}$"):
        prices(cost)


# --- whole catalogs, on our own document --------------------------------------------------

DOCUMENT = {
    "deepseek": {
        "id": "deepseek",
        "name": "DeepSeek",
        "env": ["DEEPSEEK_API_KEY"],
        "npm": "@ai-sdk/openai-compatible",
        "api": "https://api.deepseek.com",
        "models": {
            "deepseek-chat": {
                "id": "deepseek-chat",
                "cost": {"input": 0.28, "output": 0.42, "cache_read": 0.028},
                "limit": {"context": 131072, "output": 8192},
                "modalities": {"input": ["text"], "output": ["text"]},
                "tool_call": True,
                "reasoning": False,
            },
            "deepseek-vision": {
                "id": "deepseek-vision",
                "limit": {"context": 32768, "output": 4096},
                "modalities": {"input": ["text", "image"], "output": ["text"]},
            },
            "deepseek-coder": {
                "id": "deepseek-coder",
                "cost": {"input": 0.14, "output": 0.28},
                "limit": {"context": 16384, "output": 4096},
                "modalities": {"input": ["text"], "output": ["text"]},
                "status": "deprecated",
            },
            "deepseek-embed": {
                "id": "deepseek-embed",
                "cost": {"input": 0.02, "output": 0},
                "limit": {"context": 8192, "output": 1024},
                "modalities": {"input": ["text"], "output": ["text"]},
            },
        },
    },
    "ignored-provider": {"id": "ignored-provider", "models": {}},
}


def test_a_models_dev_provider_is_read_whole() -> None:
    catalog = catalog_of("deepseek", DOCUMENT)
    offers = catalog.by_id()
    chat = offers["deepseek-chat"]
    assert chat.prices == {"input": 2.8e-07, "output": 4.2e-07, "cache_read": 2.8e-08}
    assert (chat.max_input_tokens, chat.max_output_tokens) == (131072, 8192)
    assert chat.capabilities == {"supports_function_calling"} and chat.price_source == "models.dev"
    assert offers["deepseek-vision"].price_problem == "models.dev states no price"  # unknown, not free
    embed = offers["deepseek-embed"]
    assert embed.mode == "embedding" and embed.max_output_tokens is None  # 1024 is its vector size
    assert offers["deepseek-coder"].retires == "deprecated" and not catalog.skipped  # still served, for now


def test_a_missing_models_dev_id_is_a_clear_error() -> None:
    from modelsync.core.errors import CatalogError

    with pytest.raises(CatalogError, match=r"models.dev has no provider 'groq'.*"):
        catalog_of("groq", DOCUMENT)


def test_the_four_native_routes_and_keys(project: Project) -> None:
    project.write_overrides(
        {
            "models": [
                "deepseek:deepseek-chat",
                "groq:llama-3.3-70b-versatile",
                "mistral:mistral-small-latest",
                "xai:grok-4.3",
            ]
        }
    )
    assert project.run("--offline", "-q") == 0
    params = {d["model_name"]: d["litellm_params"] for d in yaml.safe_load(project.config.read_text())["model_list"]}
    assert {name: (p["model"], p["api_key"]) for name, p in params.items()} == {
        "deepseek/deepseek-chat": ("deepseek/deepseek-chat", "os.environ/DEEPSEEK_API_KEY"),
        "groq/llama-3.3-70b-versatile": ("groq/llama-3.3-70b-versatile", "os.environ/GROQ_API_KEY"),
        "mistral/mistral-small-latest": ("mistral/mistral-small-latest", "os.environ/MISTRAL_API_KEY"),
        "xai/grok-4.3": ("xai/grok-4.3", "os.environ/XAI_API_KEY"),
    }
    assert params["xai/grok-4.3"]["input_cost_per_token"] == 1.25e-06


# --- the real snapshot --------------------------------------------------------------------


@pytest.mark.parametrize("ours", sorted(WHOLE))
def test_real_snapshot_whole_catalogs_equal_the_snapshot_per_token(ours: str, snapshot: dict[str, Any]) -> None:
    models = snapshot[WHOLE[ours]]["models"]
    catalog = catalog_of(ours, snapshot)
    offers = catalog.by_id()
    assert len(offers) == len(models) and not catalog.skipped
    for model_id, model in models.items():
        offer = offers[model_id]
        assert offer.retires == ("deprecated" if model.get("status") == "deprecated" else None)
        _equal_to_snapshot(offer, model)


def _equal_to_snapshot(offer: Any, model: dict[str, Any], own_limits: bool = False) -> None:
    cost = model.get("cost")
    if cost is None:
        assert offer.input_cost is None
        return
    assert close(offer.input_cost, per_token(cost["input"])) and close(offer.output_cost, per_token(cost["output"]))
    for dimension, key in FIELDS.items():
        if cost.get(key):
            assert close(offer.prices.get(dimension), per_token(cost[key])), (offer.id, key)
        elif dimension not in ("input", "output"):
            assert dimension not in offer.prices
    tiers = {tier.above: tier.prices for tier in offer.tiers}
    stated = cost.get("tiers") or (
        [{**cost["context_over_200k"], "tier": {"size": 200000}}] if "context_over_200k" in cost else []
    )
    assert sorted(tiers) == sorted(t["tier"]["size"] for t in stated), offer.id
    for tier in stated:
        for dimension, key in FIELDS.items():
            if key in tier:
                assert close(tiers[tier["tier"]["size"]][dimension], per_token(tier[key])), (offer.id, "tier", key)
    if not own_limits:
        limit = model["limit"]
        assert offer.max_input_tokens == (limit.get("input") or limit["context"] or None)
        if offer.mode == "chat":
            assert offer.max_output_tokens == (limit["output"] or None)


def test_real_snapshot_tiers_equal_the_snapshot_per_token(snapshot: dict[str, Any]) -> None:
    tiered = 0
    for provider in snapshot.values():
        for model in provider["models"].values():
            cost = model.get("cost") or {}
            if not cost.get("tiers"):
                continue
            tiered += 1
            found = prices(cost)["tiers"]
            for tier in cost["tiers"]:
                read = found[tier["tier"]["size"]]
                for field, dimension in (("input", "input"), ("output", "output"), ("cache_read", "cache_read")):
                    if tier.get(field):
                        assert close(read[dimension], per_token(tier[field]))
    assert tiered == 155  # every tiered model of the snapshot was read


def test_real_snapshot_renders_on_native_routes(project: Project) -> None:
    project.use_catalog("models_dev", real_catalog(SNAPSHOT))
    project.write_overrides({"providers": {name: {"include": ["*"]} for name in WHOLE}})
    assert project.run("--offline", "-q") == 0
    snapshot = json.loads(real_catalog(SNAPSHOT).read_text())
    deployments = yaml.safe_load(project.config.read_text())["model_list"]
    assert len(deployments) > 40
    for deployment in deployments:
        ours, _, model_id = deployment["litellm_params"]["model"].partition("/")
        model = snapshot[ours]["models"][model_id]
        params = deployment["litellm_params"]
        cost = model["cost"]
        free = 1e-09
        assert close(params["input_cost_per_token"], per_token(cost["input"]) or free)
        assert close(params["output_cost_per_token"], per_token(cost["output"]) or free)
        if cost.get("cache_read"):
            assert close(params["cache_read_input_token_cost"], per_token(cost["cache_read"]))
        assert_tiers_rendered(params, cost)


# --- a second source for lists without prices ---------------------------------------------


@pytest.mark.parametrize(
    ("ours", "listed", "models_dev_id"),
    [
        ("openai", "openai/2026-08-17.json", "openai"),
        ("anthropic", "anthropic/2026-08-17.json", "anthropic"),
        ("gemini", "gemini/2025-12-25-page1.json", "google"),
    ],
)
def test_real_vendor_lists_take_the_snapshots_prices_for_the_ids_they_list(
    ours: str, listed: str, models_dev_id: str, snapshot: dict[str, Any]
) -> None:
    own = json.loads(real_catalog(listed).read_text())
    catalog = catalog_of(ours, snapshot, own)
    models = snapshot[models_dev_id]["models"]
    priced = unpriced = 0
    for offer in catalog.offers:
        model = models.get(offer.id)
        if (
            model is None
            or "cost" not in model
            or (offer.mode not in ("chat", "embedding") and not any(model["cost"].get(k) for k in ("input", "output")))
        ):
            assert offer.input_cost is None and offer.price_source is None
            unpriced += 1
            continue
        priced += 1
        assert offer.price_source == "models.dev"
        _equal_to_snapshot(offer, model, own_limits=ours == "anthropic")
    assert priced >= 5 and unpriced >= 1
    listed_ids = {o.id for o in catalog.offers}
    assert not (set(models) - listed_ids) & {o.id for o in catalog.offers}  # models.dev adds no id of its own


def test_an_id_models_dev_does_not_price_is_reported_unpriced(project: Project, capsys: Any) -> None:
    project.write_overrides({"models": ["openai:gpt-4o-mini", "openai:gpt-5-mini"]})
    assert project.run("--offline", "-q") == 0
    assert project.run("list", "openai", "gpt-5*") == 0  # gpt-5-mini: the example models.dev does not price it
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:-1]}
    assert "unpriced (LiteLLM's map)" in rows["gpt-5-mini"]
    assert project.run("list", "openai", "gpt-4o-mini") == 0
    assert "models.dev" in capsys.readouterr().out
    result = run(project.paths, Options(offline=True, dry_run=True))
    assert result.text == stamp.strip(project.config.read_text())  # the file adds only its digest line
    (project.config).write_text(project.config.read_text().replace("model: openai/gpt-5-mini", "model: x/y"))
    report = run(project.paths, Options(offline=True, dry_run=True)).report
    assert report is not None
    notes = {c.key[1]: c.note for changes in report.groups.values() for c in changes}
    assert notes["openai/gpt-5-mini"].startswith("unpriced: no catalog states its price, so LiteLLM's bundled map")


def test_a_pinned_unpriced_id_says_pinned_not_unpriced(project: Project) -> None:
    project.write_overrides(
        {
            "models": [
                {"id": "openai:gpt-5-mini", "pin": {"input_cost_per_token": 2e-06, "output_cost_per_token": 2e-06}}
            ]
        }
    )
    project.config.unlink()
    result = run(project.paths, Options(offline=True, dry_run=True))
    assert result.report is not None
    (change,) = result.report.groups["openai"]
    assert change.note == "" and "input_cost_per_token: 2.0e-06" in result.text


def test_any_models_dev_provider_is_the_few_lines_the_docs_show(project: Project) -> None:
    readme = (ROOT / "docs" / "providers.md").read_text()
    snippet = readme.split("```yaml\n  togetherai:")[1].split("```")[0]
    entry = "togetherai:" + "\n".join(line.removeprefix("  ") for line in snippet.splitlines())
    project.providers.write_text(project.providers.read_text() + "\n" + entry + "\n")
    project.use_catalog("models_dev", real_catalog(SNAPSHOT))
    project.write_overrides({"providers": {"togetherai": {"include": ["*"]}}})
    assert project.run("--offline", "-q") == 0
    snapshot = json.loads(real_catalog(SNAPSHOT).read_text())["togetherai"]["models"]
    deployments = yaml.safe_load(project.config.read_text())["model_list"]
    assert len(deployments) == len(snapshot)
    for deployment in deployments:
        params = deployment["litellm_params"]
        model = snapshot[params["model"].removeprefix("together_ai/")]
        assert params["api_key"] == "os.environ/TOGETHERAI_API_KEY"
        assert close(params["input_cost_per_token"], per_token(model["cost"]["input"]))


def test_a_deprecated_model_still_serves_and_is_reported_as_retiring(project: Project) -> None:
    project.write_overrides({"models": ["groq:gemma2-9b-it"]})
    result = run(project.paths, Options(offline=True, dry_run=True))
    assert "model: groq/gemma2-9b-it" in result.text
    assert [(r.provider, r.says()) for r in result.merged.retiring] == [("groq", "deprecated")]


def test_a_glob_takes_no_deprecated_model(project: Project) -> None:
    project.write_overrides({"providers": {"groq": {"include": ["*"]}}})
    result = run(project.paths, Options(offline=True, dry_run=True))
    assert "model: groq/llama-3.3-70b-versatile" in result.text and "gemma2-9b-it" not in result.text
    assert not result.merged.retiring
