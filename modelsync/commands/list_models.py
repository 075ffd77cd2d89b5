"""`list PROVIDER [GLOB]`: print a provider's cached catalog, filtered, to find ids for overrides.yaml."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import ExitCode, InputError
from . import Commands, command, path_options, paths_of
from .listing_filters import CAPABILITIES, Filters


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
    p.add_argument("provider", metavar="PROVIDER", nargs="?", help="a provider key of providers.yaml, like openrouter")
    p.add_argument("pattern", metavar="GLOB", nargs="?", default="*", help="ids matching it (default: all)")
    p.add_argument(
        "--everywhere",
        metavar="NAME",
        help="instead: per provider with a cached catalog, the id a bare NAME under models: would take, "
        "its price and context window, the ids that tied and the close ids rejected",
    )
    filter_options(p)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .listing import list_catalog

    if getattr(args, "everywhere", None):
        return _everywhere(args, home)
    if args.provider is None:
        raise InputError("list: name a provider, or a model with --everywhere NAME", "like: list openrouter 'google/*'")

    filters = Filters(args.free, args.max_input_price, args.max_output_price, tuple(args.capability))
    sys.stdout.write(list_catalog(paths_of(args, home), args.provider, args.pattern, filters))
    return ExitCode.OK


def _everywhere(args: argparse.Namespace, home: Path) -> int:
    from .everywhere import list_everywhere

    if args.provider is not None or filters_given(args):
        raise InputError(
            "list --everywhere takes a model name alone, not a provider, glob or filters",
            f"run: list --everywhere {args.everywhere}",
        )
    sys.stdout.write(list_everywhere(paths_of(args, home), args.everywhere))
    return ExitCode.OK
