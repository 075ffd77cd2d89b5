"""The previous config.yaml as data, parsing only the deployments the new render does not repeat.

A changed check or run reads the old config.yaml for the guards and the report. Parsing a
1,000-deployment file with PyYAML takes longer than the rest of the report (most of it is
building Python objects, not the C parser), yet most deployments are byte for byte the blocks
the new render has just written, whose data is known. So each such block is replaced by a
one-line placeholder, the much smaller rest is parsed, and each placeholder becomes its
deployment's data. The parse of the rest decides whether the swap holds: a placeholder must come
back as an item of `model_list` and nowhere else (not inside a block scalar a hand edit left
open, say), every one of them, or the whole file is parsed as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import yaml

from ..core.schema import SAFE_LOADER

if TYPE_CHECKING:
    from ..model.deployment import Deployment

ITEM = "  - model_name: "  # how the template starts each deployment of model_list
MARK = "\0modelsync-same"  # a key no config holds: written as "\0modelsync-same" in YAML


def old_config(old: str, new: str, deployments: Sequence[Deployment]) -> dict[str, Any] | None:
    """`old` parsed, faster where it repeats the blocks `new` rendered from `deployments`; None
    when that does not hold (then the caller parses `old` whole, as before)."""
    blocks = _blocks(new)
    if len(blocks) != len(deployments):
        return None
    index = {text: i for i, text in enumerate(blocks)}
    lines = old.splitlines(keepends=True)
    kept, swapped, at = [], 0, 0
    while at < len(lines):
        end = _block_end(lines, at) if lines[at].startswith(ITEM) else at + 1
        found = index.get("".join(lines[at:end])) if lines[at].startswith(ITEM) else None
        kept.append("".join(lines[at:end]) if found is None else f'  - {{"\\0modelsync-same": {found}}}\n')
        swapped += found is not None
        at = end
    config = _parse("".join(kept))
    items = config.get("model_list")
    if not swapped or not isinstance(items, list) or not _swap(items, deployments, swapped):
        return None
    return config


def _parse(text: str) -> dict[str, Any]:
    try:
        loaded = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _blocks(text: str) -> list[str]:
    """Each deployment's block of `text`, as the template writes them."""
    lines = text.splitlines(keepends=True)
    found, at = [], 0
    while at < len(lines):
        end = _block_end(lines, at) if lines[at].startswith(ITEM) else at + 1
        if lines[at].startswith(ITEM):
            found.append("".join(lines[at:end]))
        at = end
    return found


def _block_end(lines: list[str], start: int) -> int:
    """Past the last line of the block starting at `start`: its lines are indented under the item."""
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    return end


def _swap(items: list[Any], deployments: Sequence[Deployment], expected: int) -> bool:
    """Put each deployment's data where its placeholder came back; False unless all of them did."""
    done = 0
    for position, item in enumerate(items):
        if isinstance(item, dict) and len(item) == 1 and isinstance(item.get(MARK), int):
            items[position] = _copy(deployments[item[MARK]])
            done += 1
    return done == expected


def _copy(deployment: Deployment) -> dict[str, Any]:
    """The deployment's data in dicts of its own, as a parse would give: the guards may keep them."""
    body = deployment.as_dict()
    return {key: dict(value) if isinstance(value, dict) else value for key, value in body.items()}
