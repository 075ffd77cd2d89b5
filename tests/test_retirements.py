"""A model its catalog drops is retired, not a crash; one the catalog says will end is reported ahead."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
import yaml

from tests.helpers import ROOT, Project, openrouter_entry

SCHEMA = json.loads((ROOT / "report.schema.json").read_text())
MODELS = [f"vendor/model-{i}" for i in range(8)]


def _catalog(project: Project, ids: list[str], **extra: dict[str, Any]) -> None:
    project.use_catalog("openrouter", {"data": [openrouter_entry(i, **extra.get(i, {})) for i in ids]})
    project.use_catalog("openrouter.embeddings", {"data": []})


@pytest.fixture
def named(project: Project) -> Project:
    """Eight OpenRouter models named one by one, two of them in one load-balanced group."""
    models: list[Any] = [f"openrouter:{m}" for m in MODELS[2:]]
    models[:0] = [{"id": f"openrouter:{m}", "name": "group"} for m in MODELS[:2]]
    project.write_overrides({"models": models})
    _catalog(project, MODELS)
    assert project.run("--offline", "-q") == 0
    return project


def _routes(project: Project) -> list[str]:
    return [d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"]]


def _json_report(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = project.run("--offline", "--report", "json", *args)
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    return code, document


def test_a_retired_model_leaves_config_and_is_named_with_the_line_to_delete(
    named: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    _catalog(named, [m for m in MODELS if m != "vendor/model-5"])
    code, report = _json_report(named, capsys)
    assert code == 0
    assert "openrouter/vendor/model-5" not in _routes(named)
    line = named.overrides.read_text().splitlines().index("- openrouter:vendor/model-5") + 1
    assert report["retired"] == [
        {
            "provider": "openrouter",
            "id": "openrouter:vendor/model-5",
            "model_name": "openrouter/vendor/model-5",
            "model": "openrouter/vendor/model-5",
            "api_base": None,
            "overrides_line": line,
            "delete": "- openrouter:vendor/model-5",
        }
    ]
    assert "#   retired: openrouter:vendor/model-5" in named.config.read_text()
    assert named.run("--check", "-q") == 0
    # Next week: still gone, still named in overrides.yaml, and the job still runs.
    assert named.run("--offline", "-q") == 0 and named.run("--check", "-q") == 0
    # Until the user deletes the line, as the report says.
    assert named.run("remove", "openrouter:vendor/model-5", "-q") == 0
    assert "retired:" not in named.config.read_text() and named.run("--check", "-q") == 0


def test_retirements_are_named_in_text_and_markdown(named: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _catalog(named, [m for m in MODELS if m != "vendor/model-5"])
    capsys.readouterr()
    assert named.run("--offline", "--dry-run") == 0
    text = capsys.readouterr().out
    assert "retired (1): no longer in their catalog, left config.yaml" in text
    assert "  - openrouter:vendor/model-5 (openrouter/vendor/model-5): delete overrides.yaml line " in text
    assert named.run("--offline", "--dry-run", "--report", "markdown") == 0
    markdown = capsys.readouterr().out
    assert "### Retired (1)" in markdown and "| `openrouter:vendor/model-5` |" in markdown


def test_a_retired_member_of_a_group_leaves_the_group_and_the_rest_stays(named: Project) -> None:
    _catalog(named, MODELS[1:])
    assert named.run("--offline", "-q") == 0
    group = [d for d in yaml.safe_load(named.config.read_text())["model_list"] if d["model_name"] == "group"]
    assert [d["litellm_params"]["model"] for d in group] == ["openrouter/vendor/model-1"]


def test_a_model_that_comes_back_is_served_again(named: Project) -> None:
    _catalog(named, MODELS[1:])
    assert named.run("--offline", "-q") == 0
    _catalog(named, MODELS)
    assert named.run("--offline", "-q") == 0
    assert "openrouter/vendor/model-0" in _routes(named) and "retired:" not in named.config.read_text()


def test_a_typo_never_in_config_stays_an_error_with_close_matches(
    named: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    named.write_overrides(named.overrides.read_text() + "- openrouter:vendor/model-77\n")
    before = named.snapshot_files()
    assert named.run("--offline") == 2
    err = capsys.readouterr().err
    assert "openrouter:vendor/model-77 is not in the openrouter catalog" in err and "close matches" in err
    assert named.snapshot_files() == before


def test_a_mass_retirement_is_held_by_the_shrink_guard(named: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _catalog(named, MODELS[:4])  # half of them gone at once: the guard holds them
    code, report = _json_report(named, capsys)
    assert code == 4
    assert report["retired"] == [] and report["totals"]["retired"] == 0
    assert {r["id"] for r in report["held_retired"]} == {f"openrouter:{m}" for m in MODELS[4:]}
    assert {h["model"] for h in report["held"]} == {f"openrouter/{m}" for m in MODELS[4:]}
    assert named.run("--check", "-q") == 0
    capsys.readouterr()
    assert named.run("--offline", "--dry-run") == 0
    shown = [line for line in capsys.readouterr().out.splitlines() if "(openrouter/vendor/model-4): " in line]
    assert len(shown) == 1
    assert shown[0].startswith("  ! openrouter:vendor/model-4 (openrouter/vendor/model-4): then delete overrides")
    assert named.run("--offline", "-q", "--accept-held") == 0
    assert _routes(named) == [f"openrouter/{m}" for m in MODELS[:4]]


def test_an_end_date_in_the_catalog_is_reported_while_the_model_works(
    named: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    _catalog(named, MODELS, **{"vendor/model-3": {"expiration_date": "2026-12-31"}})
    code, report = _json_report(named, capsys)
    assert code == 0 and "openrouter/vendor/model-3" in _routes(named)
    assert report["retiring"] == [
        {
            "provider": "openrouter",
            "model_name": "openrouter/vendor/model-3",
            "model": "openrouter/vendor/model-3",
            "api_base": None,
            "date": "2026-12-31",
        }
    ]
    assert named.run("--offline", "--dry-run") == 0
    assert "openrouter/vendor/model-3 (openrouter/vendor/model-3): the openrouter catalog says it ends 2026-12-31" in (
        capsys.readouterr().err
    )


def test_openai_shutdown_dates_are_read(project: Project) -> None:
    from modelsync.core.catalog import Document
    from modelsync.sources.normalisers import NORMALISERS

    body = {"data": [{"id": "gpt-3.5-turbo", "shutdown_date": "2026-10-23"}, {"id": "gpt-4.1"}]}
    catalog = NORMALISERS["openai"]("openai", [Document("openai", "test", body)])
    assert {o.id: o.retires for o in catalog.offers} == {"gpt-3.5-turbo": "2026-10-23", "gpt-4.1": None}


def test_a_held_retirement_is_called_held_never_retired_in_any_form(named: Project) -> None:
    """stderr, the config header, and the text, Markdown and JSON reports, from real runs."""
    _catalog(named, MODELS[:4])
    written = named.cli("--offline")
    assert written.returncode == 4, written.stderr
    header = named.config.read_text().split("model_list:")[0]
    assert "openrouter/vendor/model-4" in _routes(named), "still served"
    dry = [named.cli("--offline", "--dry-run", "--report", form) for form in ("text", "markdown", "json")]
    for done in (written, *dry):
        assert "retired from config.yaml" not in done.stderr and "left config.yaml" not in done.stdout
    assert "retired:" not in header and "#   held: openrouter:vendor/model-4" in header
    assert "`python generate.py --accept-held` lets them go" in header
    assert (
        "openrouter:vendor/model-4: no longer in its catalog; held for review, still served in config.yaml until "
        "`python generate.py --accept-held` retires it" in written.stderr
    )
    assert "held retirements (4): no longer in their catalog, still served in config.yaml (held for review)" in (
        written.stdout
    )
    assert "### Held retirements (4)" in dry[1].stdout and "### Retired" not in dry[1].stdout
    report = json.loads(dry[2].stdout)
    jsonschema.validate(report, SCHEMA)
    assert (report["totals"]["retired"], report["totals"]["held_retired"], report["retired"]) == (0, 4, [])
    released = named.cli("--offline", "--accept-held")
    assert released.returncode == 0 and "retired (4): no longer in their catalog, left config.yaml" in released.stdout
    assert "#   retired: openrouter:vendor/model-4" in named.config.read_text()


def test_the_installed_command_is_named_modelsync_in_every_hint(named: Project) -> None:
    _catalog(named, MODELS[:4])
    for form in ("text", "markdown", "json"):
        done = named.cli("--offline", "--dry-run", "--report", form, installed=True)
        assert done.returncode == 0, done.stderr
        assert "generate.py" not in done.stdout + done.stderr, form
    assert "`modelsync --accept-held`" in done.stderr + named.cli("--offline", "--dry-run", installed=True).stdout
    _catalog(named, [m for m in MODELS if m != "vendor/model-5"])
    retired = named.cli("--offline", installed=True)
    assert retired.returncode == 0 and "(or run `modelsync remove openrouter:vendor/model-5`)" in retired.stdout
    assert "generate.py" not in retired.stdout + retired.stderr


def test_removing_a_retired_model_says_nothing_about_the_line_it_deletes(named: Project) -> None:
    _catalog(named, [m for m in MODELS if m != "vendor/model-5"])
    assert named.run("--offline", "-q") == 0
    done = named.cli("remove", "openrouter:vendor/model-5")
    assert done.returncode == 0 and "model-5" not in done.stderr, done.stderr
    assert "retired:" not in named.config.read_text()
