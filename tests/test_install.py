"""`pip install .` gives a `modelsync` command doing what `python generate.py` does, and `init`
starts a working project in an empty folder from the installed package alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.helpers import ROOT, Project, guarded, serve


@dataclass(frozen=True)
class Installed:
    command: Path
    env: dict[str, str]
    site: Path

    def run(self, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.command), *args], cwd=cwd, env=self.env, capture_output=True, text=True, timeout=120
        )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """This package built and installed the way a user does it, offline, into a folder of its own."""
    work = tmp_path_factory.mktemp("install")
    source, target = work / "source", work / "site"
    source.mkdir()  # a copy, so the build leaves nothing in the repo; links kept as links, as in a clone
    for name in ("pyproject.toml", "README.md", "providers.yaml"):
        shutil.copyfile(ROOT / name, source / name)
    for folder in ("modelsync", "templates", ".github/workflows"):
        shutil.copytree(ROOT / folder, source / folder, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    assert (source / "modelsync" / "project" / "providers.yaml").is_symlink()
    # Our own dependencies are already installed; build and install only this package, offline.
    pip = [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run(
        [*pip, "--target", str(target), str(source)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Not the checkout: only what was installed, with the venv's dependencies.
    env = guarded({**os.environ, "PYTHONPATH": str(target)})
    yield Installed(target / "bin" / "modelsync", env, target)


def test_pip_install_gives_a_working_console_command(installed: Installed, project: Project) -> None:
    checked = installed.run("--check", cwd=project.root)
    assert checked.returncode == 0, checked.stderr
    assert "config.yaml is up to date" in checked.stdout
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    changed = installed.run("--check", cwd=project.root)
    assert changed.returncode == 1 and "removed" in changed.stdout
    assert "run `modelsync --offline`" in changed.stderr and "generate.py" not in changed.stderr
    assert (installed.site / "modelsync" / "sources" / "normalisers" / "openrouter.py").exists()
    helped = installed.run("--help", cwd=project.root)
    assert helped.stdout.startswith("usage: modelsync [COMMAND]"), helped.stdout
    assert "  modelsync add openrouter:" in helped.stdout and "generate.py" not in helped.stdout
    listed = installed.run("list", "--help", cwd=project.root)
    assert listed.stdout.startswith("usage: modelsync list "), listed.stdout


def test_the_package_carries_the_repositorys_project_files(installed: Installed) -> None:
    shipped = installed.site / "modelsync" / "project"
    assert not (shipped / "providers.yaml").is_symlink(), "the build copies what the link points at"
    assert (shipped / "providers.yaml").read_text() == (ROOT / "providers.yaml").read_text()
    for template in (ROOT / "templates").glob("*.j2"):
        assert (shipped / "templates" / template.name).read_text() == template.read_text()
    for workflow in (ROOT / ".github" / "workflows").glob("*.yml"):
        assert (shipped / "workflows" / workflow.name).read_text() == workflow.read_text()


def test_init_in_an_empty_folder_then_a_week_of_use(installed: Installed, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    done = installed.run("init", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "next:\n  modelsync --provider openrouter" in done.stdout
    # Right after init: a config, with no models yet, and a word on how to get some.
    first = installed.run("--offline", cwd=folder)
    assert first.returncode == 0, first.stderr
    assert yaml.safe_load((folder / "config.yaml").read_text())["model_list"] == []
    assert "selects no model yet" in first.stdout and "`modelsync --provider openrouter`" in first.stdout
    assert installed.run("--check", "-q", cwd=folder).returncode == 0
    nothing_cached = installed.run("list", "openrouter", cwd=folder)
    assert nothing_cached.returncode == 2 and "run `modelsync --provider openrouter`" in nothing_cached.stderr
    starter = (folder / "overrides.yaml").read_bytes()

    # Fetch OpenRouter's catalog, from a real server on 127.0.0.1 standing in for openrouter.ai.
    catalog = (ROOT / "cache" / "openrouter.json").read_bytes()
    embeddings = (ROOT / "cache" / "openrouter.embeddings.json").read_bytes()
    with serve({"/api/v1/models": (200, {}, catalog), "/api/v1/embeddings/models": (200, {}, embeddings)}) as base:
        providers = folder / "providers.yaml"
        providers.write_text(providers.read_text().replace("https://openrouter.ai", base))
        fetched = installed.run("--provider", "openrouter", cwd=folder)
    assert fetched.returncode == 0, fetched.stderr
    assert (folder / "cache" / "openrouter.json").read_bytes() == catalog

    free = installed.run("list", "openrouter", "--free", cwd=folder)
    assert free.returncode == 0 and "qwen/qwen3-coder:free" in free.stdout
    added = installed.run("add", "openrouter:qwen/qwen3-coder:free", "--name", "coder", cwd=folder)
    assert added.returncode == 0, added.stderr
    assert "+ coder (openrouter/qwen/qwen3-coder:free)" in added.stdout
    assert installed.run("add", "openrouter:google/gemini-2.5-flash", "-q", cwd=folder).returncode == 0
    names = [d["model_name"] for d in yaml.safe_load((folder / "config.yaml").read_text())["model_list"]]
    assert names == ["coder", "openrouter/google/gemini-2.5-flash"]
    assert installed.run("check", "-q", cwd=folder).returncode == 0
    assert installed.run("remove", "coder", "-q", cwd=folder).returncode == 0
    assert installed.run("remove", "openrouter/google/gemini-2.5-flash", "-q", cwd=folder).returncode == 0
    assert (folder / "overrides.yaml").read_bytes() == starter, "remove undid add, every comment kept"
    assert installed.run("--check", "-q", cwd=folder).returncode == 0
    legacy = folder / "legacy.yaml"
    legacy.write_text(
        "model_list:\n  - model_name: coder\n    litellm_params:\n      model: openrouter/qwen/qwen3-coder:free\n"
        "      api_key: sk-or-v1-0123456789abcdef0123\n"
    )
    imported = installed.run("import", str(legacy), "--force", cwd=folder)
    assert imported.returncode == 0, imported.stderr
    assert "by `modelsync import`" in (folder / "overrides.yaml").read_text()
    dry = installed.run("--offline", "--dry-run", cwd=folder)
    assert dry.returncode == 0 and "sk-or-v1-0123" not in dry.stdout + dry.stderr + imported.stdout + imported.stderr
    for step in (done, first, fetched, free, added, imported, dry):
        assert "Traceback" not in step.stderr


def test_init_writes_the_ci_recipes_on_request(installed: Installed, tmp_path: Path) -> None:
    done = installed.run("init", "--ci", str(tmp_path / "ci"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "ci"
    gate = (folder / ".github" / "workflows" / "config-check.yml").read_text()
    assert "run: modelsync --check --report markdown" in gate and "generate.py" not in gate
    assert (folder / "requirements.txt").read_text().splitlines()[-1].startswith("modelsync==")
    bin_dir = Path(sys.executable).parent
    schema = subprocess.run(
        [
            str(bin_dir / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *(str(p) for p in sorted((folder / ".github" / "workflows").glob("*.yml"))),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr
    hook = subprocess.run(
        [str(bin_dir / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert yaml.safe_load((folder / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"][0]["entry"] == (
        "modelsync --check"
    )
