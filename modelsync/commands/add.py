"""`add PROVIDER:ID [--name NAME]`: add a model to overrides.yaml from the terminal.

The id is checked against the cached catalog; the model is appended to the `models:` list in
place (overrides_edit.py), so every comment, the order and the line endings of the file stay as
the user wrote them.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import ExitCode, InputError
from ..files import write_atomic
from ..merge import missing_model_hint
from ..output import shown
from ..overrides import ModelRef, Overrides
from ..paths import Paths
from ..pipeline import Options, Result, load_inputs, run
from ..schema import SAFE_LOADER, explain, problem
from ..sources.providers import Provider
from ..sources.store import Store
from ..yamlfile import parse_yaml
from . import Commands, command, path_options, paths_of, volume_options

log = logging.getLogger("modelsync")


def register(commands: Commands) -> None:
    p = command(
        commands,
        "add",
        "add a model to overrides.yaml and regenerate config.yaml",
        "openrouter:google/gemini-2.5-flash --name gemini-2.5-flash",
        "Add a model to overrides.yaml (checked against the cached catalog, comments and order kept), "
        "regenerate config.yaml offline and show the change.",
    )
    p.add_argument(
        "model",
        metavar="PROVIDER:ID",
        help="like openrouter:anthropic/claude-haiku-4.5; or a bare id, like claude-haiku-4.5, "
        "for every provider in use that sells it",
    )
    p.add_argument("--name", help="its model_name; equal names form one load-balanced group")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .. import formats

    paths = paths_of(args, home)
    result = add_model(paths, args.model, args.name, args.dry_run)
    if not args.quiet:
        if result.report is not None:
            sys.stdout.write(formats.text(result.report))
        verb = "would add" if args.dry_run else "added"
        print(
            f"{verb} {args.model} to {shown(paths.overrides)}; {shown(paths.config)} "
            f"{'would be' if args.dry_run else 'is'} updated ({len(result.merged.deployments)} deployments)"
        )
    return ExitCode.HELD if result.held and not args.dry_run else ExitCode.OK  # a dry run writes nothing


def add_model(paths: Paths, model: str, name: str | None, dry_run: bool) -> Result:
    """Append the model to overrides.yaml (unless dry_run) and regenerate; return what changed."""
    from ..overrides_edit import append_item

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
    offers = Store(paths.cache_dir).catalog(provider).by_id()
    if ref.model_id not in offers:
        raise InputError(
            f"add {model}: {ref.model_id} is not in the cached {provider.name} catalog",
            missing_model_hint(ref.model_id, ref.provider, offers),
        )
