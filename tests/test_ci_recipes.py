"""The shipped CI recipes: GitHub workflows valid against their schema, the pre-commit hook really runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from modelsync.cli import main
from tests.helpers import ROOT

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def _run(*command: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_workflows_follow_the_github_workflow_schema() -> None:
    assert [w.name for w in WORKFLOWS] == ["config-check.yml", "refresh.yml"]
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_refresh_workflow_opens_a_pr_with_the_markdown_report_and_uses_secrets() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "refresh.yml").read_text())
    triggers = workflow[True]  # PyYAML reads the key `on` as True
    assert triggers["schedule"] and set(triggers["workflow_dispatch"]["inputs"]) == {"provider", "model", "name"}
    job = workflow["jobs"]["refresh"]
    assert all(value.startswith("${{ secrets.") for value in job["env"].values())
    script = job["steps"][3]["run"]
    assert "--report markdown" in script and "GITHUB_STEP_SUMMARY" in script and "generate.py add" in script
    report = next(line for line in script.splitlines() if "--report markdown" in line)
    assert "--check" not in report and "--dry-run" in report, "the PR body is priced at usage: --check reads none"
    assert "DATABASE_URL" in job["env"]
    pull_request = job["steps"][4]
    assert pull_request["uses"].startswith("peter-evans/create-pull-request@")
    assert pull_request["with"]["body-path"].endswith("report.md")


def test_the_pr_gate_runs_check() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "config-check.yml").read_text())
    assert "pull_request" in workflow[True]
    assert any("python generate.py --check" in step.get("run", "") for step in workflow["jobs"]["check"]["steps"])


def test_the_hook_manifest_is_valid() -> None:
    done = _run(str(BIN / "pre-commit"), "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr


def _readme_hook() -> str:
    readme = (ROOT / "README.md").read_text()
    match = re.search(r"```yaml\n(# \.pre-commit-config\.yaml\n.*?)```", readme, re.S)
    assert match, "the README shows a .pre-commit-config.yaml snippet"
    return match.group(1)


def test_the_readme_hook_blocks_a_commit_with_a_stale_config(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ("generate.py", "overrides.yaml", "providers.yaml", "config.yaml"):
        shutil.copyfile(ROOT / name, repo / name)
    for folder in ("modelsync", "templates", "cache"):
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__", ".normalised"))
    (repo / ".pre-commit-config.yaml").write_text(_readme_hook())
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(tmp_path / "pc"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.test",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.test",
    }
    for command in (["git", "init", "-q"], ["git", "add", "-A"]):
        assert _run(*command, cwd=repo, env=env).returncode == 0
    assert _run(str(BIN / "pre-commit"), "validate-config", cwd=repo, env=env).returncode == 0
    passed = _run(str(BIN / "pre-commit"), "run", "--all-files", cwd=repo, env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    (repo / "overrides.yaml").write_text((repo / "overrides.yaml").read_text().replace("rpm: 60", "rpm: 61"))
    failed = _run(str(BIN / "pre-commit"), "run", "--all-files", cwd=repo, env=env)
    assert failed.returncode == 1 and "rpm: 60 → 61" in failed.stdout, failed.stdout


PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40}  # v\d+\.\d+\.\d+$")


def _zizmor(*paths: Path) -> subprocess.CompletedProcess[str]:
    """zizmor, the GitHub Actions auditor, offline at its default persona."""
    return _run(str(BIN / "zizmor"), "--offline", "--no-progress", *map(str, paths))


def test_zizmor_finds_nothing_in_the_recipes(tmp_path: Path) -> None:
    """They run with every provider's key: no unpinned action, no persisted token, no broad permission."""
    assert main(["init", "--ci", str(tmp_path / "project")]) == 0  # the copies a user gets, too
    audited = _zizmor(ROOT / ".github" / "workflows", tmp_path / "project" / ".github" / "workflows")
    assert audited.returncode == 0 and "No findings to report" in audited.stdout, audited.stdout + audited.stderr


def test_every_action_is_pinned_to_a_commit_with_its_version_beside_it() -> None:
    uses = [line for workflow in WORKFLOWS for line in workflow.read_text().splitlines() if "uses:" in line]
    assert len(uses) == 5 and all(PINNED_USES.match(line) for line in uses), uses
