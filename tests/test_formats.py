"""The change report as text, Markdown and JSON: snapshot-tested, and the JSON against its schema."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema
import pytest
from syrupy.assertion import SnapshotAssertion

from modelsync.outputs import formats, json_report
from modelsync.pipeline import Options, Result, run
from tests.helpers import ROOT, Project, openrouter_entry, serve

BEFORE = [openrouter_entry(f"vendor/model-{i}", "0.000001", "0.000002") for i in range(8)]


@pytest.fixture
def result(project: Project) -> Result:
    """A refresh with a little of everything: added (more than one table folds), removed, repriced, held."""
    project.write_overrides(
        {
            "providers": {"openrouter": {"include": ["vendor/*"]}},
            "settings": {"router_settings": {"routing_strategy": "simple-shuffle"}},
        }
    )
    project.use_catalog("openrouter", {"data": [*BEFORE, {"name": "no id"}]})
    project.use_catalog("openrouter.embeddings", {"data": []})
    run(project.paths, Options(offline=True))
    after = [e for e in json.loads(json.dumps(BEFORE)) if e["id"] != "vendor/model-7"]
    after[1]["pricing"]["prompt"] = "0.00002"  # ×20: held
    after[2]["pricing"]["completion"] = "0.0000025"  # +25%
    after[3]["top_provider"]["max_completion_tokens"] = 16384
    after += [openrouter_entry(f"vendor/new-{i:02d}", "0.0000001", "0.0000002") for i in range(30)]
    after += [openrouter_entry("vendor/a-pipe|and\nnewline", "0.000001", "0.000001"), {"name": "no id"}]
    after += [openrouter_entry("vendor/auto", "-1", "-1"), openrouter_entry("elsewhere/auto", "-1", "-1")]
    project.use_catalog("openrouter", {"data": after})
    project.write_overrides(project.overrides.read_text().replace("simple-shuffle", "cost-based-routing"))
    outcome = run(project.paths, Options(offline=True, dry_run=True))
    assert outcome.report is not None
    return outcome


def test_text(result: Result, text_snapshot: SnapshotAssertion) -> None:
    assert result.report and formats.text(result.report, verbose=True) == text_snapshot


def test_text_in_colour_only_when_asked(result: Result) -> None:
    assert result.report
    assert "\033[" not in formats.text(result.report)
    coloured = formats.text(result.report, colour=True)
    assert "\033[32m  + openrouter/vendor/new-00\033[0m" in coloured and "\033[1;31m" in coloured


def test_markdown(result: Result, text_snapshot: SnapshotAssertion) -> None:
    assert result.report
    body = formats.markdown(result.report)
    assert body == text_snapshot
    assert body.index("Held for review") < body.index("| provider | added |") < body.index("### openrouter")
    assert "…and" not in body and "pipe\\|and newline" in body
    assert "<details><summary>9 more openrouter changes (9 added)</summary>" in body
    rows = re.findall(r"^\| [+±-] \| `([^`]+)`", body, re.MULTILINE)
    folded = re.findall(r"`([^`]+)`", "".join(re.findall(r"^\*\*(?:added|removed) \(\d+\):\*\* (.*)$", body, re.M)))
    listed = rows + folded
    assert len(listed) == 31 + 1 + 2 and len(set(listed)) == len(listed), "every change, once"
    assert "**added (9):** `openrouter/vendor/new-21` ($0.1/M in, $0.2/M out, 128,000 context), `openrouter" in body


def test_only_selected_models_are_reported_as_skipped(result: Result) -> None:
    """The catalog's unreadable entry and an unselected variable-price model are not news every run."""
    assert result.report
    assert result.report.skipped["openrouter"] == [
        ("vendor/auto", "prompt: price -1 means a variable price; name it under models: with a pin to use it")
    ]


def test_json_follows_its_schema(result: Result, text_snapshot: SnapshotAssertion) -> None:
    assert result.report
    document = json.loads(json_report.as_json(result.report))
    jsonschema.validate(document, json.loads((ROOT / "report.schema.json").read_text()))
    assert document["totals"] == {
        "added": 31,
        "removed": 1,
        "changed": 2,
        "held": 1,
        "retired": 0,
        "retiring": 0,
        "deployments": 38,
        "deployments_before": 8,
        "skipped": 1,
    }
    assert json_report.as_json(result.report) == text_snapshot


def test_cli_prints_markdown_and_json_even_when_up_to_date(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert project.run("--check", "--report", "json") == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["changed"] is False and "is up to date" in err
    assert project.run("--check", "--report", "markdown") == 0
    assert capsys.readouterr().out.startswith("## config.yaml: no model or settings changes")


def test_no_colour_when_not_a_tty_or_no_color(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    monkeypatch.setenv("NO_COLOR", "1")
    project.run("--offline", "--dry-run")
    assert "\033[" not in capsys.readouterr().out
    monkeypatch.delenv("NO_COLOR")
    project.run("--offline", "--dry-run")
    assert "\033[" in capsys.readouterr().out


def _serve_example(project: Project) -> Any:
    catalog = (project.cache / "openrouter.json").read_bytes()
    return serve({"/api/v1/models": (200, {}, catalog), "/api/v1/embeddings/models": (200, {}, b'{"data": []}')})


def test_progress_per_provider_on_a_tty(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    with _serve_example(project) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "--dry-run") == 0
    err = capsys.readouterr().err.splitlines()
    models = len(json.loads((project.cache / "openrouter.json").read_text())["data"])
    assert err[0] == "openrouter: fetching…"
    assert re.fullmatch(rf"openrouter: fetched, {models} models, [0-9.]+ KB in [0-9.]+ s", err[1]), err


def test_no_progress_when_quiet_or_not_a_tty(
    project: Project, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    with _serve_example(project) as base:
        project.providers.write_text(project.providers.read_text().replace("https://openrouter.ai", base))
        assert project.run("--refresh", "--dry-run") == 0
        assert "fetching" not in capsys.readouterr().err
        monkeypatch.setattr("sys.stderr.isatty", lambda: True)
        assert project.run("--refresh", "--dry-run", "-q") == 0
        assert capsys.readouterr().err == ""


def test_a_reason_held_for_many_models_is_said_once_for_its_provider() -> None:
    from modelsync.model.guards import Held
    from modelsync.outputs.report import Report

    mass = "3 of 4 selected openrouter models would go (over 25%)"
    held = [Held("openrouter", (f"m{i}", f"openrouter/m{i}", ""), mass) for i in range(3)]
    held.append(Held("openrouter", ("x", "openrouter/x", ""), "input cost would move 20.0× (1e-06 → 2e-05)"))
    report = Report(held=held, after=4, before=4)
    text, markdown = formats.text(report), formats.markdown(report)
    assert text.count(mass) == 1 and markdown.count(mass) == 1
    assert "  ! openrouter: 3 of 4 selected openrouter models would go (over 25%):\n      m0 (openrouter/m0)\n" in text
    assert "| openrouter | <details><summary>3 deployments</summary>`m0 (openrouter/m0)`, " in markdown
    assert "| openrouter | `x (openrouter/x)` | input cost would move 20.0×" in markdown


def test_a_report_longer_than_a_pull_request_body_says_so_at_the_top() -> None:
    from modelsync.outputs.report import ModelChange, Report

    many = [ModelChange("+", (f"vendor/model-{i:04d}-" + "x" * 80, f"openrouter/m{i}", "")) for i in range(800)]
    body = formats.markdown(Report(groups={"openrouter": many}, after=800, before=0))
    assert len(body) > formats.PR_BODY_LIMIT
    assert body.splitlines()[2].startswith("> This report is ") and "job summary has it whole" in body[:400]
    short = formats.markdown(Report(groups={"openrouter": many[:10]}, after=10, before=0))
    assert "This report is" not in short
