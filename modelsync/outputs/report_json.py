"""The change report as JSON for tools, in the shape `report.schema.json` (at the repo root) describes."""

from __future__ import annotations

import json
from typing import Any

from ..core.prices import per_unit_label
from ..model.deployment import Key
from . import dollars
from .changes import ABSENT, FieldChange
from .report import ModelChange, Report, retirements, shown_base

SCHEMA_VERSION = 2


def as_json(report: Report, config_name: str = "config.yaml") -> str:
    """The report as JSON, in the shape `report.schema.json` describes."""
    counts = report.counts()
    gone, kept = retirements(report)
    document = {
        "schema_version": SCHEMA_VERSION,
        "config": config_name,
        "changed": report.changed,
        "note": report.note or None,
        "totals": {
            **counts,
            "held": len(report.held),
            "retired": len(gone),
            "held_retired": len(kept),
            "retiring": len(report.retiring),
            "deployments": report.after,
            "deployments_before": report.before,
            "skipped": sum(len(items) for items in report.skipped.values()),
        },
        "held": [{"provider": h.provider, **_deployment(h.key), "reason": h.reason} for h in report.held],
        "retired": [_retired(r) for r in gone],
        "held_retired": [_retired(r) for r in kept],
        "retiring": [{"provider": r.provider, **_deployment(r.key), "date": r.date} for r in report.retiring],
        "providers": {group: _group(report, group) for group in sorted(set(report.groups) | set(report.skipped))},
        "settings": [_field(f) for f in report.settings],
        "groups": [
            {
                "name": c.name,
                "new": c.new,
                "joined": [{"provider": p, "model": route} for p, route in c.joined],
                "left": [{"provider": p, "model": route} for p, route in c.left],
                "ties": list(c.ties),
            }
            for c in report.group_changes
        ],
        **dollars.as_json(report),
    }
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def _group(report: Report, group: str) -> dict[str, Any]:
    changes = report.groups.get(group, [])
    return {
        "added": [{**_deployment(c.key), "summary": list(c.summary), **_note(c)} for c in changes if c.sign == "+"],
        "removed": [_deployment(c.key) for c in changes if c.sign == "-"],
        "changed": [
            {**_deployment(c.key), "fields": [_field(f) for f in c.fields], **_note(c)}
            for c in changes
            if c.sign == "~"
        ],
        "skipped": [{"id": model_id, "reason": reason} for model_id, reason in sorted(report.skipped.get(group, []))],
    }


def _retired(r: Any) -> dict[str, Any]:
    return {"provider": r.provider, "id": r.id, **_deployment(r.key), "overrides_line": r.line, "delete": r.text}


def _note(change: ModelChange) -> dict[str, str]:
    return {"price_note": change.note} if change.note else {}


def _deployment(key: Key) -> dict[str, str | None]:
    return {"model_name": key[0], "model": key[1], "api_base": shown_base(key[2]) or None}


def _field(change: FieldChange) -> dict[str, Any]:
    return {
        "path": change.path,
        "kind": change.kind,
        "old": None if change.old is ABSENT else change.old,
        "new": None if change.new is ABSENT else change.new,
        "percent": change.percent(),
        "unit": per_unit_label(change.unit) if change.unit else None,
        "old_shown": None if change.old is ABSENT else change.shown(change.old),
        "new_shown": None if change.new is ABSENT else change.shown(change.new),
    }
