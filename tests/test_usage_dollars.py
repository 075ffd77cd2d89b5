"""Every price change priced at real usage, end to end: real catalogs, a real PostgreSQL, the real command.

The expected dollars are derived here from the raw spend rows and the raw catalog JSON alone,
never from config.yaml or the package's own arithmetic.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema
import pytest
import yaml

from tests.helpers import ROOT, Project, real_catalog
from tests.litellm_db import PASSWORD, Cluster, Request, clear, insert

OLD, NEW = "openrouter/2026-05-22.json", "openrouter/2026-08-19.json"
USED = {  # id → (requests a day, prompt, completion, cache read, cache write, reasoning) per request
    "deepseek/deepseek-chat-v3-0324": (40, 20_000, 2_000, 0, 0, 0),  # input and output dearer
    "deepseek/deepseek-v3.2": (25, 30_000, 3_000, 12_000, 0, 500),  # cache read five times dearer
    "deepseek/deepseek-v4-flash": (60, 8_000, 1_000, 2_000, 0, 0),  # cheaper
}
UNUSED = "google/gemma-3-12b-it"  # its price moves, but nobody called it
DAYS = 30


def _raw(catalog: str) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in json.loads(real_catalog(catalog).read_text())["data"]}


def _rows() -> list[Request]:
    now = datetime.now(UTC).replace(tzinfo=None)
    rows = []
    for model_id, (per_day, prompt, completion, read, write, reasoning) in USED.items():
        for day in range(DAYS):
            when = now - timedelta(days=day, hours=1)
            for _ in range(per_day):
                rows.append(
                    Request(
                        f"openrouter/{model_id}",
                        "openrouter",
                        model_id,
                        "https://openrouter.ai/api/v1",
                        when,
                        prompt,
                        completion,
                        cache_read=read,
                        cache_write=write,
                        reasoning=reasoning,
                        spend=0.01,
                        model_id=f"old-hash-{day // 10}",  # ids moved with every past refresh
                    )
                )
            rows.append(
                Request(f"openrouter/{model_id}", "openrouter", model_id, "", when, 10**6, 10**6, status="failure")
            )
    return rows


def _hand_bill(pricing: dict[str, str], tokens: tuple[int, int, int, int, int]) -> float:
    """What OpenRouter's stated prices charge for the tokens: the prompt counts cache reads inside it."""
    prompt, completion, read, write, reasoning = tokens
    price = {key: float(value) for key, value in pricing.items()}
    return (
        (prompt - read - write) * price["prompt"]
        + read * price.get("input_cache_read", price["prompt"])
        + write * price.get("input_cache_write", price["prompt"])
        + (completion - reasoning) * price["completion"]
        + reasoning * price.get("internal_reasoning", price["completion"])
    )


def _expected_monthly_change(model_id: str) -> float:
    per_day, *usage = USED[model_id]
    tokens = tuple(n * per_day * DAYS for n in usage)
    before, after = (_hand_bill(_raw(c)[model_id]["pricing"], tokens) for c in (OLD, NEW))  # type: ignore[arg-type]
    return after - before  # 30 days of usage: a month as it stands


@pytest.fixture
def spent(litellm_database: Cluster) -> Iterator[Cluster]:
    insert(litellm_database, _rows())
    yield litellm_database
    clear(litellm_database)


def _project(project: Project, extra: dict[str, Any] | None = None) -> Project:
    project.write_overrides(
        {
            "models": [f"openrouter:{m}" for m in [*USED, UNUSED]],
            "usage": {"database": "os.environ/DATABASE_URL", "window_days": DAYS},
            **(extra or {}),
        }
    )
    project.use_catalog("openrouter", real_catalog(OLD))
    project.use_catalog("openrouter.embeddings", {"data": []})
    assert project.run("--offline", "-q") == 0
    project.use_catalog("openrouter", real_catalog(NEW))
    return project


def _generate(project: Project, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "generate.py"), "--offline", *args, *project.path_args()]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=project.root, check=False)


def test_every_price_change_is_priced_at_the_usage_in_the_database(project: Project, spent: Cluster) -> None:
    done = _generate(_project(project), spent.url, "--report", "json")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    jsonschema.validate(document, json.loads((ROOT / "report.schema.json").read_text()))
    dollars = document["dollars"]
    by_model = {m["model"]: m for m in dollars["models"]}
    for model_id in USED:
        assert by_model[f"openrouter/{model_id}"]["monthly_change"] == pytest.approx(_expected_monthly_change(model_id))
    assert by_model[f"openrouter/{UNUSED}"]["used"] is False
    assert by_model[f"openrouter/{UNUSED}"]["monthly_change"] is None
    expected_total = sum(_expected_monthly_change(m) for m in USED)
    assert dollars["total_monthly_change"] == pytest.approx(expected_total)
    assert dollars["providers"]["openrouter"] == pytest.approx(expected_total)
    assert "LiteLLM database postgresql://litellm:[masked]@127.0.0.1" in dollars["usage"]
    assert PASSWORD not in done.stdout + done.stderr


def test_the_text_and_markdown_reports_say_it_in_dollars(project: Project, spent: Cluster) -> None:
    _project(project)
    text = _generate(project, spent.url, "--dry-run").stdout
    rise = _expected_monthly_change("deepseek/deepseek-chat-v3-0324")
    assert f"deepseek/deepseek-chat-v3-0324: +${rise:,.2f}/month (was $" in text
    assert f"{UNUSED}: no usage in the window: cannot say what it costs you" in text
    markdown = _generate(project, spent.url, "--dry-run", "--report", "markdown").stdout
    total = sum(_expected_monthly_change(m) for m in USED)
    assert f"### 💵 At your usage: {'+' if total >= 0 else '-'}${abs(total):,.2f}/month" in markdown


def test_the_money_guard_holds_a_rise_over_its_limit_and_releases_it(project: Project, spent: Cluster) -> None:
    _project(project, {"guards": {"max_monthly_increase": 1.0}})
    held = _generate(project, spent.url)
    assert held.returncode == 4, held.stderr
    assert "raises the bill +$" in held.stdout and "over guards.max_monthly_increase $1.00" in held.stdout
    old_price = float(_raw(OLD)["deepseek/deepseek-chat-v3-0324"]["pricing"]["prompt"])
    assert _input_price(project, "deepseek/deepseek-chat-v3-0324") == old_price
    assert _input_price(project, "deepseek/deepseek-v4-flash") == float(
        _raw(NEW)["deepseek/deepseek-v4-flash"]["pricing"]["prompt"]
    ), "a price that falls is never held"
    released = _generate(project, spent.url, "--accept-held")
    assert released.returncode == 0, released.stderr
    assert _input_price(project, "deepseek/deepseek-chat-v3-0324") == float(
        _raw(NEW)["deepseek/deepseek-chat-v3-0324"]["pricing"]["prompt"]
    )


def test_a_rise_within_the_limit_is_not_held(project: Project, spent: Cluster) -> None:
    _project(project, {"guards": {"max_monthly_increase": 1_000_000}})
    assert _generate(project, spent.url).returncode == 0


def test_a_usage_source_that_fails_warns_and_never_blocks_the_config(project: Project, spent: Cluster) -> None:
    _project(project, {"guards": {"max_monthly_increase": 1.0}})
    done = _generate(project, spent.url_with(password="wrong-pass-77"), "--report", "json")
    assert done.returncode == 0, done.stderr
    assert "dollars" not in json.loads(done.stdout)
    assert "usage: LiteLLM database postgresql://litellm:[masked]@" in done.stderr
    assert "the report goes without dollar figures" in done.stderr and "wrong-pass-77" not in done.stderr
    assert _input_price(project, "deepseek/deepseek-chat-v3-0324") == float(
        _raw(NEW)["deepseek/deepseek-chat-v3-0324"]["pricing"]["prompt"]
    )


def _input_price(project: Project, model_id: str) -> float:
    config = yaml.safe_load(project.config.read_text())
    (found,) = [d for d in config["model_list"] if d["litellm_params"]["model"] == f"openrouter/{model_id}"]
    return float(found["litellm_params"]["input_cost_per_token"])


def test_an_up_to_date_check_and_a_changing_one_never_touch_the_usage_source(project: Project) -> None:
    import socket

    with socket.socket() as listener:  # a "database" that only counts who knocks
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        listener.settimeout(0.5)
        url = f"postgresql://litellm:{PASSWORD}@127.0.0.1:{listener.getsockname()[1]}/litellm"
        _project(project)
        assert _generate(project, url, "--check").returncode == 1  # a catalog changed: the report is printed
        project.use_catalog("openrouter", real_catalog(OLD))
        assert _generate(project, url, "--check").returncode == 0
        with pytest.raises(TimeoutError, match="timed out"):  # no connection came
            listener.accept()


@pytest.mark.parametrize(
    ("usage", "line", "says"),
    [
        ({"database": "postgresql://litellm:hunter2-pass@db/litellm"}, 4, "usage.database: the connection string"),
        ({"csv": "a.csv", "snapshot": "b.json"}, 3, "name exactly one usage source"),
        ({"csv": "a.csv", "window_days": 0}, 5, "usage.window_days"),
    ],
)
def test_a_bad_usage_section_names_the_line(project: Project, usage: dict[str, Any], line: int, says: str) -> None:
    project.write_overrides({"models": ["openrouter:deepseek/deepseek-v3.2"], "usage": usage})
    before = project.committed_files()
    done = _generate(project, "", "--report", "json")
    assert done.returncode == 2
    assert re.search(rf"{re.escape(str(project.overrides))}:{line}: ", done.stderr) and says in done.stderr, done.stderr
    assert "hunter2-pass" not in done.stderr
    assert project.committed_files() == before


def test_a_deployments_id_holds_across_a_price_refresh(project: Project) -> None:
    from modelsync.model.stable_id import stable_id

    def ids() -> dict[str, str]:
        config = yaml.safe_load(project.config.read_text())
        return {d["litellm_params"]["model"]: d["model_info"]["id"] for d in config["model_list"]}

    _project(project)  # rendered from the old catalog, the new one in place
    before = ids()
    assert project.run("--offline", "-q") == 0
    assert ids() == before, "prices moved; the ids did not"
    route = "openrouter/deepseek/deepseek-v3.2"
    assert before[route] == stable_id(route, route, "")


def test_a_price_the_user_pins_higher_is_an_edit_and_never_held(project: Project, spent: Cluster) -> None:
    _project(project, {"guards": {"max_monthly_increase": 1.0}})
    project.use_catalog("openrouter", real_catalog(OLD))  # no catalog change: only the pin moves
    overrides = yaml.safe_load(project.overrides.read_text())
    overrides["models"][0] = {"id": "openrouter:deepseek/deepseek-chat-v3-0324", "pin": {"input_cost_per_token": 1e-05}}
    project.write_overrides(overrides)
    done = _generate(project, spent.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _input_price(project, "deepseek/deepseek-chat-v3-0324") == 1e-05
