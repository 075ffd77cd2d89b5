"""`import CONFIG`: write overrides.yaml from a hand-kept LiteLLM config.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ExitCode
from ..output import shown
from . import Commands, command, path_options, paths_of, verbosity, volume_options


def register(commands: Commands) -> None:
    p = command(
        commands,
        "import",
        "write overrides.yaml from a LiteLLM config.yaml you kept by hand",
        "path/to/config.yaml",
        "Write overrides.yaml from a hand-kept LiteLLM config.yaml: catalog models become references, "
        "the rest hand-written entries, the settings sections are kept, literal keys become os.environ/ "
        "references. Then `--offline --dry-run` shows how today's catalogs differ from it.",
    )
    p.add_argument("source", type=Path, metavar="CONFIG", help="the LiteLLM config.yaml to import")
    p.add_argument("--force", action="store_true", help="replace an existing overrides.yaml")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from ..importer import import_config

    paths = paths_of(args, home)
    imported = import_config(paths, args.source, args.force, args.me)
    if verbosity(args) >= 0:
        print(
            f"imported {len(imported.models) + len(imported.entries)} deployments from {shown(args.source)}: "
            f"{len(imported.models)} catalog models, {len(imported.entries)} hand-written entries, "
            f"{len(imported.settings)} settings sections → {shown(paths.overrides)}\n"
            f"next: {args.me} --offline --dry-run, to see how the catalogs differ from the old file"
        )
    return ExitCode.OK
