"""The shrink guard's edge: losing exactly its share (25%) passes; a model more is held.

Its own catalogs, so it needs no ../shared; each run is `python generate.py` in a child process.
"""

from __future__ import annotations

import pytest
import yaml

from tests.helpers import Project, openrouter_entry


def _selected(count: int) -> list[dict[str, object]]:
    return [openrouter_entry(f"vendor/model-{i}") for i in range(count)]


def _deployed(project: Project) -> int:
    return len(yaml.safe_load(project.config.read_text())["model_list"])


@pytest.mark.parametrize(
    ("selected", "dropped", "code"),
    [
        (4, 1, 0),  # exactly 25%: not over the limit, written
        (8, 2, 0),
        (7, 2, 4),  # 28.6%: held
        (3, 1, 4),
    ],
)
def test_a_catalog_may_lose_exactly_its_share_and_no_more(
    project: Project, selected: int, dropped: int, code: int
) -> None:
    project.write_overrides({"providers": {"openrouter": {"include": ["vendor/*"]}}})
    project.use_catalog("openrouter", {"data": _selected(selected)})
    project.use_catalog("openrouter.embeddings", {"data": []})
    first = project.cli("--offline", "-q")
    assert first.returncode == 0 and _deployed(project) == selected, first.stderr
    project.use_catalog("openrouter", {"data": _selected(selected - dropped)})
    done = project.cli("--offline")
    assert done.returncode == code, done.stdout + done.stderr
    held = f"{dropped} of {selected} selected openrouter models would go (over 25%)"
    assert (held in done.stdout) == (code == 4), done.stdout
    assert _deployed(project) == (selected if code == 4 else selected - dropped)
