"""`remove PROVIDER:ID` of one member of a bare-id group: no entry of its own to delete, so say
which `exclude:` drops that provider from the group instead of "no such model"."""

from __future__ import annotations

from ..core.errors import GenerateError, InputError
from ..core.output import shown
from ..core.paths import Paths
from ..model.groups import Group, resolve
from ..pipeline import Inputs, load_catalogs
from ..sources.driver import Sources


def member_error(paths: Paths, inputs: Inputs, target: str) -> InputError | None:
    """The error for removing one group member, with the exclude: to write; None when it is no member."""
    provider, _, model_id = target.partition(":")
    group = _group_with(paths, inputs, (provider, model_id)) if model_id else None
    if group is None:
        return None
    excluded = [*group.ref.exclude, provider]
    return InputError(
        f"remove {target}: {shown(paths.overrides)} names no such entry; {target} is {provider}'s member of the "
        f"group {group.name} (models[{group.index}]: {group.ref.id}, a bare id on every provider that sells it)",
        f"to drop only {provider}'s member, write `exclude: [{', '.join(excluded)}]` in that entry; to drop the "
        f"whole group, `python generate.py remove {group.name}`",
    )


def _group_with(paths: Paths, inputs: Inputs, member: tuple[str, str]) -> Group | None:
    try:
        groups = resolve(inputs.overrides, load_catalogs(inputs, Sources(paths.cache_dir).store)).groups
    except GenerateError:  # a catalog missing or a group sold nowhere: no member to name
        return None
    return next((group for group in groups if member in group.members), None)
