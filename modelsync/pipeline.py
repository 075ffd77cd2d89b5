"""The pipeline end to end: load inputs, refresh catalogs, merge, render, report, write or check."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .catalog import Catalog, Document
from .errors import CacheError, InputError
from .files import write_atomic
from .lock import exclusive
from .merge import Merged, merge
from .normalisers import NORMALISERS
from .overrides import Overrides, load_overrides
from .providers import Provider, load_providers
from .render import render
from .settings import Settings

if TYPE_CHECKING:  # httpx and deepdiff load only on the paths that use them
    import httpx

    from .guards import Held
    from .refresh import Outcome
    from .report import Report

log = logging.getLogger("modelsync")


@dataclass(frozen=True)
class Options:
    check: bool = False  # never fetch, never write; say whether config.yaml is current
    dry_run: bool = False  # fetch as needed, write nothing
    offline: bool = False
    refresh: bool = False  # fetch even fresh catalogs
    only: tuple[str, ...] = ()  # fetch only these providers
    accept_held: bool = False  # take catalog changes the guards would hold


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


def load_inputs(settings: Settings) -> Inputs:
    providers = load_providers(settings.providers)
    return Inputs(providers, load_overrides(settings.overrides, providers))


def run(settings: Settings, options: Options, client: httpx.Client | None = None,
        now: datetime | None = None) -> Result:
    """Do what the command line asked; return what was rendered and what it changes."""
    if options.check:  # reads only: no lock, so a check never waits for or blocks a run
        return _run(settings, options, client, now)
    with exclusive(settings.config):
        return _run(settings, options, client, now)


def _run(settings: Settings, options: Options, client: httpx.Client | None, now: datetime | None) -> Result:
    inputs = load_inputs(settings)
    outcomes = [] if options.check or options.offline else _refresh(inputs, settings, options, client, now)
    fetched = {o.provider: o.catalog for o in outcomes if o.catalog is not None}
    catalogs = load_catalogs(inputs, settings.cache_dir, fetched)
    try:
        merged = merge(inputs.providers, inputs.overrides, catalogs)
    except InputError as exc:  # the merge finds what overrides.yaml asks that the catalogs lack
        raise InputError(f"{settings.overrides}: {exc.what}", exc.fix) from None
    for warning in merged.warnings:
        log.warning("%s", warning)
    sections = inputs.overrides.settings.model_dump()
    text = render(settings.templates, merged.deployments, sections)
    old = _read_config(settings.config)
    held: list[Held] = []
    if old is not None and old != text and not options.accept_held:  # only a change can need holding
        held = _hold(old, merged, inputs, settings)
        if held:
            text = render(settings.templates, merged.deployments, sections)
    result = Result(text, old != text, merged, outcomes=outcomes, held=held)
    if result.changed or held:
        from .report import compare

        result.report = compare(old, merged.deployments, sections, inputs.providers)
        result.report.skipped = merged.skipped
        result.report.held = held
    if result.changed and not (options.check or options.dry_run):
        _write(settings.config, old, text)
    return result


def _hold(old: str, merged: Merged, inputs: Inputs, settings: Settings) -> list[Held]:
    """Apply the change guards to `merged`; return what they held back."""
    from .guards import Limits, guard
    from .report import parse_config

    limits = Limits(settings.max_removed_share, settings.max_price_factor)
    deployments, held = guard(parse_config(old), merged.deployments, inputs.overrides, inputs.providers, limits)
    if held:
        merged.deployments = deployments
    return held


def load_catalogs(inputs: Inputs, cache_dir: Path, fetched: dict[str, Catalog] | None = None) -> dict[str, Catalog]:
    """Every enabled provider's catalog, normalised: just fetched, else from the cache."""
    fetched = fetched or {}
    return {name: fetched.get(name) or load_catalog(inputs.providers[name], cache_dir)
            for name in sorted(inputs.overrides.enabled())}


def load_catalog(provider: Provider, cache_dir: Path) -> Catalog:
    docs: list[Document] = []
    for name in provider.urls():
        doc = cache.read(cache_dir, name)
        if doc is None:
            raise CacheError(
                f"no cached catalog for {provider.name}: {cache.body_path(cache_dir, name)} does not exist",
                f"run `python generate.py --provider {provider.name}` with network access, or save the catalog there",
            )
        docs.append(doc)
    return NORMALISERS[provider.normaliser](provider.name, docs)


def _refresh(inputs: Inputs, settings: Settings, options: Options, client: httpx.Client | None,
             now: datetime | None) -> list[Outcome]:
    from .fetch import make_client
    from .refresh import refresh

    unknown = [name for name in options.only if name not in inputs.providers]
    if unknown:
        raise InputError(f"--provider {unknown[0]}: unknown provider",
                         f"known providers: {', '.join(sorted(inputs.providers))}")
    names = options.only or sorted(inputs.overrides.enabled())
    targets = [inputs.providers[name] for name in names]
    own_client = client is None
    client = client or make_client(settings)
    try:
        return refresh(targets, settings, client, now or datetime.now(timezone.utc), force=options.refresh,
                       store=not options.dry_run)
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


def _write(path: Path, old: str | None, text: str) -> None:
    """Keep the previous config.yaml as config.yaml.bak, then replace it atomically."""
    if old is not None:
        write_atomic(path.with_name(path.name + ".bak"), old)
    write_atomic(path, text)


