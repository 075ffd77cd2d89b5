"""Adopting real users' configs whole: import, render, and every deployment and section comes back.

The fixtures under tests/fixtures/adopt/ are written the way people keep configs by hand (flow and
block styles mixed, comments, anchors, the same model on several gateways, the same name and
route at two api_bases, literal keys, placeholders, guardrails, MCP servers, unknown sections);
each comes with small catalogs holding the same prices, so the round trip must be exact.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from modelsync.model.deployment import keyed_deployments
from modelsync.model.pins import COST_KEYS
from modelsync.sources.providers import load_providers
from tests.helpers import ROOT, Project, make_project, serve, without_stable_id

ADOPT = Path(__file__).parent / "fixtures" / "adopt"
PROVIDERS = load_providers(ROOT / "providers.yaml")
# Where a deployment names no key, LiteLLM reads its route's native variable.
DEFAULT_KEYS = {p.route.prefix: p.route.api_key for p in PROVIDERS.values() if p.route.api_base is None}
# Each literal key in a fixture, and the one variable import must move it to.
LITERALS = {
    "gateway-team": {
        "sk-or-v1-1f8e6c0a9b7d4e2f8a1c3b5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d1e3": "OPENROUTER_API_KEY_2",
        "rqsty-sk-2b7c1e9f8a6d4c3b2a1f0e9d8c7b6a5f": "REQUESTY_API_KEY_2",
        "sk-team-master-7f3a9c2e1d": "LITELLM_MASTER_KEY",
        "sk-lab-9f8e7d6c5b4a39281706f5e4d3c2b1a0": "EXAMPLE_API_KEY",
        "lk-8d7c6b5a4f3e2d1c0b9a": "LAKERA_PROMPT_INJECTION_API_KEY",
    },
    "homelab": {
        "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": "OPENROUTER_API_KEY_2",
        "sk_nv_5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d": "NOVITA_API_KEY",
        "nvapi-AbCdEf0123456789GhIjKlMnOpQrStUvWxYz": "NVIDIA_NIM_API_KEY",
        "sk-1234": "LITELLM_MASTER_KEY",
    },
    "agency": {},
}


def adopt(tmp_path: Path, fixture: str) -> Project:
    """A fresh project with the fixture's catalogs in cache/, imported and rendered offline."""
    project = make_project(tmp_path)
    shutil.rmtree(project.cache)
    shutil.copytree(ADOPT / fixture / "cache", project.cache)
    project.overrides.unlink()
    project.config.unlink()
    assert project.run("--import", str(ADOPT / fixture / "config.yaml"), "--offline", "-q") == 0
    assert project.run("--offline", "-q") == 0
    return project


def expected(fixture: str) -> dict[str, Any]:
    """The fixture as LiteLLM would read it once its literal keys live in the environment."""
    literals = LITERALS[fixture]

    def moved(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: moved(v) for k, v in value.items()}
        if isinstance(value, list):
            return [moved(v) for v in value]
        return f"os.environ/{literals[value]}" if isinstance(value, str) and value in literals else value

    return dict(moved(yaml.safe_load((ADOPT / fixture / "config.yaml").read_text())))


def effective(deployment: dict[str, Any]) -> dict[str, Any]:
    """A deployment with the key LiteLLM really uses written out, and an empty model_info made explicit."""
    params = dict(deployment["litellm_params"])
    prefix = next((p for p in DEFAULT_KEYS if str(params["model"]).startswith(p)), None)
    if "api_key" not in params and prefix and DEFAULT_KEYS[prefix]:
        params["api_key"] = f"os.environ/{DEFAULT_KEYS[prefix]}"
    return {
        "model_name": deployment["model_name"],
        "litellm_params": params,
        "model_info": deployment.get("model_info") or {},
    }


def same(a: Any, b: Any) -> bool:
    """Equal, numbers within a relative 1e-9 (the float noise of a per-million price)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if (
        isinstance(a, float | int)
        and isinstance(b, float | int)
        and not isinstance(a, bool)
        and not isinstance(b, bool)
    ):
        return math.isclose(a, b, rel_tol=1e-9)
    return bool(a == b) and type(a) is type(b)


def stated_prices(original: dict[str, Any], generated: dict[str, Any]) -> dict[str, Any]:
    """The price dimensions the generated deployment states that the original left to LiteLLM's map."""
    return {
        k: v for k, v in generated["litellm_params"].items() if k in COST_KEYS and k not in original["litellm_params"]
    }


def kept_whole(original: dict[str, Any], generated: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The deployments that came back equal, and those that did not (missing or different).

    Equal means every key of the original is there with its value, and nothing else is, but for
    price dimensions the original left for LiteLLM's own map to fill: those are now stated.
    """
    before = keyed_deployments(original["model_list"])
    after = keyed_deployments(generated["model_list"])
    equal = []
    for key in before.keys() & after.keys():
        old = effective(before[key])
        new = effective(without_stable_id(before[key], after[key]))
        added = stated_prices(old, new)
        new["litellm_params"] = {k: v for k, v in new["litellm_params"].items() if k not in added}
        if same(old, new):
            equal.append(key)
    return equal, [key for key in before if key not in equal] + [key for key in after if key not in before]


@pytest.mark.parametrize("fixture", sorted(LITERALS))
def test_import_then_render_gives_back_every_deployment_and_section(tmp_path: Path, fixture: str) -> None:
    project = adopt(tmp_path, fixture)
    original, generated = expected(fixture), yaml.safe_load(project.config.read_text())
    equal, different = kept_whole(original, generated)
    assert different == [] and len(equal) == len(original["model_list"])
    sections = {k: v for k, v in original.items() if k != "model_list"}
    assert {k: v for k, v in generated.items() if k != "model_list"} == sections


def test_the_big_fixture_is_as_big_and_as_messy_as_real_configs() -> None:
    config = yaml.safe_load((ADOPT / "gateway-team" / "config.yaml").read_text())
    deployments = config["model_list"]
    assert 100 <= len(deployments) <= 150
    keys = [(d["model_name"], d["litellm_params"]["model"]) for d in deployments]
    assert any(keys.count(key) > 1 for key in keys), "the same name and route at two api_bases"
    assert {"guardrails", "mcp_servers", "credential_list", "environment_variables", "team_notes"} <= config.keys()
    gateways = {
        d["litellm_params"]["model"].split("/")[0] for d in deployments if d["model_name"] == "claude-sonnet-4.5"
    }
    assert len(gateways) >= 3


def test_placeholders_stay_and_literal_keys_become_one_variable_per_credential(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project(tmp_path)
    shutil.rmtree(project.cache)
    shutil.copytree(ADOPT / "homelab" / "cache", project.cache)
    source = ADOPT / "homelab" / "config.yaml"
    assert project.run("--import", str(source), "--offline", "--force") == 0
    out, err = capsys.readouterr()
    text = project.overrides.read_text()
    for literal in LITERALS["homelab"]:
        assert literal not in text and literal not in out and literal not in err
    overrides = yaml.safe_load(text)
    entries = {(e["model_name"], e["litellm_params"]["api_base"]): e["litellm_params"] for e in overrides["entries"]}
    assert entries[("vllm-mistral", "http://nas.local:8000/v1")]["api_key"] == "EMPTY"
    assert entries[("vllm-mistral", "http://nuc.local:8000/v1")]["api_key"] == "none"
    assert entries[("tei-embed", "http://localhost:8081/v1")]["api_key"] == ""
    assert entries[("llama3.1", "http://localhost:11434/v1")]["api_key"] == "ollama"
    assert overrides["settings"]["litellm_settings"]["cache_params"]["password"] == ""
    assert overrides["settings"]["router_settings"]["redis_password"] == ""
    # Two OpenRouter deployments shared one literal key: one variable, named after the provider
    # (with _2, since the config already reads OPENROUTER_API_KEY for a third deployment).
    openrouter_keys = {
        m.get("params", {}).get("api_key") for m in overrides["models"] if m["id"].startswith("openrouter:")
    }
    assert openrouter_keys == {"os.environ/OPENROUTER_API_KEY_2", None}
    assert "(mode 0600, values not shown): LITELLM_MASTER_KEY, NOVITA_API_KEY, " in out
    assert err.count("os.environ/OPENROUTER_API_KEY_2, its value in .env") == 2


def test_import_lists_what_it_could_not_match_and_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project(tmp_path)
    shutil.rmtree(project.cache)
    shutil.copytree(ADOPT / "gateway-team" / "cache", project.cache)
    assert project.run("--import", str(ADOPT / "gateway-team" / "config.yaml"), "--offline", "--force") == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        "  mythomax (openrouter/gryphe/mythomax-l2-13b): not in the openrouter catalog: kept with its costs pinned"
        in lines
    )
    assert (
        "  requesty/smart-task (openai/smart/task): not in the requesty catalog and has no costs: kept as written"
        in lines
    )
    assert (
        "  bedrock-sonnet (bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0): unknown provider: kept as written"
        in lines
    )
    assert "  o1-preview (openai/o1-preview): not in the openai catalog: kept with its costs pinned" in lines


def test_import_refreshes_the_catalogs_first_unless_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The committed cache lacks a model the config uses; the refreshed catalog has it."""
    project = make_project(tmp_path)
    shutil.rmtree(project.cache)
    shutil.copytree(ADOPT / "homelab" / "cache", project.cache)
    today = (ADOPT / "homelab" / "cache" / "openrouter.json").read_bytes()
    stale = json.loads(today)
    stale["data"] = [e for e in stale["data"] if e["id"] != "z-ai/glm-4.5-air:free"]
    project.use_catalog("openrouter", stale)
    routes = {
        f"/{name}": (
            200,
            {"Content-Type": "application/json"},
            (ADOPT / "homelab" / "cache" / f"{name}.json").read_bytes(),
        )
        for name in ("openrouter", "openrouter.embeddings", "novita", "nvidia", "nano_gpt")
    }
    routes["/models_dev"] = (200, {}, (ROOT / "cache" / "models_dev.json").read_bytes())
    source = ADOPT / "homelab" / "config.yaml"
    with serve(routes) as base:
        providers = yaml.safe_load(project.providers.read_text())
        for name in ("openrouter", "novita", "nvidia", "nano_gpt"):
            providers[name]["catalog_url"] = f"{base}/{name}"
        providers["openrouter"]["embeddings_url"] = f"{base}/openrouter.embeddings"
        providers["sources"]["models_dev"]["url"] = f"{base}/models_dev"
        project.providers.write_text(yaml.safe_dump(providers))
        assert project.run("--import", str(source), "--offline", "--force") == 0
        assert "z-ai/glm-4.5-air:free): not in the openrouter catalog" in capsys.readouterr().out
        assert project.run("--import", str(source), "--force") == 0
    out, err = capsys.readouterr()
    assert "glm-4.5-air" not in out, err
    assert json.loads((project.cache / "openrouter.json").read_bytes()) == json.loads(today)
    models = {m["id"]: m for m in yaml.safe_load(project.overrides.read_text())["models"]}
    assert "pin" not in models["openrouter:z-ai/glm-4.5-air:free"]


@pytest.mark.parametrize(
    ("params", "provider"),
    [
        ({"model": "openai/gpt-5.1", "api_base": "os.environ/NANOGPT_API_BASE"}, "nano_gpt"),
        ({"model": "openai/gpt-5.1", "api_base": "https://nano-gpt.com/api/v1/"}, "nano_gpt"),
        ({"model": "openai/gpt-5.1"}, "openai"),
        ({"model": "openai/gpt-5.1", "api_base": "os.environ/OPENAI_BASE_URL"}, "openai"),
        ({"model": "openai/x", "api_base": "os.environ/REQUESTY_API_BASE"}, "requesty"),
        ({"model": "openai/anthropic/claude-sonnet-4.5", "api_base": "https://openrouter.ai/api/v1"}, "openrouter"),
        ({"model": "openai/gpt-5.1", "api_base": "os.environ/MY_LOCAL_BASE"}, None),
        ({"model": "openai/gpt-5.1", "api_base": "http://localhost:8000/v1"}, None),
    ],
)
def test_providers_are_known_by_their_hosts_and_env_vars(params: dict[str, str], provider: str | None) -> None:
    from modelsync.sources.providers import identify

    assert identify(PROVIDERS, params) == provider


def test_settings_take_any_top_level_section_but_not_model_list_or_a_near_miss(project: Project) -> None:
    sections = {
        "guardrails": [{"guardrail_name": "g", "litellm_params": {"guardrail": "presidio", "mode": "pre_call"}}],
        "mcp_servers": {"docs": {"url": "http://127.0.0.1:9/mcp"}},
        "our_notes": "kept as written",
    }
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"], "settings": sections})
    assert project.run("--offline", "-q") == 0
    written = yaml.safe_load(project.config.read_text())
    assert {k: written[k] for k in sections} == sections
    for bad in ({"router_setings": {}}, {"model_list": []}):
        project.write_overrides({"settings": bad})
        assert project.run("--offline", "-q") == 2


def test_the_report_tells_two_hosts_of_one_name_and_route_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = adopt(tmp_path, "agency")
    nano = json.loads((project.cache / "nano_gpt.json").read_text())
    for entry in nano["data"]:
        if entry["id"] == "gpt-5.1":
            entry["pricing"]["prompt"] = 1.5  # $1.25 → $1.50 per million, on the Nano-GPT host only
    project.use_catalog("nano_gpt", nano)
    capsys.readouterr()
    assert project.run("--offline", "--dry-run") == 0
    changes = [
        line.strip() for line in capsys.readouterr().out.splitlines() if line.strip().startswith(("+", "-", "~"))
    ]
    assert changes == ["~ gpt-5.1 (openai/gpt-5.1) at os.environ/NANOGPT_API_BASE"]
