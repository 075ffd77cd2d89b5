"""One module per command. Each registers its parser with `register(commands)`, setting
`run=execute`, and `execute(args, home)` returns the exit code; cli.py lists the modules in
COMMANDS (the order --help shows), wires them together and keeps the one error boundary.

A new command: a module here with register() (use `command()` for its summary and example) and
execute(), and a line in cli.COMMANDS. Options it shares with the top level (-q, --config, ...)
may then come before or after its name; any other top-level option given with it is an error.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from ..core.paths import Paths

if TYPE_CHECKING:
    from ..pipeline import Result

# argparse's own type for the object add_subparsers() returns, which each command adds itself to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

PATH_OPTIONS = (
    ("config", "the config.yaml to write or check"),
    ("overrides", "overrides.yaml"),
    ("providers", "providers.yaml"),
    ("cache-dir", "the catalog cache folder"),
    ("templates", "the Jinja templates folder"),
)


def path_options(p: argparse.ArgumentParser) -> None:
    """--config, --overrides, ...: other files than the project's own."""
    group = p.add_argument_group("files (default: the project's own)")
    for name, what in PATH_OPTIONS:
        group.add_argument(f"--{name}", type=Path, metavar="PATH", help=what)


FORMS = ("text", "markdown", "json")  # every report's forms: text for terminals, the others for tools


def report_option(p: argparse._ActionsContainer, what: str) -> None:
    """--report: the one option every command with a report takes."""
    p.add_argument("--report", choices=FORMS, default="text", help=what)


def volume_options(p: argparse._ActionsContainer, verbose: bool = True) -> None:
    volume = p.add_mutually_exclusive_group()
    if verbose:
        volume.add_argument("-v", "--verbose", action="count", default=0, help="say more (progress, skipped models)")
    volume.add_argument("-q", "--quiet", action="store_true", help="print errors only")


def verbosity(args: argparse.Namespace) -> int:
    """-1 with -q, 0 by default, 1+ with -v."""
    return -1 if args.quiet else int(getattr(args, "verbose", 0))


def paths_of(args: argparse.Namespace, home: Path) -> Paths:
    """The files the command line names, the rest in `home`."""
    given = {
        name: value
        for name in ("config", "overrides", "providers", "cache_dir", "templates")
        if (value := getattr(args, name, None)) is not None
    }
    return dataclasses.replace(Paths.of(home), **given)


def command(
    commands: Commands, name: str, summary: str, example: str, description: str = ""
) -> argparse.ArgumentParser:
    """A subcommand whose line in the top-level --help is its summary and one example."""
    return commands.add_parser(
        name,
        help=f"{summary}\n  %(prog)s {name} {example}".rstrip(),
        description=description or summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  %(prog)s {example}".rstrip(),
        formatter_class=Help,
    )


class Help(argparse.HelpFormatter):
    """Wraps each line of a text on its own: an example keeps its line, an indented line is kept as is."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        fill = super()._fill_text
        return "\n".join(
            line if line.startswith(" ") or not line else fill(line, width, indent) for line in text.splitlines()
        )

    def _split_lines(self, text: str, width: int) -> list[str]:
        split = super()._split_lines
        return [line for part in text.splitlines() for line in split(part, width)]


def edit_options(p: argparse.ArgumentParser, run: Callable[[argparse.Namespace, Path], int]) -> None:
    """add's and remove's shared tail: --dry-run, -q and the files, then what runs them."""
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=run)


def edited(args: argparse.Namespace, paths: Paths, result: Result, done: str, would: str) -> int:
    """add's and remove's end: the report, one line on the edit (`done` or, in a dry run, `would`)
    and the exit code."""
    import sys

    from ..core.errors import ExitCode
    from ..core.output import as_invoked, shown
    from ..outputs import formats

    if not args.quiet:
        if result.report is not None:
            sys.stdout.write(as_invoked(formats.text(result.report), args.me))
        print(
            f"{would if args.dry_run else done} {shown(paths.overrides)}; {shown(paths.config)} "
            f"{'would be' if args.dry_run else 'is'} updated ({len(result.merged.deployments)} deployments)"
        )
    return ExitCode.HELD if result.held and not args.dry_run else ExitCode.OK  # a dry run writes nothing
