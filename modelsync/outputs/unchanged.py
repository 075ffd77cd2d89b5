"""The report of a run that changes nothing: what an up-to-date check prints in Markdown and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import formats, report_json, said
from .report import Report

if TYPE_CHECKING:
    from pathlib import Path

    from ..model.merge import Merged


def report(merged: Merged) -> Report:
    """No change, the same count before and after; what was skipped and what is retiring, as always."""
    count = len(merged.deployments)
    return Report(after=count, before=count, skipped=merged.skipped, retired=merged.retired, retiring=merged.retiring)


def forms(merged: Merged, config_name: str) -> dict[str, str]:
    """The report in each form an up-to-date check prints, as print_report writes it (before as_invoked)."""
    unchanged = report(merged)
    return {"markdown": formats.markdown(unchanged, config_name), "json": report_json.as_json(unchanged, config_name)}


def record_of(merged: Merged, heard: said.Heard, config: Path) -> str | None:
    """What an up-to-date check of the config this run writes will say (None: not safe to record)."""
    return said.record(heard, forms(merged, config.name), config)
