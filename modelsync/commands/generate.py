"""`generate` (the default command) and `check`: render config.yaml, write it or say it is stale."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ExitCode, InputError
from ..core.output import as_invoked, shown
from ..core.paths import Paths
from . import Commands, command, path_options, paths_of, report_option, verbosity, volume_options
from .progress import ProgressPrinter

if TYPE_CHECKING:  # the pipeline loads yaml, jinja2 and pydantic: only a run that renders needs it
    from ..pipeline import Result

log = logging.getLogger("modelsync")


def options(parser: argparse.ArgumentParser, title: str = "options") -> None:
    """What `generate` takes; the top-level parser takes the same, since generate is the default."""
    p = parser.add_argument_group(title)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if config.yaml is not what cache/, overrides and templates render; no network, no writes",
    )
    mode.add_argument("--dry-run", action="store_true", help="fetch as needed and print the report, write nothing")
    p.add_argument("--offline", action="store_true", help="use cache/ only, never the network")
    p.add_argument("--refresh", action="store_true", help="fetch catalogs even when the cache is fresh")
    p.add_argument(
        "--provider",
        action="append",
        default=[],
        metavar="NAME",
        help="fetch only this provider (repeatable); the others come from cache/",
    )
    accept_held_option(p)
    change_report_option(p)
    volume_options(p)
    path_options(parser)


def accept_held_option(p: argparse._ActionsContainer) -> None:
    p.add_argument(
        "--accept-held",
        action="store_true",
        help="take catalog changes the guards hold back (mass removals, 10x price moves, free<->paid)",
    )


def change_report_option(p: argparse._ActionsContainer) -> None:
    report_option(
        p,
        "the change report's form: text for terminals (colour on a tty unless NO_COLOR), "
        "markdown for pull requests, json for tools (see report.schema.json)",
    )


def register(commands: Commands) -> None:
    generate = command(
        commands,
        "generate",
        "refresh stale catalogs, render and write config.yaml (the default command)",
        "--offline",
        "Refresh catalogs older than 24 hours, render config.yaml from them and overrides.yaml, write it "
        "if it changed (the old one is kept as config.yaml.bak) and report what changed, model by model.",
    )
    options(generate)
    generate.set_defaults(run=execute)
    check = command(
        commands,
        "check",
        "the CI gate: exit 1 if config.yaml is not what the inputs render",
        "--report markdown",
        "Exit 0 if config.yaml is what cache/, overrides.yaml, providers.yaml and templates/ render, "
        "1 (with the report) if not. Never touches the network, never writes. The same as --check.",
    )
    accept_held_option(check)
    change_report_option(check)
    volume_options(check)
    path_options(check)
    check.set_defaults(run=execute, check=True)


def execute(args: argparse.Namespace, home: Path) -> int:
    """Render config.yaml; write it, or with --check / --dry-run only say what would change."""
    refuse_idle_flags(args)
    if not (args.check or getattr(args, "offline", False)):
        from ..core import warmup

        warmup.start()  # httpx and TLS load beside the pipeline's imports
    from ..pipeline import Options, run

    paths = paths_of(args, home)
    level = verbosity(args)
    show_progress = level >= 0 and (sys.stderr.isatty() or level > 0)
    check, dry_run = args.check, getattr(args, "dry_run", False)
    options = Options(
        check=check,
        dry_run=dry_run,
        offline=getattr(args, "offline", False),
        refresh=getattr(args, "refresh", False),
        only=tuple(getattr(args, "provider", ())),
        accept_held=args.accept_held,
        progress=ProgressPrinter() if show_progress else None,
    )
    return finish(run(paths, options), args, paths, level)


def refuse_idle_flags(args: argparse.Namespace) -> None:
    """A flag that would do nothing here is an error, not silence."""
    if not (args.check or getattr(args, "offline", False)):
        return
    without = "--check" if args.check else "--offline"
    for flag, given, does in (
        ("--provider", getattr(args, "provider", ()), "picks which catalogs to fetch"),
        ("--refresh", getattr(args, "refresh", False), "fetches even fresh catalogs"),
    ):
        if given:
            raise InputError(
                f"{flag} {does}, but {without} fetches nothing", f"drop {flag}, or drop {without} to fetch"
            )


def finish(result: Result, args: argparse.Namespace, paths: Paths, level: int) -> int:
    """Print the report and the state of config.yaml; return the exit code."""
    print_report(result, args, paths, level)
    dry_run = getattr(args, "dry_run", False)
    if args.check and result.changed:
        log.error("%s", stale_advice(paths, args.me))
        return ExitCode.WOULD_CHANGE
    if getattr(args, "refresh", False) and _nothing_refreshed(result):
        log.error(
            "--refresh fetched no catalog: every fetch failed (see the warnings above), so %s %s from the "
            "cache as it was — check the network and the listing keys, then run again",
            shown(paths.config),
            "would be rendered" if dry_run else "was rendered",
        )
        return ExitCode.USER_ERROR
    if level >= 0:  # beside a Markdown or JSON report on stdout, the status goes to stderr
        state = "is up to date" if not result.changed else "would be updated" if dry_run else "was updated"
        if result.outcomes and _nothing_refreshed(result):  # not "up to date" with catalogs nobody could fetch
            state += " from the cache only: no catalog could be fetched"
        print_state(paths, state, len(result.merged.deployments), args.report, args.me)
    if result.held:
        log.warning(
            "%d catalog change(s) %s for review — read the report, then run with --accept-held",
            len(result.held),
            "would be held back" if dry_run else "held back",
        )
        # 4 means "written, but held"; a check or a dry run writes nothing.
        return ExitCode.OK if args.check or dry_run else ExitCode.HELD
    return ExitCode.OK


def _nothing_refreshed(result: Result) -> bool:
    from ..sources.arrivals import nothing_refreshed  # httpx loads only on runs that fetch

    return nothing_refreshed(result.outcomes)


def print_state(paths: Paths, state: str, deployments: int, report: str, me: str) -> None:
    """`config.yaml is up to date (843 deployments)`: on stdout, or stderr beside a Markdown or JSON
    report; for a new project, how to start."""
    stream = sys.stdout if report == "text" else sys.stderr
    print(f"{shown(paths.config)} {state} ({deployments} deployments)", file=stream)
    if not deployments:
        cached = _cached_providers(paths)
        first = cached[0] if cached else "openrouter"
        fetch = "" if cached else f"fetch a catalog with `{me} --provider openrouter`, "
        print(
            f"note: {shown(paths.overrides)} selects no model yet — {fetch}find ids with `{me} list {first}`, "
            f"then `{me} add {first}:ID`",
            file=stream,
        )


def _cached_providers(paths: Paths) -> list[str]:
    """Providers whose own catalog is in cache/ (not a shared document, not metadata): no fetch needed."""
    shared = {"models_dev", "litellm"}
    names = {p.name.split(".")[0] for p in paths.cache_dir.glob("*.json") if not p.name.startswith(".")}
    return sorted(names - shared)


def stale_advice(paths: Paths, me: str) -> str:
    """What to do when config.yaml is not what the inputs render, without losing a hand edit."""
    config, overrides = shown(paths.config), shown(paths.overrides)
    return (
        f"{config} is not what the inputs render (the report above shows how they differ).\n"
        f"  If you edited {config} by hand, keep the change by moving it into {overrides} — a model's "
        "params:, model_info: or pin:, an entries: item, or settings: — since the next run rewrites "
        f"{config} from the inputs.\n"
        f"  Then (or if you changed {overrides}, providers.yaml, cache/ or templates/) run `{me} --offline` "
        "and commit the result."
    )


def print_report(result: Result, args: argparse.Namespace, paths: Paths, level: int) -> None:
    """The report on stdout: text when something changed; Markdown and JSON always, for tools."""
    from ..outputs import formats, unchanged

    report = result.report
    if args.report == "text":
        if report is not None and level >= 0:
            colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            sys.stdout.write(as_invoked(formats.text(report, verbose=level > 0, colour=colour), args.me))
        return
    report = report or unchanged.report(result.merged)
    sys.stdout.write(as_invoked(formats.FOR_TOOLS[args.report](report, paths.config.name), args.me))
