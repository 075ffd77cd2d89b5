"""Bare ids in overrides.yaml: one group over every provider that sells the model, resolved at each render."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from modelsync.core.errors import ExitCode
from tests.helpers import Project, serve

IN_USE = {"openrouter": {}, "requesty": {}, "vercel": {}, "poe": {}, "anthropic": {}, "nano_gpt": {}, "nvidia": {}}


@pytest.fixture(autouse=True)
def _no_config_yet(project: Project) -> None:
    """Each test starts from its own overrides; the example config.yaml would make every member new."""
    project.config.unlink()


def _deployments(project: Project) -> list[dict[str, Any]]:
    return list(yaml.safe_load(project.config.read_text())["model_list"])


def _routes(project: Project, name: str) -> dict[str, dict[str, Any]]:
    return {d["litellm_params"]["model"]: d["litellm_params"] for d in _deployments(project) if d["model_name"] == name}


def _catalog(project: Project, name: str) -> dict[str, Any]:
    return dict(json.loads((project.cache / f"{name}.json").read_text()))


def _add_openrouter_model(project: Project, model_id: str) -> None:
    body = _catalog(project, "openrouter")
    body["data"].append({**body["data"][0], "id": model_id, "name": model_id})
    project.use_catalog("openrouter", body)


def _add_nvidia_model(project: Project, model_id: str) -> None:
    body = _catalog(project, "nvidia")
    body["data"].append({"id": model_id, "object": "model", "created": 735790403, "owned_by": "someone"})
    project.use_catalog("nvidia", body)


def test_a_bare_id_is_one_group_over_every_provider_in_use_that_sells_it(project: Project) -> None:
    project.write_overrides({"providers": IN_USE, "models": ["claude-haiku-4.5"]})
    assert project.run("--offline") == 0
    assert sorted(_routes(project, "claude-haiku-4.5")) == [
        "anthropic/claude-haiku-4-5-20251001",
        "nano-gpt/claude-haiku-4-5-20251001",
        "openai/anthropic/claude-haiku-4-5",  # Requesty
        "openrouter/anthropic/claude-haiku-4.5",
        "poe/Claude-Haiku-4.5",
        "vercel_ai_gateway/anthropic/claude-haiku-4.5",
    ]
    assert {d["model_name"] for d in _deployments(project)} == {"claude-haiku-4.5"}


def test_providers_and_exclude_choose_where_to_look_and_name_the_group(project: Project) -> None:
    project.write_overrides(
        {
            "providers": IN_USE,
            "models": [
                {"id": "claude-haiku-4.5", "name": "haiku", "providers": ["openrouter", "poe", "gemini"]},
                {"id": "gemini-2.5-flash", "exclude": ["poe", "requesty"]},
            ],
        }
    )
    assert project.run("--offline") == 0
    assert sorted(_routes(project, "haiku")) == ["openrouter/anthropic/claude-haiku-4.5", "poe/Claude-Haiku-4.5"]
    # gemini is in use through the first entry's providers: list, so the second finds it there too
    assert sorted(_routes(project, "gemini-2.5-flash")) == [
        "gemini/gemini-2.5-flash",
        "openrouter/google/gemini-2.5-flash",
        "vercel_ai_gateway/google/gemini-2.5-flash",
    ]


def test_a_provider_id_entry_of_the_same_name_wins_for_its_provider(project: Project) -> None:
    project.write_overrides(
        {
            "providers": IN_USE,
            "models": [
                "claude-haiku-4.5",
                {"id": "nano_gpt:gpt-4o-mini", "name": "claude-haiku-4.5"},  # the user's choice, however odd
                {
                    "id": "openrouter:anthropic/claude-haiku-4.5",
                    "name": "claude-haiku-4.5",
                    "pin": {"input_cost_per_token": 2.0e-06},
                },
            ],
        }
    )
    assert project.run("--offline") == 0
    routes = _routes(project, "claude-haiku-4.5")
    assert "nano-gpt/gpt-4o-mini" in routes and "nano-gpt/claude-haiku-4-5-20251001" not in routes
    assert routes["openrouter/anthropic/claude-haiku-4.5"]["input_cost_per_token"] == 2.0e-06
    assert "poe/Claude-Haiku-4.5" in routes


def test_order_reaches_every_member_of_a_provider_and_an_entry_overrides_it(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    providers = {**IN_USE, "openrouter": {"order": 2}, "vercel": {"params": {"order": 3}}, "poe": {"order": 1}}
    project.write_overrides(
        {
            "providers": providers,
            "models": [
                {"id": "claude-haiku-4.5", "providers": ["openrouter", "vercel", "poe"], "order": {"vercel": 1}},
                {"id": "gemini-2.5-flash", "providers": ["openrouter", "vercel", "poe"]},
            ],
        }
    )
    assert project.run("--offline") == 0
    haiku, flash = _routes(project, "claude-haiku-4.5"), _routes(project, "gemini-2.5-flash")
    assert {route: params["order"] for route, params in haiku.items()} == {
        "openrouter/anthropic/claude-haiku-4.5": 2,
        "vercel_ai_gateway/anthropic/claude-haiku-4.5": 1,
        "poe/Claude-Haiku-4.5": 1,
    }
    assert {route: params["order"] for route, params in flash.items()} == {
        "openrouter/google/gemini-2.5-flash": 2,
        "vercel_ai_gateway/google/gemini-2.5-flash": 3,
        "poe/Gemini-2.5-Flash": 1,
    }
    assert "have no order" not in capsys.readouterr().err


def test_a_group_ordered_only_in_part_is_warned_about(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": {**IN_USE, "openrouter": {"order": 1}}, "models": ["claude-haiku-4.5"]})
    assert project.run("--offline") == 0
    err = capsys.readouterr().err
    assert "warning: claude-haiku-4.5: anthropic/claude-haiku-4-5-20251001, " in err
    assert "routes to them only while every ordered one is cooling down" in err


def test_a_gateway_that_starts_selling_the_model_in_a_refresh_is_held_then_joins(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides({"providers": IN_USE, "models": ["deepseek-v3.1", "gpt-oss-120b"]})
    _add_openrouter_model(project, "openai/gpt-oss-120b")
    assert project.run("--offline") == 0
    before = project.config.read_text()
    capsys.readouterr()
    served = _catalog(project, "nvidia")
    served["data"].append({"id": "openai/gpt-oss-120b", "object": "model", "created": 735790403, "owned_by": "x"})
    with serve({"/v1/models": (200, {"Content-Type": "application/json"}, json.dumps(served).encode())}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://integrate.api.nvidia.com", base))
        assert project.run("--refresh", "--provider", "nvidia") == ExitCode.HELD
    out = capsys.readouterr().out
    assert "openai/gpt-oss-120b (same name under another prefix), which would join group gpt-oss-120b" in out
    assert project.config.read_text() == before  # held, and nothing else changed: nothing written
    assert project.run("--offline", "--accept-held") == 0
    assert "    + nvidia joins (nvidia_nim/openai/gpt-oss-120b)" in capsys.readouterr().out
    assert "nvidia_nim/openai/gpt-oss-120b" in _routes(project, "gpt-oss-120b")


def test_a_member_that_an_edit_or_a_saved_catalog_brings_joins_as_asked(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides({"providers": IN_USE, "models": ["gpt-oss-120b"]})
    _add_openrouter_model(project, "openai/gpt-oss-120b")
    assert project.run("--offline") == 0
    _add_nvidia_model(project, "openai/gpt-oss-120b")  # a catalog saved by hand: no refresh brought it
    capsys.readouterr()
    assert project.run("--offline") == 0
    assert "    + nvidia joins (nvidia_nim/openai/gpt-oss-120b)" in capsys.readouterr().out


def test_a_member_a_saved_catalog_brings_to_a_provider_in_use_joins_unheld(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only a refresh's new ids are held: nvidia serves the config already, and its catalog was saved by hand."""
    project.write_overrides({"providers": IN_USE, "models": ["deepseek-v3.1", "gpt-oss-120b"]})
    _add_openrouter_model(project, "openai/gpt-oss-120b")
    assert project.run("--offline") == 0
    assert any(route.startswith("nvidia_nim/") for route in _routes(project, "deepseek-v3.1"))
    _add_nvidia_model(project, "openai/gpt-oss-120b")
    capsys.readouterr()
    assert project.run("--offline") == 0
    assert "    + nvidia joins (nvidia_nim/openai/gpt-oss-120b)" in capsys.readouterr().out


def test_a_new_member_joins_without_review_when_the_entry_lists_providers(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = {"id": "gpt-oss-120b", "providers": ["openrouter", "nvidia"]}
    _add_openrouter_model(project, "openai/gpt-oss-120b")
    project.write_overrides({"providers": IN_USE, "models": [entry]})
    assert project.run("--offline") == 0
    capsys.readouterr()
    served = _catalog(project, "nvidia")
    served["data"].append({"id": "openai/gpt-oss-120b", "object": "model", "created": 735790403, "owned_by": "x"})
    with serve({"/v1/models": (200, {"Content-Type": "application/json"}, json.dumps(served).encode())}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://integrate.api.nvidia.com", base))
        assert project.run("--refresh", "--provider", "nvidia") == 0
    out = capsys.readouterr().out
    assert "  gpt-oss-120b: members changed\n    + nvidia joins (nvidia_nim/openai/gpt-oss-120b)" in out
    assert sorted(_routes(project, "gpt-oss-120b")) == [
        "nvidia_nim/openai/gpt-oss-120b",
        "openrouter/openai/gpt-oss-120b",
    ]


def test_a_gateway_that_stops_selling_it_leaves_the_group(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": IN_USE, "models": ["claude-haiku-4.5"]})
    assert project.run("--offline") == 0
    capsys.readouterr()
    body = _catalog(project, "poe")
    body["data"] = [e for e in body["data"] if e["id"] != "Claude-Haiku-4.5"]
    project.use_catalog("poe", body)
    assert project.run("--offline") == 4, "poe's only selected deployment would go: held, as for a provider:id entry"
    assert "1 of 1 selected poe models would go" in capsys.readouterr().out
    assert project.run("--offline", "--accept-held") == 0
    out = capsys.readouterr().out
    assert "  claude-haiku-4.5: members changed\n    - poe leaves (poe/Claude-Haiku-4.5)" in out
    assert "poe/Claude-Haiku-4.5" not in _routes(project, "claude-haiku-4.5")


def test_ties_are_said_in_every_report_form(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": IN_USE, "models": ["gemini-2.5-flash"]})
    assert project.run("--offline", "--dry-run") == 0
    tie = (
        "requesty: google/gemini-2.5-flash, coding/gemini-2.5-flash match gemini-2.5-flash equally; "
        "took google/gemini-2.5-flash by the vendor prefix other gateways use"
    )
    assert f"    ? {tie}" in capsys.readouterr().out
    assert project.run("--offline", "--dry-run", "--report", "json") == 0
    (group,) = json.loads(capsys.readouterr().out)["groups"]
    assert group["ties"] == [tie] and group["new"] is True
    assert {m["provider"] for m in group["joined"]} == {"openrouter", "requesty", "vercel", "poe"}
    assert project.run("--offline", "--dry-run", "--report", "markdown") == 0
    markdown = capsys.readouterr().out
    assert "- `gemini-2.5-flash`: new group\n" in markdown and f"\n  - tie: {tie}\n" in markdown


def test_markdown_nests_members_that_join_and_leave_under_their_group(project: Project) -> None:
    """Real runs: requesty excluded from one group; the text form's signs never read as list bullets."""
    project.write_overrides({"providers": IN_USE, "models": ["claude-haiku-4.5"]})
    assert project.cli("--offline").returncode == 0
    project.write_overrides({"providers": IN_USE, "models": [{"id": "claude-haiku-4.5", "exclude": ["requesty"]}]})
    done = project.cli("--offline", "--dry-run", "--report", "markdown")
    assert done.returncode == 0, done.stderr
    groups = done.stdout.split("### Groups\n\n")[1].split("\n\n")[0].splitlines()
    assert groups == [
        "- `claude-haiku-4.5`: members changed",
        "  - leaves: requesty (`openai/anthropic/claude-haiku-4-5`)",
    ]
    assert "- - " not in done.stdout and "- + " not in done.stdout


def test_list_everywhere_shows_the_pick_its_price_and_what_was_rejected(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert project.run("list", "--everywhere", "gemini-2.5-flash") == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line and not line.startswith(" ")}
    assert rows["openrouter"].split()[1:5] == ["google/gemini-2.5-flash", "0.3", "2.5", "1,048,576"]
    assert rows["poe"].split()[1:4] == ["Gemini-2.5-Flash", "0.21", "1.8"]
    assert "a tie, broken by the vendor prefix other gateways use" in rows["requesty"]
    assert "not sold" in rows["anthropic"]
    assert "openrouter: google/gemini-2.5-flash-lite rejected: another model: adds lite" in out
    assert "requesty: coding/gemini-2.5-flash matched equally, not taken" in out
    assert "gemini-2.5-flash: sold by 5 of 14 providers with a cached catalog" in out


def test_list_marks_group_members_as_selected(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": IN_USE, "models": [{"id": "claude-haiku-4.5", "name": "haiku"}]})
    assert project.run("list", "poe") == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Claude-Haiku-4.5")]
    assert row.endswith("yes: haiku")


def test_add_takes_a_bare_id_and_refuses_one_sold_nowhere(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": IN_USE, "models": []})
    assert project.run("--offline", "-q") == 0
    assert project.run("add", "claude-haiku-4.5") == 0
    assert "- claude-haiku-4.5\n" in project.overrides.read_text()
    assert len(_routes(project, "claude-haiku-4.5")) == 6
    before = project.snapshot_files()
    assert project.run("add", "claude-haiku-4.9") == 2
    assert "claude-haiku-4.9 is sold by none of the providers" in capsys.readouterr().err
    assert project.snapshot_files() == before


def test_remove_by_name_takes_a_bare_id_and_the_hand_written_members_of_its_group(project: Project) -> None:
    project.write_overrides(
        {
            "providers": IN_USE,
            "models": [
                "claude-haiku-4.5",
                {"id": "openrouter:anthropic/claude-sonnet-4.5", "name": "claude-haiku-4.5"},
            ],
        }
    )
    assert project.run("--offline", "-q") == 0
    assert project.run("remove", "claude-haiku-4.5", "-q") == 0
    assert yaml.safe_load(project.overrides.read_text())["models"] == []
    assert _deployments(project) == []


def test_list_everywhere_marks_providers_not_in_use(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"providers": {"openrouter": {}}, "models": ["claude-haiku-4.5"]})
    assert project.run("list", "--everywhere", "claude-haiku-4.5") == 0
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line and line[0] != " "}
    assert rows["openrouter"].endswith("same name under another prefix")
    assert rows["poe"].endswith("same id (not in use: list it under providers: to join)")
