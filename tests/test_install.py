"""`pip install .` gives a `modelsync` command doing what `python generate.py` does."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT, Project


def test_pip_install_gives_a_working_console_command(project: Project, tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "site"
    source.mkdir()  # a copy, so the build leaves nothing in the repo
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    shutil.copytree(ROOT / "modelsync", source / "modelsync", ignore=shutil.ignore_patterns("__pycache__"))
    # Our own dependencies are already installed; build and install only this package, offline.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    command = target / "bin" / "modelsync"
    env = {**os.environ, "PYTHONPATH": str(target)}
    checked = subprocess.run(
        [str(command), "--check"], cwd=project.root, env=env, capture_output=True, text=True, timeout=120
    )
    assert checked.returncode == 0, checked.stderr
    assert "config.yaml is up to date" in checked.stdout
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    changed = subprocess.run(
        [str(command), "--check"], cwd=project.root, env=env, capture_output=True, text=True, timeout=120
    )
    assert changed.returncode == 1 and "removed" in changed.stdout
    assert (target / "modelsync" / "sources" / "normalisers" / "openrouter.py").exists()
    helped = subprocess.run([str(command), "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert helped.stdout.startswith("usage: modelsync [COMMAND]"), helped.stdout
    assert "  modelsync add openrouter:" in helped.stdout and "generate.py" not in helped.stdout
    listed = subprocess.run([str(command), "list", "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert listed.stdout.startswith("usage: modelsync list "), listed.stdout
