"""`add PROVIDER:ID [--name NAME]`: add a model to overrides.yaml from the terminal.

The id is checked against the cached catalog; the model is appended to the `models:` list as a
text edit, so every comment and the order of the file stay as the user wrote them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import ExitCode, InputError
from ..files import write_atomic
from ..merge import missing_model_hint
from ..overrides import ModelRef, Overrides
from ..paths import Paths
from ..pipeline import Options, Result, load_inputs, run
from ..render import scalar
from ..schema import SAFE_LOADER, explain
from ..sources.store import Store
from . import Commands, command, path_options, paths_of, volume_options

MODELS_KEY = re.compile(r"^models:[ \t]*(?P<flow>\[[ \t]*\])?[ \t]*(#.*)?$")
ITEM = re.compile(r"^(?P<indent>[ \t]*)- ")


def register(commands: Commands) -> None:
    p = command(
        commands,
        "add",
        "add a model to overrides.yaml and regenerate config.yaml",
        "openrouter:google/gemini-2.5-flash --name gemini-2.5-flash",
        "Add a model to overrides.yaml (checked against the cached catalog, comments and order kept), "
        "regenerate config.yaml offline and show the change.",
    )
    p.add_argument("model", metavar="PROVIDER:ID", help="like openrouter:anthropic/claude-haiku-4.5")
    p.add_argument("--name", help="its model_name; equal names form one load-balanced group")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .. import formats
    from ..output import shown

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
    ref = _checked(paths, model, name)
    old_text = paths.overrides.read_text(encoding="utf-8")
    new_text = append_model(old_text, ref)
    try:
        Overrides.model_validate(yaml.load(new_text, Loader=SAFE_LOADER))
    except ValidationError as exc:
        raise explain(exc, paths.overrides, Overrides) from None
    if dry_run:
        trial = paths.overrides.with_name(f".{paths.overrides.name}.add-preview")
        try:
            trial.write_text(new_text, encoding="utf-8")
            return run(
                Paths(paths.config, trial, paths.providers, paths.cache_dir, paths.templates),
                Options(offline=True, dry_run=True),
            )
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
        raise InputError(
            f"add {model}: {exc.errors()[0]['msg'].removeprefix('Value error, ')}",
            "write it as provider:model-id, like openrouter:openai/gpt-4o",
        ) from None
    inputs = load_inputs(paths)
    provider = inputs.providers.get(ref.provider)
    if provider is None:
        raise InputError(
            f"add {model}: unknown provider {ref.provider!r}", f"known providers: {', '.join(sorted(inputs.providers))}"
        )
    offers = Store(paths.cache_dir).catalog(provider).by_id()
    if ref.model_id not in offers:
        raise InputError(
            f"add {model}: {ref.model_id} is not in the cached {provider.name} catalog",
            missing_model_hint(ref.model_id, ref.provider, offers),
        )
    for index, existing in enumerate(inputs.overrides.models):
        if existing.id == ref.id and existing.name == ref.name:
            raise InputError(
                f"add {model}: already in {paths.overrides} as models[{index}]",
                "give it another --name to add a second deployment of it",
            )
    return ref


def append_model(text: str, ref: ModelRef) -> str:
    """overrides.yaml's text with the model appended to `models:`, everything else untouched."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    start = next((i for i, line in enumerate(lines) if MODELS_KEY.match(line.rstrip("\n"))), None)
    if start is None:
        return "".join(lines) + ("\n" if lines and lines[-1].strip() else "") + "models:\n" + _item(ref, "  ")
    if MODELS_KEY.match(lines[start].rstrip("\n")).group("flow"):  # type: ignore[union-attr]
        lines[start] = "models:\n"
        return "".join(lines[: start + 1]) + _item(ref, "  ") + "".join(lines[start + 1 :])
    end, indent = start + 1, None
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next top-level key
        match = ITEM.match(line)
        indent = match.group("indent") if match and indent is None else indent
        end = i + 1
    return "".join(lines[:end]) + _item(ref, indent if indent is not None else "  ") + "".join(lines[end:])


def _item(ref: ModelRef, indent: str) -> str:
    if ref.name is None:
        return f"{indent}- {scalar(ref.id)}\n"
    return f"{indent}- id: {scalar(ref.id)}\n{indent}  name: {scalar(ref.name)}\n"
