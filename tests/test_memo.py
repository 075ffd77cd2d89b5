"""Normalised catalogs are remembered by the sha256 of what made them, and only then reused."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import modelsync.sources.store
from modelsync.core.catalog import Document
from modelsync.pipeline import Options, run
from modelsync.sources import memo
from modelsync.sources.normalisers import normalise_openrouter
from tests.helpers import ROOT, Project, openrouter_entry, real_catalog


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


def _code_digest(root: Path) -> str:
    probe = "from modelsync.sources import memo; print(memo.code_digest())"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, check=True)
    return done.stdout.strip()


def test_code_anywhere_in_the_package_keys_the_memo(tmp_path: Path) -> None:
    """A helper a normaliser calls may live in any module: a new or changed one invalidates the memo."""
    shutil.copytree(ROOT / "modelsync", tmp_path / "modelsync", ignore=shutil.ignore_patterns("__pycache__"))
    before = _code_digest(tmp_path)
    (tmp_path / "modelsync" / "model" / "helpers_moved_here.py").write_text("RATE = 2\n")
    added = _code_digest(tmp_path)
    merge = tmp_path / "modelsync" / "model" / "merge.py"
    merge.write_text(merge.read_text() + "\n# changed\n")
    assert len({before, added, _code_digest(tmp_path)}) == 3
