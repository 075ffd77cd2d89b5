"""`add` and `remove`: edit overrides.yaml in place, prove the edit, and regenerate config.yaml.

The edit itself keeps every comment, the order and the line endings (overrides_edit.py, ruamel);
here it is checked (the id is in the cached catalog, the file says after the edit exactly what
was asked and nothing else, overrides.yaml still validates) and config.yaml is regenerated
offline. The edit goes with a regeneration that fails.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
from collections.abc import Callable
from fnmatch import fnmatchcase
from typing import Any

import yaml
from pydantic import ValidationError

from ..core.errors import InputError
from ..core.files import write_atomic
from ..core.output import shown
from ..core.paths import Paths
from ..core.schema import SAFE_LOADER, explain, problem
from ..core.yamlfile import parse_yaml
from ..model.merge import missing_model_hint
from ..model.overrides import ModelRef, Overrides
from ..pipeline import Inputs, Options, Result, load_inputs, run
from ..sources.driver import Sources
from ..sources.providers import Provider, apply_name_rule

log = logging.getLogger("modelsync")


def add_model(paths: Paths, model: str, name: str | None, dry_run: bool) -> Result:
    """Append the model to overrides.yaml (unless dry_run) and regenerate; return what changed."""
    from .overrides_edit import append_item

    ref = _checked(paths, model, name)
    item: str | dict[str, str] = ref.id if ref.name is None else {"id": ref.id, "name": ref.name}
    old_text = read_overrides(paths)
    new_text = append_item(old_text, paths.overrides, "models", item)
    expect_edit(old_text, new_text, lambda data: data.__setitem__("models", [*(data.get("models") or []), item]))
    return regenerate_with(paths, old_text, new_text, dry_run)


def read_overrides(paths: Paths) -> str:
    with paths.overrides.open(encoding="utf-8", newline="") as file:  # CRLF stays CRLF
        return file.read()


def expect_edit(old_text: str, new_text: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Prove the edit did what was asked and nothing else, before anything is written."""
    expected = yaml.load(old_text, Loader=SAFE_LOADER) or {}
    change(expected)
    if yaml.load(new_text, Loader=SAFE_LOADER) != expected:  # a bug of ours, never the user's
        raise RuntimeError("the edit of overrides.yaml would change more than asked; nothing was written")


def regenerate_with(paths: Paths, old_text: str, new_text: str, dry_run: bool) -> Result:
    """Regenerate config.yaml offline from the edited overrides.yaml: for real, or on a preview copy."""
    try:
        Overrides.model_validate(parse_yaml(new_text, paths.overrides) or {})
    except ValidationError as exc:
        raise explain(exc, paths.overrides, Overrides) from None
    if paths.config.exists() and run(paths, Options(check=True)).changed:  # so a hand edit is not lost unseen
        config, overrides = shown(paths.config), shown(paths.overrides)
        kept = "before you run this for real" if dry_run else f"({config}.bak keeps the old file)"
        log.warning(
            "%s was not what %s rendered before this edit (a hand edit, or an edit not yet generated): "
            "the report shows those changes too — move hand edits into %s %s",
            *(config, overrides, overrides, kept),
        )
    if dry_run:
        trial = paths.overrides.with_name(f".{paths.overrides.name}.preview")
        try:
            write_atomic(trial, new_text)
            return run(dataclasses.replace(paths, overrides=trial), Options(offline=True, dry_run=True))
        finally:
            trial.unlink(missing_ok=True)
    write_atomic(paths.overrides, new_text)
    try:
        return run(paths, Options(offline=True))
    except BaseException:
        write_atomic(paths.overrides, old_text)  # the edit goes with the run that failed
        raise


def _checked(paths: Paths, model: str, name: str | None) -> ModelRef:
    """The new reference, once the provider, the id and its novelty are known good."""
    try:
        ref = ModelRef(id=model, name=name)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "id"
        what, fix = problem(exc)
        if field != "id":
            raise InputError(
                f"add {model}: --{field} {what}", fix or f"give --{field} a value, or leave it out"
            ) from None
        raise InputError(
            f"add {model}: {what}", fix or "write it as provider:model-id, like openrouter:openai/gpt-4o"
        ) from None
    inputs = load_inputs(paths)
    if not ref.is_group:  # a bare id is checked by the run that follows: it must be sold somewhere
        _check_in_catalog(paths, inputs.providers, ref, model)
    for index, existing in enumerate(inputs.overrides.models):
        if existing.id == ref.id and existing.name == ref.name:
            raise InputError(
                f"add {model}: already in {paths.overrides} as models[{index}]",
                "give it another --name to add a second deployment of it",
            )
    return ref


def _check_in_catalog(paths: Paths, providers: dict[str, Provider], ref: ModelRef, model: str) -> None:
    provider = providers.get(ref.provider)
    if provider is None:
        raise InputError(
            f"add {model}: unknown provider {ref.provider!r}", f"known providers: {', '.join(sorted(providers))}"
        )
    offers = Sources(paths.cache_dir).store.catalog(provider).by_id()
    if ref.model_id not in offers:
        raise InputError(
            f"add {model}: {ref.model_id} is not in the cached {provider.name} catalog",
            missing_model_hint(ref.model_id, ref.provider, offers),
        )


def remove(paths: Paths, target: str, name: str | None, dry_run: bool) -> tuple[list[str], Result]:
    """Drop the matching items from overrides.yaml (unless dry_run) and regenerate; say which went."""
    from .overrides_edit import remove_items

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
