"""Normalised catalogs are remembered by the sha256 of what made them, and only then reused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import modelsync.sources.store
from modelsync.core.catalog import Document
from modelsync.pipeline import Options, run
from modelsync.sources import memo
from modelsync.sources.normalisers import normalise_openrouter
from tests.helpers import Project, openrouter_entry, real_catalog


def _refuse_normalising(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(provider: str, docs: object) -> None:
        raise AssertionError(f"{provider} was normalised again")

    monkeypatch.setattr(
        modelsync.sources.store, "NORMALISERS", {name: refuse for name in modelsync.sources.store.NORMALISERS}
    )


def test_an_unchanged_catalog_is_recalled_not_normalised(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(project.paths, Options(offline=True, accept_held=True))
    assert (project.cache / ".normalised" / "openrouter.json").exists()
    _refuse_normalising(monkeypatch)
    assert run(project.paths, Options(check=True)).text == first.text


def test_a_changed_catalog_is_normalised_again(project: Project) -> None:
    run(project.paths, Options(offline=True))
    cached = json.loads((project.cache / "openrouter.json").read_text())["data"]
    repriced = openrouter_entry("anthropic/claude-haiku-4.5", "0.000003", "0.000005")
    project.use_catalog("openrouter", {"data": [repriced, *cached[1:]]})
    result = run(project.paths, Options(offline=True, dry_run=True, accept_held=True))
    assert "input_cost_per_token: 3.0e-06" in result.text


def test_check_and_dry_run_remember_nothing(project: Project) -> None:
    run(project.paths, Options(check=True))
    run(project.paths, Options(offline=True, dry_run=True))
    assert not (project.cache / ".normalised").exists()


def test_a_damaged_memo_is_ignored(project: Project) -> None:
    first = run(project.paths, Options(offline=True))
    for remembered in (project.cache / ".normalised").iterdir():
        remembered.write_text('{"key": ')
    assert run(project.paths, Options(check=True)).text == first.text


def test_a_recalled_catalog_equals_the_normalised_one_tiers_and_windows_included(tmp_path: Path) -> None:
    raw = real_catalog("openrouter/2026-08-19-all-modalities.json").read_bytes()
    catalog = normalise_openrouter("openrouter", [Document("openrouter", "x", json.loads(raw))])
    assert any(o.tiers for o in catalog.offers) and any(o.windows for o in catalog.offers)
    memo.remember(tmp_path, catalog, "key")
    assert memo.recall(tmp_path, "openrouter", "key") == catalog
