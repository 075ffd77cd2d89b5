"""`audit`: config.yaml's prices and limits against models.dev and LiteLLM's own price map."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from modelsync.commands.auditing import audit, deployment_values, litellm_opinion, models_dev_opinion
from modelsync.sources.providers import load_providers
from tests.helpers import ROOT, Project, real_catalog, serve

PROVIDERS = load_providers(ROOT / "providers.yaml")
MODELS_DEV = json.loads((ROOT / "cache" / "models_dev.json").read_text())
LITELLM_MAP = json.loads((ROOT / "cache" / "litellm.json").read_text())


def _deployment(model: str, **params: Any) -> dict[str, Any]:
    info = params.pop("model_info", {})
    return {"model_name": model, "litellm_params": {"model": model, **params}, "model_info": info}


def _opinions() -> dict[str, Any]:
    return {
        "models.dev": models_dev_opinion(MODELS_DEV, PROVIDERS),
        "LiteLLM's map": litellm_opinion(LITELLM_MAP, PROVIDERS),
    }


def test_the_committed_example_audits_offline_and_finds_what_differs(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = project.snapshot_files()
    assert project.run("audit", "--offline", "--report", "json") == 1
    assert project.snapshot_files() == before, "an offline audit writes nothing"
    found = json.loads(capsys.readouterr().out)
    by_key = {(d["model"], d["key"]): d for d in found["disagreements"]}
    cached = by_key[("openai/gpt-4o-mini", "cache_read_input_token_cost")]
    assert cached["config"] == 8e-08 and cached["sources"] == {"models.dev": 8e-08, "LiteLLM's map": 7.5e-08}
    limit = by_key[("openrouter/anthropic/claude-haiku-4.5", "max_output_tokens")]
    assert limit["kind"] == "limit" and limit["sources"]["LiteLLM's map"] == 200000
    hour = by_key[("anthropic/claude-haiku-4-5-20251001", "cache_creation_input_token_cost_above_1hr")]
    assert hour["config"] is None and hour["sources"] == {"models.dev": None, "LiteLLM's map": 2e-06}
    assert ("anthropic/claude-haiku-4-5-20251001", "input_cost_per_token") not in by_key  # all three agree
    novita = by_key[("novita/deepseek/deepseek-v3.1", "cache_read_input_token_cost")]
    assert novita["config"] == 2.7e-07 and novita["sources"]["models.dev"] == 1.35e-07  # Novita states none
    tier = by_key[("openrouter/anthropic/claude-sonnet-4.5", "input_cost_per_token_above_200k_tokens")]
    assert tier["config"] is None and tier["sources"] == {"models.dev": 6e-06}
    gateway = [d for d in found["disagreements"] if d["model"].startswith("openai/")]  # Requesty's routes
    assert all("LiteLLM's map" not in d["sources"] for d in gateway if d["model"] != "openai/gpt-4o-mini")
    assert found["compared"] >= 10 and found["agree"] is False


def test_text_and_markdown_say_which_source_says_what(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("audit", "--offline") == 1
    out = capsys.readouterr().out
    assert "cache_read_input_token_cost: config $0.08/M · models.dev $0.08/M · LiteLLM's map $0.075/M (-6.25%)" in out
    assert project.run("audit", "--offline", "--report", "markdown") == 1
    table = capsys.readouterr().out
    assert "| deployment | key | config.yaml | models.dev | LiteLLM's map |" in table
    assert "| `gpt-4o-mini (openai/gpt-4o-mini)` | `cache_read_input_token_cost` | $0.08/M | $0.08/M |" in table


def test_exit_0_when_every_source_agrees(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    agreed = ["openai:text-embedding-3-small", "gemini:gemini-2.5-flash", "vercel:anthropic/claude-haiku-4.5"]
    project.write_overrides({"models": agreed})
    assert project.run("--offline", "-q") == 0
    assert project.run("audit", "--offline") == 0
    out = capsys.readouterr().out
    assert "3 deployments compared with models.dev and LiteLLM's map (tolerance 1%); all agree" in out
    assert project.run("audit", "--offline", "--tolerance", "10") == 0


def test_a_wider_tolerance_lets_small_differences_pass(project: Project) -> None:
    project.write_overrides({"models": ["openai:gpt-4o-mini"]})
    assert project.run("--offline", "-q") == 0
    assert project.run("audit", "--offline") == 1  # 0.08 vs 0.075 per million is 6.25%
    assert project.run("audit", "--offline", "--tolerance", "7") == 0


def test_a_hand_edited_price_is_caught(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    text = project.config.read_text()
    project.config.write_text(text.replace("input_cost_per_token: 1.5e-07", "input_cost_per_token: 1.5e-06", 1))
    assert project.run("audit", "--offline", "--report", "json") == 1
    found = json.loads(capsys.readouterr().out)["disagreements"]
    assert any(d["key"] == "input_cost_per_token" and d["config"] == 1.5e-06 for d in found)


# --- the pure core ----------------------------------------------------------------------


def test_free_markers_agree_with_free_and_unset_discounts_agree_with_the_plain_price() -> None:
    source = {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0}
    free = _deployment("x/free", input_cost_per_token=1e-09, output_cost_per_token=1e-09)
    assert audit([free], {"s": lambda model, params: source}).disagreements == []
    plain = {
        "input_cost_per_token": 1e-06,
        "output_cost_per_token": 2e-06,
        "cache_read_input_token_cost": 1e-06,
        "output_cost_per_reasoning_token": 2e-06,
    }
    unset = _deployment("x/y", input_cost_per_token=1e-06, output_cost_per_token=2e-06)
    assert audit([unset], {"s": lambda model, params: plain}).disagreements == []
    cheaper = {**plain, "cache_read_input_token_cost": 1e-07}
    (found,) = audit([unset], {"s": lambda model, params: cheaper}).disagreements
    assert (found.key, found.config, found.sources) == ("cache_read_input_token_cost", None, {"s": 1e-07})


def test_tiers_are_compared_whichever_form_config_writes_them_in() -> None:
    source = {"input_cost_per_token": 1e-06, "input_cost_per_token_above_200k_tokens": 2e-06}
    keyed = _deployment("x/y", input_cost_per_token=1e-06, input_cost_per_token_above_200k_tokens=2e-06)
    tiered = _deployment(
        "x/y",
        input_cost_per_token=1e-06,
        model_info={
            "tiered_pricing": [
                {"range": [0, 200000], "input_cost_per_token": 1e-06},
                {"range": [200000, 1e8], "input_cost_per_token": 2.2e-06},
            ]
        },
    )
    assert audit([keyed], {"s": lambda m, p: source}).disagreements == []
    (found,) = audit([tiered], {"s": lambda m, p: source}).disagreements
    assert found.key == "input_cost_per_token_above_200k_tokens" and found.config == 2.2e-06
    assert deployment_values({"model": "x"}, {"max_input_tokens": 1000, "mode": "chat"}) == {"max_input_tokens": 1000}


def test_litellm_map_is_not_a_source_for_gateways_on_a_borrowed_route() -> None:
    opinion = litellm_opinion(LITELLM_MAP, PROVIDERS)
    assert opinion("openai/gpt-4o-mini", {"model": "openai/gpt-4o-mini"}) is not None
    requesty = {"model": "openai/gpt-4o-mini", "api_base": "https://router.requesty.ai/v1"}
    assert opinion("openai/gpt-4o-mini", requesty) is None
    assert opinion("anthropic/gpt-4o-mini", {"model": "anthropic/gpt-4o-mini"}) is None  # not that provider's entry
    hand_written = {"model": "azure/gpt-4o", "api_base": "os.environ/AZURE_API_BASE"}
    assert opinion("azure/gpt-4o", hand_written) is None  # not in our small map; looked up, not skipped


def test_models_dev_is_found_through_the_providers_route_and_id() -> None:
    opinion = models_dev_opinion(MODELS_DEV, PROVIDERS)
    said = opinion("xai/grok-4.3", {"model": "xai/grok-4.3"})
    assert said is not None and said["input_cost_per_token_above_200k_tokens"] == 2.5e-06
    assert (
        opinion(
            "openai/anthropic/claude-haiku-4-5",
            {"model": "openai/anthropic/claude-haiku-4-5", "api_base": "https://router.requesty.ai/v1"},
        )["max_input_tokens"]
        == 200000
    )
    assert opinion("azure/gpt-4o", {"model": "azure/gpt-4o"}) is None


def test_real_sources_audit_real_deployments() -> None:
    """On the real snapshot and LiteLLM's real map: a direct deployment priced as models.dev says."""
    models_dev = json.loads(real_catalog("models.dev/2026-05-21-api.json").read_text())
    price_map = json.loads(real_catalog("litellm/model_prices_and_context_window-2026-07-24.json").read_text())
    opinions = {
        "models.dev": models_dev_opinion(models_dev, PROVIDERS),
        "LiteLLM's map": litellm_opinion(price_map, PROVIDERS),
    }
    haiku = _deployment(
        "anthropic/claude-haiku-4-5-20251001",
        input_cost_per_token=1e-06,
        output_cost_per_token=5e-06,
        cache_read_input_token_cost=1e-07,
        cache_creation_input_token_cost=1.25e-06,
        cache_creation_input_token_cost_above_1hr=2e-06,  # Anthropic's 1-hour write, which models.dev does not state
        model_info={"max_input_tokens": 200000, "max_output_tokens": 64000},
    )
    wrong = _deployment("deepseek/deepseek-chat", input_cost_per_token=1e-06, output_cost_per_token=2e-06)
    result = audit([haiku, wrong], opinions)
    assert result.compared == 2
    keys = {(d.model, d.key) for d in result.disagreements}
    assert ("deepseek/deepseek-chat", "input_cost_per_token") in keys
    assert not any(model.startswith("anthropic/") for model, _ in keys)


# --- second sources cached like catalogs ------------------------------------------------


def test_audit_fetches_both_sources_once_then_asks_with_their_validators(project: Project) -> None:
    asked: list[tuple[str, str | None]] = []
    bodies = {
        "/api.json": (ROOT / "cache" / "models_dev.json").read_bytes(),
        "/litellm.json": (ROOT / "cache" / "litellm.json").read_bytes(),
    }

    def answer(path: str) -> Any:
        def reply(handler: Any) -> tuple[int, dict[str, str], bytes]:
            asked.append((path, handler.headers.get("If-None-Match")))
            if handler.headers.get("If-None-Match") == '"v1"':
                return 304, {"ETag": '"v1"'}, b""
            return 200, {"ETag": '"v1"'}, bodies[path]

        return reply

    with serve({path: answer(path) for path in bodies}) as base:
        text = project.providers.read_text()
        text = text.replace("https://models.dev/api.json", f"{base}/api.json")
        text = text.replace(
            "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
            f"{base}/litellm.json",
        )
        project.providers.write_text(text)
        for name in ("models_dev", "litellm"):
            (project.cache / f"{name}.json").unlink()
        assert project.run("audit", "-q", "--refresh") == 1
        assert (project.cache / "litellm.json").read_bytes() == bodies["/litellm.json"]
        before = project.committed_files()
        assert project.run("audit", "-q", "--refresh") == 1
    assert sorted(asked, key=lambda a: (a[0], a[1] or "")) == [
        ("/api.json", None),
        ("/api.json", '"v1"'),
        ("/litellm.json", None),
        ("/litellm.json", '"v1"'),
    ]
    assert project.committed_files() == before, "a 304 changes no committed file"


def test_a_missing_source_is_said_and_the_other_used(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.cache / "litellm.json").unlink()
    assert project.run("audit", "--offline") == 1
    out, err = capsys.readouterr()
    assert "warning: LiteLLM's map is not cached" in err and "compared with models.dev (" in out
    (project.cache / "models_dev.json").unlink()
    assert project.run("audit", "--offline", "-q") == 2


def test_without_a_config_the_audit_says_what_to_do(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.config.unlink()
    assert project.run("audit", "--offline") == 2
    assert "does not exist" in capsys.readouterr().err


def test_the_example_config_is_what_the_audit_reads(project: Project) -> None:
    model_list = yaml.safe_load(project.config.read_text())["model_list"]
    result = audit(model_list, _opinions())
    assert result.compared + len(result.unknown) == len(model_list)


def test_sources_that_cannot_be_fetched_are_not_blamed_on_offline(project: Project) -> None:
    """A real server on 127.0.0.1 that fails: the advice is the network or a saved copy, not `--offline`."""
    with serve({"/api.json": (503, {}, b"down"), "/litellm.json": (503, {}, b"down")}) as base:
        text = project.providers.read_text().replace("https://models.dev/api.json", f"{base}/api.json")
        litellm_url = "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
        project.providers.write_text(text.replace(litellm_url, f"{base}/litellm.json"))
        (project.cache / "litellm.json").unlink()
        one = project.cli("audit", env={"MODELSYNC_RETRIES": "0"})
        (project.cache / "models_dev.json").unlink()
        none = project.cli("audit", env={"MODELSYNC_RETRIES": "0"})
    assert one.returncode == 1 and "without --offline" not in one.stderr
    assert (
        f"LiteLLM's map is not cached (litellm): audited without it — it could not be fetched from {base}/litellm.json"
        in (one.stderr)
    )
    assert "check the network, or save the document as cache/litellm.json" in one.stderr
    assert none.returncode == 2 and "without --offline" not in none.stderr
    assert "error: no second source is cached in" in none.stderr and "check the network" in none.stderr
