"""The change report in dollars: what each price change costs at the proxy's real usage.

`attach` prices a report's changes; `text_lines`, `markdown_lines` and `as_json` show them in the
report's three forms. Without a usage source the report has no dollar figures at all.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from ..core.errors import GenerateError
from ..model.deployed import Deployed
from ..model.deployment import Deployment
from ..usage.impact import Impact, ModelCost, money, price_changes, signed
from ..usage.record import Usage
from .report import Report, label

log = logging.getLogger("modelsync")


def attach(report: Report, usage: Usage | None, deployed: Deployed, new: list[Deployment]) -> Report:
    """`report` with every change that moves a price (and every added or removed model) priced at `usage`."""
    if usage is None:
        return report
    changes = [
        (provider, change.sign, change.key)
        for provider, group in report.groups.items()
        for change in group
        if change.sign != "~" or any(f.unit for f in change.fields)
    ]
    old = dict(deployed.model_list)
    try:
        return replace(report, dollars=price_changes(usage, changes, old, {d.key(): d.as_dict() for d in new}))
    except GenerateError as exc:  # a snapshot of another config: the report goes on without dollars
        log.warning("usage: %s; the report goes without dollar figures", exc)
        return report


def text_lines(report: Report) -> list[str]:
    impact: Impact | None = report.dollars
    if impact is None or not impact.models:
        return []
    lines = [f"at your usage ({impact.usage}), per month:"]
    lines += [f"  {_line(m, report)}" for m in impact.models]
    lines += [f"  {provider}: {signed(delta)}/month" for provider, delta in impact.by_provider().items()]
    lines.append(f"  total: {signed(impact.total())}/month")
    return lines + [f"  note: {note}" for note in impact.notes()]


def markdown_lines(report: Report) -> list[str]:
    impact: Impact | None = report.dollars
    if impact is None or not impact.models:
        return []
    out = [f"### 💵 At your usage: {signed(impact.total())}/month", "", f"Usage: {impact.usage}.", ""]
    out += ["| provider | deployment | per month |", "|---|---|---:|"]
    out += [f"| {m.provider} | `{label(m.key, report.ambiguous)}` | {m.describe()} |" for m in _by_size(impact)]
    out += [f"| **{p}** | | **{signed(d)}/month** |" for p, d in impact.by_provider().items()]
    out += [f"| **total** | | **{signed(impact.total())}/month** |", ""]
    return out + [f"> {note}" for note in impact.notes()] + ([""] if impact.notes() else [])


def as_json(report: Report) -> dict[str, Any]:
    """`{"dollars": {...}}` for the JSON report; nothing at all without usage to price at."""
    impact: Impact | None = report.dollars
    if impact is None:
        return {}
    return {"dollars": _impact(impact)}


def _impact(impact: Impact) -> dict[str, Any]:
    return {
        "usage": impact.usage,
        "total_monthly_change": round(impact.total(), 6),
        "providers": {p: round(d, 6) for p, d in impact.by_provider().items()},
        "models": [_model(m) for m in impact.models],
        "unmatched_usage_keys": impact.unmatched,
        "notes": impact.notes(),
    }


def _line(model: ModelCost, report: Report) -> str:
    return f"{model.sign} {model.provider}: {label(model.key, report.ambiguous)}: {model.describe()}"


def _by_size(impact: Impact) -> list[ModelCost]:
    """The biggest moves first: the reviewer reads those."""
    return sorted(impact.models, key=lambda m: (-abs(m.delta), m.key))


def _model(m: ModelCost) -> dict[str, Any]:
    return {
        "provider": m.provider,
        "model_name": m.key[0],
        "model": m.key[1],
        "sign": m.sign,
        "used": m.used,
        "monthly_before": m.before,
        "monthly_after": m.after,
        "monthly_change": round(m.delta, 6) if m.used else None,
        "shown": m.describe(),
    }


__all__ = ["as_json", "attach", "markdown_lines", "money", "text_lines"]
