"""Each bad edit gets one clear sentence (snapshot, one file per case), exit 2, and nothing written."""

from __future__ import annotations

import pytest
from syrupy.assertion import SnapshotAssertion

from tests.helpers import Project

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
    (project.cache / "openrouter.embeddings.json").unlink()
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "no cached catalog for openrouter" in err and "openrouter.embeddings.json" in err
