"""--import: a hand-kept config becomes overrides.yaml, and regenerating it loses nothing."""

from __future__ import annotations

import json
import math
import shlex
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import Project, without_stable_id

LEGACY = Path(__file__).parent / "fixtures" / "legacy_config.yaml"
Key = tuple[str, str]


def _deployments(path: Path) -> dict[Key, dict[str, Any]]:
    return {(d["model_name"], d["litellm_params"]["model"]): d for d in yaml.safe_load(path.read_text())["model_list"]}


def _same(a: Any, b: Any) -> bool:
    """Equal, numbers within a relative 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=False))
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=1e-9)
    return bool(a == b)


@pytest.fixture
def imported(project: Project) -> Project:
    legacy = project.root / "legacy.yaml"
    shutil.copyfile(LEGACY, legacy)
    project.overrides.unlink()
    assert project.run("--import", str(legacy), "--offline", "-q") == 0
    project.config.unlink()
    return project


def _cache_stated(deployment: dict[str, Any]) -> dict[str, Any]:
    """A chat deployment as generated: cache prices the old file left to LiteLLM's map are stated."""
    params = dict(deployment["litellm_params"])
    if "input_cost_per_token" in params and (deployment.get("model_info") or {}).get("mode", "chat") == "chat":
        params.setdefault("cache_read_input_token_cost", params["input_cost_per_token"])
        params.setdefault("cache_creation_input_token_cost", params["input_cost_per_token"])
    return {**deployment, "litellm_params": params}


def test_import_then_generate_round_trips_without_semantic_difference(imported: Project) -> None:
    assert imported.run("--offline", "-q") == 0
    old, new = _deployments(LEGACY), _deployments(imported.config)
    assert old.keys() == new.keys()
    for key in old:
        assert _same(
            {"model_info": {}, **_cache_stated(old[key])}, {"model_info": {}, **without_stable_id(old[key], new[key])}
        ), key
    legacy, generated = yaml.safe_load(LEGACY.read_text()), yaml.safe_load(imported.config.read_text())
    for section in ("router_settings", "litellm_settings", "general_settings"):
        assert generated[section] == legacy[section]


def test_imported_overrides_keep_names_params_and_hand_written_entries(imported: Project) -> None:
    overrides = yaml.safe_load(imported.overrides.read_text())
    models = {m["id"]: m for m in overrides["models"]}
    assert models["requesty:anthropic/claude-haiku-4-5"] == {
        "id": "requesty:anthropic/claude-haiku-4-5",
        "name": "claude-haiku-4.5",
        "params": {"timeout": 30},
    }
    assert models["poe:Claude-Haiku-4.5"]["params"] == {
        "model": "openai/Claude-Haiku-4.5",
        "api_base": "https://api.poe.com/v1",
    }
    assert "pin" not in models["openrouter:anthropic/claude-haiku-4.5"], "catalog prices stay the catalog's"
    assert [e["model_name"] for e in overrides["entries"]] == ["az-gpt-4o", "local-llama"]


def test_moved_prices_are_reported_exactly(imported: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert imported.run("--offline", "-q") == 0
    openrouter = json.loads((imported.cache / "openrouter.json").read_text())
    for entry in openrouter["data"]:
        if entry["id"] == "anthropic/claude-haiku-4.5":
            entry["pricing"]["prompt"] = "0.0000012"
    (imported.cache / "openrouter.json").write_text(json.dumps(openrouter))
    novita = json.loads((imported.cache / "novita.json").read_text())
    novita["data"][0]["output_token_price_per_m"] = 12000  # deepseek/deepseek-v3.1: $1.00 → $1.20 per million
    (imported.cache / "novita.json").write_text(json.dumps(novita))
    capsys.readouterr()
    assert imported.run("--offline", "--dry-run") == 0
    lines = [line.strip() for line in capsys.readouterr().out.splitlines()]
    changes = [line for line in lines if line.startswith(("+", "-", "~")) or "→" in line]
    assert changes == [
        "~ deepseek-v3.1 (novita/deepseek/deepseek-v3.1)",
        "output_cost_per_token: $1/M → $1.2/M (+20%)",
        "~ claude-haiku-4.5 (openrouter/anthropic/claude-haiku-4.5)",
        "input_cost_per_token: $1/M → $1.2/M (+20%)",
    ]


def test_import_refuses_to_overwrite_unless_forced(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.overrides.read_text()
    assert project.run("--import", str(LEGACY), "--offline") == 2
    assert "already exists" in capsys.readouterr().err and project.overrides.read_text() == before
    assert project.run("--import", str(LEGACY), "--offline", "--force", "-q") == 0
    assert project.overrides.read_text() != before


def test_literal_secrets_are_moved_to_the_environment(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = project.root / "legacy.yaml"
    legacy.write_text(
        yaml.safe_dump(
            {
                "general_settings": {"master_key": "sk-1234-literal"},
                "model_list": [
                    {
                        "model_name": "local",
                        "litellm_params": {
                            "model": "openai/x",
                            "api_base": "http://localhost:8000/v1",
                            "api_key": "sk-local-literal",
                        },
                    }
                ],
            }
        )
    )
    assert project.run("--import", str(legacy), "--offline", "--force") == 0
    text = project.overrides.read_text()
    assert "literal" not in text and "sk-1234" not in text and "sk-local" not in text
    overrides = yaml.safe_load(text)
    assert overrides["entries"][0]["litellm_params"]["api_key"] == "os.environ/LOCALHOST_API_KEY"
    assert overrides["settings"]["general_settings"]["master_key"] == "os.environ/LITELLM_MASTER_KEY"
    err = capsys.readouterr().err
    assert "literal" in err and "sk-" not in err and "os.environ/LOCALHOST_API_KEY" in err


def test_the_next_hint_compares_with_the_file_imported_and_runs_as_printed(project: Project) -> None:
    """The old config elsewhere than ./config.yaml: the dry run it suggests compares with that file."""
    (project.root / "old").mkdir()
    legacy = project.root / "old" / "proxy config.yaml"
    shutil.copyfile(LEGACY, legacy)
    project.overrides.unlink()
    done = project.cli("import", "old/proxy config.yaml", "--offline", installed=True)
    assert done.returncode == 0, done.stderr
    hint = done.stdout.splitlines()[-1]
    suggested = "modelsync --offline --dry-run --config 'old/proxy config.yaml'"
    assert hint == f"next: {suggested}, to see how the catalogs differ from it"
    before = project.snapshot_files()
    command = shlex.split(hint.removeprefix("next: ").partition(",")[0])[1:]
    dry = project.cli(*command, installed=True)
    assert dry.returncode == 0 and "old/proxy config.yaml would be updated" in dry.stdout, dry.stderr
    assert project.snapshot_files() == before
