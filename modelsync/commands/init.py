"""`init [FOLDER]`: write a new project (providers.yaml, a commented overrides.yaml, templates/,
.gitignore, and with --ci the CI recipes) from the package's own files, so an installed modelsync
works in any folder. Nothing that exists is replaced; a .gitignore gets our lines added.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..core.errors import ExitCode, InputError
from ..core.files import write_atomic
from ..core.output import shown
from ..outputs.ownership import file_generated
from . import Commands, command

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PRE_COMMIT = """\
# pre-commit: refuse a commit whose config.yaml is not what overrides.yaml, providers.yaml,
# cache/ and templates/ render (offline, writes nothing). Install with `pre-commit install`.
repos:
  - repo: local
    hooks:
      - id: config-yaml-generated
        name: config.yaml is generated from overrides.yaml
        entry: modelsync --check
        language: system
        pass_filenames: false
        files: ^(config\\.yaml|overrides\\.yaml|providers\\.yaml|cache/.*\\.json|templates/.*)$
"""

REQUIREMENTS = """\
# What the CI recipes install: the modelsync that wrote this project. Point it at where yours
# comes from (a package index, or git+https://.../modelsync@v{version}) if that is not an index.
modelsync=={version}
"""


@dataclass(frozen=True)
class Planned:
    """One file init writes: where, and what."""

    path: Path
    text: str
    append: bool = False  # an existing .gitignore gets the lines it lacks


def register(commands: Commands) -> None:
    p = command(
        commands,
        "init",
        "start a project in a folder: providers.yaml, a commented overrides.yaml, templates/, .gitignore",
        "--ci",
        "Write a new project into FOLDER (default: the current folder): providers.yaml, a commented "
        "overrides.yaml that selects nothing yet, templates/ and .gitignore; with --ci also the GitHub "
        "Actions recipes, a pre-commit config and a requirements.txt for them. Existing files are never "
        "replaced.",
    )
    p.add_argument("folder", nargs="?", type=Path, metavar="FOLDER", help="where (default: the current folder)")
    p.add_argument(
        "--ci",
        action="store_true",
        help="also write .github/workflows/ (the check gate and the weekly refresh), "
        ".pre-commit-config.yaml and requirements.txt",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    folder = args.folder if args.folder is not None else Path.cwd()
    planned = plan(folder, args.ci)
    write(planned)
    if not args.quiet:
        made = ", ".join(_shown(item, folder) for item in planned)
        steps = import_steps(folder / "config.yaml") if _hand_kept(folder) else next_steps()
        print(f"initialised {shown(folder)}: {made}\n{steps}")
        if args.me != "modelsync":
            print("(`pip install .` in the modelsync repository gives the modelsync command)")
    return ExitCode.OK


def shipped() -> Traversable:
    """The package's copy of what init writes (links to the repository's own files in a checkout)."""
    from importlib.resources import files  # only init pays for it

    return files("modelsync.project")


def plan(folder: Path, ci: bool) -> list[Planned]:
    """Every file to write; an error naming those that exist, before anything is written."""
    source = shipped()
    # Beside a config.yaml kept by hand, overrides.yaml is import's to write, from that config.
    overrides = [] if _hand_kept(folder) else [source.joinpath("overrides.yaml").read_text("utf-8")]
    planned = [
        Planned(folder / "providers.yaml", for_installed(source.joinpath("providers.yaml").read_text("utf-8"))),
        *(Planned(folder / "overrides.yaml", text) for text in overrides),
        *(
            Planned(folder / "templates" / entry.name, for_installed(entry.read_text("utf-8")))
            for entry in sorted(source.joinpath("templates").iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".j2")
        ),
        _gitignore(folder / ".gitignore", source.joinpath("gitignore").read_text("utf-8")),
    ]
    if ci:
        workflows = source.joinpath("workflows")
        planned += [
            Planned(folder / ".github" / "workflows" / entry.name, for_installed(entry.read_text("utf-8")))
            for entry in sorted(workflows.iterdir(), key=lambda e: e.name)
            if entry.name.endswith(".yml")
        ]
        planned += [
            Planned(folder / ".pre-commit-config.yaml", PRE_COMMIT),
            Planned(folder / "requirements.txt", REQUIREMENTS.format(version=__version__)),
        ]
    existing = [item.path for item in planned if item.path.exists() and not item.append]
    if existing:
        names = ", ".join(str(path.relative_to(folder)) for path in existing)
        raise InputError(
            f"init {shown(folder)}: {names} already exist{'s' * (len(existing) == 1)}, and init replaces nothing",
            "run it in an empty folder, or move those files away first",
        )
    return [item for item in planned if item.text]


def for_installed(text: str) -> str:
    """The repository's text, with `modelsync` where it says `python generate.py` (comments kept aligned)."""
    text = re.sub(
        r"python generate\.py(?P<args>[^#\n]*?)(?P<gap> {2,})#",
        lambda m: f"modelsync{m['args']}{m['gap']}{' ' * 9}#",
        text,
    )
    return re.sub(r"(python )?generate\.py", "modelsync", text)


def _gitignore(path: Path, ours: str) -> Planned:
    """Ours, or an existing .gitignore with the lines of ours it lacks added at its end."""
    try:
        current = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Planned(path, ours)
    have = {line.strip() for line in current.splitlines()}
    missing = [line for line in ours.splitlines() if line.strip() and line.strip() not in have]
    if not any(not line.startswith("#") for line in missing):
        return Planned(path, "", append=True)  # nothing to add
    separator = "" if not current or current.endswith("\n") else "\n"
    return Planned(path, current + separator + "\n" + "\n".join(missing) + "\n", append=True)


def write(planned: list[Planned]) -> None:
    for item in planned:
        try:
            write_atomic(item.path, item.text)
        except OSError as exc:
            raise InputError(
                f"cannot write {item.path}: {exc.strerror}", "pick a folder you can write to, or fix its permissions"
            ) from None


def next_steps(me: str = "modelsync") -> str:
    """What a newcomer runs next, in the new folder."""
    return (
        "next:\n"
        f"  {me} --provider openrouter       # fetch OpenRouter's catalog into cache/ (network; no key needed)\n"
        f"  {me} list openrouter --free      # find model ids, with prices per million tokens\n"
        f"  {me} add openrouter:ID --name N  # select one; config.yaml is written\n"
        f"  {me} --offline                   # or now: a config.yaml with no models yet"
    )


def _hand_kept(folder: Path) -> bool:
    """Whether the folder holds a config.yaml modelsync did not write, which a first run would replace."""
    return not file_generated(folder / "config.yaml")


def import_steps(config: Path) -> str:
    """What to run next in a folder whose config.yaml is kept by hand: import it, losing nothing."""
    name = shown(config)
    return (
        f"{name} was not written by modelsync, so overrides.yaml was not written and no run will replace "
        f"{name} as it is. Next:\n"
        f"  modelsync import {name}   # write overrides.yaml from it (catalogs fetched first; --offline to skip)\n"
        f"  modelsync --offline       # then render it; the original is kept as {name}.bak, never replaced"
    )


def _shown(item: Planned, folder: Path) -> str:
    name = str(item.path.relative_to(folder))
    return f"{name} (lines added)" if item.append else name
