"""`push`: make a running proxy's model table (store_model_in_db) hold what config.yaml would.

The same pipeline as generate — selection, groups, prices, guards, the change report — computed
against what the proxy holds instead of config.yaml, then applied row by row through the admin
API (targets/proxy.py). Configured by overrides.yaml's `targets: {proxy: {url, master_key}}`.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.errors import ExitCode, InputError
from ..core.paths import Paths
from . import Commands, command, path_options, paths_of, report_option, verbosity, volume_options
from .generate import accept_held_option, print_report

if TYPE_CHECKING:
    from ..pipeline import Result
    from ..targets.proxy import Plan, ProxyTarget, Row

log = logging.getLogger("modelsync")


def register(commands: Commands) -> None:
    push = command(
        commands,
        "push",
        "reconcile a running proxy's model table (store_model_in_db) with the plan",
        "--dry-run --offline",
        "Render the model list as generate does, compare it with the models this tool made on the proxy "
        "named in overrides.yaml's targets.proxy, and create, patch or delete exactly the rows that differ. "
        "Models added by hand, in the UI or in the proxy's config file are never touched.",
    )
    mode = push.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if the proxy has drifted from the plan; no writes")
    mode.add_argument("--dry-run", action="store_true", help="print the report against the proxy, write nothing")
    push.add_argument("--offline", action="store_true", help="use cache/ only, never fetch catalogs")
    accept_held_option(push)
    report_option(push, "the report's form, as generate prints it, computed against what the proxy holds")
    volume_options(push)
    path_options(push)
    push.set_defaults(run=execute)


def execute(args: argparse.Namespace, home: Path) -> int:
    from ..pipeline import Options, load_inputs, run
    from ..targets.admin_api import AdminApi
    from ..targets.proxy import ProxyTarget

    paths = paths_of(args, home)
    overrides = load_inputs(paths).overrides
    settings = overrides.targets.proxy
    if settings is None:
        raise InputError(
            f"{paths.overrides} names no proxy to push to",
            "add targets: {proxy: {url: http://HOST:4000, master_key: os.environ/LITELLM_MASTER_KEY}}",
        )
    target = ProxyTarget(AdminApi(settings))
    try:
        rows = target.current()
        previous = _retired_lines(paths) + _as_config(target, rows, overrides.sections())
        offline = args.offline or args.check
        options = Options(check=args.check, offline=offline, accept_held=args.accept_held, previous=previous)
        result = run(paths, options)
        return _finish(args, paths, target, rows, result)
    finally:
        target.api.close()


def _as_config(target: ProxyTarget, rows: list[Row], sections: dict[str, Any]) -> str:
    """Our rows as a config.yaml's model_list, for the pipeline to compare against.

    The proxy's settings are not in its model table and push does not change them: the
    sections are overrides.yaml's own, so the report shows models only.
    """
    import yaml  # loaded only to push: building the command line imports no heavy library

    return yaml.safe_dump({**sections, "model_list": target.previous(rows)}, sort_keys=False)


def _retired_lines(paths: Paths) -> str:
    """config.yaml's `# retired:` lines: the proxy keeps no row for a retired model, so a push
    remembers retirements where generate does (a push-only project meets the typo error instead,
    whose advice is the same: delete the overrides.yaml line)."""
    from ..targets.config_file import RETIRED_LINE

    try:
        text = paths.config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
    return "".join(match.group(0) + "\n" for match in RETIRED_LINE.finditer(text))


def _finish(args: argparse.Namespace, paths: Paths, target: ProxyTarget, rows: list[Row], result: Result) -> int:
    import yaml

    wanted: list[dict[str, Any]] = yaml.safe_load(result.text).get("model_list") or []
    plan = target.plan(rows, wanted)
    # The report names the proxy where it would name config.yaml.
    print_report(result, args, dataclasses.replace(paths, config=Path(target.api.where)), verbosity(args))
    if args.check:
        return _check(plan, target.api.where)
    counts = f"{plan.kept} unchanged, {plan.foreign} not ours"
    if args.dry_run or not plan.writes:
        _say(args, f"{target.api.where}: {'would make' if plan.writes else 'needs'} {plan.writes} write(s) ({counts})")
    else:
        _say(args, f"{target.api.where}: {target.apply(plan).summary()} ({counts})")
    if verbosity(args) > 0:
        _say(args, f"{target.api.requests} request(s) to the proxy")
    if result.held:
        log.warning(
            "%d catalog change(s) held back for review — read the report, then push with --accept-held",
            len(result.held),
        )
        return ExitCode.OK if args.dry_run else ExitCode.HELD
    return ExitCode.OK


def _check(plan: Plan, where: str) -> int:
    """--check: 0 when the proxy holds the plan, else 1 naming each row that differs and why."""
    if not plan.writes:
        print(f"{where} is up to date ({plan.kept} models of ours)", file=sys.stderr)
        return ExitCode.OK
    drifted = {drift.id for drift in plan.drift}
    lines = [f"{drift.model_name} ({drift.id}): {drift.why}" for drift in plan.drift]
    for body in (*plan.update, *plan.replace):
        if body["model_info"]["id"] not in drifted:
            lines.append(f"{body['model_name']} ({body['model_info']['id']}): changed by the inputs")
    lines += [f"{row.model_name} ({row.id}): on the proxy, no longer planned" for row in plan.delete]
    for line in lines:
        log.error("%s", line)
    log.error("%s differs from the plan in %d model(s) — run push to reconcile it", where, len(lines))
    return ExitCode.WOULD_CHANGE


def _say(args: argparse.Namespace, line: str) -> None:
    if verbosity(args) >= 0:
        print(line, file=sys.stdout if args.report == "text" else sys.stderr)
