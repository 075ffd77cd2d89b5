"""`usage` and `usage snapshot`, run as the user runs them, against a real PostgreSQL with LiteLLM's schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.helpers import ROOT, Project, real_catalog
from tests.litellm_db import PASSWORD, Cluster, Request, clear, insert

GROUP = "claude-haiku-4.5"
OPENROUTER_PRICES = json.loads(real_catalog("openrouter/2026-08-19.json").read_text())
HAIKU = next(m for m in OPENROUTER_PRICES["data"] if m["id"] == "anthropic/claude-haiku-4.5")["pricing"]
VERCEL_INPUT = 8e-07  # pinned: the same model, cheaper on Vercel
PROMPT, COMPLETION, READ = 40_000, 1_000, 30_000  # one request's tokens
DAYS, WRONG_FROM = 10, 6  # LiteLLM billed twice the config's price on the last four days


def _right_bill(input_price: float) -> float:
    """OpenRouter's stated prices for one request, from the raw catalog JSON: cache reads inside the prompt."""
    return (
        (PROMPT - READ) * input_price
        + READ * float(HAIKU["input_cache_read"])
        + COMPLETION * float(HAIKU["completion"])
    )


def _start() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, hour=12) - timedelta(days=DAYS)


def _rows() -> list[Request]:
    rows = []
    for day in range(DAYS):
        when = _start() + timedelta(days=day)
        spend = _right_bill(float(HAIKU["prompt"])) * (2 if day >= WRONG_FROM else 1)
        rows.append(
            Request(
                GROUP,
                "openrouter",
                "anthropic/claude-haiku-4.5",
                "https://openrouter.ai/api/v1",
                when,
                PROMPT,
                COMPLETION,
                cache_read=READ,
                spend=spend,
            )
        )
    rows.append(Request("gone-model", "openai", "gone", "https://api.example.com/v1", _start(), 5, 5, spend=0.1))
    return rows


@pytest.fixture
def spent(litellm_database: Cluster) -> Iterator[Cluster]:
    insert(litellm_database, _rows())
    yield litellm_database
    clear(litellm_database)


@pytest.fixture
def proxy(project: Project) -> Project:
    project.write_overrides(
        {
            "models": [
                {"id": "openrouter:anthropic/claude-haiku-4.5", "name": GROUP},
                {
                    "id": "vercel:anthropic/claude-haiku-4.5",
                    "name": GROUP,
                    "pin": {"input_cost_per_token": VERCEL_INPUT},
                },
            ],
            "usage": {"database": "os.environ/DATABASE_URL", "window_days": 30},
        }
    )
    project.use_catalog("openrouter", real_catalog("openrouter/2026-08-19.json"))
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.use_catalog("vercel", real_catalog("vercel/2025-11-18.json"))
    assert project.run("--offline", "-q") == 0
    return project


def _usage(project: Project, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url}
    command = [sys.executable, str(ROOT / "generate.py"), "usage", *args, *project.path_args()]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=project.root, check=False)


def test_usage_says_what_litellm_billed_against_the_configs_prices_and_since_when(
    proxy: Project, spent: Cluster
) -> None:
    done = _usage(proxy, spent.url)
    assert done.returncode == 1, done.stderr
    since = (_start() + timedelta(days=WRONG_FROM)).date().isoformat()
    right = _right_bill(float(HAIKU["prompt"]))
    assert f"openrouter: {GROUP} (openrouter/anthropic/claude-haiku-4.5): {DAYS} requests" in done.stdout
    assert f"config.yaml's prices bill ${right * DAYS:,.2f}" in done.stdout
    assert (
        f"LiteLLM billed +${right * (DAYS - WRONG_FROM):,.2f} (+40%) against today's prices, since {since}"
        in done.stdout
    )
    assert f"vercel would have billed ${_right_bill(VERCEL_INPUT) * DAYS:,.2f} for the same tokens" in done.stdout
    assert "suggested order by cost: vercel, openrouter" in done.stdout
    assert "not in config.yaml: gone-model (openai/gone): 1 requests" in done.stdout
    document = json.loads(_usage(proxy, spent.url, "--report", "json").stdout)
    (served,) = document["deployments"]
    assert (served["input"], served["cache_read"], served["differs_since"]) == (PROMPT * DAYS, READ * DAYS, since)


def test_within_the_tolerance_nothing_differs(proxy: Project, spent: Cluster) -> None:
    assert _usage(proxy, spent.url, "--tolerance", "50").returncode == 0


def test_a_snapshot_holds_the_usage_and_nothing_about_who_asked(proxy: Project, spent: Cluster) -> None:
    text = proxy.overrides.read_text().replace("database: os.environ/DATABASE_URL", "snapshot: usage.json")
    proxy.overrides.write_text(text)
    written = _usage(proxy, spent.url, "snapshot", "--database", "DATABASE_URL")
    assert written.returncode == 0, written.stderr
    snapshot = (proxy.root / "usage.json").read_text()
    for private in ("alice", "hashed-key", "ci-bot", "research", "end-user", "secret plans", PASSWORD, "127.0.0.1"):
        assert private not in snapshot, private
    from_snapshot = _usage(proxy, "postgresql://nobody@127.0.0.1:1/none", "--report", "json")
    from_database = _usage(proxy, spent.url, "--database", "DATABASE_URL", "--report", "json")
    assert from_snapshot.returncode == from_database.returncode == 1
    deployments: list[dict[str, Any]] = json.loads(from_snapshot.stdout)["deployments"]
    assert deployments == json.loads(from_database.stdout)["deployments"]


def _bad(project: Project, url: str, *args: str) -> str:
    before = project.committed_files()
    done = _usage(project, url, *args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert project.committed_files() == before, "a failing usage source changes no file"
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def test_bad_sources_are_one_sentence_exit_2_and_change_nothing(
    proxy: Project, litellm_database: Cluster, tmp_path: Any
) -> None:
    wrong = _bad(proxy, litellm_database.url_with(password="wrong-pw-31337"))
    assert "password authentication failed" in wrong and "wrong-pw-31337" not in wrong and "[masked]" in wrong
    assert "is not a LiteLLM database" in _bad(proxy, litellm_database.url_with(database="other"))
    assert "cannot connect" in _bad(proxy, f"postgresql://litellm:{PASSWORD}@127.0.0.1:1/litellm")
    assert "no successful requests in the window — widen usage.window_days" in _bad(proxy, litellm_database.url)
    other = tmp_path / "other.csv"
    other.write_text("date,model,spend\n2026-11-10,x,1\n")
    assert "other.csv:1: not the admin UI's daily activity export: no column" in _bad(
        proxy, litellm_database.url, "--csv", str(other)
    )


def test_a_snapshot_of_another_config_is_refused(proxy: Project, spent: Cluster) -> None:
    assert _usage(proxy, spent.url, "snapshot").returncode == 0  # from usage.database, into usage.json
    text = proxy.overrides.read_text().replace("database: os.environ/DATABASE_URL", "snapshot: usage.json")
    proxy.overrides.write_text(text.replace(f"name: {GROUP}", "name: another-name"))
    assert proxy.run("--offline", "-q") == 0
    assert "it was taken from a different config" in _bad(proxy, spent.url)
