"""Rules the suite keeps about itself: each expected error is named, and no shared/ means skips."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

TESTS = ROOT / "tests"


def _bare_raises(path: Path) -> list[str]:
    """Each `pytest.raises(...)` in `path` without `match=`, as file:line."""
    return [
        f"{path.name}:{node.lineno}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        and ast.unparse(node.func) == "pytest.raises"
        and not any(keyword.arg == "match" for keyword in node.keywords)
    ]


def test_every_pytest_raises_says_which_error_it_expects() -> None:
    """A bare pytest.raises passes on any error of that type, including the wrong one."""
    assert [where for path in sorted(TESTS.glob("*.py")) for where in _bare_raises(path)] == []


def test_without_shared_the_billing_tests_skip_saying_why(tmp_path: Path) -> None:
    """A copy of the repo with no ../shared beside it, as a fresh clone on its own would be."""
    copy = tmp_path / "alone" / "repo"
    shutil.copytree(
        ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(".git", ".venv*", "__pycache__", ".*_cache")
    )
    assert not (copy.parent / "shared").exists()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests/test_billing.py"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert " error" not in done.stdout and " passed" not in done.stdout, done.stdout[-3000:]
    assert "skipped" in done.stdout and "(the shared/ folder is not beside the repo)" in done.stdout, done.stdout
