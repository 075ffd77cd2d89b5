"""Reading a user's YAML: syntax errors and repeated keys as `file:line` sentences, lines for paths.

PyYAML keeps the last of two equal keys without a word, so a second `models:` silently drops
the first one's models. Our loader refuses that. It is libyaml's loader when PyYAML has it
(the check costs one set per mapping, so `--check` stays fast).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

# libyaml's safe loader when PyYAML has it: the same documents, several times faster.
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MERGE_TAG = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice."""


class UniqueKeyLoader(SAFE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, refusing a mapping that repeats a key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == MERGE_TAG:  # `<<: *defaults` is meant to be overridden
                continue
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node)
            except TypeError:  # an unhashable key: the base constructor says so
                break
            if first is not key_node:
                raise DuplicateKeyError(
                    problem=f"duplicate key {key!r} (first at line {first.start_mark.line + 1})",
                    problem_mark=key_node.start_mark,
                )
        return super().construct_mapping(node, deep)  # type: ignore[no-any-return]


# What to do about a missing file, where a plain "create it" is not the best advice.
MISSING = {
    "overrides": "`python generate.py import config.yaml` adopts a config you keep by hand, `python generate.py "
    "init` writes a new project's; or point --overrides at yours",
}


def load_yaml(path: Path, what: str) -> Any:
    """Parse a user's YAML file, turning syntax errors and repeated keys into `file:line:column` sentences."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"{path} does not exist", MISSING.get(what, f"create it, or point --{what} at yours")
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text", "save it as UTF-8") from None
    return parse_yaml(text, path)


def parse_yaml(text: str, path: Path) -> Any:
    """`text` (the content of `path`) as data; the errors of load_yaml."""
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        raise InputError(
            f"{path}:{mark.line + 1}:{mark.column + 1}: {exc.problem}" if mark else f"{path}: {exc.problem}",
            "keep one of them: YAML would silently drop the first, and everything under it",
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark:  # where the unclosed thing began helps most
            problem += f" ({exc.context} that began at line {exc.context_mark.line + 1})"
        raise InputError(f"{where}: YAML syntax error: {problem}", "fix the YAML at that place") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML error: {exc}", "fix the file") from None


def line_of(path: Path, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the YAML node at `loc` (a pydantic location) in `path`; None if unknown.

    Parts the file does not hold (a union's label, a key pydantic added) are passed over, so the
    answer is the deepest node the file has on that path. Only errors pay for this second parse.
    """
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line = int(node.start_mark.line)
    for part in loc:
        found = _child(node, part)
        if found is not None:
            node, line = found
    return line + 1


def _child(node: yaml.Node, part: Any) -> tuple[yaml.Node, int] | None:
    """The node below `node` at `part`, and the line that names it (the key's, or the item's)."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                return value_node, int(key_node.start_mark.line)
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, int(item.start_mark.line)
    return None
