"""Writes are whole or not at all; two runs never interleave."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from modelsync.core import files
from modelsync.core.lock import exclusive
from tests.helpers import ROOT, Project, make_project


def test_a_second_run_stops_with_a_clear_message(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    before = project.snapshot_files()
    with exclusive(project.config):
        assert project.run("--offline") == 2
    assert "another run (`python generate.py`) is updating config.yaml" in capsys.readouterr().err
    assert project.snapshot_files() == before
    assert project.run("--offline", "-q") == 0, "the lock is gone with the first run"


def test_the_installed_command_names_itself_in_the_lock_message(project: Project) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    with exclusive(project.config):
        done = project.cli("--offline", installed=True)
    assert done.returncode == 2 and "another run (`modelsync`) is updating config.yaml" in done.stderr
    assert "generate.py" not in done.stderr


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
    assert project.run("--offline") == 130
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


def _changed_config(project: Project) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})


def test_a_read_only_config_is_not_replaced(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    """chmod a-w says "leave it": even root, whom the bits do not stop, leaves it as it is."""
    _changed_config(project)
    project.config.chmod(0o444)
    before = project.snapshot_files()
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "config.yaml is read-only, so it was left as it is" in err and "chmod u+w config.yaml" in err
    assert "Traceback" not in err
    assert project.snapshot_files() == before, "not even config.yaml.bak is written"


@contextmanager
def _immutable(path: Path) -> Iterator[None]:
    """`chattr +i`: a file nobody, root included, may replace; skip where the filesystem has no such flag."""
    if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_an_immutable_config_is_an_error_not_a_traceback(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _changed_config(project)
    before = project.snapshot_files()
    with _immutable(project.config):
        assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "config.yaml is read-only" in err and "Traceback" not in err
    assert project.snapshot_files() == before


def test_a_replace_that_fails_says_so_and_leaves_no_temp_file(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The path root cannot reach by permissions: the rename itself fails (EPERM, EROFS, ENOSPC)."""
    _changed_config(project)
    config_before = project.config.read_bytes()

    def refused(src: str, dst: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(files.os, "replace", refused)
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "Operation not permitted" in err and "Traceback" not in err
    assert project.config.read_bytes() == config_before
    assert not list(project.root.rglob("*.tmp"))


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"), reason="needs root to become another user")
def test_a_folder_the_user_cannot_write_is_a_sentence_and_exit_2() -> None:
    """A real user without write permission (nobody), as root cannot be refused by the bits."""
    home = Path(tempfile.mkdtemp(prefix="modelsync-readonly-"))
    try:
        home.chmod(0o755)
        project = make_project(home)
        project.root.chmod(0o755)  # root's folder: nobody may not add a file to it
        _changed_config(project)
        project.config.chmod(0o666)  # while the file itself is anyone's to write
        before = project.snapshot_files()
        done = subprocess.run(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                str(ROOT / "generate.py"),
                "--offline",
                *project.path_args(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=home,
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: cannot write") and "Permission denied" in done.stderr
        assert "Traceback" not in done.stderr
        assert project.snapshot_files() == before
    finally:
        shutil.rmtree(home)
