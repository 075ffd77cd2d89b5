"""`remove PROVIDER:ID | NAME`: undo `add`, keeping every comment and the order of overrides.yaml.

`PROVIDER:ID` removes every `models:` entry of that model (`--name` picks one of them); a bare
name removes every deployment of that group: the `models:` entries whose model_name it is (given
or from the provider's naming rule) and the hand-written `entries:` of that model_name.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from ..errors import ExitCode, InputError
from ..output import shown
from ..overrides import Overrides
from ..paths import Paths
from ..pipeline import Inputs, Result, load_inputs
from ..sources.providers import apply_name_rule
from . import Commands, command, path_options, paths_of, volume_options
from .add import expect_edit, read_overrides, regenerate_with


def register(commands: Commands) -> None:
    p = command(
        commands,
        "remove",
        "remove a model or a whole group from overrides.yaml and regenerate config.yaml",
        "openrouter:google/gemini-2.5-flash",
        "Remove a model from overrides.yaml: PROVIDER:ID removes every models: entry of that model (--name "
        "picks one); a bare NAME removes every deployment of that model_name, from models: and entries:. "
        "Comments and the order of the file stay; config.yaml is regenerated offline and the change shown.",
    )
    p.add_argument("target", metavar="PROVIDER:ID|NAME", help="like openrouter:anthropic/claude-haiku-4.5, or a group")
    p.add_argument("--name", help="with PROVIDER:ID: only the entry of this model_name")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .. import formats

    paths = paths_of(args, home)
    removed, result = remove(paths, args.target, args.name, args.dry_run)
    if not args.quiet:
        if result.report is not None:
            sys.stdout.write(formats.text(result.report))
        verb = "would remove" if args.dry_run else "removed"
        print(
            f"{verb} {', '.join(removed)} from {shown(paths.overrides)}; {shown(paths.config)} "
            f"{'would be' if args.dry_run else 'is'} updated ({len(result.merged.deployments)} deployments)"
        )
    return ExitCode.HELD if result.held and not args.dry_run else ExitCode.OK  # a dry run writes nothing


def remove(paths: Paths, target: str, name: str | None, dry_run: bool) -> tuple[list[str], Result]:
    """Drop the matching items from overrides.yaml (unless dry_run) and regenerate; say which went."""
    from ..overrides_edit import remove_items

    inputs = load_inputs(paths)
    models, entries = _matches(inputs, target, name)
    if not models and not entries:
        raise InputError(f"remove {target}: {shown(paths.overrides)} has no such model", _hint(inputs, target, name))
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
    return removed, regenerate_with(paths, old_text, new_text, dry_run)


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
