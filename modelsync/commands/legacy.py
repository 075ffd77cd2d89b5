"""`--list` and `--import`: the spellings from before the commands, still working, each as its command."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..core.errors import InputError


def options(parser: argparse.ArgumentParser) -> None:
    """The older spellings, among the top level's options."""
    p = parser.add_argument_group("the list and import commands as options (older spellings, still working)")
    p.add_argument(
        "--list", nargs="+", metavar=("PROVIDER", "GLOB"), help="the same as the list command: %(prog)s list --help"
    )
    p.add_argument("--import", dest="import_from", type=Path, metavar="CONFIG", help="the same as the import command")
    p.add_argument("--force", action="store_true", help="with --import: replace an existing overrides.yaml")
    from . import list_models  # only to build the whole parser: an up-to-date --check never does

    list_models.filter_options(parser, "filters for --list")


def command_of(args: argparse.Namespace) -> tuple[str, str, str] | None:
    """(the command an older spelling stands for, its option's dest, the option), or None."""
    if args.list:
        return "list", "list", "--list"
    if args.import_from:
        return "import", "import_from", "--import"
    return None


def as_command(args: argparse.Namespace) -> None:
    """Give the command the arguments it takes under its own names."""
    if args.import_from:
        args.source = args.import_from
        return
    if len(args.list) > 2:
        raise InputError(
            f"--list takes a provider and at most one glob, not {len(args.list)} words",
            "quote the glob, like --list openrouter 'google/*'",
        )
    args.provider, args.pattern = args.list[0], args.list[1] if len(args.list) > 1 else "*"
