"""The bill: a real LiteLLM proxy bills every usage shape a catalog prices exactly as the catalog says.

One proxy serves deployments of every priced provider, generated from the real saved catalogs
(OpenRouter 2026-08-19, every kind; Vercel 2025-11-18; Novita) and the project's own small ones,
plus a Vercel entry with tiers. A fake upstream answers each request with the usage the request
asks for; LiteLLM's `x-litellm-response-cost` is compared with a bill computed here, from the raw
catalog JSON, by this file's own reading of each provider's fields (the normalisers are not used).
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import httpx
import pytest
import yaml

from modelsync.pipeline import Options, run
from tests.fake_upstream import Upstream, fake_upstream
from tests.helpers import Project, make_project, real_catalog
from tests.litellm_proxy import MASTER_KEY, running_proxy

pytestmark = pytest.mark.litellm
LITELLM_MAP = "litellm/model_prices_and_context_window-2026-07-24.json"  # LiteLLM's price map, as saved

HEADERS = {"Authorization": f"Bearer {MASTER_KEY}"}
PRICED = ("openrouter", "requesty", "novita", "nano_gpt", "vercel", "poe")
ROUTES = {
    "openrouter": "openrouter/",
    "requesty": "openai/",
    "novita": "novita/",
    "nano_gpt": "nano-gpt/",
    "vercel": "vercel_ai_gateway/",
    "poe": "poe/",
}
# Models per provider and usage shape; MODELSYNC_BILLING_PER_SHAPE=0 bills every model (minutes).
PER_SHAPE = int(os.environ.get("MODELSYNC_BILLING_PER_SHAPE", "3")) or 10**6
TIERED_VERCEL = {  # Vercel's newer lists state tiers beside each flat price; written here in that shape
    "id": "google/gemini-2.5-pro-tiered",
    "object": "model",
    "owned_by": "google",
    "name": "Gemini 2.5 Pro (tiered fixture)",
    "context_window": 1048576,
    "max_tokens": 65536,
    "type": "language",
    "tags": ["reasoning", "vision"],
    "pricing": {
        "input": "0.00000125",
        "output": "0.00001",
        "input_cache_read": "0.000000125",
        "input_tiers": [{"cost": "0.00000125", "min": 0, "max": 200000}, {"cost": "0.0000025", "min": 200000}],
        "output_tiers": [{"cost": "0.00001", "min": 0, "max": 200000}, {"cost": "0.000015", "min": 200000}],
        "input_cache_read_tiers": [
            {"cost": "0.000000125", "min": 0, "max": 200000},
            {"cost": "0.00000025", "min": 200000},
        ],
    },
}
EXTRA = {  # entries of our own in the shapes of the providers without a real saved list
    "requesty": [
        {
            "id": "openai/gpt-4.1-mini",
            "input_price": 4e-07,
            "output_price": 1.6e-06,
            "cached_price": 1e-07,
            "api": "chat",
        }
    ],
    "poe": [
        {
            "id": "Claude-Sonnet-4.5",
            "object": "model",
            "owned_by": "Anthropic",
            "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
            "pricing": {
                "prompt": "0.0000026",
                "completion": "0.000013",
                "input_cache_read": "0.00000026",
                "input_cache_write": "0.0000032",
            },
        }
    ],
}


# A hand-kept deployment as configs wrote it before: no cache prices, so LiteLLM's map supplies them.
LEAKY = {
    "model_name": "leaky-deepseek-v3.1",
    "litellm_params": {
        "model": "novita/deepseek/deepseek-v3.1",
        "api_key": "os.environ/NOVITA_API_KEY",
        "input_cost_per_token": 2.7e-07,
        "output_cost_per_token": 1.0e-06,
    },
}

# What placement writes where a catalog states a price LiteLLM cannot bill (no real catalog has one).
NOTED = {
    "model_name": "noted",
    "litellm_params": {
        "model": "poe/noted",
        "api_key": "os.environ/POE_API_KEY",
        "input_cost_per_token": 1.0e-06,
        "output_cost_per_token": 2.0e-06,
    },
    "model_info": {"unbilled_prices": ["audio input $5/M above 200,000 tokens: LiteLLM bills $3/M at every size"]},
}


class Usage(NamedTuple):
    prompt: int = 1000
    completion: int = 500
    cached: int = 0  # of the prompt, read from the cache (cached audio included)
    cached_audio: int = 0
    write_5m: int = 0
    write_1h: int = 0
    audio_in: int = 0  # audio tokens of the prompt, cached ones included (OpenAI's convention)
    image_in: int = 0
    reasoning: int = 0
    audio_out: int = 0
    image_out: int = 0
    cost: float | None = None  # OpenRouter's own figure

    def wire(self) -> dict[str, Any]:
        prompt_details: dict[str, Any] = {"cached_tokens": self.cached, "audio_tokens": self.audio_in}
        prompt_details |= {"image_tokens": self.image_in, "cache_write_tokens": self.write_5m + self.write_1h}
        if self.write_1h:
            prompt_details["cache_creation_token_details"] = {
                "ephemeral_5m_input_tokens": self.write_5m,
                "ephemeral_1h_input_tokens": self.write_1h,
            }
        if self.cached_audio:
            prompt_details["cached_tokens_details"] = {"audio_tokens": self.cached_audio}
        body: dict[str, Any] = {
            "prompt_tokens": self.prompt,
            "completion_tokens": self.completion,
            "total_tokens": self.prompt + self.completion,
            "prompt_tokens_details": prompt_details,
            "completion_tokens_details": {
                "reasoning_tokens": self.reasoning,
                "audio_tokens": self.audio_out,
                "image_tokens": self.image_out,
            },
        }
        return body if self.cost is None else {**body, "cost": self.cost}


SHAPES: dict[str, Usage] = {
    "plain": Usage(),
    "cached": Usage(cached=400),
    "cache write 5m": Usage(write_5m=300),
    "cache write 1h": Usage(write_1h=300),
    "reasoning": Usage(reasoning=200),
    "audio in": Usage(audio_in=300),
    "audio out": Usage(audio_out=200),
    "audio cached": Usage(cached=400, cached_audio=150, audio_in=300),
    "image in": Usage(image_in=300),
    "image out": Usage(image_out=200),
}
ALWAYS = ("plain", "cached", "cache write 5m")  # a provider without cache prices still bills cached tokens


def tier_shapes(threshold: int) -> dict[str, Usage]:
    return {
        f"above {threshold:,}": Usage(prompt=threshold + 1000, cached=threshold // 4),
        f"at {threshold:,}": Usage(prompt=threshold, cached=threshold // 4),
    }


# --- the bill, from the raw catalog --------------------------------------------------------------

Rates = dict[str, Decimal]


def _decimal(value: Any, unit: Decimal = Decimal(1)) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    number = Decimal(str(value))
    return number / unit if number else None


def _in_window(now: datetime, start: int, end: int) -> bool:
    minute, first, last = now.hour * 60 + now.minute, start // 100 * 60 + start % 100, end // 100 * 60 + end % 100
    return first <= minute < last if first < last else minute >= first or minute < last


def openrouter_rates(pricing: dict[str, Any], usage: Usage, now: datetime) -> Rates:
    """OpenRouter's rule: overrides whose conditions hold apply, later ones win, absent keys stay."""
    rates = {k: d for k, v in pricing.items() if k != "overrides" and (d := _decimal(v)) is not None}
    for override in pricing.get("overrides") or []:
        above = override.get("min_prompt_tokens")
        start, end = override.get("utc_start"), override.get("utc_end")
        if (above is None or usage.prompt > above) and (start is None or _in_window(now, start, end)):
            conditions = ("min_prompt_tokens", "utc_start", "utc_end")
            rates |= {k: Decimal(str(v)) for k, v in override.items() if k not in conditions}
    if "image" in rates and rates["image"] >= Decimal("0.0001"):
        del rates["image"]  # a price per image, not per image token
    return rates


def vercel_rates(pricing: dict[str, Any], usage: Usage, now: datetime) -> Rates:
    rates: Rates = {}
    for ours, field in (("prompt", "input"), ("completion", "output"), ("input_cache_read", "input_cache_read")):
        value = _decimal(pricing.get(field))
        for tier in pricing.get(f"{field}_tiers") or []:
            if usage.prompt > tier["min"] and ("max" not in tier or usage.prompt <= tier["max"]):
                value = _decimal(tier["cost"])
        if value is not None:
            rates[ours] = value
    if (write := _decimal(pricing.get("input_cache_write"))) is not None:
        rates["input_cache_write"] = write
    return rates


def renamed(fields: dict[str, str], unit: Decimal = Decimal(1)) -> Callable[[dict[str, Any], Usage, datetime], Rates]:
    def rates(pricing: dict[str, Any], usage: Usage, now: datetime) -> Rates:
        return {ours: d for theirs, ours in fields.items() if (d := _decimal(pricing.get(theirs), unit)) is not None}

    return rates


RATES: dict[str, Callable[[dict[str, Any], Usage, datetime], Rates]] = {
    "openrouter": openrouter_rates,
    "poe": openrouter_rates,
    "vercel": vercel_rates,
    "requesty": renamed(
        {
            "input_price": "prompt",
            "output_price": "completion",
            "cached_price": "input_cache_read",
            "caching_price": "input_cache_write",
        }
    ),
    "novita": renamed(
        {"input_token_price_per_m": "prompt", "output_token_price_per_m": "completion"}, Decimal(10_000_000_000)
    ),
    "nano_gpt": renamed({"prompt": "prompt", "completion": "completion"}, Decimal(1_000_000)),
}


def pricing_of(provider: str, entry: dict[str, Any]) -> dict[str, Any]:
    return entry if provider in ("requesty", "novita") else entry.get("pricing") or {}


def catalog_bill(provider: str, entry: dict[str, Any], usage: Usage, now: datetime) -> float:
    """What the provider's catalog says this usage costs, in USD."""
    rates = RATES[provider](pricing_of(provider, entry), usage, now)

    def rate(*names: str) -> Decimal:
        return next(rates[name] for name in names if name in rates)

    uncached_audio = usage.audio_in - usage.cached_audio
    text_in = usage.prompt - usage.cached - usage.write_5m - usage.write_1h - uncached_audio - usage.image_in
    text_out = usage.completion - usage.reasoning - usage.audio_out - usage.image_out
    bill = (
        text_in * rate("prompt")
        + (usage.cached - usage.cached_audio) * rate("input_cache_read", "prompt")
        + usage.cached_audio * rate("input_audio_cache", "input_cache_read", "prompt")
        + usage.write_5m * rate("input_cache_write", "prompt")
        + usage.write_1h * rate("input_cache_write_1h", "input_cache_write", "prompt")
        + uncached_audio * rate("audio", "prompt")
        + usage.image_in * rate("image", "prompt")
        + text_out * rate("completion")
        + usage.reasoning * rate("internal_reasoning", "completion")
        + usage.audio_out * rate("audio_output", "completion")
        + usage.image_out * rate("image_output", "image_token", "completion")
    )
    return float(bill)


# --- what to bill -------------------------------------------------------------------------------


def _priced_shapes(provider: str, entry: dict[str, Any]) -> dict[str, Usage]:
    pricing = pricing_of(provider, entry)
    names = {
        "input_cache_read": "cached",
        "cached_price": "cached",
        "input_cache_write": "cache write 5m",
        "caching_price": "cache write 5m",
        "input_cache_write_1h": "cache write 1h",
        "internal_reasoning": "reasoning",
        "audio": "audio in",
        "audio_output": "audio out",
        "input_audio_cache": "audio cached",
        "image_output": "image out",
        "image_token": "image out",
    }
    shapes = {name: SHAPES[name] for field, name in names.items() if _decimal(pricing.get(field))}
    if (image := _decimal(pricing.get("image"))) is not None and image < Decimal("0.0001"):
        shapes["image in"] = SHAPES["image in"]
    for override in pricing.get("overrides") or []:
        if "min_prompt_tokens" in override:
            shapes |= tier_shapes(override["min_prompt_tokens"])
    for field in ("input_tiers", "output_tiers"):
        for tier in pricing.get(field) or []:
            if tier["min"]:
                shapes |= tier_shapes(tier["min"])
    if pricing.get("overrides") and any("utc_start" in o for o in pricing["overrides"]):
        shapes["time of day"] = Usage(cached=400)
    return shapes


def _billable(provider: str, entry: dict[str, Any]) -> bool:
    """A text model with real, non-zero prices (free models bill the 1e-9 marker, by convention)."""
    rates = RATES[provider](pricing_of(provider, entry), Usage(), datetime.now(UTC))
    pricing = pricing_of(provider, entry)
    outputs = (entry.get("architecture") or {}).get("output_modalities") or ["text"]
    has_variable = any(str(v).strip() == "-1" for v in pricing.values() if not isinstance(v, (list, dict)))
    kind = entry.get("type", entry.get("api", entry.get("model_type", "language")))
    text = "text" in outputs and kind in ("language", "chat") and entry.get("status", 1) == 1
    return text and "prompt" in rates and "completion" in rates and not has_variable and not entry["id"].startswith("~")


def _map_knows_other_cache_price(provider: str, entry: dict[str, Any], litellm_map: dict[str, Any]) -> bool:
    known = litellm_map.get(ROUTES[provider] + entry["id"]) or {}
    map_price = known.get("cache_read_input_token_cost")
    if map_price is None:
        return False
    ours = catalog_bill(provider, entry, Usage(prompt=1000, completion=0, cached=1000), datetime.now(UTC)) / 1000
    return not math.isclose(map_price, ours, rel_tol=1e-6)


class Case(NamedTuple):
    provider: str
    entry: dict[str, Any]
    shape: str
    usage: Usage


def choose(catalogs: dict[str, list[dict[str, Any]]], litellm_map: dict[str, Any]) -> list[Case]:
    """Per provider: up to PER_SHAPE models for every usage shape it prices, every tier threshold, the
    time windows, and models LiteLLM's map prices differently; each billed in every shape it prices."""
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for provider, entries in catalogs.items():
        billable = sorted((e for e in entries if _billable(provider, e)), key=lambda e: e["id"])
        per_shape: Counter[str] = Counter()
        for entry in billable:
            shapes = _priced_shapes(provider, entry)
            new = [s for s in shapes if per_shape[s] < PER_SHAPE]
            leaks = _map_knows_other_cache_price(provider, entry, litellm_map) and per_shape["leak"] < PER_SHAPE
            if new or leaks or len(billable) <= PER_SHAPE * 4:
                chosen[(provider, entry["id"])] = entry
                per_shape.update(new + (["leak"] if leaks else []))
    cases = []
    for (provider, _), entry in sorted(chosen.items(), key=lambda item: item[0]):
        shapes = {name: SHAPES[name] for name in ALWAYS} | _priced_shapes(provider, entry)
        cases += [Case(provider, entry, shape, usage) for shape, usage in shapes.items()]
    return cases


# --- the proxy ----------------------------------------------------------------------------------


def _catalog_files(project: Project) -> dict[str, list[dict[str, Any]]]:
    """Put the real catalogs (and our own entries) into the project's cache; return every entry."""
    bodies: dict[str, Any] = {name: json.loads((project.cache / f"{name}.json").read_text()) for name in PRICED}
    bodies["openrouter"] = json.loads(real_catalog("openrouter/2026-08-19-all-modalities.json").read_text())
    bodies["vercel"] = json.loads(real_catalog("vercel/2025-11-18.json").read_text())
    bodies["vercel"]["data"].append(TIERED_VERCEL)
    novita = json.loads(real_catalog("novita/2025-05-02-two-models.json").read_text())["data"]
    bodies["novita"]["data"] += [e for e in novita if e["id"] not in {x["id"] for x in bodies["novita"]["data"]}]
    for provider, entries in EXTRA.items():
        bodies[provider]["data"] += entries
    for name, body in bodies.items():
        project.use_catalog(name, body)
    return {name: body["data"] for name, body in bodies.items()}


class Billing(NamedTuple):
    base: str
    cases: list[Case]
    deployments: dict[str, dict[str, Any]]  # by model_name


def _name(provider: str, model_id: str) -> str:
    return f"{provider}:{model_id}"


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    with fake_upstream() as server:
        yield server


@pytest.fixture(scope="module")
def billing(tmp_path_factory: pytest.TempPathFactory, upstream: Upstream) -> Iterator[Billing]:
    root = tmp_path_factory.mktemp("billing")
    project = make_project(root)
    litellm_map = json.loads(real_catalog(LITELLM_MAP).read_text())
    cases = choose(_catalog_files(project), litellm_map)
    models = sorted({(c.provider, c.entry["id"]) for c in cases})
    project.write_overrides(
        {
            "providers": {p: {"params": {"api_base": f"{upstream.base}/{p}"}} for p in PRICED},
            "models": [{"id": _name(p, i), "name": _name(p, i)} for p, i in models],
            "entries": [
                LEAKY | {"litellm_params": {**LEAKY["litellm_params"], "api_base": f"{upstream.base}/novita"}},
                NOTED | {"litellm_params": {**NOTED["litellm_params"], "api_base": f"{upstream.base}/poe"}},
            ],
            "settings": {"general_settings": {"master_key": "os.environ/LITELLM_MASTER_KEY"}},
        }
    )
    run(project.paths, Options(offline=True))
    deployments = {d["model_name"]: d for d in yaml.safe_load(project.config.read_text())["model_list"]}
    env = {var: "fake-key" for var in _key_vars(deployments)}
    with running_proxy(project.config, env, root / "litellm.log") as base:
        yield Billing(base, cases, deployments)


def _key_vars(deployments: dict[str, dict[str, Any]]) -> set[str]:
    return {d["litellm_params"]["api_key"].removeprefix("os.environ/") for d in deployments.values()}


def _bill(base: str, model_name: str, usage: Usage) -> tuple[float, datetime, datetime]:
    before = datetime.now(UTC)
    answer = httpx.post(
        f"{base}/v1/chat/completions",
        headers=HEADERS,
        timeout=120,
        json={"model": model_name, "messages": [{"role": "user", "content": json.dumps({"usage": usage.wire()})}]},
    )
    assert answer.status_code == 200, (model_name, answer.text[:500])
    # LiteLLM leaves the header out when a response costs nothing.
    return float(answer.headers.get("x-litellm-response-cost", 0)), before, datetime.now(UTC)


def _safe_moment() -> None:
    """Time-of-day prices switch on the minute: never straddle one."""
    now = datetime.now(UTC)
    if now.second >= 55:
        import time

        time.sleep(60 - now.second + 0.5)


def test_every_priced_usage_shape_bills_what_the_catalog_says(billing: Billing) -> None:
    _safe_moment()

    def one(case: Case) -> tuple[Case, float, float]:
        cost, before, after = _bill(billing.base, _name(case.provider, case.entry["id"]), case.usage)
        expected = catalog_bill(case.provider, case.entry, case.usage, before)
        if expected != catalog_bill(case.provider, case.entry, case.usage, after):
            pytest.skip("a time-of-day price changed during the request")
        return case, cost, expected

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(one, billing.cases))
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    wrong = []
    for case, cost, expected in results:
        shape = case.shape if not case.shape.startswith(("above", "at ")) else case.shape.split(" ")[0] + " a tier"
        tally[(case.provider, shape)][1] += 1
        if math.isclose(cost, expected, rel_tol=1e-9, abs_tol=1e-15):
            tally[(case.provider, shape)][0] += 1
        else:
            wrong.append(f"{case.provider}:{case.entry['id']} {case.shape}: LiteLLM {cost!r}, catalog {expected!r}")
    print("\nbills matching the catalog / bills tried")
    for (provider, shape), (good, tried) in sorted(tally.items()):
        print(f"  {provider:<11} {shape:<16} {good}/{tried}")
    assert not wrong, "\n".join(wrong)
    assert {c.provider for c in billing.cases} == set(PRICED)
    assert {*SHAPES, "time of day"} <= {c.shape for c in billing.cases}, "some usage shape was never billed"


def test_every_tier_threshold_the_catalogs_state_is_billed_above_and_at_it(billing: Billing) -> None:
    thresholds = {c.shape for c in billing.cases if c.shape.startswith(("above ", "at "))}
    for threshold in (32000, 128000, 200000, 256000, 272000):
        assert {f"above {threshold:,}", f"at {threshold:,}"} <= thresholds


def test_openrouter_bills_its_own_figure_ahead_of_config_prices(billing: Billing) -> None:
    openrouter = next(c for c in billing.cases if c.provider == "openrouter" and c.shape == "plain")
    name = _name("openrouter", openrouter.entry["id"])
    assert _bill(billing.base, name, Usage(cost=0.0421))[0] == pytest.approx(0.0421, rel=1e-12)
    assert _bill(billing.base, name, Usage(cost=0.0))[0] == 0.0
    requesty = next(c for c in billing.cases if c.provider == "requesty")  # an openai/ route ignores usage.cost
    expected = catalog_bill("requesty", requesty.entry, Usage(), datetime.now(UTC))
    cost = _bill(billing.base, _name("requesty", requesty.entry["id"]), Usage(cost=0.0421))[0]
    assert math.isclose(cost, expected, rel_tol=1e-9)


def test_models_litellm_knows_bill_the_catalogs_cache_price_not_the_maps(billing: Billing) -> None:
    litellm_map = json.loads(real_catalog(LITELLM_MAP).read_text())
    known = [
        c
        for c in billing.cases
        if c.shape == "cached" and _map_knows_other_cache_price(c.provider, c.entry, litellm_map)
    ]
    assert {c.provider for c in known} >= {"novita", "openrouter"}, "the proof needs models the map prices otherwise"
    leaky = _bill(billing.base, LEAKY["model_name"], SHAPES["cached"])[0]  # what leaving them unset bills
    map_price = litellm_map[LEAKY["litellm_params"]["model"]]["cache_read_input_token_cost"]
    assert math.isclose(leaky, 600 * 2.7e-07 + 400 * map_price + 500 * 1.0e-06, rel_tol=1e-9)
    for case in known:
        cost = _bill(billing.base, _name(case.provider, case.entry["id"]), case.usage)[0]
        expected = catalog_bill(case.provider, case.entry, case.usage, datetime.now(UTC))
        assert math.isclose(cost, expected, rel_tol=1e-9), (case.provider, case.entry["id"], cost, expected)


def test_model_info_shows_the_prices_litellm_cannot_bill(billing: Billing) -> None:
    info = httpx.get(f"{billing.base}/model/info", headers=HEADERS, timeout=60).json()["data"]
    served = {i["model_name"]: i["model_info"] for i in info}
    searched = [n for n, d in billing.deployments.items() if "search_context_cost_per_query" in d.get("model_info", {})]
    assert searched
    for name in searched:
        want = billing.deployments[name]["model_info"]["search_context_cost_per_query"]
        assert served[name]["search_context_cost_per_query"] == want
    assert served["noted"]["unbilled_prices"] == NOTED["model_info"]["unbilled_prices"]
