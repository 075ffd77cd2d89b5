"""Shared pydantic plumbing: strict models and validation errors as readable sentences."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import InputError
from .secrets import is_secret_key
from .yamlfile import SAFE_LOADER, line_of, load_yaml

__all__ = ["SAFE_LOADER", "Strict", "dotted", "explain", "kind_of", "load_yaml", "problem"]


class Strict(BaseModel):
    """A record read from a user's file: unknown keys are typos, and typos fail loudly."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def dotted(loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location like ('models', 3, 'name') into `models[3].name`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# What a value should have been, by pydantic's error type, in our words (pydantic's never reach the user).
EXPECTED = {
    "dict_type": "a mapping (`key: value` lines, or {key: value})",
    "model_type": "a mapping (`key: value` lines, or {key: value})",
    "model_attributes_type": "a mapping (`key: value` lines, or {key: value})",
    "list_type": "a list (`- item` lines, or [a, b])",
    "string_type": "text",
    "float_type": "a number",
    "float_parsing": "a number",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "finite_number": "a finite number",
}
BOUNDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}


def explain(exc: ValidationError, path: Path, model: type[BaseModel], within: tuple[str | int, ...] = ()) -> InputError:
    """The first validation error of a user's file, said with its line, its dotted path and a fix.

    `within` is where in the file the validated value sits (a provider's key in providers.yaml).
    """
    errors = exc.errors()
    error = errors[0]
    loc = error["loc"]
    below = getattr((error.get("ctx") or {}).get("error"), "at", ())  # a LocatedError points inside the value
    line = line_of(path, (*within, *loc, *below))
    at = f"{path}:{line}" if line else str(path)
    where = dotted(loc) or "top level"
    if error["type"] == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(model, loc[:-1]))
        return InputError(
            f"{at}: {where}: unknown key {str(loc[-1])!r}", f"use one of: {allowed}" if allowed else "remove it"
        )
    more = f" (and {len(errors) - 1} more problem{'s' * (len(errors) > 2)})" if len(errors) > 1 else ""
    what, fix = problem(exc)
    return InputError(f"{at}: {where}: {what}{more}", fix or f"fix that value in {path.name}")


def problem(exc: ValidationError) -> tuple[str, str]:
    """The first error as (what is wrong, what to do), in our words; the fix may be empty."""
    error = exc.errors()[0]
    if error["type"] == "value_error":  # our own validators say what to do after " — "
        what, _, fix = str(error["ctx"]["error"]).partition(" — ")
        return what, fix
    return _sentence(error), ""


def _sentence(error: Any) -> str:
    """What is wrong with a value, in our words; the value itself is named only by its kind."""
    kind, ctx = error["type"], error.get("ctx") or {}
    hidden = bool(error["loc"]) and is_secret_key(error["loc"][-1])  # `api_key: 1234567890` is not shown
    if kind in EXPECTED:
        return f"should be {EXPECTED[kind]}, not {'a value not shown here' if hidden else kind_of(error.get('input'))}"
    if kind in BOUNDS:
        name, text = BOUNDS[kind]
        return f"should be {text.format(ctx.get(name))}" + ("" if hidden else f", not {error.get('input')!r}")
    if kind == "missing":
        return "is required but missing"
    if kind == "string_too_short":
        return "should not be empty"
    if kind == "literal_error":
        return f"should be one of {ctx.get('expected')}"
    return f"is not a valid value here ({kind.replace('_', ' ')})"


def kind_of(value: Any) -> str:
    """A value's kind in YAML's words: `text`, `a number`, `a list`, `a mapping`, `nothing`."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return repr(value)  # says most as itself; a number under a credential key is not shown (_sentence)
    for types, word in ((str, "text"), (list, "a list"), (dict, "a mapping")):
        if isinstance(value, types):
            return word
    return type(value).__name__


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
