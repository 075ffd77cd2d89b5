"""An up-to-date `--check`, answered from config.yaml's digest line before the pipeline loads.

`--check` runs on every commit. When config.yaml's digest line (stamp.py) still matches the
inputs and the file, the answer is "up to date" and nothing needs rendering, so nothing heavy is
imported: what the full check would say (warnings, a Markdown or JSON report) is replayed from
the record the writing run kept beside config.yaml (outputs/said.py). Every other case, and any
argument this parser does not know for sure means the same as it does to the full command line,
returns None: the caller then runs the full check.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from ..core.errors import ExitCode
from ..core.output import SCRIPT, as_invoked, setup_logging, shown
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


def run(argv: Sequence[str], home: Path, me: str = SCRIPT) -> int | None:
    """Exit 0, saying what the full check would, when the digest proves config.yaml current; None to run it."""
    from ..outputs import said, stamp

    args = parse(argv)
    if args is None:
        return None
    paths, level = paths_of(args, home), verbosity(args)
    try:
        found = stamp.current(paths)
        silent = found is not None and args.report == "text" and (not found.warnings or level < 0)
        record = None if found is None or silent else said.load(paths, found.said)
        warnings, report = record.replay(args.report) if record else ([], "")  # all of it, before a word is said
    except Exception:  # whatever went wrong, the full check meets it again and says it properly
        return None
    if found is None or not (silent or record):
        return None
    setup_logging(level, me)
    log.info("%s matches its digest line: inputs and file unchanged since written, not rendered", shown(paths.config))
    for warned, message in warnings:  # what the full check logs, then prints, in its order
        log.log(warned, "%s", message)
    sys.stdout.write(as_invoked(report, me))
    if level >= 0:
        print_state(paths, "is up to date", found.deployments, args.report, me)
    return ExitCode.OK
