"""Acceptance: a real LiteLLM proxy loads the generated config, routes with it and bills with its prices.

Every deployment's api_base points (through overrides.yaml) at a fake upstream on 127.0.0.1, and
every key is a fake one in the environment, referenced by the config as os.environ/VAR.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from modelsync.commands.importer import import_config
from modelsync.model.groups import resolve
from modelsync.pipeline import Options, load_catalogs, load_inputs, run
from modelsync.sources.providers import load_providers
from modelsync.sources.store import Store
from tests.fake_upstream import COMPLETION_TOKENS, PROMPT_TOKENS, Upstream, fake_upstream
from tests.gateway_catalogs import FIREWORKS_LIST, GO_LIST, KILO, MODELS_DEV, OLLAMA_TAGS, ZEN_LIST
from tests.helpers import ROOT, Project, make_project
from tests.litellm_proxy import MASTER_KEY, running_proxy
from tests.test_adopt import ADOPT

pytestmark = pytest.mark.litellm

PROVIDERS = load_providers(ROOT / "providers.yaml")
KEYS = {p.route.api_key: f"key-of-{name}" for name, p in PROVIDERS.items() if p.route.api_key}
HAND_WRITTEN_ENV = {"AZURE_API_KEY": "key-of-azure"}
HEADERS = {"Authorization": f"Bearer {MASTER_KEY}"}


# A model of each provider the example does not use, from our gateway catalogs and models.dev's.
MORE_MODELS = [
    "deepseek:deepseek-chat",
    "groq:llama-3.3-70b-versatile",
    "mistral:mistral-small-latest",
    "xai:grok-4.3",
    "kilo:anthropic/claude-haiku-4.5",
    "ollama_cloud:gpt-oss:120b",
    "fireworks:accounts/fireworks/models/kimi-k2-instruct",
    "opencode:glm-5.1",
    "opencode:claude-sonnet-4-5",  # Anthropic's API at OpenCode Zen's base
    "opencode_go:kimi-k2.6",
    "opencode_go:minimax-m2.7",  # Anthropic's API at OpenCode Go's base
]


def _add_gateways(project: Project) -> None:
    """Put our gateway catalogs into the project's cache, and their models.dev entries into its api.json."""
    for name, body in {
        "kilo": KILO,
        "ollama_cloud": OLLAMA_TAGS,
        "fireworks": FIREWORKS_LIST,
        "opencode": ZEN_LIST,
        "opencode_go": GO_LIST,
    }.items():
        project.use_catalog(name, body)
    models_dev = json.loads((project.cache / "models_dev.json").read_text())
    project.use_catalog("models_dev", {**models_dev, **MODELS_DEV})


def _generate(root: Path, upstream: Upstream, keep_names: bool, orders: bool = True) -> list[dict[str, Any]]:
    """The example inputs, every provider's api_base set to the fake upstream through overrides.yaml."""
    project = make_project(root)
    _add_gateways(project)
    overrides = yaml.safe_load(project.overrides.read_text())
    overrides["models"] += MORE_MODELS
    ordered = {name for name, selection in overrides["providers"].items() if "order" in selection}
    for name in PROVIDERS:
        selection = overrides["providers"].setdefault(name, {})
        selection["params"] = {"api_base": f"{upstream.base}/{name}"}
        if not orders:
            selection.pop("order", None)
        elif name not in ordered:  # gateways the example does not use come after its own
            selection["order"] = 4
    overrides["settings"]["general_settings"] = {"master_key": "os.environ/LITELLM_MASTER_KEY"}
    project.write_overrides(overrides)
    if not keep_names:  # every deployment its own model_name, so each one can be called alone
        overrides["models"] = _each_apart(project)
        project.write_overrides(overrides)
    run(project.paths, Options(offline=True))
    return list(yaml.safe_load(project.config.read_text())["model_list"])


def _each_apart(project: Project) -> list[dict[str, Any]]:
    """models: with every bare id's members written out as provider:id entries, and no names."""
    inputs = load_inputs(project.paths)
    refs = resolve(inputs.overrides, load_catalogs(inputs, Store(project.cache))).overrides.models
    apart = {ref.id: ref.model_dump(exclude_defaults=True, exclude={"name", "order"}) for ref in refs}
    return list(apart.values())  # a group member also named on its own is one deployment


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with fake_upstream() as server:
        yield server


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory, upstream: Upstream) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A proxy whose every deployment has its own name."""
    root = tmp_path_factory.mktemp("solo")
    deployments = _generate(root, upstream, keep_names=False)
    env = {**KEYS, **HAND_WRITTEN_ENV, "AZURE_API_BASE": f"{upstream.base}/azure"}
    with running_proxy(root / "project" / "config.yaml", env, root / "litellm.log") as base:
        yield base, deployments


def _provider_of(deployment: dict[str, Any], upstream: Upstream) -> str:
    """Which path of the fake upstream a deployment's api_base points at (the hand-written one: azure)."""
    api_base = str(deployment["litellm_params"].get("api_base", ""))
    return api_base.removeprefix(f"{upstream.base}/") if api_base.startswith(upstream.base) else "azure"


def test_models_lists_exactly_the_generated_names(solo: tuple[str, list[dict[str, Any]]]) -> None:
    base, deployments = solo
    listed = httpx.get(f"{base}/v1/models", headers=HEADERS, timeout=30).json()["data"]
    assert sorted(m["id"] for m in listed) == sorted({d["model_name"] for d in deployments})


def test_model_info_shows_our_costs_and_limits(solo: tuple[str, list[dict[str, Any]]]) -> None:
    base, deployments = solo
    info = httpx.get(f"{base}/model/info", headers=HEADERS, timeout=30).json()["data"]
    served = {(i["model_name"], i["litellm_params"]["model"]): i for i in info}
    assert len(served) == len(deployments)
    for deployment in deployments:
        entry = served[(deployment["model_name"], deployment["litellm_params"]["model"])]
        for key, value in deployment["litellm_params"].items():
            if key.endswith("cost_per_token") or key.endswith("token_cost"):
                assert math.isclose(entry["litellm_params"][key], value, rel_tol=1e-12), (deployment["model_name"], key)
                assert math.isclose(entry["model_info"][key], value, rel_tol=1e-12), (deployment["model_name"], key)
        for key in ("max_input_tokens", "max_output_tokens", "mode"):
            if key in deployment.get("model_info", {}):
                assert entry["model_info"][key] == deployment["model_info"][key], (deployment["model_name"], key)


def test_the_proxy_keeps_our_stable_deployment_ids(solo: tuple[str, list[dict[str, Any]]]) -> None:
    """LiteLLM would hash every param, prices included, into a new id at each refresh; ours it keeps."""
    base, deployments = solo
    info = httpx.get(f"{base}/model/info", headers=HEADERS, timeout=30).json()["data"]
    served = {(i["model_name"], i["litellm_params"]["model"]): i["model_info"]["id"] for i in info}
    ours = [d for d in deployments if "id" in d.get("model_info", {})]
    assert ours, "every catalog deployment carries one"
    for deployment in ours:
        assert (
            served[(deployment["model_name"], deployment["litellm_params"]["model"])] == deployment["model_info"]["id"]
        )


def _expected_cost(params: dict[str, Any], completion: bool) -> float | None:
    if "input_cost_per_token" not in params:
        return None  # a direct vendor: LiteLLM prices it from its own cost map
    return PROMPT_TOKENS * params["input_cost_per_token"] + (
        COMPLETION_TOKENS * params["output_cost_per_token"] if completion else 0
    )


def _key_sent(seen_headers: dict[str, str]) -> str:
    for header in ("x-api-key", "x-goog-api-key", "api-key", "authorization"):
        if header in seen_headers:
            return seen_headers[header].removeprefix("Bearer ")
    return ""


def test_a_chat_completion_reaches_each_provider_with_its_id_key_and_our_price(
    solo: tuple[str, list[dict[str, Any]]], upstream: Upstream
) -> None:
    base, deployments = solo
    reached = set()
    for deployment in (d for d in deployments if d.get("model_info", {}).get("mode", "chat") == "chat"):
        upstream.requests.clear()
        answer = httpx.post(
            f"{base}/v1/chat/completions",
            headers=HEADERS,
            timeout=60,
            json={"model": deployment["model_name"], "messages": [{"role": "user", "content": "ping"}]},
        )
        assert answer.status_code == 200, (deployment["model_name"], answer.text[:500])
        (seen,) = upstream.requests
        provider = _provider_of(deployment, upstream)
        assert seen.path.startswith(f"/{provider}/")
        route = deployment["litellm_params"]["model"]
        model_id = route.split("/", 1)[1] if provider != "azure" else "gpt-4o"
        assert seen.body.get("model") == model_id or f"/models/{model_id}:" in seen.path, (route, seen.path)
        env_var = deployment["litellm_params"]["api_key"].removeprefix("os.environ/")
        assert _key_sent(seen.headers) == {**KEYS, **HAND_WRITTEN_ENV}[env_var]
        cost = float(answer.headers["x-litellm-response-cost"])
        expected = _expected_cost(deployment["litellm_params"], completion=True)
        assert cost > 0 if expected is None else math.isclose(cost, expected, rel_tol=1e-9), (route, cost, expected)
        reached.add(provider)
    assert reached == {*PROVIDERS, "azure"}


def test_embedding_deployments_answer_embeddings(solo: tuple[str, list[dict[str, Any]]], upstream: Upstream) -> None:
    base, deployments = solo
    embeddings = [d for d in deployments if d.get("model_info", {}).get("mode") == "embedding"]
    assert len(embeddings) >= 3
    for deployment in embeddings:
        upstream.requests.clear()
        answer = httpx.post(
            f"{base}/v1/embeddings",
            headers=HEADERS,
            timeout=60,
            json={"model": deployment["model_name"], "input": "ping"},
        )
        assert answer.status_code == 200, (deployment["model_name"], answer.text[:500])
        assert answer.json()["data"][0]["embedding"] == [0.1, 0.2, 0.3]
        (seen,) = upstream.requests
        assert seen.path.startswith(f"/{_provider_of(deployment, upstream)}/")
        expected = _expected_cost(deployment["litellm_params"], completion=False)
        cost = float(answer.headers["x-litellm-response-cost"])
        if expected is not None and ":batchEmbedContents" in seen.path:  # Gemini answers no usage: LiteLLM counts
            tokens = cost / deployment["litellm_params"]["input_cost_per_token"]
            assert tokens >= 1 and math.isclose(tokens, round(tokens), rel_tol=1e-9), (deployment["model_name"], cost)
        elif expected is not None:
            assert math.isclose(cost, expected, rel_tol=1e-9), (deployment["model_name"], cost, expected)


def test_cost_based_routing_picks_the_cheapest_deployment_of_a_group(
    tmp_path_factory: pytest.TempPathFactory, upstream: Upstream
) -> None:
    root = tmp_path_factory.mktemp("groups")
    deployments = _generate(root, upstream, keep_names=True, orders=False)  # cost decides among equals
    group = [
        d
        for d in deployments
        if d["model_name"] == "claude-haiku-4.5" and "input_cost_per_token" in d["litellm_params"]
    ]
    cheapest = min(
        group, key=lambda d: d["litellm_params"]["input_cost_per_token"] + d["litellm_params"]["output_cost_per_token"]
    )
    assert len(group) >= 3
    with running_proxy(root / "project" / "config.yaml", KEYS, root / "litellm.log") as base:
        for _ in range(3):
            upstream.requests.clear()
            answer = httpx.post(
                f"{base}/v1/chat/completions",
                headers=HEADERS,
                timeout=60,
                json={"model": "claude-haiku-4.5", "messages": [{"role": "user", "content": "ping"}]},
            )
            assert answer.status_code == 200, answer.text[:500]
            assert upstream.requests[0].path.startswith(f"/{_provider_of(cheapest, upstream)}/")
            assert math.isclose(
                float(answer.headers["x-litellm-response-cost"]),
                _expected_cost(cheapest["litellm_params"], completion=True) or 0,
                rel_tol=1e-9,
            )


def _chat(base: str, model: str) -> httpx.Response:
    return httpx.post(
        f"{base}/v1/chat/completions",
        headers=HEADERS,
        timeout=120,
        json={"model": model, "messages": [{"role": "user", "content": "ping"}]},
    )


def test_a_bare_id_is_one_model_name_served_in_order_of_preference(
    tmp_path_factory: pytest.TempPathFactory, upstream: Upstream
) -> None:
    """claude-haiku-4.5 on six gateways: one name, each member on its own upstream, `order` first, then cost."""
    root = tmp_path_factory.mktemp("ordered")
    deployments = _generate(root, upstream, keep_names=True)
    group = {_provider_of(d, upstream): d for d in deployments if d["model_name"] == "claude-haiku-4.5"}
    assert {p: d["litellm_params"]["order"] for p, d in group.items()} == {
        "anthropic": 1,
        "openrouter": 2,
        "requesty": 2,
        "vercel": 2,
        "poe": 3,
        "nano_gpt": 3,
        "kilo": 4,  # a gateway the example does not use, given the last order by _generate
    }
    price = {p: d["litellm_params"].get("input_cost_per_token") for p, d in group.items()}
    assert min(price, key=lambda p: price[p] or 1.0) == "poe"  # cost alone would pick Poe
    with running_proxy(root / "project" / "config.yaml", KEYS, root / "litellm.log") as base:
        listed = [m["id"] for m in httpx.get(f"{base}/v1/models", headers=HEADERS, timeout=30).json()["data"]]
        assert listed.count("claude-haiku-4.5") == 1
        info = httpx.get(f"{base}/model/info", headers=HEADERS, timeout=30).json()["data"]
        served = {
            i["litellm_params"]["model"]: i["litellm_params"] for i in info if i["model_name"] == "claude-haiku-4.5"
        }
        assert {m: (p["api_base"], p["order"]) for m, p in served.items()} == {
            d["litellm_params"]["model"]: (f"{upstream.base}/{p}", d["litellm_params"]["order"])
            for p, d in group.items()
        }
        try:
            for down, expected in (
                (set(), {"anthropic"}),  # order 1 serves while it is up
                ({"anthropic"}, {"openrouter", "requesty", "vercel"}),  # then order 2, the cheapest of equals
                ({"anthropic", "openrouter", "requesty", "vercel"}, {"poe"}),  # then order 3: Poe beats Nano-GPT
            ):
                upstream.failing = down
                for _ in range(2):
                    upstream.requests.clear()
                    answer = _chat(base, "claude-haiku-4.5")
                    assert answer.status_code == 200, answer.text[:500]
                    tried = [seen.path.split("/")[1] for seen in upstream.requests]
                    assert tried[-1] in expected, (down, tried)
                    assert set(tried) <= down | expected, (down, tried)
        finally:
            upstream.failing = set()


def test_an_imported_messy_config_loads_and_one_route_at_two_hosts_reaches_both(
    tmp_path_factory: pytest.TempPathFactory, upstream: Upstream
) -> None:
    """The agency fixture, imported and regenerated: its extra sections load, and `gpt-5.1` is
    served both by OpenAI's default host and by Nano-GPT's api_base from the environment."""
    root = tmp_path_factory.mktemp("adopted")
    project = make_project(root)
    shutil.rmtree(project.cache)
    shutil.copytree(ADOPT / "agency" / "cache", project.cache)
    project.overrides.unlink()
    project.config.unlink()
    import_config(project.paths, ADOPT / "agency" / "config.yaml", offline=True)
    run(project.paths, Options(offline=True))
    config = yaml.safe_load(project.config.read_text())
    assert {"guardrails", "mcp_servers", "credential_list", "environment_variables", "agency"} <= config.keys()
    pair = [d["litellm_params"] for d in config["model_list"] if d["model_name"] == "gpt-5.1"]
    assert sorted((p["model"], p.get("api_base", "")) for p in pair) == [
        ("openai/gpt-5.1", ""),
        ("openai/gpt-5.1", "os.environ/NANOGPT_API_BASE"),
    ]
    env = {
        **KEYS,
        "OPENAI_API_BASE": f"{upstream.base}/openai",  # the default route's host, as LiteLLM reads it
        "NANOGPT_API_BASE": f"{upstream.base}/nano_gpt",
        "PRESIDIO_ANALYZER_API_BASE": f"{upstream.base}/presidio",  # the guardrail checks them at start
        "PRESIDIO_ANONYMIZER_API_BASE": f"{upstream.base}/presidio",
    }
    with running_proxy(project.config, env, root / "litellm.log") as base:
        names = {m["id"] for m in httpx.get(f"{base}/v1/models", headers=HEADERS, timeout=30).json()["data"]}
        assert names == {d["model_name"] for d in config["model_list"]}
        served = {
            (i["litellm_params"]["model"], i["litellm_params"].get("api_base"))
            for i in httpx.get(f"{base}/model/info", headers=HEADERS, timeout=30).json()["data"]
            if i["model_name"] == "gpt-5.1"
        }
        assert served == {("openai/gpt-5.1", None), ("openai/gpt-5.1", f"{upstream.base}/nano_gpt")}
        reached: dict[str, str] = {}
        for attempt in range(40):  # simple-shuffle picks at random: forty tries miss a host with p = 2^-39
            upstream.requests.clear()
            answer = httpx.post(
                f"{base}/v1/chat/completions",
                headers=HEADERS,
                timeout=60,  # each message new, or the config's response cache answers it
                json={"model": "gpt-5.1", "messages": [{"role": "user", "content": f"ping {attempt}"}]},
            )
            assert answer.status_code == 200, answer.text[:500]
            (seen,) = upstream.requests
            assert seen.body.get("model") == "gpt-5.1"
            reached[seen.path.split("/")[1]] = _key_sent(seen.headers)
            if len(reached) == 2:
                break
    assert reached == {"openai": KEYS["OPENAI_API_KEY"], "nano_gpt": KEYS["NANOGPT_API_KEY"]}
