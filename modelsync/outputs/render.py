"""Render config.yaml from the Jinja templates. Pure: inputs in, text out."""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from ..core.errors import InputError
from ..model.merge import Deployment
from ..model.retirements import Retired, comment_safe

# Strings that may stay unquoted: no YAML indicator can start them and ": " or " #" cannot occur.
PLAIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./@+~=-]*(?::[A-Za-z0-9_./@+~=-]+)*\Z")
RESOLVER = yaml.resolver.Resolver()
NO_WIDTH = 10**9  # never fold a long string over several lines


@lru_cache(maxsize=65536)
def _string(text: str) -> str:
    resolved = RESOLVER.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    plain = PLAIN.match(text) and resolved == "tag:yaml.org,2002:str"
    if plain:
        return text
    dumped: str = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=NO_WIDTH)
    return dumped.rstrip("\n")


def _float(value: float) -> str:
    if not math.isfinite(value):
        raise ValueError(f"cannot write the non-finite number {value!r} into config.yaml")
    text = repr(value)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"  # YAML 1.1 reads 1e-09 as a string; 1.0e-09 is a float
    return text


_WRITERS: dict[type, Callable[[Any], str]] = {
    str: _string,
    float: _float,
    int: str,
    bool: lambda v: "true" if v else "false",
    type(None): lambda v: "null",
    # A hand-kept `api_version: 2024-10-21` is a YAML date: it stays one, as LiteLLM read it.
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
}


def scalar(value: Any) -> str:
    """Any leaf value as one valid YAML scalar that reads back as exactly that value."""
    writer = _WRITERS.get(type(value))
    if writer is not None:
        return writer(value)
    if isinstance(value, bool):  # subclasses, rarely: dispatch on what they are
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return _float(float(value))
    return _string(str(value))


def block(value: Any, indent: int) -> str:
    """A mapping or list as block YAML at `indent`, every key and leaf through `scalar`."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, item in value.items():
            writer = _WRITERS.get(type(item))  # the common case, a plain scalar, without _tail's checks
            tail = f" {writer(item)}" if writer else _tail(item, indent + 2)
            lines.append(f"{pad}{scalar(key)}:{tail}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                nested = block(item, indent + 2)
                lines.append(f"{pad}- {nested[indent + 2 :]}")  # `- key: value`, the rest below it
            else:
                lines.append(f"{pad}-{_tail(item, indent + 2)}")
    return "\n".join(lines)


def _tail(item: Any, indent: int) -> str:
    """What follows `key:` or `-`: a nested block on the next lines, or a scalar on this one."""
    if isinstance(item, (dict, list, tuple)):
        return "\n" + block(item, indent) if item else (" {}" if isinstance(item, dict) else " []")
    return " " + scalar(item)


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["yaml"] = scalar
    env.filters["yaml_block"] = block
    env.filters["yaml_tail"] = lambda value: _tail(value, 2)  # what follows `section:`
    env.filters["comment"] = comment_safe
    return env


def render(
    templates: Path, deployments: list[Deployment], settings: dict[str, Any], retired: Sequence[Retired] = ()
) -> str:
    """The whole config.yaml as text; `retired` are listed in its header, for the next run to know."""
    try:
        template = environment(templates).get_template("config.yaml.j2")
        listed = list({item.id: item for item in retired}.values())  # a group's members: its bare id once
        return template.render(deployments=deployments, settings=settings, retired=listed)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(
            f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}", "fix the template"
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise InputError(f"template {exc.name} not found in {templates}", "point --templates at the folder") from None
    except jinja2.TemplateError as exc:
        raise InputError(f"{_template_place(exc)}template error: {_plain(exc)}", "fix the template") from None


def _plain(exc: BaseException) -> str:
    """Jinja's message with our classes by their own name, not by the module that holds them."""
    return re.sub(r"'modelsync(?:\.\w+)*\.(\w+) object'", r"'\1 object'", str(exc))


def _template_place(exc: BaseException) -> str:
    """`file:line: ` of the innermost template frame of an error raised while rendering."""
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
    return f"{frames[-1].filename}:{frames[-1].lineno}: " if frames else ""
