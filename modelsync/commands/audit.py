"""`audit`: compare config.yaml's prices and limits with models.dev and LiteLLM's own price map.

Exit 0 when every second source agrees within the tolerance, 1 when one disagrees (listed per
model and key, with what each source says), 2 on an error. `--offline` reads the cache only.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import ExitCode, InputError
from ..core.output import shown
from ..core.paths import Paths
from ..sources.litellm_map import DOCUMENT as LITELLM_DOC
from ..sources.litellm_map import LABEL as LITELLM
from ..sources.models_dev import DOCUMENT as MODELS_DEV_DOC
from ..sources.models_dev import SOURCE as MODELS_DEV
from . import Commands, command, path_options, paths_of, report_option, verbosity, volume_options
from .progress import ProgressPrinter

if TYPE_CHECKING:  # every command is imported to parse a command line: the audit's own load when it runs
    from ..sources.driver import Sources
    from ..sources.store import Store
    from .auditing import Opinion

log = logging.getLogger("modelsync")
SECOND_SOURCES = {MODELS_DEV_DOC: MODELS_DEV, LITELLM_DOC: LITELLM}


def register(commands: Commands) -> None:
    p = command(
        commands,
        "audit",
        "compare config.yaml's prices and limits with models.dev and LiteLLM's own price map",
        "--offline --report markdown",
        "Compare every deployment's prices and limits in config.yaml with the second sources (models.dev, "
        "LiteLLM's own price map), and list each disagreement beyond the tolerance with what each source "
        "says. Exit 0 when all agree, 1 when something disagrees, 2 on an error. Both sources are cached "
        "like catalogs (cache/models_dev.json, cache/litellm.json); their URLs are under sources: in "
        "providers.yaml.",
    )
    p.add_argument("--offline", action="store_true", help="use the cached second sources only, never the network")
    p.add_argument("--refresh", action="store_true", help="fetch the second sources even when the cache is fresh")
    p.add_argument(
        "--tolerance",
        type=float,
        default=1.0,
        metavar="PERCENT",
        help="how far a source may differ before it counts as a disagreement (default: 1)",
    )
    report_option(p, "the audit's form")
    volume_options(p)
    path_options(p)
    p.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from ..sources.driver import Sources
    from . import audit_formats
    from .auditing import audit

    paths = paths_of(args, home)
    if args.tolerance < 0:
        raise InputError(f"--tolerance {args.tolerance:g}: a tolerance is not negative", "give a percentage like 1")
    model_list = _model_list(paths)
    with Sources(paths.cache_dir) as sources:
        tried = None if args.offline else _refresh(paths, sources, verbosity(args), args.refresh)
    result = audit(model_list, _opinions(paths, sources.store, tried), args.tolerance / 100)
    name = shown(paths.config)
    if args.report != "text":
        sys.stdout.write(audit_formats.FOR_TOOLS[args.report](result, name))
    elif verbosity(args) >= 0 or result.disagreements:
        sys.stdout.write(audit_formats.text(result, name, verbose=verbosity(args) > 0))
    return ExitCode.WOULD_CHANGE if result.disagreements else ExitCode.OK


def _model_list(paths: Paths) -> list[dict[str, Any]]:
    from ..targets.config_file import parse_config

    try:
        text = paths.config.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{paths.config} does not exist", "run `python generate.py` first, then audit it") from None
    model_list = parse_config(text)[0].get("model_list")
    if not isinstance(model_list, list):
        raise InputError(f"{paths.config}: no model_list to audit", "point --config at a LiteLLM config.yaml")
    return [item for item in model_list if isinstance(item, dict)]


def _opinions(paths: Paths, store: Store, tried: dict[str, str] | None) -> dict[str, Opinion]:
    """Each second source that is cached; one that is not is said once and left out.

    `tried` holds the URLs this run fetched from; None when it ran --offline."""
    from ..sources.providers import load_providers
    from .auditing import litellm_opinion, models_dev_opinion

    providers = load_providers(paths.providers)
    makers = {MODELS_DEV_DOC: models_dev_opinion, LITELLM_DOC: litellm_opinion}
    opinions = {}
    for name, label in SECOND_SOURCES.items():
        document = store.document(name)
        if document is None:
            log.warning("%s is not cached (%s): audited without it — %s", label, name, _helps(paths, name, tried))
            continue
        opinions[label] = makers[name](document.body, providers)
    if not opinions:
        raise InputError(f"no second source is cached in {paths.cache_dir}", _helps(paths, "", tried))
    return opinions


def _helps(paths: Paths, name: str, tried: dict[str, str] | None) -> str:
    """What gets a missing second source: fetching it, or, when this run could not, the network or a copy."""
    if tried is None:
        return "run `python generate.py audit` without --offline to fetch it"
    where = f"from {tried[name]}" if name in tried else "from its sources: URL in providers.yaml"
    saved = f"{shown(paths.cache_dir / name)}.json" if name else f"{shown(paths.cache_dir)}/"
    return f"it could not be fetched {where} (see above): check the network, or save the document as {saved}"


def _refresh(paths: Paths, sources: Sources, level: int, force: bool) -> dict[str, str]:
    """Fetch the second sources that are stale; return the URLs they come from."""
    from ..sources.providers import load_sources

    listed = load_sources(paths.providers)
    urls = {name: listed[name].url for name in SECOND_SOURCES if name in listed}
    progress = ProgressPrinter() if level > 0 or (level == 0 and sys.stderr.isatty()) else None
    sources.refresh_shared(urls, force=force, progress=progress)
    return urls
