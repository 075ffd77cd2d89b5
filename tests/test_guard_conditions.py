"""What the guards hold is a catalog's doing, never an edit: the conditions that tell them apart.

Each run is `python generate.py` in a child process, on the project's own cached catalogs.
"""

from __future__ import annotations

import yaml

from tests.helpers import Project, openrouter_entry

VENDOR = [openrouter_entry(f"vendor/model-{i}") for i in range(4)]


def _routes(project: Project) -> list[str]:
    return sorted(d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"])


def test_an_exclude_covering_half_a_glob_is_an_edit_not_a_catalog_removal(project: Project) -> None:
    project.use_catalog("openrouter", {"data": VENDOR})
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.write_overrides({"providers": {"openrouter": {"include": ["vendor/*"]}}})
    assert project.cli("--offline", "-q").returncode == 0 and len(_routes(project)) == 4
    project.write_overrides({"providers": {"openrouter": {"include": ["vendor/*"], "exclude": ["vendor/model-[01]"]}}})
    done = project.cli("--offline")
    assert done.returncode == 0 and "held" not in done.stdout, done.stdout + done.stderr
    assert _routes(project) == ["openrouter/vendor/model-2", "openrouter/vendor/model-3"]


def test_a_member_a_saved_catalog_brings_to_a_provider_in_use_joins_unheld(project: Project) -> None:
    """Only a refresh's new ids are held: here nvidia already serves deepseek, and no refresh ran."""
    project.config.unlink()
    project.write_overrides(
        {"providers": {"openrouter": {}, "nvidia": {}}, "models": ["deepseek-v3.1", "gpt-oss-120b"]}
    )
    project.add_offer("openrouter", openrouter_entry("openai/gpt-oss-120b"))
    assert project.cli("--offline", "-q").returncode == 0
    assert any(route.startswith("nvidia_nim/") for route in _routes(project)), "nvidia must be in use already"
    project.add_offer("nvidia", {"id": "openai/gpt-oss-120b", "object": "model", "created": 735790403, "owned_by": "x"})
    done = project.cli("--offline")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "    + nvidia joins (nvidia_nim/openai/gpt-oss-120b)" in done.stdout
    assert "nvidia_nim/openai/gpt-oss-120b" in _routes(project)
