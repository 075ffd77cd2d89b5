"""The change report: model by model, keyed by deployment, float noise ignored."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase

import pytest
from syrupy.assertion import SnapshotAssertion

from modelsync.model.merge import Deployment
from modelsync.outputs.formats import text
from modelsync.outputs.render import scalar
from modelsync.outputs.report import compare
from modelsync.sources.providers import load_providers
from modelsync.targets.config_file import read_deployed
from tests.helpers import ROOT, Project, real_catalog

SELECTION = ["anthropic/*", "google/*", "*:free"]
PROVIDERS = load_providers(ROOT / "providers.yaml")


def _selected_prices(date: str) -> dict[str, tuple[str, str]]:
    data = json.loads(real_catalog(f"openrouter/{date}.json").read_text())["data"]
    return {
        e["id"]: (e["pricing"]["prompt"], e["pricing"]["completion"])
        for e in data
        if any(fnmatchcase(e["id"], p) for p in SELECTION) and not e["id"].startswith("~")
    }


def test_report_between_two_real_catalog_dates(
    project: Project, capsys: pytest.CaptureFixture[str], text_snapshot: SnapshotAssertion
) -> None:
    project.write_overrides({"providers": {"openrouter": {"include": SELECTION}}})
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.use_catalog("openrouter", real_catalog("openrouter/2026-03-10.json"))
    assert project.run("--offline", "-q") == 0
    capsys.readouterr()
    project.use_catalog("openrouter", real_catalog("openrouter/2026-05-22.json"))
    assert project.run("--offline", "--accept-held") == 0  # 15 of 59 go: the guards would hold them
    report = capsys.readouterr().out
    assert report == text_snapshot

    old, new = _selected_prices("2026-03-10"), _selected_prices("2026-05-22")
    added, removed = new.keys() - old.keys(), old.keys() - new.keys()
    repriced = {i for i in old.keys() & new.keys() if old[i] != new[i]}
    assert {line.split()[1] for line in report.splitlines() if line.startswith("  + ")} == {
        f"openrouter/{i}" for i in added
    }
    assert {line.split()[1] for line in report.splitlines() if line.startswith("  - ")} == {
        f"openrouter/{i}" for i in removed
    }
    changed = {line.split()[1] for line in report.splitlines() if line.startswith("  ~ ")}
    assert {f"openrouter/{i}" for i in repriced} <= changed


def _deployment(cost: float) -> Deployment:
    return Deployment("openrouter", "m", {"model": "openrouter/m", "input_cost_per_token": cost}, {})


def _config(cost: float) -> str:
    params = f"    model: openrouter/m\n    input_cost_per_token: {scalar(cost)}\n"
    return f"model_list:\n- model_name: m\n  litellm_params:\n{params}"


def test_float_noise_is_not_a_change() -> None:
    report = compare(read_deployed(_config(2.55e-06)), [_deployment(2.5500000000000003e-06)], {}, PROVIDERS)
    assert not report.has_changes()


def test_a_price_move_says_old_new_and_percent() -> None:
    report = compare(read_deployed(_config(1.0e-06)), [_deployment(1.25e-06)], {}, PROVIDERS)
    (change,) = report.groups["openrouter"]
    assert [f.describe() for f in change.fields] == ["input_cost_per_token: $1/M → $1.25/M (+25%)"]


def test_hand_written_entries_and_settings_have_their_own_groups() -> None:
    entry = Deployment(None, "az", {"model": "azure/gpt-4o"}, {})
    report = compare(
        read_deployed("model_list: []\n"),
        [entry],
        {"router_settings": {"routing_strategy": "simple-shuffle"}},
        PROVIDERS,
    )
    assert [c.label() for c in report.groups["entries"]] == ["az (azure/gpt-4o)"]
    assert [f.describe() for f in report.settings] == ["router_settings: added {'routing_strategy': 'simple-shuffle'}"]


def test_an_unreadable_old_config_is_reported_as_replaced() -> None:
    report = compare(read_deployed("model_list: [\n"), [_deployment(1e-06)], {}, PROVIDERS)
    assert "not valid YAML" in report.note and report.before is None
    assert "total: 1 added" in text(report)
