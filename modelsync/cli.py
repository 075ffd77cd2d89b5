"""The command line: wire each command's arguments to its module, turn every outcome into an exit code."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import ModuleType

from . import __version__
from .commands import Help, legacy, quick_check, verbosity
from .core.errors import ExitCode, GenerateError, InputError
from .core.output import as_invoked, setup_logging
from .core.paths import ROOT

log = logging.getLogger("modelsync")

# In the order `--help` lists them. Imported only to parse a command line: they load the
# pipeline (yaml, jinja2, pydantic), which an up-to-date --check does without.
COMMANDS = ("generate", "list_models", "add", "remove", "import_config", "init", "audit", "usage", "push")


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"{__package__}.commands.{name}")


DESCRIPTION = """\
Render a LiteLLM proxy config.yaml from provider catalogs (cached in cache/), overrides.yaml \
and the templates, and report what changed, model by model.

To add or change a model, edit overrides.yaml (or use `add`) and run this again; never edit \
config.yaml. Without a command, %(prog)s generates (the same as `%(prog)s generate`)."""

EPILOG = """\
exit codes:
  0  config.yaml is up to date (or was written)
  1  --check: config.yaml is not what the inputs render; the report says what would change
  2  an error you can fix: the message says what happened and what to do
  3  an unexpected error (a bug): please report it with the traceback
  4  written, but some catalog changes look wrong and were held back for review
     (listed in the report); --accept-held takes them
  130  interrupted (Ctrl-C); no file was changed or left half-written

--check is the CI gate: it never touches the network and never writes.
Every command has its own --help: %(prog)s list --help."""


def parser(prog: str = "generate.py") -> argparse.ArgumentParser:
    """The whole command line: generate's options at the top, and every command."""
    p = argparse.ArgumentParser(
        prog=prog,
        usage="%(prog)s [COMMAND] [options]",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=lambda prog: Help(prog, max_help_position=16),
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = p.add_subparsers(
        dest="command", title="commands", metavar="COMMAND", prog=prog, help="each has its own --help"
    )
    for name in COMMANDS:
        _command(name).register(commands)
    _command("generate").options(p, "options of generate, the default command")
    legacy.options(p)
    _share_options(p, commands.choices.values())
    return p


def _share_options(top: argparse.ArgumentParser, subcommands: Iterable[argparse.ArgumentParser]) -> None:
    """An option a command shares with the top level (-q, --config, ...) may come before or after it."""
    shared = {action.dest for action in top._actions}
    for sub in subcommands:
        for action in sub._actions:
            if action.dest in shared and action.option_strings and action.dest != "help":
                action.default = argparse.SUPPRESS


def console() -> None:
    """The installed `modelsync` command: the same as generate.py, on the project in the current folder."""
    raise SystemExit(ending(main(home=Path.cwd(), prog="modelsync")))


def ending(code: int) -> int:
    """For a process about to exit with `code`: spare it the garbage collector's last pass.

    At exit Python walks every object it tracks once more, to collect cycles nobody will ever
    see freed: 20-40 ms of every run, more after a refresh. Frozen objects are not walked. Only
    for the process's own end, never for `main` called in a process that goes on (the tests).
    """
    gc.freeze()
    return code


def main(argv: Sequence[str] | None = None, home: Path | None = None, prog: str = "generate.py") -> int:
    """Run the command line; `home` is the folder of the project's files (default: this repo)."""
    home = home or ROOT
    argv = sys.argv[1:] if argv is None else argv
    me = _me(prog)  # how the user runs us, for advice
    if not _SHOWS_ONLY_HELP.intersection(argv):  # a bad MODELSYNC_* value is exit 2 on every command
        refused = _boundary(_check_settings, me, logging_set=False)
        if refused:
            return refused
    quick = quick_check.run(argv, home, me)
    if quick is not None:
        return quick
    top = parser(prog)
    args, unknown = top.parse_known_args(argv)
    if unknown:
        _refuse_unknown(top, args, unknown)
    args.me = me
    setup_logging(verbosity(args), args.me)
    return _boundary(lambda: _dispatch(top, args, home), args.me)


_SHOWS_ONLY_HELP = frozenset({"-h", "--help", "--version"})


def _me(prog: str) -> str:
    """How the user runs us, for advice."""
    return "modelsync" if prog == "modelsync" else f"python {prog}"


def _check_settings() -> int:
    from .core.settings import check_settings

    check_settings()
    return ExitCode.OK


def _dispatch(top: argparse.ArgumentParser, args: argparse.Namespace, home: Path) -> int:
    """Run the command given, an older spelling's, or generate; refuse a top-level option that would do nothing."""
    if args.command is not None:
        sub = _subparser(top, args.command)
        _refuse_given(
            top, args, {action.dest for action in sub._actions} | set(sub._defaults), f"the {args.command} command"
        )
        run: Callable[[argparse.Namespace, Path], int] = args.run
        return run(args, home)
    name, dest, context = legacy.command_of(args) or ("generate", "", "generating config.yaml")
    sub = _subparser(top, name)
    _refuse_given(top, args, {action.dest for action in sub._actions if action.option_strings} | {dest}, context)
    if dest:
        legacy.as_command(args)
    run = sub._defaults["run"]
    return run(args, home)


def _refuse_given(top: argparse.ArgumentParser, args: argparse.Namespace, allowed: set[str], context: str) -> None:
    """A top-level option that would do nothing in this context is an error, not silence."""
    for action in top._actions:
        if not action.option_strings or action.dest in allowed | {"help", "version"}:
            continue
        if getattr(args, action.dest, action.default) != action.default:
            raise InputError(
                f"{action.option_strings[-1]} does nothing with {context}",
                f"drop it, or see `{args.me} {args.command or ''} --help`".replace("  ", " "),
            )


NEVER_FETCH = {"list": "reads cache/ only", "add": "regenerates offline", "remove": "regenerates offline"}


def _refuse_unknown(top: argparse.ArgumentParser, args: argparse.Namespace, unknown: list[str]) -> None:
    """argparse's error, with the usage of the command given rather than the top level's, and why
    `--offline` (a habit from generate) is not there for the commands that never fetch."""
    command = getattr(args, "command", None)
    where = _subparser(top, command) if command else top
    message = f"unrecognized arguments: {' '.join(unknown)}"
    if "--offline" in unknown and command in NEVER_FETCH:
        message += f" ({command} {NEVER_FETCH[command]}: it never fetches, so it takes no --offline)"
    where.error(message)


def _subparser(top: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices[name]  # type: ignore[no-any-return]
    raise KeyError(name)


def _boundary(action: Callable[[], int], me: str = "python generate.py", logging_set: bool = True) -> int:
    """The one place where errors become exit codes and sentences."""
    try:
        return action()
    except GenerateError as exc:
        if not logging_set:  # before the command line is read: errors only, as -q would
            setup_logging(-1, me)
        # The modules' advice names the command as a checkout runs it; installed, it is `modelsync`.
        log.error("%s", as_invoked(str(exc), me))
        return ExitCode.USER_ERROR
    except KeyboardInterrupt:  # files are written only after every fetch, and whole: none is half-written
        log.error("interrupted — no file was left half-written; run again when ready")
        return ExitCode.INTERRUPTED
    except Exception:  # a bug: say so, with the traceback a maintainer needs
        log.exception("unexpected error (a bug in modelsync) — please report it with this traceback")
        return ExitCode.BUG
