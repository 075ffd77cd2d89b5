"""`remove PROVIDER:ID | NAME`: undo `add`, keeping every comment and the order of overrides.yaml.

`PROVIDER:ID` removes every `models:` entry of that model (`--name` picks one of them); a bare
name removes every deployment of that group: the `models:` entries whose model_name it is (given
or from the provider's naming rule) and the hand-written `entries:` of that model_name.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ExitCode
from ..output import as_invoked, shown
from . import Commands, command, path_options, paths_of, volume_options


def register(commands: Commands) -> None:
    p = command(
        commands,
        "remove",
        "remove a model or a whole group from overrides.yaml and regenerate config.yaml",
        "openrouter:google/gemini-2.5-flash",
        "Remove a model from overrides.yaml: PROVIDER:ID removes every models: entry of that model (--name "
        "picks one); a bare NAME removes every deployment of that model_name, from models: and entries:. "
        "Comments and the order of the file stay; config.yaml is regenerated offline and the change shown.",
    )
    p.add_argument("target", metavar="PROVIDER:ID|NAME", help="like openrouter:anthropic/claude-haiku-4.5, or a group")
    p.add_argument("--name", help="with PROVIDER:ID: only the entry of this model_name")
    p.add_argument("--dry-run", action="store_true", help="only show what would change")
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .. import formats
    from ..editing import remove  # yaml, pydantic, the pipeline: only when it runs

    paths = paths_of(args, home)
    removed, result = remove(paths, args.target, args.name, args.dry_run)
    if not args.quiet:
        if result.report is not None:
            sys.stdout.write(as_invoked(formats.text(result.report), args.me))
        verb = "would remove" if args.dry_run else "removed"
        print(
            f"{verb} {', '.join(removed)} from {shown(paths.overrides)}; {shown(paths.config)} "
            f"{'would be' if args.dry_run else 'is'} updated ({len(result.merged.deployments)} deployments)"
        )
    return ExitCode.HELD if result.held and not args.dry_run else ExitCode.OK  # a dry run writes nothing
