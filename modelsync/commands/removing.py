"""`remove`: drop items from overrides.yaml in place, prove the edit, and regenerate config.yaml."""

from __future__ import annotations

import difflib
import shlex
from fnmatch import fnmatchcase
from typing import Any

from ..core.errors import InputError
from ..core.output import quietly, shown
from ..core.paths import Paths
from ..model.overrides import Overrides
from ..pipeline import Inputs, Result, load_inputs
from ..sources.providers import apply_name_rule
from .editing import expect_edit, read_overrides, regenerate_with
from .group_member import member_error


def remove(paths: Paths, targets: list[str], name: str | None, dry_run: bool) -> tuple[list[str], Result]:
    """Drop the matching items from overrides.yaml (unless dry_run) and regenerate; say which went.

    Several targets go in one edit: two retired models may each stop the run the other's removal makes.
    """
    from .overrides_edit import remove_items

    with quietly():  # not a word on the line being deleted: the run after the edit warns about what stays
        inputs = load_inputs(paths)
    models: list[int] = []
    entries: list[int] = []
    for target in targets:
        found_models, found_entries = _matches(inputs, target, name)
        if not found_models and not found_entries:
            raise member_error(paths, inputs, target) or InputError(
                f"remove {target}: {shown(paths.overrides)} has no such model", _hint(inputs, target, name)
            )
        models += [i for i in found_models if i not in models]
        entries += [i for i in found_entries if i not in entries]
    models.sort()
    entries.sort()
    old_text = read_overrides(paths)
    new_text = old_text
    for section, indexes in (("models", models), ("entries", entries)):
        if indexes:
            new_text = remove_items(new_text, paths.overrides, section, indexes)

    def change(data: dict[str, Any]) -> None:
        for section, indexes in (("models", models), ("entries", entries)):
            if indexes:
                data[section] = [item for i, item in enumerate(data[section]) if i not in indexes]

    expect_edit(old_text, new_text, change)
    overrides = inputs.overrides
    removed = [_label(overrides.models[i].id, overrides.models[i].name) for i in models]
    removed += [_label(f"entries[{i}]", overrides.entries[i].model_name) for i in entries]
    try:
        return removed, regenerate_with(paths, old_text, new_text, dry_run)
    except InputError as exc:  # the edit was undone: another entry stops the run as well
        together = " ".join(shlex.quote(t) for t in targets)
        raise InputError(
            f"{exc.what} (so nothing was removed)",
            f"{exc.fix}; if that entry must go too, remove them together: "
            f"`python generate.py remove {together} <that entry>`",
            exc.loc,
        ) from None


def _label(what: str, name: str | None) -> str:
    return f"{what} (as {name})" if name else what


def _matches(inputs: Inputs, target: str, name: str | None) -> tuple[list[int], list[int]]:
    """The indexes of the models: and entries: items `target` (and `name`) means."""
    overrides = inputs.overrides
    if ":" in target:
        models = [i for i, ref in enumerate(overrides.models) if ref.id == target and name in (None, ref.name)]
        return models, []
    if name is not None:
        raise InputError(
            f"remove {target} --name {name}: --name picks one entry of a PROVIDER:ID",
            f"drop --name to remove every deployment named {target}",
        )
    names = _model_names(inputs, overrides)
    models = [i for i, model_name in enumerate(names) if target in (model_name, overrides.models[i].id)]
    entries = [i for i, entry in enumerate(overrides.entries) if entry.model_name == target]
    return models, entries


def _model_names(inputs: Inputs, overrides: Overrides) -> list[str]:
    """Each models: entry's model_name: its own, or its provider's naming rule applied."""
    names = []
    for ref in overrides.models:
        if ref.is_group:  # a bare id's group is named by its name, else the id
            names.append(ref.group_name)
            continue
        selection = overrides.providers.get(ref.provider)
        provider = inputs.providers.get(ref.provider)
        if provider is None:  # an id that names no one provider: its own name, or the id
            names.append(ref.name or ref.id)
            continue
        rule = (selection.name if selection else None) or provider.model_name
        names.append(ref.name or apply_name_rule(rule, provider.name, ref.model_id))
    return names


def _hint(inputs: Inputs, target: str, name: str | None) -> str:
    """Where the model comes from if not from models:, or what the user may have meant."""
    overrides = inputs.overrides
    provider, _, model_id = target.partition(":")
    selection = overrides.providers.get(provider) if model_id else None
    if selection is not None:
        included = [p for p in selection.include if fnmatchcase(model_id, p)]
        if included and not any(fnmatchcase(model_id, p) for p in selection.exclude):
            return (
                f"it is selected by providers.{provider}.include {included[0]!r}: add {model_id!r} "
                f"to providers.{provider}.exclude to drop it"
            )
    if name is not None and any(ref.id == target for ref in overrides.models):
        names = sorted({str(ref.name) for ref in overrides.models if ref.id == target})
        return f"{target} is there under the names {', '.join(names)}"
    known = [ref.id for ref in overrides.models] + _model_names(inputs, overrides)
    known += [entry.model_name for entry in overrides.entries]
    close = difflib.get_close_matches(target, sorted(set(known)), n=3)
    return f"close matches: {', '.join(close)}" if close else "see what is there with `list PROVIDER` or in the file"
