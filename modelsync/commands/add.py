"""`add PROVIDER:ID [--name NAME] [--param K=V] [--pin K=V] [--exclude P]`: add a model to overrides.yaml.

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
        "regenerate config.yaml offline and show the change. Values of --param and --pin are YAML scalars "
        "(60, 3e-7, true, text); an add that would deploy nothing (a variable price, say) is an error and "
        "writes nothing.",
    )
    p.add_argument(
        "model",
        metavar="PROVIDER:ID",
        help="like openrouter:anthropic/claude-haiku-4.5; or a bare id, like claude-haiku-4.5, "
        "for every provider in use that sells it",
    )
    p.add_argument("--name", help="its model_name; equal names form one load-balanced group")
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="K=V",
        help="an extra litellm_param, like rpm=60 or api_base=os.environ/MY_BASE (repeatable; keys as "
        "os.environ/VAR, never their value)",
    )
    p.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="K=V",
        help="a value that wins over the catalog's, like input_cost_per_token=3e-7 or max_input_tokens=128000 "
        "(repeatable; provider:id only)",
    )
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PROVIDER",
        help="with a bare id: a provider its group must not take the model from (repeatable)",
    )
    edit_options(p, execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .adding import Addition
    from .editing import add_model  # yaml, pydantic, the pipeline: only when it runs

    paths = paths_of(args, home)
    addition = Addition(args.model, args.name, tuple(args.param), tuple(args.pin), tuple(args.exclude))
    result = add_model(paths, addition, args.dry_run)
    return edited(args, paths, result, f"added {args.model} to", f"would add {args.model} to")
