"""Change guards: mass removals, tenfold price moves and free↔paid flips are held for review."""

from __future__ import annotations

import json

import pytest
import yaml

from modelsync.core.settings import Settings
from modelsync.pipeline import Options, run
from tests.helpers import Project, openrouter_entry

MODELS = [openrouter_entry(f"vendor/model-{i}", "0.000001", "0.000002") for i in range(8)]


@pytest.fixture
def guarded(project: Project) -> Project:
    project.write_overrides(
        {
            "providers": {"openrouter": {"include": ["vendor/*"]}},
            "models": [{"id": "openrouter:vendor/model-0", "name": "pinned", "pin": {"input_cost_per_token": 1e-06}}],
        }
    )
    project.use_catalog("openrouter", {"data": MODELS})
    project.use_catalog("openrouter.embeddings", {"data": []})
    assert project.run("--offline", "-q") == 0
    return project


def _catalog(project: Project, models: list[dict[str, object]]) -> None:
    project.use_catalog("openrouter", {"data": models})


def _costs(project: Project) -> dict[str, tuple[float, float]]:
    return {
        d["model_name"]: (d["litellm_params"]["input_cost_per_token"], d["litellm_params"]["output_cost_per_token"])
        for d in yaml.safe_load(project.config.read_text())["model_list"]
    }


def test_a_tenfold_price_move_is_held_and_the_rest_is_written(
    guarded: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    models = json.loads(json.dumps(MODELS))
    models[1]["pricing"]["prompt"] = "0.00002"  # ×20: held
    models[2]["pricing"]["prompt"] = "0.000003"  # ×3: an ordinary move
    _catalog(guarded, models)
    capsys.readouterr()
    assert guarded.run("--offline") == 4
    out = capsys.readouterr().out
    assert "held for review (1)" in out and "input_cost_per_token would move 20.0× ($1/M → $20/M)" in out
    costs = _costs(guarded)
    assert costs["openrouter/vendor/model-1"] == (1e-06, 2e-06)
    assert costs["openrouter/vendor/model-2"] == (3e-06, 2e-06)
    assert guarded.run("--check") == 0, "the held state is what the inputs render until accepted"
    assert guarded.run("--offline", "--accept-held", "-q") == 0
    assert _costs(guarded)["openrouter/vendor/model-1"] == (2e-05, 2e-06)


def test_paid_to_free_and_free_to_paid_are_held(guarded: Project, capsys: pytest.CaptureFixture[str]) -> None:
    models = json.loads(json.dumps(MODELS))
    models[3]["pricing"] = {"prompt": "0", "completion": "0"}
    _catalog(guarded, models)
    assert guarded.run("--offline", "-q") == 4
    assert _costs(guarded)["openrouter/vendor/model-3"] == (1e-06, 2e-06)
    assert guarded.run("--offline", "-q", "--accept-held") == 0
    _catalog(guarded, MODELS)
    capsys.readouterr()
    assert guarded.run("--offline") == 4
    assert "input_cost_per_token would turn paid" in capsys.readouterr().out


def test_a_pinned_price_is_never_held(guarded: Project) -> None:
    guarded.write_overrides(guarded.overrides.read_text().replace("1.0e-06", "5.0e-05"))
    assert guarded.run("--offline", "-q") == 0
    assert _costs(guarded)["pinned"][0] == 5e-05


def test_a_mass_removal_is_held_but_a_small_one_is_not(guarded: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _catalog(guarded, MODELS[:-1])  # 1 of 8 go: fine
    assert guarded.run("--offline", "-q") == 0
    assert len(_costs(guarded)) == 7
    _catalog(guarded, MODELS[:3])  # 4 of 7 go: held
    capsys.readouterr()
    assert guarded.run("--offline") == 4
    out = capsys.readouterr().out
    assert out.count("4 of 7 selected openrouter models would go (over 25%)") == 1, "said once for its provider"
    assert "held for review (4)" in out
    assert len(_costs(guarded)) == 7
    assert guarded.run("--offline", "-q", "--accept-held") == 0
    assert len(_costs(guarded)) == 3


def test_removing_models_from_overrides_is_not_a_catalog_change(guarded: Project) -> None:
    guarded.write_overrides({"models": ["openrouter:vendor/model-0"]})
    assert guarded.run("--offline", "-q") == 0
    assert list(_costs(guarded)) == ["openrouter/vendor/model-0"]


def test_guard_thresholds_are_settings(guarded: Project) -> None:
    models = json.loads(json.dumps(MODELS))
    models[1]["pricing"]["prompt"] = "0.000005"  # ×5
    _catalog(guarded, models)
    result = run(guarded.paths, Options(offline=True), settings=Settings(max_price_factor=4.0))
    assert [h.key[0] for h in result.held] == ["openrouter/vendor/model-1"]


def test_a_dry_run_never_exits_4_since_it_writes_nothing(guarded: Project, capsys: pytest.CaptureFixture[str]) -> None:
    models = json.loads(json.dumps(MODELS))
    models[1]["pricing"]["prompt"] = "0.00002"  # ×20: held
    _catalog(guarded, models)
    before = guarded.snapshot_files()
    capsys.readouterr()
    assert guarded.run("--offline", "--dry-run") == 0
    captured = capsys.readouterr()
    assert "held for review (1)" in captured.out and "would be held back for review" in captured.err
    assert guarded.run("add", "openrouter:vendor/model-3", "--name", "second", "--dry-run") == 0
    assert guarded.snapshot_files() == before
    assert guarded.run("add", "openrouter:vendor/model-3", "--name", "second", "-q") == 4, "written, but held"


def test_the_installed_command_is_named_as_the_user_runs_it(
    guarded: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Run as `modelsync`, the report and the warnings say `modelsync --accept-held`, not generate.py."""
    from modelsync.cli import main

    models = json.loads(json.dumps(MODELS))
    models[1]["pricing"]["prompt"] = "0.00002"
    _catalog(guarded, models)
    capsys.readouterr()
    for report in ("text", "markdown"):
        assert main(["--offline", "--dry-run", "--report", report, *guarded.path_args()], prog="modelsync") == 0
        out = capsys.readouterr().out
        assert "modelsync --accept-held" in out and "generate.py" not in out, report
