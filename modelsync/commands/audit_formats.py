"""The audit in three forms, like the change report: text, Markdown for pull requests, JSON for tools."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from .auditing import Audit, Disagreement

SCHEMA_VERSION = 1


def _value(d: Disagreement, value: float | None) -> str:
    if value is None:
        return "not set"
    if not d.is_price():
        return f"{int(value):,} tokens"
    return f"${value * 1_000_000:.6g}/M"


def _move(d: Disagreement, value: float | None) -> str:
    """How far a source is from config.yaml, in percent."""
    if value is None or not d.config or value == d.config:
        return ""
    return f" ({(value - d.config) / d.config * 100:+.3g}%)"


def _said(d: Disagreement, source: str) -> str:
    """A source's value in a table cell: "–" when it does not know the model, "not stated" when silent."""
    if source not in d.sources:
        return "–"
    value = d.sources[source]
    return "not stated" if value is None else _value(d, value) + _move(d, value)


def _by_deployment(result: Audit) -> Iterator[tuple[tuple[str, str], list[Disagreement]]]:
    groups: dict[tuple[str, str], list[Disagreement]] = {}
    for d in result.disagreements:
        groups.setdefault((d.model_name, d.model), []).append(d)
    yield from sorted(groups.items())


def _label(name: str, model: str) -> str:
    return name if name == model else f"{name} ({model})"


def summary(result: Audit, config_name: str) -> str:
    count = len(result.disagreements)
    deployments = len({(d.model_name, d.model) for d in result.disagreements})
    found = f"{count} disagreement{'s' * (count != 1)} on {deployments} deployment{'s' * (deployments != 1)}"
    return (
        f"{config_name}: {result.compared} deployments compared with {' and '.join(result.sources)} "
        f"(tolerance {result.tolerance * 100:.3g}%); " + (found if count else "all agree")
    )


def text(result: Audit, config_name: str = "config.yaml", verbose: bool = False) -> str:
    lines = [summary(result, config_name)]
    for (name, model), found in _by_deployment(result):
        lines.append(f"  ~ {_label(name, model)}")
        for d in found:
            said = " · ".join(
                f"{source} {_value(d, v)}{_move(d, v)}" for source, v in d.sources.items() if v is not None
            )
            lines.append(f"      {d.key}: config {_value(d, d.config)} · {said}")
    if result.unknown:
        lines.append(
            f"no second source knows {len(result.unknown)} deployment(s)" + ("" if verbose else " (-v lists them)")
        )
        if verbose:
            lines += [f"  ? {_label(name, model)}" for name, model in result.unknown]
    return "\n".join(lines) + "\n"


def markdown(result: Audit, config_name: str = "config.yaml") -> str:
    out = [f"## Price audit: {summary(result, config_name)}", ""]
    if result.disagreements:
        head = ["deployment", "key", "config.yaml", *result.sources]
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for (name, model), found in _by_deployment(result):
            for d in found:
                cells = [f"`{_label(name, model)}`", f"`{d.key}`", _value(d, d.config)]
                cells += [_said(d, s) for s in result.sources]
                out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    if result.unknown:
        out += [f"No second source knows {len(result.unknown)} deployment(s).", ""]
    return "\n".join(out).rstrip("\n") + "\n"


def as_json(result: Audit, config_name: str = "config.yaml") -> str:
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "config": config_name,
        "tolerance": result.tolerance,
        "sources": list(result.sources),
        "compared": result.compared,
        "agree": not result.disagreements,
        "disagreements": [
            {
                "model_name": d.model_name,
                "model": d.model,
                "key": d.key,
                "kind": "price" if d.is_price() else "limit",
                "config": _number(d, d.config),
                "sources": {source: _number(d, value) for source, value in d.sources.items()},
            }
            for d in result.disagreements
        ],
        "unknown": [{"model_name": name, "model": model} for name, model in result.unknown],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _number(d: Disagreement, value: float | None) -> float | int | None:
    """Limits as whole tokens, prices as USD per token."""
    return int(value) if value is not None and not d.is_price() else value


# The forms for tools, by the name --report gives them; text, for terminals, takes options of its own.
FOR_TOOLS: dict[str, Callable[[Audit, str], str]] = {"markdown": markdown, "json": as_json}
