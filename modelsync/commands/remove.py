"""`remove PROVIDER:ID | NAME`: undo `add`, keeping every comment and the order of overrides.yaml.

`PROVIDER:ID` removes every `models:` entry of that model (`--name` picks one of them); a bare
name removes every deployment of that group: the `models:` entries whose model_name it is (given
or from the provider's naming rule) and the hand-written `entries:` of that model_name.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import Commands, command, edit_options, edited, paths_of


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
    p.add_argument(
        "targets",
        nargs="+",
        metavar="PROVIDER:ID|NAME",
        help="like openrouter:anthropic/claude-haiku-4.5, or a group; several go in one edit",
    )
    p.add_argument("--name", help="with PROVIDER:ID: only the entry of this model_name")
    edit_options(p, execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .removing import remove  # yaml, pydantic, the pipeline: only when it runs

    paths = paths_of(args, home)
    removed, result = remove(paths, args.targets, args.name, args.dry_run)
    what = ", ".join(removed)
    return edited(args, paths, result, f"removed {what} from", f"would remove {what} from")
