"""A year of weekly refreshes on real OpenRouter catalogs never stops the job.

About sixty models are named one by one (`generate.py add`) against the oldest saved catalog;
then the catalog served on 127.0.0.1 moves through each later date, and a refresh runs as the
weekly job would. Every step exits 0 or 4 (the shrink guard held a mass retirement for review),
names every retired model, and leaves a config.yaml that `--check` accepts. Where a step was held,
a reviewer then takes it with `--accept-held`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.helpers import ROOT, Project, make_project, real_catalog, serve

DATES = ("2025-05-23", "2026-03-10", "2026-05-22", "2026-08-19")
SCHEMA = json.loads((ROOT / "report.schema.json").read_text())


def _ids(date: str) -> dict[str, Any]:
    return {m["id"]: m for m in json.loads(real_catalog(f"openrouter/{date}.json").read_text())["data"]}


def _choose(catalogs: dict[str, dict[str, Any]]) -> list[str]:
    """About sixty usable models of the oldest date, spread over when (if ever) they vanish."""
    first = catalogs[DATES[0]]
    usable = sorted(
        i
        for i, m in first.items()
        if not i.startswith("~") and m["pricing"].get("prompt") not in ("-1", None) and "/auto" not in i
    )
    by_fate: dict[tuple[bool, ...], list[str]] = {}
    for model_id in usable:
        by_fate.setdefault(tuple(model_id in catalogs[d] for d in DATES[1:]), []).append(model_id)
    wanted = {(False, False, False): 20, (True, False, False): 10, (True, True, False): 10, (True, True, True): 20}
    chosen = []
    for fate, count in wanted.items():
        pool = by_fate[fate]
        chosen += pool[:: max(1, len(pool) // count)][:count]
    return chosen


def _report(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = project.run("--report", "json", *args)
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    return code, document


def _routes(project: Project) -> set[str]:
    return {d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"]}


def test_a_year_of_weekly_refreshes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    catalogs = {date: _ids(date) for date in DATES}
    chosen = _choose(catalogs)
    assert 55 <= len(chosen) <= 65
    project = make_project(tmp_path)
    project.config.unlink()
    project.write_overrides("# one model at a time, as a user adopts the tool\nmodels: []\n")
    project.use_catalog("openrouter", real_catalog(f"openrouter/{DATES[0]}.json"))
    project.use_catalog("openrouter.embeddings", {"data": []})
    for model_id in chosen:
        assert project.run("add", f"openrouter:{model_id}", "-q") == 0, model_id
    assert _routes(project) == {f"openrouter/{m}" for m in chosen}

    served: dict[str, Any] = {}
    routes = {
        "/models": lambda _: (200, {"Content-Type": "application/json"}, served["body"]),
        "/embeddings": (200, {"Content-Type": "application/json"}, b'{"data": []}'),
    }
    steps = []
    with serve(routes) as base:
        providers = yaml.safe_load(project.providers.read_text())
        providers["openrouter"].update(catalog_url=f"{base}/models", embeddings_url=f"{base}/embeddings")
        project.providers.write_text(yaml.safe_dump(providers))
        for date in DATES[1:]:
            served["body"] = real_catalog(f"openrouter/{date}.json").read_bytes()
            before = _routes(project)
            code, report = _report(project, capsys, "--refresh")
            gone = {m for m in chosen if m not in catalogs[date]}
            assert code in (0, 4), (date, code)
            named = report["retired"] + report["held_retired"]  # held: still served until --accept-held
            assert {r["id"] for r in named} == {f"openrouter:{m}" for m in gone}, date
            assert all(r["overrides_line"] and r["delete"] == f"- openrouter:{r['id'].split(':', 1)[1]}" for r in named)
            assert project.run("--check", "-q") == 0, date
            held = {h["model"] for h in report["held"]}
            assert not {f"openrouter/{m}" for m in gone} & _routes(project) - held, "a retired model left unless held"
            if code == 4:
                assert project.run("--offline", "--accept-held", "-q") == 0 and project.run("--check", "-q") == 0
            assert _routes(project) == {f"openrouter/{m}" for m in chosen if m in catalogs[date]}
            steps.append((date, code, len(gone & {r.removeprefix("openrouter/") for r in before}), len(gone)))
    # A year on: the job never died, and every retirement was named.
    assert [code for _, code, _, _ in steps] == [4, 0, 4]
    assert [newly for _, _, newly, _ in steps] == [20, 10, 10]
