"""`list PROVIDER [GLOB]`: print a provider's cached catalog, filtered, to find ids for overrides.yaml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ExitCode
from ..listing_filters import CAPABILITIES, Filters
from . import Commands, command, path_options, paths_of


def filter_options(p: argparse.ArgumentParser, title: str = "filters") -> None:
    listing = p.add_argument_group(title)
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


def filters_given(args: argparse.Namespace) -> list[str]:
    """The filter flags set on the command line, as typed."""
    values = (args.free, args.max_input_price is not None, args.max_output_price is not None, args.capability)
    names = ("--free", "--max-input-price", "--max-output-price", "--capability")
    return [name for name, value in zip(names, values, strict=True) if value]


def register(commands: Commands) -> None:
    p = command(
        commands,
        "list",
        "print a provider's cached catalog (prices per million tokens, context, selected or not)",
        "openrouter 'google/*' --capability vision --max-input-price 0.5",
    )
    p.add_argument("provider", metavar="PROVIDER", help="a provider key of providers.yaml, like openrouter")
    p.add_argument("pattern", metavar="GLOB", nargs="?", default="*", help="ids matching it (default: all)")
    filter_options(p)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from ..listing import list_catalog

    filters = Filters(args.free, args.max_input_price, args.max_output_price, tuple(args.capability))
    sys.stdout.write(list_catalog(paths_of(args, home), args.provider, args.pattern, filters))
    return ExitCode.OK
