"""The pipeline end to end: load inputs, refresh catalogs, merge, render, report, write or check."""

from __future__ import annotations

import logging
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from .core.catalog import Catalog
from .core.clock import Until
from .core.errors import GenerateError, InputError
from .core.paths import Paths
from .core.yamlfile import line_of
from .model.overrides import Overrides, load_overrides
from .outputs import said, stamp
from .sources.driver import Sources
from .sources.providers import Provider, load_providers
from .sources.store import Store
from .targets import Plan, Target
from .targets.config_file import ConfigFile, read_deployed
from .targets.ownership import same_models
from .usage.load import usage_or_none

if TYPE_CHECKING:  # httpx and deepdiff load only on the paths that use them; merging and
    # rendering (jinja2) only once the inputs are loaded: a refresh imports them while it waits
    import httpx

    from .core.settings import Settings
    from .model.deployed import Deployed
    from .model.groups import GroupChange
    from .model.guards import Held
    from .model.merge import Merged
    from .outputs.report import Report
    from .sources.arrivals import Outcome, Progress
    from .usage.record import Usage

log = logging.getLogger("modelsync")
Brought = dict[str, frozenset[str]]  # per provider fetched, the ids its new catalog offers groups that its old did not


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


@dataclass(frozen=True)
class Result:
    text: str
    changed: bool
    merged: Merged
    report: Report | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    held: list[Held] = field(default_factory=list)


@dataclass(frozen=True)
class Refreshed:
    """What this run's refresh did, and the ids groups could take from each catalog before it."""

    outcomes: list[Outcome] = field(default_factory=list)
    before: dict[str, frozenset[str]] = field(default_factory=dict)

    def brought(self, catalogs: dict[str, Catalog]) -> dict[str, frozenset[str]]:
        """Per provider this run fetched, the ids its new catalog offers groups that the old one did not."""
        from .model.groups import eligible_ids

        fetched = {o.provider for o in self.outcomes if o.catalog is not None}
        return {n: frozenset(eligible_ids(catalogs[n])) - ids for n, ids in self.before.items() if n in fetched}


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
    target: Target | None = None,
) -> Result:
    """Do what the command line asked; return what was rendered and what it changes.

    `settings` (timeouts, guard limits) are read from the environment when first needed; `target`
    is where the deployment lives, config.yaml unless another is given.
    """
    target = target or ConfigFile(paths.config, paths.overrides)
    with said.listening(paths) as heard, Sources(paths.cache_dir, settings, client, now) as sources:
        if options.check:  # reads only: no lock, so a check never waits for or blocks a run
            return _run(paths, options, sources, target, heard)
        with target.exclusive():
            return _run(paths, options, sources, target, heard)


def _run(paths: Paths, options: Options, sources: Sources, target: Target, heard: said.Heard) -> Result:
    """The stages, each a record built once: inputs, catalogs, merged, guarded, rendered, report."""
    inputs = load_inputs(paths)
    writes = not (options.check or options.dry_run or options.previous is not None)  # push: never
    if writes:
        target.claim()  # before a fetch: what apply would refuse, refused when it costs none
    refreshed = Refreshed()
    if not (options.check or options.offline):
        with heard.paused():  # what a fetch says, a check does not
            refreshed = _refresh(inputs, sources, options)
    from .outputs.render import render
    from .outputs.unchanged import record_of

    digest_before = stamp.inputs_digest(paths) if writes else ""  # of the inputs this run renders
    catalogs = load_catalogs(inputs, sources.store)
    deployed = target.current() if options.previous is None else read_deployed(stamp.strip(options.previous))
    merged = _merge(paths, inputs, catalogs, deployed, refreshed)
    sections = inputs.overrides.sections()
    text = render(paths.templates, merged.deployments, sections, merged.retired)
    deployed = deployed.rendering(text, merged.deployments)  # its listing, where it repeats `text`, read from ours
    held: list[Held] = []
    changing = deployed.exists and deployed.rendered != text and not options.check  # --check reads no usage source
    usage = usage_or_none(inputs.overrides.usage, paths.overrides.parent) if changing else None
    if deployed.exists and deployed.rendered != text and not options.accept_held:  # only a change can need holding
        brought = refreshed.brought(catalogs)
        merged, held = _hold(deployed, merged, inputs, sources.settings, brought, usage, options.asked_to_empty)
        if held:
            text = render(paths.templates, merged.deployments, sections, merged.retired)
    _warn_retirements(merged)  # after the guards: a held retirement is still served
    changed = deployed.rendered != text if options.previous is None else not same_models(deployed.rendered, text)
    report = _report(deployed, merged, inputs, held, changed, usage) if changed or held else None
    if writes:
        # A digest only for a pure render of inputs that stood still while this run read them: not
        # when held changes or retirements made the output depend on what was deployed too, nor
        # on an unchanged config when every fetch failed (then every file stays as it was).
        pure = not (held or merged.retired) and stamp.inputs_digest(paths) == digest_before
        digest = digest_before if pure and (changed or not _failed_refresh(refreshed.outcomes)) else None
        record = record_of(merged, heard, paths.config) if pure else None  # what an up-to-date check says
        deployments, retired = tuple(merged.deployments), tuple(merged.retired)
        target.apply(Plan(text, deployments, sections, retired, changed, digest, len(heard.said), record))
        sources.store.remember()
    return Result(text, changed, merged, report, refreshed.outcomes, held)


def _merge(
    paths: Paths, inputs: Inputs, catalogs: dict[str, Catalog], deployed: Deployed, refreshed: Refreshed
) -> Merged:
    """The merge, its errors located in overrides.yaml, and its warnings logged."""
    from .model.catalogs import uncached_warnings
    from .model.merge import merge
    from .model.retirements import locate

    try:
        merged = merge(inputs.providers, inputs.overrides, catalogs, deployed)
    except InputError as exc:  # the merge finds what overrides.yaml asks that the catalogs lack
        line = line_of(paths.overrides, exc.loc) if exc.loc else None
        raise InputError(f"{paths.overrides}{f':{line}' if line else ''}: {exc.what}", exc.fix) from None
    warned = frozenset(o.provider for o in refreshed.outcomes if o.warning)
    uncached = uncached_warnings(catalogs, inputs.providers, warned)
    merged = replace(merged, retired=locate(merged.retired, paths.overrides), warnings=merged.warnings + uncached)
    for warning in merged.warnings:
        log.warning("%s", warning)
    return merged


def _report(
    deployed: Deployed, merged: Merged, inputs: Inputs, held: list[Held], changed: bool, usage: Usage | None
) -> Report:
    from .outputs import dollars
    from .outputs.report import compare

    compared = compare(deployed, merged.deployments, inputs.overrides.sections(), inputs.providers)
    report = replace(
        compared,
        skipped=merged.skipped,
        held=held,
        changed=changed,
        retired=merged.retired,
        retiring=merged.retiring,
        group_changes=_group_changes(deployed, merged, inputs),
    )
    return dollars.attach(report, usage, deployed, merged.deployments)


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
    from .sources.arrivals import nothing_refreshed  # loaded already: the run fetched

    return nothing_refreshed(outcomes)


def _group_changes(deployed: Deployed, merged: Merged, inputs: Inputs) -> list[GroupChange]:
    if not merged.groups:
        return []
    from .model.groups import group_changes

    return group_changes(deployed, merged.deployments, merged.groups, inputs.providers)


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
    deployed: Deployed,
    merged: Merged,
    inputs: Inputs,
    settings: Settings,
    brought: Brought,
    usage: Usage | None,
    empty_ok: bool,
) -> tuple[Merged, list[Held]]:
    """The change guards applied to `merged`: the deployments they let through, and what they held back."""
    from .model.guards import Limits
    from .model.holding import hold

    limits = Limits(settings.max_removed_share, settings.max_price_factor)
    return hold(deployed, merged, inputs.overrides, inputs.providers, limits, brought, usage, empty_ok)


def load_catalogs(inputs: Inputs, store: Store) -> dict[str, Catalog]:
    """Every enabled provider's catalog: what this run fetched, else the cache's (or none, where pins suffice)."""
    from .model.catalogs import load_catalogs as load

    catalogs = load(inputs.providers, inputs.overrides, store)
    for absence in store.absences():
        log.warning("%s", absence)
    return catalogs


def _refresh(inputs: Inputs, sources: Sources, options: Options) -> Refreshed:
    """Refresh the catalogs; while they are on their way, do what needs none of them."""
    from .model.catalogs import renders_from_pins

    unknown = [name for name in options.only if name not in inputs.providers]
    if unknown:
        raise InputError(
            f"--provider {unknown[0]}: unknown provider", f"known providers: {', '.join(sorted(inputs.providers))}"
        )
    names = options.only or sorted(inputs.overrides.enabled())
    wanted = [inputs.providers[name] for name in names]
    need_cache = frozenset(name for name in names if not renders_from_pins(name, inputs.overrides))
    refreshing = sources.refresh(
        wanted, force=options.refresh, write=not options.dry_run, progress=options.progress, need_cache=need_cache
    )
    # While they are on their way, what needs no new catalog: the groups' ids from before, the
    # cached catalogs the memo holds (kept when a document comes back byte for byte), jinja2.
    before = _group_candidates(inputs, sources.store)
    for name in inputs.overrides.enabled():
        _remembered(sources.store, inputs.providers[name])
    from .outputs import render  # noqa: F401

    return Refreshed(refreshing.finish(), before)
