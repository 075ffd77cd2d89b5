"""The whole pipeline on the repo's example inputs and on real catalogs."""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from syrupy.assertion import SnapshotAssertion

from modelsync.pipeline import Options, run
from tests.helpers import Project, real_catalog

ALL_OPENROUTER = {"providers": {"openrouter": {"include": ["*"]}}}


def test_the_example_config_renders_as_reviewed(project: Project, yaml_snapshot: SnapshotAssertion) -> None:
    result = run(project.paths, Options(offline=True, dry_run=True))
    assert result.text == yaml_snapshot


def test_the_committed_config_is_what_the_committed_inputs_render() -> None:
    from modelsync.core.paths import Paths

    result = run(Paths(), Options(check=True))
    assert not result.changed, "config.yaml is stale: run `python generate.py --offline` and commit it"


def test_the_committed_config_carries_a_digest_line_that_holds() -> None:
    """Else a fresh clone's every --check renders, and its first run rewrites config.yaml."""
    from modelsync.core.paths import Paths
    from modelsync.outputs import said, stamp

    found = stamp.current(Paths())
    assert found is not None and said.load(Paths(), found.said) is not None, (
        "config.yaml's digest line or the record beside it is stale (an input or this package changed): "
        "run `python generate.py --offline` and commit config.yaml and config.yaml.check.json"
    )


def test_every_price_of_a_real_catalog_lands_in_the_config(project: Project) -> None:
    source = real_catalog("openrouter/2026-03-10.json")
    project.use_catalog("openrouter", source)
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.write_overrides(ALL_OPENROUTER)
    assert project.run("--offline", "-q") == 0
    rendered = {d["litellm_params"]["model"]: d for d in yaml.safe_load(project.config.read_text())["model_list"]}
    catalog = json.loads(source.read_text())["data"]
    for entry in catalog:
        deployment = rendered.pop(f"openrouter/{entry['id']}", None)
        if entry["pricing"]["prompt"] == "-1":
            assert deployment is None, f"{entry['id']} has a variable price and must be skipped"
            continue
        params = deployment["litellm_params"]
        for key, field in (("prompt", "input_cost_per_token"), ("completion", "output_cost_per_token")):
            expected = float(Decimal(entry["pricing"][key])) or 1.0e-09
            assert math.isclose(params[field], expected, rel_tol=1e-9), (entry["id"], field)
        assert deployment["model_info"]["max_input_tokens"] == entry["context_length"]
    assert rendered == {}, "nothing is rendered that the catalog does not hold"


def test_check_writes_nothing_and_passes_on_its_own_output(project: Project) -> None:
    assert project.run("--offline", "-q") == 0
    before = project.snapshot_files()
    assert project.run("--check") == 0
    assert project.snapshot_files() == before


def test_check_on_a_stale_config_exits_1_and_writes_nothing(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.config.write_text(project.config.read_text().replace("rpm: 60", "rpm: 61"))
    before = project.snapshot_files()
    assert project.run("--check") == 1
    assert project.snapshot_files() == before
    assert "rpm: 61 → 60" in capsys.readouterr().out


def _shuffled_copy(source: Path, target: Path, seed: int) -> None:
    data = json.loads(source.read_text())
    random.Random(seed).shuffle(data["data"])
    target.write_text(json.dumps(data))


def test_same_inputs_give_the_same_bytes_whatever_the_catalog_order(project: Project) -> None:
    project.write_overrides(ALL_OPENROUTER)
    source = real_catalog("openrouter/2026-08-19.json")
    renders = set()
    for seed in (1, 2, 3):
        _shuffled_copy(source, project.cache / "openrouter.json", seed)
        renders.add(run(project.paths, Options(offline=True, dry_run=True)).text)
        renders.add(run(project.paths, Options(offline=True, dry_run=True)).text)
    assert len(renders) == 1


def test_a_write_keeps_the_previous_config_as_backup(project: Project) -> None:
    old = project.config.read_text()
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    assert project.run("--offline", "-q") == 0
    assert (project.root / "config.yaml.bak").read_text() == old
    assert project.config.read_text() != old


def test_an_unchanged_config_is_not_rewritten(project: Project) -> None:
    assert project.run("--offline", "-q") == 0
    stamp = project.config.stat().st_mtime_ns
    assert project.run("--offline", "-q") == 0
    assert project.config.stat().st_mtime_ns == stamp and not (project.root / "config.yaml.bak").exists()
