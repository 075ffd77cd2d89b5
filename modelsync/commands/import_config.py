"""`import CONFIG`: write overrides.yaml from a hand-kept LiteLLM config.yaml."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from ..core.errors import ExitCode, InputError
from ..core.output import shown
from ..core.paths import Paths
from . import PATH_OPTIONS, Commands, command, path_options, paths_of, verbosity, volume_options


def register(commands: Commands) -> None:
    p = command(
        commands,
        "import",
        "write overrides.yaml from a LiteLLM config.yaml you kept by hand",
        "path/to/config.yaml",
        "Write overrides.yaml from a hand-kept LiteLLM config.yaml: catalog models become references, "
        "the rest hand-written entries, every top-level section is kept, literal secrets move to .env "
        "(mode 0600) behind os.environ/ references. The catalogs the config uses are fetched first "
        "(unless --offline), and what could not be matched is listed with the reason. "
        "Then `--offline --dry-run` shows how today's catalogs differ from it.",
    )
    p.add_argument("source", type=Path, metavar="CONFIG", nargs="?", help="the LiteLLM config.yaml to import")
    p.add_argument(
        "--from-proxy",
        metavar="URL",
        help="import a running proxy's database models instead (store_model_in_db), read with the master key "
        "in LITELLM_MASTER_KEY (or --master-key-env)",
    )
    p.add_argument("--master-key-env", default="LITELLM_MASTER_KEY", metavar="VAR", help="with --from-proxy")
    p.add_argument("--force", action="store_true", help="replace an existing overrides.yaml")
    p.add_argument(
        "--offline",
        action="store_true",
        help="match against cache/ as it is; by default the catalogs are fetched first",
    )
    volume_options(p, verbose=False)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from .importer import import_config

    paths = paths_of(args, home)
    legacy = _from_proxy(args) if getattr(args, "from_proxy", None) else None
    if legacy is None and args.source is None:
        raise InputError("import needs a CONFIG to read, or --from-proxy URL", f"see `{args.me} import --help`")
    args.source = args.source or Path("proxy-models.yaml")  # how the header names a proxy's models
    imported = import_config(paths, args.source, args.force, args.offline, args.me, legacy=legacy)
    if verbosity(args) < 0:
        return ExitCode.OK
    print(
        f"imported {len(imported.models) + len(imported.entries)} deployments from {shown(args.source)}: "
        f"{len(imported.models)} catalog models, {len(imported.entries)} hand-written entries, "
        f"{len(imported.settings)} top-level sections → {shown(paths.overrides)}"
    )
    if imported.unmatched:
        print(f"not matched to a catalog model ({len(imported.unmatched)}):")
        for item in imported.unmatched:
            print(f"  {item.model_name} ({item.model}): {item.reason}")
    if imported.written:
        dotenv = shown(paths.overrides.parent / ".env")
        print(f"literal secrets moved to {dotenv} (mode 0600, values not shown): {', '.join(imported.written)}")
    if set(imported.variables) - set(imported.written):
        print(f"already in .env: {', '.join(sorted(set(imported.variables) - set(imported.written)))}")
    print(f"next: {args.me} --offline --dry-run{_compared_with(args, paths)}, to see how the catalogs differ from it")
    return ExitCode.OK


def _compared_with(args: argparse.Namespace, paths: Paths) -> str:
    """The options that make the dry run read the files just written and compare with the imported one."""
    given = {name: getattr(args, name.replace("-", "_"), None) for name, _ in PATH_OPTIONS if name != "config"}
    options = [f"--{name} {shlex.quote(shown(value))}" for name, value in given.items() if value is not None]
    if args.source.resolve() != paths.config.resolve():  # a dry run compares with --config: the old file
        options.append(f"--config {shlex.quote(shown(args.source))}")
    return "".join(f" {option}" for option in options)


def _from_proxy(args: argparse.Namespace) -> dict[str, Any]:
    """The proxy's database models as a config.yaml's content."""
    from ..model.targets import ProxyTarget as Settings
    from ..targets.admin_api import AdminApi
    from ..targets.proxy import ProxyTarget
    from ..targets.pull import as_legacy_config

    try:
        settings = Settings(url=args.from_proxy, master_key=f"os.environ/{args.master_key_env}")
    except ValueError as exc:
        raise InputError(
            f"--from-proxy {args.from_proxy}: not a proxy's address", "give it like http://HOST:4000"
        ) from exc
    target = ProxyTarget(AdminApi(settings))
    try:
        return as_legacy_config(target)
    finally:
        target.api.close()
