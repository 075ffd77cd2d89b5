"""The house style holds: ruff clean and formatted, mypy strict clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

BIN = Path(sys.executable).parent
CODE = ["modelsync", "tests", "bench", "generate.py"]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff() -> None:
    lint = _run(str(BIN / "ruff"), "check", *CODE)
    assert lint.returncode == 0, lint.stdout
    formatting = _run(str(BIN / "ruff"), "format", "--check", *CODE)
    assert formatting.returncode == 0, formatting.stdout


def test_mypy_strict() -> None:
    typed = _run(str(BIN / "mypy"), "modelsync")
    assert typed.returncode == 0, typed.stdout
