"""The old config.yaml read by swapping in the blocks the new render repeats gives what a full parse gives.

Whatever a hand edit did to the old file: a comment between deployments, a value changed, a
block scalar left open that swallows the rest, a file that is no YAML, CRLF line endings.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from modelsync.outputs.reparse import old_config
from modelsync.pipeline import Options, Result, run
from modelsync.targets.config_file import read_deployed
from tests.helpers import make_project, real_catalog

ITEM = "\n  - model_name: openrouter/"
EDITS: dict[str, Callable[[str], str]] = {
    "as written": lambda text: text,
    "a comment between two deployments": lambda text: text.replace(ITEM, "\n  # mine" + ITEM, 1),
    "a value changed by hand": lambda text: text.replace("max_output_tokens: ", "max_output_tokens: 1", 3),
    "a line added to a deployment": lambda text: text.replace(ITEM, ITEM + "x\n    rpm: 9\n  - model_name: y", 1),
    "a block scalar left open": lambda text: text.replace("\nmodel_list:\n", "\nnote: |\n  x\nmodel_list:\n", 1),
    "model_list made a string": lambda text: text.replace("\nmodel_list:\n", "\nmodel_list: |\n", 1),
    "no YAML": lambda text: text + "\n  - : : [\n",
    "CRLF line endings": lambda text: text.replace("\n", "\r\n"),
    "a deployment twice": lambda text: text.replace(ITEM, ITEM + text.split(ITEM)[1] + ITEM, 1),
    "a deployment under another key": lambda text: text + "fallbacks:" + ITEM + text.split(ITEM)[1] + "\n",
}


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Result]:
    """A config of every OpenRouter model, and a check after a change of overrides that removes some."""
    project = make_project(tmp_path_factory.mktemp("reparse"))
    project.use_catalog("openrouter", real_catalog("openrouter/2026-08-19.json"))
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.write_overrides({"providers": {"openrouter": {"include": ["*"]}}})
    project.config.unlink()  # a new config, not a change of the example's
    assert project.run("--offline", "-q") == 0
    old = project.config.read_text()
    project.write_overrides({"providers": {"openrouter": {"include": ["*"], "exclude": ["openai/*"]}}})
    return old, run(project.paths, Options(check=True))


@pytest.mark.parametrize("edit", EDITS)
def test_the_swap_gives_what_a_full_parse_gives(edit: str, changed: tuple[str, Result]) -> None:
    old, result = changed
    text = EDITS[edit](old)
    full = read_deployed(text).listing
    assert read_deployed(text).rendering(result.text, result.merged.deployments).listing == full


def test_the_swap_is_what_the_guards_and_the_report_then_read(changed: tuple[str, Result]) -> None:
    old, result = changed
    assert len(result.merged.deployments) > 300
    assert old_config(old, result.text, result.merged.deployments) is not None, "the swap holds"
    deployed = read_deployed(old).rendering(result.text, result.merged.deployments)
    assert deployed.model_list is deployed.model_list, "read once: the report does not parse the file again"
