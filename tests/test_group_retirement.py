"""A bare-id group whose every provider drops the model is a retirement, never a project that stops."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.helpers import Handler, Project, openrouter_entry, run_generate, serve

HAIKU = openrouter_entry("anthropic/claude-haiku-4.5")
OTHERS = [openrouter_entry(f"vendor/model-{i}") for i in range(4)]
JSON = {"Content-Type": "application/json"}


def _answer(models: list[dict[str, Any]]) -> tuple[int, dict[str, str], bytes]:
    return 200, JSON, json.dumps({"data": models}).encode()


def _routes(project: Project) -> list[str]:
    return [d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"]]


def _served_by(project: Project, base: str) -> None:
    """Point OpenRouter's two documents at the server on 127.0.0.1."""
    text = project.providers.read_text()
    for field in ("catalog_url", "embeddings_url"):
        text = text.replace(f"{field}: https://openrouter.ai", f"{field}: {base}")
    project.providers.write_text(text)


def _sold_by_openrouter_alone(project: Project, others: int) -> dict[str, Handler | tuple[int, dict[str, str], bytes]]:
    """A bare id sold by OpenRouter alone, beside `others` named OpenRouter models; the routes serving them."""
    project.config.unlink()
    named = [f"openrouter:{m['id']}" for m in OTHERS[:others]]
    project.write_overrides({"providers": {"openrouter": {}}, "models": ["claude-haiku-4.5", *named]})
    return {"/api/v1/models": _answer([HAIKU, *OTHERS]), "/api/v1/embeddings/models": _answer([])}


def test_a_group_every_provider_drops_is_held_then_retired_and_nothing_stops(project: Project) -> None:
    routes = _sold_by_openrouter_alone(project, others=1)
    with serve(routes) as base:
        _served_by(project, base)
        first = run_generate(project, "--refresh")
        assert first.returncode == 0, first.stderr
        assert "openrouter/anthropic/claude-haiku-4.5" in _routes(project)
        routes["/api/v1/models"] = _answer(OTHERS)  # OpenRouter drops the group's only member
        dropped = run_generate(project, "--refresh")
        assert dropped.returncode == 4, dropped.stderr  # 1 of 2 selected OpenRouter models: held
        assert "sold by none" not in dropped.stderr
        assert "1 of 2 selected openrouter models would go" in dropped.stdout
        assert "anthropic/claude-haiku-4.5" not in (project.cache / "openrouter.json").read_text()
        for args in (["--offline"], ["--check"]):  # still held, and the held config is what they render
            done = run_generate(project, *args)
            assert done.returncode == (4 if args == ["--offline"] else 0), done.stderr
        accepted = run_generate(project, "--offline", "--accept-held")
        assert accepted.returncode == 0, accepted.stderr
        assert "retired (1)" in accepted.stdout and "claude-haiku-4.5" in accepted.stdout
        assert "  - claude-haiku-4.5 (openrouter/anthropic/claude-haiku-4.5): delete" in accepted.stdout  # not nested
        assert "openrouter/anthropic/claude-haiku-4.5" not in _routes(project)
        assert "#   retired: claude-haiku-4.5\n" in project.config.read_text()
        for args in (["--offline"], ["--check"], ["--refresh"], ["list", "openrouter"]):  # a week later: it runs
            done = run_generate(project, *args)
            assert done.returncode == 0, (args, done.stderr)
        removed = run_generate(project, "remove", "claude-haiku-4.5")
        assert removed.returncode == 0, removed.stderr
    assert "claude-haiku-4.5" not in project.overrides.read_text()
    assert "retired" not in project.config.read_text()
    assert _routes(project) == ["openrouter/vendor/model-0"]


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_a_group_that_leaves_every_catalog_is_reported_retired_in_every_form(project: Project, form: str) -> None:
    routes = _sold_by_openrouter_alone(project, others=4)
    with serve(routes) as base:
        _served_by(project, base)
        assert run_generate(project, "--refresh").returncode == 0
        routes["/api/v1/models"] = _answer(OTHERS)  # 1 of 5 go: under the shrink guard's share
        done = run_generate(project, "--refresh", "--report", form)
    assert done.returncode == 0, done.stderr
    assert "openrouter/anthropic/claude-haiku-4.5" not in _routes(project)
    if form == "json":
        (retired,) = json.loads(done.stdout)["retired"]
        assert retired["id"] == "claude-haiku-4.5" and retired["provider"] == "openrouter"
        assert retired["model"] == "openrouter/anthropic/claude-haiku-4.5" and retired["delete"] == "- claude-haiku-4.5"
    else:
        heading = "### Retired (1)" if form == "markdown" else "retired (1)"
        assert heading in done.stdout and "claude-haiku-4.5" in done.stdout.partition(heading)[2]


def test_a_bare_id_renamed_to_one_sold_nowhere_is_a_typo_not_a_retirement(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides({"providers": {"openrouter": {}}, "models": ["claude-haiku-4.5"]})
    assert project.run("--offline", "-q") == 0
    before = project.snapshot_files()
    renamed = {"id": "claude-haiku-4.6", "name": "claude-haiku-4.5"}  # the group's name kept, its id mistyped
    project.write_overrides({"providers": {"openrouter": {}}, "models": [renamed]})
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "claude-haiku-4.6 is sold by none of the providers it is looked for on (openrouter)" in err
    assert "close ids: anthropic/claude-haiku-4.5" in err
    assert {k: v for k, v in project.snapshot_files().items() if k != "overrides.yaml"} == {
        k: v for k, v in before.items() if k != "overrides.yaml"
    }


def test_remove_works_on_the_entry_that_stops_every_render(project: Project) -> None:
    """An entry no catalog has, that config.yaml never served, stops every run: `remove` takes it out all the same."""
    data = yaml.safe_load(project.overrides.read_text())
    data["models"].append("openrouter:vendor/no-such-model")
    project.write_overrides(data)
    stopped = run_generate(project, "--offline")
    assert stopped.returncode == 2 and "vendor/no-such-model is not in the openrouter catalog" in stopped.stderr
    removed = run_generate(project, "remove", "openrouter:vendor/no-such-model")
    assert removed.returncode == 0, removed.stderr
    assert "no-such-model" not in project.overrides.read_text()
    assert run_generate(project, "--check").returncode == 0


def test_a_group_two_providers_drop_is_retired_once_in_the_header_and_per_deployment_in_the_report(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.config.unlink()
    project.write_overrides({"providers": {"openrouter": {}, "vercel": {}}, "models": ["claude-haiku-4.5"]})
    assert project.run("--offline", "-q") == 0
    for name in ("openrouter", "vercel"):
        body = json.loads((project.cache / f"{name}.json").read_text())
        body["data"] = [m for m in body["data"] if m["id"] != "anthropic/claude-haiku-4.5"]
        project.use_catalog(name, body)
    assert project.run("--offline", "-q") == 4  # each provider loses its only selected deployment
    capsys.readouterr()
    assert project.run("--offline", "--accept-held") == 0
    out = capsys.readouterr().out
    assert "retired (2)" in out
    assert "claude-haiku-4.5 (openrouter/anthropic/claude-haiku-4.5)" in out
    assert "claude-haiku-4.5 (vercel_ai_gateway/anthropic/claude-haiku-4.5)" in out
    assert project.config.read_text().count("retired: claude-haiku-4.5") == 1
    assert yaml.safe_load(project.config.read_text())["model_list"] in (None, [])
    assert project.run("--check") == 0


def test_an_error_after_a_retired_group_points_at_its_own_line(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """A group expands to as many entries as it has members, none once retired: errors still cite overrides.yaml."""
    project.config.unlink()
    models = ["claude-haiku-4.5", "openrouter:google/gemini-2.5-flash"]
    project.write_overrides({"providers": {"openrouter": {}}, "models": models})
    assert project.run("--offline", "-q") == 0
    body = json.loads((project.cache / "openrouter.json").read_text())
    body["data"] = [m for m in body["data"] if m["id"] != "anthropic/claude-haiku-4.5"]
    project.use_catalog("openrouter", body)
    assert project.run("--offline", "-q", "--accept-held") == 0
    project.write_overrides({"providers": {"openrouter": {}}, "models": [*models, "openrouter:google/gemini-9"]})
    assert project.run("--offline") == 2
    assert "overrides.yaml:6: models[2]: openrouter:google/gemini-9 is not in the openrouter catalog" in (
        capsys.readouterr().err
    )
