"""End to end through the command line: every exit code, and the README's promises."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

import modelsync.pipeline
from tests.helpers import ROOT, Project


def test_exit_0_when_up_to_date(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("--check") == 0
    count = len(yaml.safe_load(project.config.read_text())["model_list"])
    assert f"project/config.yaml is up to date ({count} deployments)" in capsys.readouterr().out


def test_exit_0_after_writing_a_changed_config(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.config.unlink()
    assert project.run("--offline") == 0
    out = capsys.readouterr().out
    assert "note: config.yaml does not exist yet" in out and "project/config.yaml was updated" in out
    assert project.run("--check") == 0


def test_exit_1_when_check_finds_a_difference(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides(project.overrides.read_text().replace("rpm: 60", "rpm: 90"))
    assert project.run("--check") == 1
    captured = capsys.readouterr()
    assert "~ claude-sonnet-4.5 (openrouter/anthropic/claude-sonnet-4.5)" in captured.out
    assert "rpm: 60 → 90" in captured.out and "is not what the inputs render" in captured.err


def test_exit_2_on_a_user_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.providers.write_text("openrouter: [1, 2]\n")
    assert project.run("--check") == 2
    assert capsys.readouterr().err.startswith("error: ")


def test_exit_3_on_a_bug(project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(modelsync.pipeline, "run", broken)
    assert project.run("--offline") == 3
    err = capsys.readouterr().err
    assert "unexpected error (a bug" in err and "ZeroDivisionError: simulated bug" in err


def test_dry_run_reports_but_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides(project.overrides.read_text().replace("rpm: 60", "rpm: 90"))
    before = project.snapshot_files()
    assert project.run("--dry-run", "--offline") == 0
    assert project.snapshot_files() == before
    assert "would be updated" in capsys.readouterr().out


def test_quiet_prints_nothing_on_success(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("--check", "-q") == 0
    assert capsys.readouterr() == ("", "")


def test_generate_py_runs_as_a_script_and_documents_exit_codes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "--help"], capture_output=True, text=True, check=True, cwd=ROOT
    )
    for line in ("--check", "--dry-run", "--offline", "--refresh", "--provider", "exit codes:", "3  an unexpected"):
        assert line in done.stdout


def test_check_after_a_hand_edit_says_to_move_it_into_overrides(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.config.write_text(project.config.read_text().replace("rpm: 60", "rpm: 100"))
    assert project.run("--check") == 1
    captured = capsys.readouterr()
    assert "rpm: 100 → 60" in captured.out
    assert "If you edited project/config.yaml by hand, keep the change by moving it into project/overrides.yaml" in (
        captured.err
    )
    # Following the advice keeps the value: no difference left.
    project.write_overrides(project.overrides.read_text().replace("rpm: 60", "rpm: 100"))
    assert project.run("--check", "-q") == 0


def test_a_project_selecting_nothing_with_a_catalog_cached_is_not_told_to_fetch_one(project: Project) -> None:
    project.config.unlink()
    project.write_overrides({"providers": {}})
    done = project.cli("--offline")
    assert done.returncode == 0, done.stderr
    note = next(line for line in done.stdout.splitlines() if "selects no model yet" in line)
    assert "fetch a catalog" not in note and "list " in note, note
