"""The command layer: every command and its --help, the old spellings, and flags that would do nothing."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

import pytest

import modelsync
from modelsync.cli import COMMANDS, parser
from tests.helpers import ROOT, Project

NAMES = ["generate", "check", "list", "add", "remove", "import", "init", "audit", "usage", "push"]


def _help(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *args, "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_lists_every_command_with_an_example() -> None:
    text = _help()
    registered = [name for name in parser()._subparsers._group_actions[0].choices]  # type: ignore[union-attr]
    assert registered == NAMES
    for name in registered:
        assert re.search(rf"^    {name} +\S", text, re.M), f"{name} has a summary line"
        assert re.search(rf"^ +generate\.py {name}( \S+)?", text, re.M), f"{name} has an example line"
    assert len(COMMANDS) == len(NAMES) - 1, "generate and check share a module"


@pytest.mark.parametrize("name", NAMES)
def test_every_command_has_its_own_help(name: str) -> None:
    text = _help(name)
    assert text.startswith(f"usage: generate.py {name} ")
    assert "example:\n  generate.py " + name in text


def test_version_is_the_package_version() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "--version"], capture_output=True, text=True)
    assert done.stdout == f"generate.py {modelsync.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "modelsync.__version__"}


def test_check_command_is_the_check_flag(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides(project.overrides.read_text().replace("rpm: 60", "rpm: 90"))
    before = project.snapshot_files()
    assert project.run("--check") == 1
    flag = capsys.readouterr()
    assert project.run("check") == 1
    assert capsys.readouterr() == flag
    assert project.snapshot_files() == before


def test_list_and_import_keep_their_option_spellings(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("list", "openrouter", "google/*", "--free") == 0
    command = capsys.readouterr().out
    assert project.run("--list", "openrouter", "google/*", "--free") == 0
    assert capsys.readouterr().out == command
    legacy = project.root / "legacy.yaml"
    legacy.write_text(project.config.read_text())
    assert project.run("import", str(legacy), "--offline") == 2
    assert "already exists" in capsys.readouterr().err
    assert project.run("import", str(legacy), "--offline", "--force", "-q") == 0
    imported = project.overrides.read_text()
    assert project.run("--import", str(legacy), "--offline", "--force", "-q") == 0
    assert project.overrides.read_text() == imported


def test_shared_options_may_come_before_the_command(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert main_with_paths_first(project, "-q", "check") == 0
    assert capsys.readouterr() == ("", "")


def main_with_paths_first(project: Project, *args: str) -> int:
    from modelsync.cli import main

    return main([*project.path_args(), *args])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--free"], "--free does nothing with generating config.yaml"),
        (["--offline", "--capability", "vision"], "--capability does nothing with generating config.yaml"),
        (["--offline", "--force"], "--force does nothing with generating config.yaml"),
        (["--offline", "--provider", "openrouter"], "--provider picks which catalogs to fetch, but --offline"),
        (["--offline", "--provider", "no-such-provider"], "--provider picks which catalogs to fetch, but --offline"),
        (["--check", "--provider", "openrouter"], "--provider picks which catalogs to fetch, but --check"),
        (["--check", "--refresh"], "--refresh fetches even fresh catalogs, but --check fetches nothing"),
        (["--list", "openrouter", "--offline"], "--offline does nothing with --list"),
        (["--list", "openrouter", "--force"], "--force does nothing with --list"),
        (["--import", "x.yaml", "--free"], "--free does nothing with --import"),
        (["--offline", "list", "openrouter"], "--offline does nothing with the list command"),
        (["--report", "json", "add", "openrouter:x/y"], "--report does nothing with the add command"),
    ],
)
def test_a_flag_that_would_do_nothing_is_an_error(
    project: Project, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = project.snapshot_files()
    assert main_with_paths_first(project, *args) == 2
    assert message in capsys.readouterr().err
    assert project.snapshot_files() == before


def test_an_unknown_provider_to_fetch_is_an_error(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    assert project.run("--provider", "openroutr", "--dry-run") == 2
    assert "--provider openroutr: unknown provider" in capsys.readouterr().err


def test_a_mistyped_command_names_the_commands() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "generate.py"), "lsit"], capture_output=True, text=True)
    assert done.returncode == 2 and "invalid choice: 'lsit' (choose from 'generate', 'check', 'list'" in done.stderr


def test_an_unknown_option_shows_the_usage_of_the_command_given(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse alone would show the top level's usage; `--offline` out of habit gets the reason."""
    with pytest.raises(SystemExit, match=r"^2$"):  # argparse's exit code for a usage error
        project.run("list", "openrouter", "--offline")
    err = capsys.readouterr().err
    assert err.startswith("usage: generate.py list ")
    assert "unrecognized arguments: --offline (list reads cache/ only: it never fetches" in err
    with pytest.raises(SystemExit, match=r"^2$"):
        project.run("audit", "--bogus")
    assert capsys.readouterr().err.startswith("usage: generate.py audit ")
