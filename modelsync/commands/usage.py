"""`usage`: what the proxy served, what LiteLLM billed and what config.yaml's prices bill; `usage snapshot`.

Exit 0 when every deployment's bill agrees with the config's prices within the tolerance, 1 when
one does not, 2 on an error (an unreachable database, a CSV of other columns, no usage at all).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ExitCode, InputError
from ..core.output import shown
from . import Commands, command, path_options, paths_of, volume_options

if TYPE_CHECKING:  # every command is imported to parse a command line: usage's own load when it runs
    from ..usage.config import UsageConfig
    from ..usage.record import Usage


def register(commands: Commands) -> None:
    p = command(
        commands,
        "usage",
        "what the proxy served, what LiteLLM billed, and what config.yaml's prices bill for it",
        "--report markdown",
        "Per deployment over the usage window (overrides.yaml usage:): requests, tokens by dimension, what "
        "LiteLLM recorded and what config.yaml's prices bill for the same tokens, where they differ beyond the "
        "tolerance and since when, and what other providers of the group would have billed. Exit 0 when all "
        "agree, 1 when one differs, 2 on an error. `usage snapshot` writes the usage, aggregated, to a file to "
        "commit (no user, key, team or request text in it).",
    )
    p.add_argument("action", nargs="?", choices=("snapshot",), help="snapshot: write the usage to a file to commit")
    p.add_argument(
        "--output", type=Path, metavar="PATH", help="snapshot: where (default: usage.snapshot, else usage.json)"
    )
    source = p.add_mutually_exclusive_group()
    source.add_argument("--database", metavar="VAR", help="read LiteLLM's database at $VAR, not overrides.yaml's")
    source.add_argument("--csv", type=Path, metavar="PATH", help="read this admin UI export, not overrides.yaml's")
    p.add_argument(
        "--tolerance", type=float, metavar="PERCENT", help="how far a bill may differ (default: usage.tolerance)"
    )
    p.add_argument("--report", choices=("text", "markdown", "json"), default="text", help="the report's form")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from ..pipeline import load_inputs
    from ..usage.load import load_usage

    paths = paths_of(args, home)
    configured = load_inputs(paths).overrides.usage
    config = _source(args, configured)
    if config is None:
        raise InputError(
            f"{shown(paths.overrides)} names no usage source",
            "add usage: {database: os.environ/DATABASE_URL} (or csv: or snapshot:) to it",
        )
    if args.action == "snapshot" and config.snapshot:
        raise InputError(
            "usage snapshot writes a snapshot from LiteLLM's database or its CSV export, not from a snapshot",
            "name the source: usage snapshot --database DATABASE_URL (or --csv export.csv)",
        )
    usage = load_usage(config, paths.overrides.parent)
    if args.action == "snapshot":
        name = configured.snapshot if configured and configured.snapshot else "usage.json"
        return _snapshot(args, paths.overrides.parent / name, usage)
    from .usage_report import report

    tolerance = config.tolerance if args.tolerance is None else args.tolerance / 100
    found = report(paths, usage, tolerance)
    from ..outputs import usage_formats

    form = {"text": usage_formats.text, "markdown": usage_formats.markdown, "json": usage_formats.as_json}
    if not args.quiet:
        sys.stdout.write(form[args.report](found))
    return ExitCode.WOULD_CHANGE if found.differing() else ExitCode.OK


def _source(args: argparse.Namespace, config: UsageConfig | None) -> UsageConfig | None:
    """usage: from overrides.yaml, or the source the command line names (the same window)."""
    from ..usage.config import UsageConfig

    window = config or UsageConfig(snapshot="-")  # the defaults, when overrides.yaml names no source
    if args.database:
        return window.model_copy(update={"database": f"os.environ/{args.database}", "csv": None, "snapshot": None})
    if args.csv:
        return window.model_copy(update={"csv": str(Path.cwd() / args.csv), "database": None, "snapshot": None})
    return config


def _snapshot(args: argparse.Namespace, default: Path, usage: Usage) -> int:
    from ..usage import snapshot

    target = args.output or default
    snapshot.write(target, usage)
    if not args.quiet:
        print(f"wrote {shown(target)}: {len(usage.days)} deployment-days, {usage.describe()}")
    return ExitCode.OK
