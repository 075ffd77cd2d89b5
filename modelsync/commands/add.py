"""`add PROVIDER:ID [--name NAME]`: add a model to overrides.yaml from the terminal.

The id is checked against the cached catalog; the model is appended to the `models:` list in
place (editing.py), so every comment, the order and the line endings of the file stay as the
user wrote them.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import Commands, command, edit_options, edited, paths_of


def register(commands: Commands) -> None:
    p = command(
        commands,
        "add",
        "add a model to overrides.yaml and regenerate config.yaml",
        "openrouter:google/gemini-2.5-flash --name gemini-2.5-flash",
        "Add a model to overrides.yaml (checked against the cached catalog, comments and order kept), "
        "regenerate config.yaml offline and show the change.",
    )
    p.add_argument(
        "model",
        metavar="PROVIDER:ID",
        help="like openrouter:anthropic/claude-haiku-4.5; or a bare id, like claude-haiku-4.5, "
        "for every provider in use that sells it",
    )
    p.add_argument("--name", help="its model_name; equal names form one load-balanced group")
    edit_options(p, execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .editing import add_model  # yaml, pydantic, the pipeline: only when it runs

    paths = paths_of(args, home)
    result = add_model(paths, args.model, args.name, args.dry_run)
    return edited(args, paths, result, f"added {args.model} to", f"would add {args.model} to")
