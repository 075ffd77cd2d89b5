"""The `usage` command's report in three forms: text, Markdown and JSON."""

from __future__ import annotations

import json
from typing import Any

from ..usage.compare import Served, UsageReport
from ..usage.impact import money, signed
from .report import label

DIMENSIONS = ("input", "output", "cache_read", "cache_write", "reasoning")


def text(report: UsageReport) -> str:
    lines = [f"usage: {report.usage}"]
    for s in report.served:
        lines.append(f"{s.provider}: {label(s.key)}: {s.tokens.requests:,} requests, {_tokens(s)}")
        lines.append(f"    LiteLLM billed {money(s.tokens.billed)}; config.yaml's prices bill {_priced(s)}")
        lines += [f"    ! {line}" for line in _findings(s, report.tolerance)]
        lines += [f"    $ {line}" for line in _cheaper(s)]
    lines += [f"not in config.yaml: {label(key)}: {tokens.requests:,} requests" for key, tokens in report.unmatched]
    lines.append(f"{len(report.served)} deployments served; {len(report.differing())} billed otherwise than the config")
    return "\n".join(lines) + "\n"


def markdown(report: UsageReport) -> str:
    out = [f"## Usage: {len(report.differing())} deployments billed otherwise than config.yaml", ""]
    out += [
        f"Usage: {report.usage}.",
        "",
        "| provider | deployment | requests | tokens | LiteLLM billed | config bills | findings |",
    ]
    out.append("|---|---|---:|---|---:|---:|---|")
    for s in report.served:
        notes = "<br>".join([*_findings(s, report.tolerance), *_cheaper(s)])
        out.append(
            f"| {s.provider} | `{label(s.key)}` | {s.tokens.requests:,} | {_tokens(s)} | "
            f"{money(s.tokens.billed)} | {_priced(s)} | {notes} |"
        )
    return "\n".join(out) + "\n"


def as_json(report: UsageReport) -> str:
    document = {
        "usage": report.usage,
        "tolerance": report.tolerance,
        "deployments": [_served(s, report.tolerance) for s in report.served],
        "unmatched": [{"model_name": k[0], "model": k[1], **t.as_dict()} for k, t in report.unmatched],
        "differing": len(report.differing()),
    }
    return json.dumps(document, indent=2, default=str) + "\n"


def _served(s: Served, tolerance: float) -> dict[str, Any]:
    return {
        "provider": s.provider,
        "model_name": s.key[0],
        "model": s.key[1],
        **s.tokens.as_dict(),
        "config_bills": s.priced,
        "differs_since": s.since.isoformat() if s.since else None,
        "findings": _findings(s, tolerance),
        "cheaper": [{"provider": e.provider, "model": e.key[1], "cost": e.cost} for e in s.cheaper],
        "suggested_order": list(s.order),
    }


def _tokens(s: Served) -> str:
    counts = s.tokens.as_dict()
    return ", ".join(f"{counts[name]:,} {name.replace('_', ' ')}" for name in DIMENSIONS if counts[name])


def _priced(s: Served) -> str:
    return "nothing (no price in config.yaml)" if s.priced is None else money(s.priced)


def _findings(s: Served, tolerance: float) -> list[str]:
    if s.priced is None:
        return [f"config.yaml states no price: LiteLLM's bundled map billed {money(s.tokens.billed)}; pin its costs"]
    if s.since is None:
        return []
    share = f" ({s.difference / s.priced:+.0%})" if s.priced else ""
    return [f"LiteLLM billed {signed(s.difference)}{share} against today's prices, since {s.since.isoformat()}"]


def _cheaper(s: Served) -> list[str]:
    lines = [f"{e.provider} would have billed {money(e.cost)} for the same tokens" for e in s.cheaper]
    return lines + ([f"suggested order by cost: {', '.join(s.order)}"] if s.order else [])
