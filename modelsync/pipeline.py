"""The pipeline end to end: load inputs, refresh catalogs, merge, render, report, write or check."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .core.catalog import Catalog
from .core.clock import Until
from .core.errors import GenerateError, InputError
from .core.files import check_writable, write_atomic
from .core.lock import exclusive
from .core.paths import Paths
from .core.yamlfile import line_of
from .model.overrides import Overrides, load_overrides
from .outputs import said, stamp
from .outputs.ownership import replace_config, taken_over
from .sources.providers import Provider, load_providers
from .sources.store import Store
from .targets.ownership import same_models
from .usage.load import usage_or_none

if TYPE_CHECKING:  # httpx and deepdiff load only on the paths that use them; merging and
    # rendering (jinja2) only once the inputs are loaded: a refresh imports them while it waits
    import httpx

    from .core.settings import Settings
    from .model.groups import GroupChange
    from .model.guards import Held
    from .model.merge import Merged
    from .outputs.report import Report
    from .sources.refresh import Outcome, Progress

log = logging.getLogger("modelsync")


@dataclass(frozen=True)
class Options:
    check: bool = False  # never fetch, never write; say whether config.yaml is current
    dry_run: bool = False  # fetch as needed, write nothing
    offline: bool = False
    refresh: bool = False  # fetch even fresh catalogs
    only: tuple[str, ...] = ()  # fetch only these providers
    accept_held: bool = False  # take catalog changes the guards would hold
    asked_to_empty: bool = False  # `remove` of the last model: no deployment left is what was asked
    progress: Progress | None = None  # told when each provider's fetch starts and ends
    previous: str | None = None  # compare with this model list (a target's, as YAML), not config.yaml; never write


@dataclass
class Result:
    text: str
    changed: bool
    merged: Merged
    report: Report | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


@dataclass(frozen=True)
class Inputs:
    providers: dict[str, Provider]
    overrides: Overrides


def load_inputs(paths: Paths) -> Inputs:
    providers = load_providers(paths.providers)
    return Inputs(providers, load_overrides(paths.overrides, providers))


def run(
    paths: Paths,
    options: Options,
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
) -> Result:
    """Do what the command line asked; return what was rendered and what it changes.

    `settings` (timeouts, guard limits) are read from the environment when first needed.
    """
    with said.listening(paths) as heard:  # what this run warns, for an up-to-date check to say again
        if options.check:  # reads only: no lock, so a check never waits for or blocks a run
            return _run(paths, options, settings, client, now, heard)
        with exclusive(paths.config):
            return _run(paths, options, settings, client, now, heard)


def _settings(settings: Settings | None) -> Settings:
    from .core.settings import load_settings

    return settings or load_settings()


def _run(
    paths: Paths,
    options: Options,
    settings: Settings | None,
    client: httpx.Client | None,
    now: datetime | None,
    heard: said.Heard,
) -> Result:
    inputs = load_inputs(paths)
    writes = not (options.check or options.dry_run or options.previous is not None)
    hand_kept = writes and taken_over(paths.config, paths.overrides)  # before a fetch: refused, it costs none
    store = Store(paths.cache_dir)
    outcomes: list[Outcome] = []
    before: dict[str, frozenset[str]] = {}
    if not (options.check or options.offline):
        settings = _settings(settings)
        with heard.paused():  # what a fetch says, a check does not
            outcomes, before = _refresh(inputs, store, settings, options, client, now)
    from .model.catalogs import uncached_warnings
    from .model.groups import eligible_ids
    from .model.merge import merge
    from .model.money import hold_increase
    from .model.retirements import Current, locate, mark_held
    from .outputs.render import render
    from .outputs.unchanged import record_of

    digest_before = stamp.inputs_digest(paths) if writes else ""  # of the inputs this run renders
    catalogs = load_catalogs(inputs, store)
    fetched = {o.provider for o in outcomes if o.catalog is not None}
    brought = {name: frozenset(eligible_ids(catalogs[name])) - ids for name, ids in before.items() if name in fetched}
    old_file = _read_config(paths.config) if options.previous is None else options.previous
    old = None if old_file is None else stamp.strip(old_file)  # as rendered: its digest line is no content
    try:
        merged = merge(inputs.providers, inputs.overrides, catalogs, Current(old))
    except InputError as exc:  # the merge finds what overrides.yaml asks that the catalogs lack
        line = line_of(paths.overrides, exc.loc) if exc.loc else None
        raise InputError(f"{paths.overrides}{f':{line}' if line else ''}: {exc.what}", exc.fix) from None
    merged.retired = locate(merged.retired, paths.overrides)
    merged.warnings += uncached_warnings(
        catalogs, inputs.providers, frozenset(o.provider for o in outcomes if o.warning)
    )
    for warning in merged.warnings:
        log.warning("%s", warning)
    sections = inputs.overrides.sections()
    text = render(paths.templates, merged.deployments, sections, merged.retired)
    held: list[Held] = []
    changing = old is not None and old != text and not options.check  # --check never reads a usage source
    usage = usage_or_none(inputs.overrides.usage, paths.overrides.parent) if changing else None
    if old is not None and old != text and not options.accept_held:  # only a change can need holding
        settings = _settings(settings)
        held = _hold(old, text, merged, inputs, settings, brought, options.asked_to_empty)
        held += hold_increase(old, merged, usage, inputs.overrides.guards.max_monthly_increase, held)
        if held:
            merged.retired = mark_held(merged.retired, {h.key for h in held})
            text = render(paths.templates, merged.deployments, sections, merged.retired)
    _warn_retirements(merged)  # after the guards: a held retirement is still served
    changed = old != text if options.previous is None else not same_models(old, text)
    result = Result(text, changed, merged, outcomes=outcomes, held=held)
    if result.changed or held:
        from .outputs import dollars
        from .outputs.report import compare

        result.report = compare(old, merged.deployments, sections, inputs.providers)
        result.report.skipped = merged.skipped
        result.report.held = held
        result.report.changed = result.changed
        result.report.retired, result.report.retiring = merged.retired, merged.retiring
        result.report.group_changes = _group_changes(old, merged, inputs)
        dollars.attach(result.report, usage, old, merged.deployments)
    if writes:
        new_file, record = text, None
        # A digest only for a pure render of inputs that stood still while this run read them: not
        # when held changes or retirements made the output depend on the previous config.yaml too.
        if not (held or merged.retired) and stamp.inputs_digest(paths) == digest_before:
            record = record_of(merged, heard, paths.config)
            new_file = stamp.stamped(text, digest_before, len(merged.deployments), len(heard.said), said.digest(record))
        if result.changed:
            replace_config(paths.config, old_file, new_file, hand_kept)
        elif new_file not in (text, old_file) and not _failed_refresh(outcomes):
            check_writable(paths.config)  # the same config with a new digest line: no backup needed
            write_atomic(paths.config, new_file)
        if result.changed or (record is not None and not _failed_refresh(outcomes)):
            said.write(paths.config, record)  # after config.yaml: a failed write of it leaves this too
        store.remember()
    return result


def _warn_retirements(merged: Merged) -> None:
    """One line per retired model (with the line to delete) and per model that is about to end."""
    for item in merged.retired:
        log.warning("%s: no longer in its catalog; %s — %s", item.id, item.state(), item.where())
    for end in merged.retiring:
        log.warning("%s (%s): the %s catalog says it %s%s", *end.key[:2], end.provider, end.says(), Until(end.date))


def _failed_refresh(outcomes: list[Outcome]) -> bool:
    """Whether this run fetched and every fetch failed: then it leaves every file as it was."""
    if not outcomes:
        return False
    from .sources.refresh import nothing_refreshed  # loaded already: the run fetched

    return nothing_refreshed(outcomes)


def _group_changes(old: str | None, merged: Merged, inputs: Inputs) -> list[GroupChange]:
    if not merged.groups:
        return []
    from .model.groups import group_changes
    from .outputs.report import parse_config

    old_list = parse_config(old).get("model_list")
    return group_changes(old_list, merged.deployments, merged.groups, inputs.providers)


def _group_candidates(inputs: Inputs, store: Store) -> dict[str, frozenset[str]]:
    """The ids groups could take from each cached catalog before a refresh replaces it."""
    if not inputs.overrides.groups():
        return {}
    from .model.groups import eligible_ids

    found = {}
    for name in sorted(inputs.overrides.enabled()):
        try:
            found[name] = frozenset(eligible_ids(store.catalog(inputs.providers[name])))
        except GenerateError:  # nothing cached yet: everything the first fetch brings is new anyway
            continue
    return found


def _remembered(store: Store, provider: Provider) -> None:
    with suppress(GenerateError):  # nothing cached, or unreadable: the refresh says so if it matters
        store.remembered(provider)


def _hold(
    old: str,
    new: str,
    merged: Merged,
    inputs: Inputs,
    settings: Settings,
    brought: dict[str, frozenset[str]],
    empty_ok: bool,
) -> list[Held]:
    """Apply the change guards to `merged` (rendered as `new`); return what they held back."""
    from .model.empty_guard import hold_emptying
    from .model.guards import Limits, guard
    from .outputs.reparse import old_config

    limits = Limits(settings.max_removed_share, settings.max_price_factor)
    previous = old_config(old, new, merged.deployments)
    deployments, held = guard(
        previous, merged.deployments, inputs.overrides, inputs.providers, limits, merged.groups, brought
    )
    if not empty_ok:  # `remove` of the last model asked for a config with none
        deployments, emptying = hold_emptying(previous, deployments, inputs.providers)
        held += emptying
    if held:
        merged.deployments = deployments
    return held


def load_catalogs(inputs: Inputs, store: Store) -> dict[str, Catalog]:
    """Every enabled provider's catalog: what this run fetched, else the cache's (or none, where pins suffice)."""
    from .model.catalogs import load_catalogs as load

    catalogs = load(inputs.providers, inputs.overrides, store)
    for absence in store.absences():
        log.warning("%s", absence)
    return catalogs


def _refresh(
    inputs: Inputs,
    store: Store,
    settings: Settings,
    options: Options,
    client: httpx.Client | None,
    now: datetime | None,
) -> tuple[list[Outcome], dict[str, frozenset[str]]]:
    """Refresh the catalogs; while they are on their way, do what needs none of them.

    Returns the outcomes, and the ids groups could take from each catalog before the refresh.
    """
    from .model.catalogs import renders_from_pins
    from .sources.fetch import make_client
    from .sources.refresh import start

    unknown = [name for name in options.only if name not in inputs.providers]
    if unknown:
        raise InputError(
            f"--provider {unknown[0]}: unknown provider", f"known providers: {', '.join(sorted(inputs.providers))}"
        )
    names = options.only or sorted(inputs.overrides.enabled())
    targets = [inputs.providers[name] for name in names]
    own_client = client is None
    client = client or make_client(settings)
    try:
        refreshing = start(
            targets,
            settings,
            store,
            client,
            now or datetime.now(UTC),
            force=options.refresh,
            write=not options.dry_run,
            progress=options.progress,
            need_cache=frozenset(name for name in names if not renders_from_pins(name, inputs.overrides)),
        )
        # While they are on their way, what needs no new catalog: the groups' ids from before, the
        # cached catalogs the memo holds (kept when a document comes back byte for byte), jinja2.
        before = _group_candidates(inputs, store)
        for name in inputs.overrides.enabled():
            _remembered(store, inputs.providers[name])
        from .outputs import render  # noqa: F401

        return refreshing.finish(), before
    finally:
        if own_client:
            client.close()


def _read_config(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}", "check the file, or delete it to write it anew") from None
