"""Shared pydantic plumbing: strict models and validation errors as readable sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InputError

# libyaml's safe loader when PyYAML has it: the same documents, several times faster.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Strict(BaseModel):
    """A record read from a user's file: unknown keys are typos, and typos fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def load_yaml(path: Path, what: str) -> Any:
    """Parse a user's YAML file, turning syntax errors into `file:line:column` sentences."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path} does not exist", f"create it, or point --{what} at yours") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}", "check the file's permissions") from None
    try:
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark:  # where the unclosed thing began helps most
            problem += f" ({exc.context} that began at line {exc.context_mark.line + 1})"
        raise InputError(f"{where}: YAML syntax error: {problem}", "fix the YAML at that place") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: YAML error: {exc}", "fix the file") from None


def dotted(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location like ('models', 3, 'name') into `models[3].name`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def explain(exc: ValidationError, path: Path, model: type[BaseModel]) -> InputError:
    """The first validation error of a user's file, said with its dotted path and a fix."""
    errors = exc.errors()
    error = errors[0]
    where = dotted(error["loc"])
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(model, error["loc"][:-1]))
        return InputError(
            f"{path}: {where}: unknown key {str(error['loc'][-1])!r}",
            f"use one of: {allowed}" if allowed else "remove it",
        )
    more = f" (and {len(errors) - 1} more problem{'s' * (len(errors) > 2)})" if len(errors) > 1 else ""
    if error["type"] == "value_error":  # our own validators say what to do after " — "
        what, _, fix = str(error["ctx"]["error"]).partition(" — ")
        return InputError(f"{path}: {where or 'top level'}: {what}{more}", fix or "fix that value")
    return InputError(f"{path}: {where or 'top level'}: {error['msg']}{more}", f"fix that value in {path.name}")


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` inside `model`, to list beside an unknown key."""
    current: type[BaseModel] | None = model
    for part in loc:
        field = current.model_fields.get(part) if current and isinstance(part, str) else None
        if field is not None:  # anything else is a list index, a dict key or a union label
            current = _inner_model(field.annotation)
    return list(current.model_fields) if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The BaseModel class inside an annotation such as `list[X]`, `dict[str, X]`, `X | None`."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
