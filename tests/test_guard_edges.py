"""The change guards at their edges: exactly at a threshold, group members, excludes."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.helpers import Project, openrouter_entry, run_generate

VENDOR = [openrouter_entry(f"vendor/model-{i}", "0.000001", "0.000002") for i in range(8)]


@pytest.fixture
def globbed(project: Project) -> Project:
    """Eight OpenRouter models taken by one glob, rendered once."""
    project.write_overrides({"providers": {"openrouter": {"include": ["vendor/*"]}}})
    project.use_catalog("openrouter", {"data": VENDOR})
    project.use_catalog("openrouter.embeddings", {"data": []})
    assert project.run("--offline", "-q") == 0
    return project


def _models(project: Project) -> dict[str, dict[str, Any]]:
    return {d["model_name"]: d["litellm_params"] for d in yaml.safe_load(project.config.read_text())["model_list"]}


def test_a_shrink_of_exactly_the_share_passes_and_one_model_more_is_held(globbed: Project) -> None:
    """The rule is "more than 25% of a provider's selected models": 2 of 8 pass, 2 of the 6 left are held."""
    globbed.use_catalog("openrouter", {"data": VENDOR[:6]})
    assert globbed.run("--offline", "-q") == 0
    assert len(_models(globbed)) == 6
    globbed.use_catalog("openrouter", {"data": VENDOR[:4]})
    assert globbed.run("--offline", "-q") == 4
    assert len(_models(globbed)) == 6


@pytest.mark.parametrize(("prompt", "held"), [("0.00001", False), ("0.0000101", True)])
def test_a_price_move_of_exactly_the_factor_passes_and_a_hair_more_is_held(
    globbed: Project, prompt: str, held: bool
) -> None:
    """$1/M → $10/M is 10×, not more, though its floats divide to 10.000000000000002."""
    models = json.loads(json.dumps(VENDOR))
    models[1]["pricing"]["prompt"] = prompt
    globbed.use_catalog("openrouter", {"data": models})
    assert globbed.run("--offline", "-q") == (4 if held else 0)
    expected = 1e-06 if held else float(prompt)
    assert _models(globbed)["openrouter/vendor/model-1"]["input_cost_per_token"] == expected


def test_an_exclude_covering_half_a_glob_is_an_edit_not_a_catalog_removal(globbed: Project) -> None:
    globbed.write_overrides({"providers": {"openrouter": {"include": ["vendor/*"], "exclude": ["vendor/model-[4-7]"]}}})
    assert globbed.run("--offline", "-q") == 0
    assert sorted(_models(globbed)) == [f"openrouter/vendor/model-{i}" for i in range(4)]


@pytest.mark.parametrize(
    "haiku",
    ["claude-haiku-4.5", "openrouter:anthropic/claude-haiku-4.5"],
    ids=["group member", "provider:id entry"],
)
def test_a_provider_dropping_one_of_two_selected_deployments_is_held_however_selected(
    project: Project, haiku: str
) -> None:
    """OpenRouter drops haiku: 1 of its 2 deployments, whether a group (also on Vercel) or a named entry brought it."""
    project.config.unlink()
    flash = "openrouter:google/gemini-2.5-flash"
    project.write_overrides({"providers": {"openrouter": {}, "vercel": {}}, "models": [haiku, flash]})
    first = run_generate(project, "--offline")
    assert first.returncode == 0, first.stderr
    assert "openrouter/anthropic/claude-haiku-4.5" in [p["model"] for p in _models_list(project)]
    catalog = json.loads((project.cache / "openrouter.json").read_text())
    catalog["data"] = [m for m in catalog["data"] if m["id"] != "anthropic/claude-haiku-4.5"]
    project.use_catalog("openrouter", catalog)
    dropped = run_generate(project, "--offline")
    assert dropped.returncode == 4, dropped.stdout + dropped.stderr
    assert "1 of 2 selected openrouter models would go (over 25%)" in dropped.stdout
    assert "openrouter/anthropic/claude-haiku-4.5" in [p["model"] for p in _models_list(project)]  # still served
    accepted = run_generate(project, "--offline", "--accept-held")
    assert accepted.returncode == 0, accepted.stderr
    assert "openrouter/anthropic/claude-haiku-4.5" not in [p["model"] for p in _models_list(project)]


def _models_list(project: Project) -> list[dict[str, Any]]:
    return [d["litellm_params"] for d in yaml.safe_load(project.config.read_text())["model_list"]]
