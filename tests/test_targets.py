"""The pipeline drives any `Target`: a whole generate through one that holds its deployment in memory."""

from __future__ import annotations

import pytest
import yaml

from modelsync.pipeline import Options, run
from tests.helpers import MemoryTarget, Project, openrouter_entry

MODELS = [f"vendor/model-{i}" for i in range(4)]


def _catalog(project: Project, ids: list[str], price: str = "0.000001") -> None:
    entries = [openrouter_entry(i, prompt=price) for i in ids]
    project.use_catalog("openrouter", {"data": entries})
    project.use_catalog("openrouter.embeddings", {"data": []})


@pytest.fixture
def named(project: Project) -> Project:
    project.write_overrides({"models": [f"openrouter:{m}" for m in MODELS]})
    _catalog(project, MODELS)
    project.config.unlink()
    return project


def _routes(text: str) -> list[str]:
    return [d["litellm_params"]["model"] for d in yaml.safe_load(text)["model_list"]]


def test_a_whole_generate_goes_through_a_target_that_is_no_file(named: Project) -> None:
    memory = MemoryTarget()
    first = run(named.paths, Options(offline=True), target=memory)
    assert first.changed and memory.current().rendered == first.text
    assert not named.config.exists(), "the config file target was never asked"
    assert first.report is not None and first.report.counts()["added"] == len(MODELS)
    assert run(named.paths, Options(offline=True)).text == first.text, "the file target renders the same"
    again = run(named.paths, Options(offline=True), target=memory)
    assert not again.changed and again.report is None


def test_the_report_and_retirements_compare_against_what_the_target_holds(named: Project) -> None:
    memory = MemoryTarget()
    run(named.paths, Options(offline=True), target=memory)
    _catalog(named, MODELS[1:], price="0.0000012")  # model-0 dropped, every input price up 20%
    result = run(named.paths, Options(offline=True), target=memory)
    assert [item.id for item in result.merged.retired] == ["openrouter:vendor/model-0"]
    assert result.report is not None and result.report.counts() == {"added": 0, "removed": 1, "changed": 3}
    assert "openrouter/vendor/model-0" not in _routes(memory.current().rendered or "")
    assert memory.current().retired_ids == {"openrouter:vendor/model-0"}
    # Next week, still dropped and still named: the target remembers it retired, so no typo error.
    assert not run(named.paths, Options(offline=True), target=memory).changed
