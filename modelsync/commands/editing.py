"""`add` and `remove`: edit overrides.yaml in place, prove the edit, and regenerate config.yaml.

The edit itself keeps every comment, the order and the line endings (overrides_edit.py, ruamel);
here it is checked (the id is in the cached catalog, the file says after the edit exactly what
was asked and nothing else, overrides.yaml still validates) and config.yaml is regenerated
offline. The edit goes with a regeneration that fails.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..core.errors import InputError
from ..core.files import write_atomic
from ..core.output import quietly, shown
from ..core.paths import Paths
from ..core.schema import SAFE_LOADER, explain, problem
from ..core.yamlfile import parse_yaml
from ..model.merge import missing_model_hint
from ..model.overrides import ModelRef, Overrides
from ..outputs.ownership import backup_path
from ..pipeline import Options, Result, load_inputs, run
from ..sources.driver import Sources
from ..sources.providers import Provider
from .adding import Addition, check_sold, deployed_nothing, deploys, item_of, warn_other_model

log = logging.getLogger("modelsync")


def add_model(paths: Paths, addition: Addition, dry_run: bool) -> Result:
    """Append the model to overrides.yaml (unless dry_run) and regenerate; return what changed.

    An add that would deploy nothing (the merge skips the model) is an error, and writes nothing."""
    from .overrides_edit import append_item

    ref = _checked(paths, addition)
    item = item_of(addition.fields())
    old_text = read_overrides(paths)
    new_text = append_item(old_text, paths.overrides, "models", item)
    expect_edit(old_text, new_text, lambda data: data.__setitem__("models", [*(data.get("models") or []), item]))

    def verify(preview: Result) -> None:
        if not deploys(ref, preview):
            raise deployed_nothing(ref, preview)

    return regenerate_with(paths, old_text, new_text, dry_run, verify)


def read_overrides(paths: Paths) -> str:
    with paths.overrides.open(encoding="utf-8", newline="") as file:  # CRLF stays CRLF
        return file.read()


def expect_edit(old_text: str, new_text: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Prove the edit did what was asked and nothing else, before anything is written."""
    expected = yaml.load(old_text, Loader=SAFE_LOADER) or {}
    change(expected)
    if yaml.load(new_text, Loader=SAFE_LOADER) != expected:  # a bug of ours, never the user's
        raise RuntimeError("the edit of overrides.yaml would change more than asked; nothing was written")


def regenerate_with(
    paths: Paths, old_text: str, new_text: str, dry_run: bool, verify: Callable[[Result], None] | None = None
) -> Result:
    """Regenerate config.yaml offline from the edited overrides.yaml: for real, or on a preview copy.

    `verify` sees the preview first and raises when the edit must not be written."""
    try:
        Overrides.model_validate(parse_yaml(new_text, paths.overrides) or {})
    except ValidationError as exc:
        raise explain(exc, paths.overrides, Overrides) from None
    # Quiet before a real run, which says it all again.
    preview = _preview(paths, new_text, quiet=not dry_run) if verify or dry_run else None
    if verify is not None and preview is not None:
        verify(preview)
    if paths.config.exists() and _was_edited(paths):  # so a hand edit is not lost unseen
        config, overrides = shown(paths.config), shown(paths.overrides)
        kept = "before you run this for real" if dry_run else f"({shown(backup_path(paths.config))} keeps the old file)"
        log.warning(
            "%s was not what %s rendered before this edit (a hand edit, or an edit not yet generated): "
            "the report shows those changes too — move hand edits into %s %s",
            *(config, overrides, overrides, kept),
        )
    if preview is not None and dry_run:
        return preview
    write_atomic(paths.overrides, new_text)
    try:
        return run(paths, Options(offline=True, asked_to_empty=True))  # the edit is proven to be only what was asked
    except BaseException:
        write_atomic(paths.overrides, old_text)  # the edit goes with the run that failed
        raise


def _was_edited(paths: Paths) -> bool:
    """Whether config.yaml differs from what overrides.yaml rendered before this edit; False when they cannot render.

    The entry being removed may be what stops the render: the run after the edit judges it.
    """
    try:
        with quietly():  # warnings about the lines being edited: the run after the edit says what still holds
            return run(paths, Options(check=True)).changed
    except InputError:
        return False


def _preview(paths: Paths, new_text: str, quiet: bool = False) -> Result:
    """What config.yaml would become with `new_text` as overrides.yaml; nothing is written."""
    trial = paths.overrides.with_name(f".{paths.overrides.name}.preview")
    named = _NamedAs(trial, paths.overrides)
    try:
        write_atomic(trial, new_text)
        log.addFilter(named)
        with quietly(quiet):
            return run(
                dataclasses.replace(paths, overrides=trial), Options(offline=True, dry_run=True, asked_to_empty=True)
            )
    except InputError as exc:  # about the copy, at a line the real file does not have yet: say so
        at = re.compile(rf"^{re.escape(str(trial))}(:\d+)?: ")
        what = at.sub(f"{shown(paths.overrides)} with this edit (nothing was written): ", exc.what)
        raise InputError(what, exc.fix, exc.loc) from None
    finally:
        log.removeFilter(named)
        trial.unlink(missing_ok=True)


class _NamedAs(logging.Filter):
    """A message about the preview copy names the file the user knows, at the same line."""

    def __init__(self, trial: Path, real: Path) -> None:
        super().__init__()
        self.trial, self.real = str(trial), str(real)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.trial in message:
            record.msg, record.args = message.replace(self.trial, self.real), ()
        return True


OPTION_OF = {"params": "--param", "pin": "--pin", "exclude": "--exclude", "name": "--name"}


def _checked(paths: Paths, addition: Addition) -> ModelRef:
    """The new reference, once the provider, the id and its novelty are known good."""
    model = addition.model
    try:
        ref = ModelRef(**addition.fields())
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "id"
        what, fix = problem(exc)
        option = OPTION_OF.get(field, f"--{field}")
        if field != "id":
            raise InputError(
                f"add {model}: {option} {what}", fix or f"give {option} a value, or leave it out"
            ) from None
        raise InputError(
            f"add {model}: {what}", fix or "write it as provider:model-id, like openrouter:openai/gpt-4o"
        ) from None
    with quietly():  # the run after the edit warns about what stays
        inputs = load_inputs(paths)
    for provider in ref.exclude:
        if provider not in inputs.providers:
            raise InputError(
                f"add {model}: --exclude {provider}: unknown provider",
                f"known providers: {', '.join(sorted(inputs.providers))}",
            )
    if ref.is_group:
        check_sold(paths, inputs, ref)
    else:
        _check_in_catalog(paths, inputs.providers, ref, model)
        warn_other_model(inputs, ref)
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
