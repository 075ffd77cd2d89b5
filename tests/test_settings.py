"""Settings: the defaults without pydantic-settings when nothing names one; validated when something does."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import pytest

from modelsync.core.errors import InputError
from modelsync.core.settings import Settings, load_settings
from tests.helpers import ROOT, Project, guarded


def test_without_a_modelsync_variable_the_defaults_come_without_pydantic_settings(tmp_path: Path) -> None:
    Path(".env").write_text("OPENROUTER_API_KEY=sk-or-not-a-setting\n")  # keys alone in .env name no setting
    probe = "import sys; from modelsync.core.settings import load_settings; load_settings(); "
    probe += "print('pydantic_settings' in sys.modules)"
    env = guarded({"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.stdout.strip() == "False"
    assert load_settings() == Settings()


def test_the_defaults_are_what_pydantic_settings_reads_from_nothing() -> None:
    from modelsync.core.env_settings import from_environment
    from modelsync.core.settings import ENV_FILE, PREFIX

    assert from_environment(Settings, PREFIX, ENV_FILE) == asdict(Settings())


def test_the_environment_and_dotenv_set_them_whatever_the_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("modelsync_retries", "0")
    Path(".env").write_text("export MODELSYNC_MAX_PRICE_FACTOR=4\n")
    settings = load_settings()
    assert (settings.retries, settings.max_price_factor, settings.read_timeout) == (0, 4.0, 30.0)


def test_a_value_that_is_not_one_is_an_input_error_naming_the_variable(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MODELSYNC_READ_TIMEOUT", "fast")
    with pytest.raises(InputError, match="MODELSYNC_READ_TIMEOUT='fast': Input should be a valid number"):
        load_settings()
    assert project.run("--dry-run", "-q") == 2, "exit 2 with a sentence, not 3 with a traceback"
    assert "Traceback" not in capsys.readouterr().err


BAD = {"MODELSYNC_MAX_PRICE_FACTOR": "abc"}


@pytest.mark.parametrize(
    "args",
    [
        ["--offline"],
        ["--check"],  # up to date: the digest line's fast path
        ["check"],
        ["list", "openrouter"],
        ["add", "openrouter:google/gemini-2.5-pro-preview"],
        ["remove", "claude-haiku-4.5"],
        ["import", "config.yaml", "--offline", "--force"],
        ["audit", "--offline"],
        ["init", "fresh"],
    ],
)
def test_a_bad_value_is_exit_2_naming_the_variable_on_every_command(project: Project, args: list[str]) -> None:
    before = project.snapshot_files()
    done = project.cli(*args, env=BAD, installed=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: MODELSYNC_MAX_PRICE_FACTOR='abc': Input should be a valid number")
    assert project.snapshot_files() == before


def test_a_bad_value_in_dotenv_is_refused_too_and_help_still_shows(project: Project) -> None:
    (project.root / ".env").write_text("MODELSYNC_RETRIES=many\n")
    done = project.cli("--check", installed=True)
    assert done.returncode == 2 and "MODELSYNC_RETRIES='many'" in done.stderr
    assert project.cli("--help", installed=True).returncode == 0


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("MODELSYNC_MAX_PRICE_FACTOR", "nan", "a finite number"),  # NaN compares false: no jump would be held
        ("MODELSYNC_MAX_PRICE_FACTOR", "inf", "a finite number"),
        ("MODELSYNC_MAX_PRICE_FACTOR", "1", "greater than 1"),
        ("MODELSYNC_MAX_REMOVED_SHARE", "1.5", "less than or equal to 1"),
        ("MODELSYNC_MAX_REMOVED_SHARE", "-0.1", "greater than or equal to 0"),
        ("MODELSYNC_READ_TIMEOUT", "0", "greater than 0"),
        ("MODELSYNC_RETRIES", "-1", "greater than or equal to 0"),
    ],
)
def test_a_number_out_of_its_range_is_refused_like_one_that_is_not_a_number(
    project: Project, name: str, value: str, says: str
) -> None:
    before = project.snapshot_files()
    done = project.cli("--offline", env={name: value})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {name}='{value}': Input should be") and says in done.stderr
    assert project.snapshot_files() == before
