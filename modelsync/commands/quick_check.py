"""An up-to-date `--check`, answered from config.yaml's digest line before the pipeline loads.

`--check` runs on every commit. When config.yaml's digest line (stamp.py) still matches the
inputs and the file, the answer is "up to date" and nothing needs rendering, so nothing heavy is
imported. Every other case, and any argument this parser does not know for sure means the same
as it does to the full command line, returns None: the caller then runs the full check.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..core.errors import ExitCode
from ..core.output import setup_logging, shown
from . import path_options, paths_of, verbosity, volume_options
from .generate import accept_held_option, change_report_option, print_state

log = logging.getLogger("modelsync")


class _Declined(Exception):
    """The arguments are not a plain check: leave them to the full command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _Declined(message)


def _parser(top_level: bool) -> argparse.ArgumentParser:
    """The check's own options, built by the same functions as the full parser's (no abbreviations)."""
    p = _Parser(add_help=False, allow_abbrev=False)
    if top_level:
        p.add_argument("--check", action="store_true", required=True)
    accept_held_option(p)
    change_report_option(p)
    volume_options(p)
    path_options(p)
    return p


def parse(argv: Sequence[str]) -> argparse.Namespace | None:
    """`check [options]` or `[options] --check [options]` with the check's options only; else None."""
    argv = list(argv)
    subcommand = bool(argv) and argv[0] == "check"
    if not subcommand and ("--check" not in argv or "check" in argv):
        return None
    try:
        return _parser(top_level=not subcommand).parse_args(argv[1:] if subcommand else argv)
    except _Declined:
        return None


def run(argv: Sequence[str], home: Path) -> int | None:
    """Exit 0 with the usual line when the digest proves config.yaml current; None to run the full check."""
    from ..outputs import stamp

    args = parse(argv)
    if args is None or args.report != "text":  # Markdown and JSON list skipped models: they render
        return None
    paths, level = paths_of(args, home), verbosity(args)
    try:
        found = stamp.current(paths)
    except Exception:  # whatever went wrong, the full check meets it again and says it properly
        return None
    if found is None or (found.warnings and level >= 0):  # warnings are shown by rendering again
        return None
    setup_logging(level)
    log.info("%s matches its digest line: inputs and file unchanged since written, not rendered", shown(paths.config))
    if level >= 0:
        print_state(paths, "is up to date", found.deployments, args.report)
    return ExitCode.OK
