"""Writes are whole or not at all; two runs never interleave."""

from __future__ import annotations

import os

import pytest

from modelsync import files
from modelsync.lock import exclusive
from tests.helpers import Project


def test_a_second_run_stops_with_a_clear_message(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    before = project.snapshot_files()
    with exclusive(project.config):
        assert project.run("--offline") == 2
    assert "another generate.py run is updating config.yaml" in capsys.readouterr().err
    assert project.snapshot_files() == before
    assert project.run("--offline", "-q") == 0, "the lock is gone with the first run"


def test_check_runs_beside_a_writing_run(project: Project) -> None:
    with exclusive(project.config):
        assert project.run("--check", "-q") == 0


def test_ctrl_c_while_writing_leaves_every_file_whole(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    before = project.snapshot_files()

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    assert project.run("--offline") == 2
    assert "interrupted" in capsys.readouterr().err
    after = project.snapshot_files()
    assert {k: v for k, v in after.items() if k != "config.yaml.bak"} == before
    assert not [p for p in project.root.rglob("*.tmp")], "no temp file is left behind"


def test_write_atomic_replaces_whole_files(tmp_path: os.PathLike[str]) -> None:
    target = tmp_path / "x.yaml"  # type: ignore[operator]
    files.write_atomic(target, "one\n")
    files.write_atomic(target, "two\n")
    assert target.read_text() == "two\n" and [p.name for p in target.parent.iterdir()] == ["x.yaml"]


def test_written_files_keep_their_permissions(tmp_path: os.PathLike[str]) -> None:
    new = tmp_path / "new.yaml"  # type: ignore[operator]
    files.write_atomic(new, "x\n")
    assert new.stat().st_mode & 0o777 == 0o644, "readable by the proxy, like any config file"
    os.chmod(new, 0o640)
    files.write_atomic(new, "y\n")
    assert new.stat().st_mode & 0o777 == 0o640
