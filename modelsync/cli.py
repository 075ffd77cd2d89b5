"""The command line: parse arguments, run the pipeline, turn every outcome into an exit code."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from .errors import ExitCode, GenerateError
from .listing_filters import CAPABILITIES, Filters
from .output import ProgressPrinter, setup_logging, shown
from .paths import ROOT, Paths
from .pipeline import Options, Result, run

log = logging.getLogger("modelsync")

DESCRIPTION = """\
Render a LiteLLM proxy config.yaml from provider catalogs (cached in cache/), overrides.yaml
and the templates, and report what changed, model by model.

To add or change a model, edit overrides.yaml and run this again; never edit config.yaml."""

EPILOG = """\
exit codes:
  0  config.yaml is up to date (or was written)
  1  --check: config.yaml is not what the inputs render; the report says what would change
  2  an error you can fix: the message says what happened and what to do
  3  an unexpected error (a bug): please report it with the traceback
  4  written, but some catalog changes look wrong and were held back for review
     (listed in the report); --accept-held takes them

--check is the CI gate: it never touches the network and never writes."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="generate.py", description=DESCRIPTION, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
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
        "--accept-held",
        action="store_true",
        help="take catalog changes the guards hold back (mass removals, 10x price moves, free<->paid)",
    )
    p.add_argument(
        "--provider",
        action="append",
        default=[],
        metavar="NAME",
        help="fetch only this provider (repeatable); the others come from cache/",
    )
    p.add_argument(
        "--list",
        nargs="+",
        metavar=("PROVIDER", "GLOB"),
        help="print PROVIDER's cached catalog (ids matching GLOB): kind, prices per million "
        "tokens, context window and whether overrides.yaml selects it",
    )
    p.add_argument(
        "--everywhere",
        metavar="NAME",
        help="print, per provider's cached catalog, the id a bare NAME in models: would take, its price and "
        "context window, and the close ids it rejected",
    )
    p.add_argument(
        "--import",
        dest="import_from",
        type=Path,
        metavar="CONFIG",
        help="write overrides.yaml from a hand-kept LiteLLM config.yaml (see README)",
    )
    p.add_argument("--force", action="store_true", help="with --import: replace an existing overrides.yaml")
    p.add_argument(
        "--report",
        choices=("text", "markdown", "json"),
        default="text",
        help="the change report's form: text for terminals (colour on a tty unless NO_COLOR), "
        "markdown for pull requests, json for tools (see report.schema.json)",
    )
    volume = p.add_mutually_exclusive_group()
    volume.add_argument("-v", "--verbose", action="count", default=0, help="say more (progress, skipped models)")
    volume.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    listing = p.add_argument_group("filters for --list")
    listing.add_argument("--free", action="store_true", help="free models only")
    listing.add_argument("--max-input-price", type=float, metavar="USD", help="input price per million tokens at most")
    listing.add_argument(
        "--max-output-price", type=float, metavar="USD", help="output price per million tokens at most"
    )
    listing.add_argument(
        "--capability",
        action="append",
        default=[],
        choices=sorted(CAPABILITIES),
        help="models that have it (repeatable)",
    )
    _path_options(p)
    return p


def _path_options(p: argparse.ArgumentParser) -> None:
    for name, what in (
        ("config", "the config.yaml to write or check"),
        ("overrides", "overrides.yaml"),
        ("providers", "providers.yaml"),
        ("cache-dir", "the catalog cache folder"),
        ("templates", "the Jinja templates folder"),
    ):
        p.add_argument(f"--{name}", type=Path, metavar="PATH", help=f"{what} (default: the repo's own)")


def add_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="generate.py add",
        description=(
            "Add a model to overrides.yaml (checked against the cached catalog, comments and order kept), "
            "regenerate config.yaml offline and show the change."
        ),
    )
    p.add_argument("model", metavar="PROVIDER:ID", help="like openrouter:anthropic/claude-haiku-4.5")
    p.add_argument("--name", help="its model_name; equal names form one load-balanced group")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    _path_options(p)
    return p


def console() -> None:
    """The installed `modelsync` command: the same as generate.py, on the project in the current folder."""
    raise SystemExit(main(home=Path.cwd()))


def main(argv: Sequence[str] | None = None, home: Path | None = None) -> int:
    """Run the command line; `home` is the folder of the project's files (default: this repo)."""
    home = home or ROOT
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["add"]:
        add_args = add_parser().parse_args(argv[1:])
        setup_logging(-1 if add_args.quiet else 0)
        return _boundary(lambda: _add(add_args, home))
    if argv[:1] == ["list"]:  # `list PROVIDER [GLOB]` reads better than `--list`; both work
        argv = argv[1:] if "--everywhere" in argv else ["--list", *argv[1:]]
    args = parser().parse_args(argv)
    verbosity = -1 if args.quiet else args.verbose
    setup_logging(verbosity)
    return _boundary(lambda: _generate(args, home, verbosity))


def _boundary(action: Callable[[], int]) -> int:
    """The one place where errors become exit codes and sentences."""
    try:
        return action()
    except GenerateError as exc:
        log.error("%s", exc)
        return ExitCode.USER_ERROR
    except KeyboardInterrupt:
        log.error("interrupted — no file was left half-written; run again when ready")
        return ExitCode.USER_ERROR
    except Exception:  # a bug: say so, with the traceback a maintainer needs
        log.exception("unexpected error (a bug in generate.py) — please report it with this traceback")
        return ExitCode.BUG


def _generate(args: argparse.Namespace, home: Path, verbosity: int) -> int:
    paths = _paths(args, home)
    if args.everywhere:
        from .everywhere import list_everywhere

        sys.stdout.write(list_everywhere(paths, args.everywhere))
        return ExitCode.OK
    if args.list:
        filters = Filters(args.free, args.max_input_price, args.max_output_price, tuple(args.capability))
        return _list(args.list, paths, filters)
    if args.import_from:
        return _import(args.import_from, paths, args.force, verbosity)
    show_progress = not args.quiet and (sys.stderr.isatty() or args.verbose > 0)
    options = Options(
        check=args.check,
        dry_run=args.dry_run,
        offline=args.offline,
        refresh=args.refresh,
        only=tuple(args.provider),
        accept_held=args.accept_held,
        progress=ProgressPrinter() if show_progress else None,
    )
    return _finish(run(paths, options), args, paths, verbosity)


def _list(words: list[str], paths: Paths, filters: Filters) -> int:
    from .listing import list_catalog

    if len(words) > 2:
        raise GenerateError(
            f"--list takes a provider and at most one glob, not {len(words)} words",
            "quote the glob, like --list openrouter 'google/*'",
        )
    provider, pattern = words[0], words[1] if len(words) > 1 else "*"
    sys.stdout.write(list_catalog(paths, provider, pattern, filters))
    return ExitCode.OK


def _add(args: argparse.Namespace, home: Path) -> int:
    from . import formats
    from .add import add_model

    paths = _paths(args, home)
    result = add_model(paths, args.model, args.name, args.dry_run)
    if not args.quiet:
        if result.report is not None:
            sys.stdout.write(formats.text(result.report))
        verb = "would add" if args.dry_run else "added"
        print(
            f"{verb} {args.model} to {shown(paths.overrides)}; {shown(paths.config)} "
            f"{'would be' if args.dry_run else 'is'} updated ({len(result.merged.deployments)} deployments)"
        )
    return ExitCode.HELD if result.held else ExitCode.OK


def _import(source: Path, paths: Paths, force: bool, verbosity: int) -> int:
    from .importer import import_config

    imported = import_config(paths, source, force)
    if verbosity >= 0:
        print(
            f"imported {len(imported.models) + len(imported.entries)} deployments from {shown(source)}: "
            f"{len(imported.models)} catalog models, {len(imported.entries)} hand-written entries, "
            f"{len(imported.settings)} settings sections → {shown(paths.overrides)}\n"
            "next: python generate.py --offline --dry-run, to see how the catalogs differ from the old file"
        )
    return ExitCode.OK


def _paths(args: argparse.Namespace, home: Path) -> Paths:
    """The files the command line names, the rest in `home`."""
    default = Paths.of(home)
    given = {
        name: value
        for name in ("config", "overrides", "providers", "cache_dir", "templates")
        if (value := getattr(args, name)) is not None
    }
    return dataclasses.replace(default, **given)


def _print_report(result: Result, args: argparse.Namespace, paths: Paths, verbosity: int) -> None:
    """The report on stdout: text when something changed; Markdown and JSON always, for tools."""
    from . import formats
    from .report import Report

    report = result.report
    if args.report == "text":
        if report is not None and verbosity >= 0:
            colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            sys.stdout.write(formats.text(report, verbose=verbosity > 0, colour=colour))
        return
    count = len(result.merged.deployments)
    report = report or Report(after=count, before=count, skipped=result.merged.skipped)
    write = formats.markdown if args.report == "markdown" else formats.as_json
    sys.stdout.write(write(report, paths.config.name))


def _finish(result: Result, args: argparse.Namespace, paths: Paths, verbosity: int) -> int:
    _print_report(result, args, paths, verbosity)
    if args.check and result.changed:
        log.error(
            "%s is not what the inputs render — run `python generate.py --offline` and commit the result",
            shown(paths.config),
        )
        return ExitCode.WOULD_CHANGE
    if verbosity >= 0:  # beside a Markdown or JSON report on stdout, the status goes to stderr
        state = "is up to date" if not result.changed else "would be updated" if args.dry_run else "was updated"
        print(
            f"{shown(paths.config)} {state} ({len(result.merged.deployments)} deployments)",
            file=sys.stdout if args.report == "text" else sys.stderr,
        )
    if result.held:
        log.warning(
            "%d catalog change(s) held back for review — read the report, then run with --accept-held", len(result.held)
        )
        return ExitCode.OK if args.check else ExitCode.HELD
    return ExitCode.OK
