"""Each bad edit gets one clear sentence (snapshot, one file per case), exit 2, and nothing written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.helpers import ROOT, Project
from tests.litellm_proxy import litellm_executable

BAD_OVERRIDES = {
    "yaml_syntax": 'providers:\n  openrouter:\n    include: ["a"\n',
    "unknown_top_key": "modles: []\n",
    "unknown_nested_key": "providers:\n  openrouter:\n    includ: ['*']\n",
    "unknown_model_key": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    nmae: haiku\n",
    "wrong_type": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    params: 60\n",
    "negative_pin": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    pin: {input_cost_per_token: -1}\n",
    "unknown_provider": "providers:\n  openroute:\n    include: ['*']\n",
    "group_without_providers": "models:\n  - anthropic/claude-haiku-4.5\n",
    "group_sold_nowhere": "providers:\n  openrouter: {}\n  vercel: {}\nmodels:\n  - claude-haiku-4.6\n",
    "group_with_pin": "models:\n  - id: claude-haiku-4.5\n    pin: {input_cost_per_token: 1.0e-06}\n",
    "group_unknown_provider": "models:\n  - id: claude-haiku-4.5\n    providers: [openrouter, verce]\n",
    "exclude_on_provider_entry": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    exclude: [poe]\n",
    "order_mapping_on_provider_entry": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n"
    "    order: {openrouter: 1}\n",
    "order_twice": "providers:\n  nvidia: {order: 1, params: {order: 2}}\n",
    "empty_model_part": "models:\n  - 'openrouter:'\n",
    "unknown_model_id": "models:\n  - openrouter:anthropic/claude-haiku-4.6\n",
    "duplicate_model": "models:\n  - openrouter:anthropic/claude-haiku-4.5\n"
    "  - openrouter:anthropic/claude-haiku-4.5\n",
    "literal_secret": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    params: {api_key: sk-or-v1-abc}\n",
    "literal_master_key": "settings:\n  general_settings: {master_key: sk-1234}\n",
    "cost_in_params": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n"
    "    params: {input_cost_per_token: 1.0e-06}\n",
    "bad_name_rule": "providers:\n  openrouter:\n    include: ['*']\n    name: '{vendor}/{id}'\n",
    "entry_without_model": "entries:\n  - model_name: x\n    litellm_params: {api_base: http://localhost}\n",
    "not_a_mapping": "- just\n- a list\n",
    "duplicate_top_key": "models: [openrouter:anthropic/claude-haiku-4.5]\nentries: []\nmodels:\n  - novita:x\n",
    "duplicate_nested_key": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    name: a\n    name: b\n",
    "providers_not_a_mapping": "providers:\n  - openrouter\n",
    "empty_name": "models:\n  - id: openrouter:anthropic/claude-haiku-4.5\n    name: ''\n",
    "include_not_a_list": "providers:\n  openrouter:\n    include: {a: 1}\n",
}


@pytest.mark.parametrize("case", sorted(BAD_OVERRIDES))
def test_bad_overrides_are_explained(
    case: str, project: Project, capsys: pytest.CaptureFixture[str], text_snapshot: SnapshotAssertion
) -> None:
    project.write_overrides(BAD_OVERRIDES[case])
    before = project.snapshot_files()
    assert project.run("--offline") == 2
    assert project.snapshot_files() == before
    message = capsys.readouterr().err.replace(str(project.root), "<project>")
    assert message.startswith("error: ") and " — " in message
    assert "sk-or-v1-abc" not in message and "sk-1234" not in message
    assert message == text_snapshot


def test_a_template_error_names_the_template_and_line(
    project: Project, capsys: pytest.CaptureFixture[str], text_snapshot: SnapshotAssertion
) -> None:
    (project.templates / "model_list.yaml.j2").write_text(
        "{% for deployment in deployments %}\n  - model_name: {{ deployment.nmae | yaml }}\n{% endfor %}\n"
    )
    assert project.run("--offline") == 2
    assert capsys.readouterr().err.replace(str(project.root), "<project>") == text_snapshot


def test_a_corrupt_cache_file_is_named_with_the_fix(
    project: Project, capsys: pytest.CaptureFixture[str], text_snapshot: SnapshotAssertion
) -> None:
    (project.cache / "openrouter.json").write_text('{"data": [')
    before = project.snapshot_files()
    assert project.run("--offline") == 2
    assert project.snapshot_files() == before
    assert capsys.readouterr().err.replace(str(project.root), "<project>") == text_snapshot


def test_a_missing_cache_is_an_error_naming_the_file(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    (project.cache / "openrouter.json").unlink()  # the main list: a missing embeddings list only warns
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "no cached catalog for openrouter" in err and f"{project.cache / 'openrouter.json'} does not exist" in err


def test_a_duplicate_key_in_providers_yaml_names_the_key_and_line(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    text = project.providers.read_text()
    project.providers.write_text(text + "\nnovita:\n  catalog_url: https://example.invalid\n")
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("novita:"))
    last = len(text.splitlines()) + 2
    assert f"providers.yaml:{last}:1: duplicate key 'novita' (first at line {first})" in err


def test_a_duplicate_key_in_an_imported_config_is_refused(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = project.root / "legacy.yaml"
    legacy.write_text(
        "model_list:\n"
        "  - model_name: a\n"
        "    litellm_params: {model: openai/x, api_base: http://localhost:1/v1, model: openai/y}\n"
    )
    before = project.snapshot_files()
    assert project.run("--import", str(legacy), "--force") == 2
    assert project.snapshot_files() == before
    assert "legacy.yaml:3:72: duplicate key 'model' (first at line 3)" in capsys.readouterr().err


def test_yaml_merge_keys_may_repeat_what_they_override(project: Project) -> None:
    project.write_overrides(
        "models:\n"
        "  - id: openrouter:anthropic/claude-haiku-4.5\n"
        "    params:\n"
        "      <<: {rpm: 60, tpm: 1000}\n"
        "      rpm: 120\n"
    )
    assert project.run("--offline", "-q") == 0
    assert "rpm: 120" in project.config.read_text()


def test_a_close_miss_of_a_litellm_key_is_a_warning_naming_the_key_meant(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides(
        "models:\n"
        "  - id: openrouter:anthropic/claude-haiku-4.5\n"
        "    params: {rmp: 60, my_gateway_tag: blue}\n"  # a param of one's own is no typo
        "    model_info: {supports_visoin: true}\n"
        "entries:\n"
        "  - model_name: az\n"
        "    litellm_params:\n"
        "      model: azure/gpt-4o\n"
        "      api_verison: '2024-10-21'\n"
    )
    assert project.run("--offline", "--dry-run") == 0  # a warning: LiteLLM would take it as it is
    warnings = capsys.readouterr().err.replace(str(project.root), "<project>").splitlines()
    assert warnings == [
        "warning: <project>/overrides.yaml:3: models[0].params.rmp: 'rmp' is not a key LiteLLM knows "
        "— did you mean 'rpm'?",
        "warning: <project>/overrides.yaml:4: models[0].model_info.supports_visoin: 'supports_visoin' is not a key "
        "LiteLLM knows — did you mean 'supports_vision'?",
        "warning: <project>/overrides.yaml:9: entries[0].litellm_params.api_verison: 'api_verison' is not a key "
        "LiteLLM knows — did you mean 'api_version'?",
    ]


def test_the_shipped_key_list_holds_what_the_repo_uses() -> None:
    from modelsync.model.typos import known_keys

    keys = known_keys()
    assert {"rpm", "tpm", "api_version", "api_base", "extra_headers", "input_cost_per_token"} <= keys["litellm_params"]
    assert {"supports_vision", "max_input_tokens", "mode", "base_model"} <= keys["model_info"]


@pytest.mark.litellm
def test_the_shipped_key_list_is_what_litellm_itself_says(tmp_path: Path) -> None:
    """Derived again from the pinned LiteLLM: the committed list is not hand-edited or stale."""
    python = litellm_executable().parent / "python"  # installs the pinned LiteLLM on first use
    target = tmp_path / "keys.txt"
    subprocess.run(
        [str(python), str(ROOT / "tools" / "derive_litellm_keys.py"), str(target)],
        check=True,
        capture_output=True,
        timeout=300,
        env={**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"},
    )
    assert target.read_text() == (ROOT / "modelsync" / "data" / "litellm_keys.txt").read_text()


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--name", ""], "add openrouter:anthropic/claude-haiku-4.5: --name should not be empty — give --name a value"),
    ],
)
def test_add_speaks_our_words_not_pydantics(
    project: Project, capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    assert project.run("add", "openrouter:anthropic/claude-haiku-4.5", *args, "--dry-run") == 2
    err = capsys.readouterr().err
    assert said in err and "String should" not in err and "Value error" not in err


def test_a_missing_overrides_file_points_to_import_and_init(project: Project) -> None:
    project.overrides.unlink()
    done = project.cli("--offline")
    assert done.returncode == 2
    assert "overrides.yaml does not exist" in done.stderr and "import config.yaml" in done.stderr, done.stderr
    assert "init" in done.stderr
