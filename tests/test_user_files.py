"""Nothing a user keeps is lost: a hand-kept config.yaml, its backup, or every deployment at once.

Each test runs the installed `modelsync` command as a real process in a folder of real files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from modelsync.outputs.report import keyed_deployments
from tests.helpers import ROOT, Project, make_project, modelsync

ADOPT = Path(__file__).parent / "fixtures" / "adopt"
HAND_KEPT = ADOPT / "gateway-team" / "config.yaml"  # 127 deployments kept by hand, with every oddity
SELECTS_NOTHING = ROOT / "modelsync" / "project" / "overrides.yaml"  # what init writes


def _hand_kept_folder(tmp_path: Path, config: str | None = None) -> Path:
    folder = tmp_path / "proxy"
    folder.mkdir()
    (folder / "config.yaml").write_text(config or HAND_KEPT.read_text())
    return folder


def _deployments(path: Path) -> set[tuple[str, str, str]]:
    return set(keyed_deployments(yaml.safe_load(path.read_text())["model_list"]))


def test_init_beside_a_hand_kept_config_points_to_import_and_no_run_replaces_it(tmp_path: Path) -> None:
    folder = _hand_kept_folder(tmp_path)
    original = (folder / "config.yaml").read_bytes()
    init = modelsync(folder, "init")
    assert init.returncode == 0, init.stderr
    assert "config.yaml was not written by modelsync" in init.stdout and "modelsync import config.yaml" in init.stdout
    assert not (folder / "overrides.yaml").exists(), "import writes it, from the config"
    shutil.copyfile(SELECTS_NOTHING, folder / "overrides.yaml")  # as a user might, to run anyway
    for _ in range(2):  # the second run must not take the first one's .bak for the original either
        run = modelsync(folder, "--offline")
        assert run.returncode == 2, run.stdout
        assert "error: config.yaml was not written by modelsync" in run.stderr
        assert "run `modelsync import config.yaml`" in run.stderr and "move it away" in run.stderr
        assert (folder / "config.yaml").read_bytes() == original
        assert sorted(p.name for p in folder.glob("config.yaml*")) == ["config.yaml"]


def test_import_takes_over_the_hand_kept_config_and_no_run_replaces_its_backup(tmp_path: Path) -> None:
    folder = _hand_kept_folder(tmp_path)
    original = (folder / "config.yaml").read_bytes()
    shutil.copyfile(ROOT / "providers.yaml", folder / "providers.yaml")
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ADOPT / "gateway-team" / "cache", folder / "cache")
    assert modelsync(folder, "import", "config.yaml", "--offline", "-q").returncode == 0
    first = modelsync(folder, "--offline")
    assert first.returncode == 0, first.stderr
    assert "config.yaml was kept by hand, then imported: it is kept as" in first.stderr
    assert (folder / "config.yaml.bak").read_bytes() == original
    assert _deployments(folder / "config.yaml") == _deployments(folder / "config.yaml.bak")
    generated = (folder / "config.yaml").read_text()
    removed = modelsync(folder, "remove", "vision-lab")  # a later run that changes config.yaml
    assert removed.returncode == 0, removed.stderr
    assert (folder / "config.yaml.bak").read_bytes() == original, "the hand-kept original is never replaced"
    assert (folder / "config.yaml.bak.1").read_text() == generated


def test_a_hand_kept_backup_left_by_an_earlier_run_is_never_replaced(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    backup = project.root / "config.yaml.bak"
    shutil.copyfile(HAND_KEPT, backup)
    before = project.config.read_text()
    project.overrides.write_text(project.overrides.read_text().replace("rpm: 60", "rpm: 61"))
    run = modelsync(project.root, "--offline")
    assert run.returncode == 0, run.stderr
    assert backup.read_bytes() == HAND_KEPT.read_bytes()
    assert (project.root / "config.yaml.bak.1").read_text() == before
    assert "rpm: 61" in project.config.read_text()


def _untouched(project: Project) -> dict[str, str]:
    return {k: v for k, v in project.snapshot_files().items() if not k.startswith("cache/.")}


def test_an_empty_overrides_file_is_an_error_that_changes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for empty in ("", "# all my models were here\n\n"):
        project.overrides.write_text(empty)
        before = _untouched(project)
        run = modelsync(project.root, "--offline")
        assert run.returncode == 2, run.stdout
        assert run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1
        assert "overrides.yaml is empty, and rendering it would remove every deployment" in run.stderr
        assert "write `models: []`" in run.stderr
        assert _untouched(project) == before


def test_a_shrink_to_no_deployment_is_held_until_accepted(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = _deployments(project.config)
    assert len(before) == 30
    project.overrides.write_text("models: []\n")
    held = modelsync(project.root, "--offline")
    assert held.returncode == 4, held.stderr
    assert "config.yaml would go from 30 deployments to none" in held.stdout
    assert _deployments(project.config) == before
    accepted = modelsync(project.root, "--offline", "--accept-held")
    assert accepted.returncode == 0, accepted.stderr
    assert _deployments(project.config) == set()
