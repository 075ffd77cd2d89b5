"""`--import CONFIG`: turn a hand-kept LiteLLM config.yaml into an overrides.yaml.

A deployment whose route belongs to a known provider becomes a model reference that keeps its
model_name and extra params; what the catalog already says (route, key, prices, limits) is left
to the catalog, so the next run reports how the catalog moved. Everything else (Azure, local
servers, unknown routes) becomes a hand-written entry. The settings sections are kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalog import Catalog, Offer
from .errors import CacheError, CatalogError, InputError
from .files import write_atomic
from .merge import deploy
from .overrides import COST_KEYS, ModelRef, Overrides, ProviderSelection
from .paths import Paths
from .report import SECTIONS
from .schema import explain, load_yaml
from .secrets import replace_literals
from .sources.providers import Provider, apply_name_rule, identify, load_providers
from .sources.store import Store

log = logging.getLogger("modelsync")
DERIVED_INFO = ("mode", "max_input_tokens", "max_output_tokens")
HEADER = """\
# Imported from {source} by `{me} import`.
# Prices, limits and routes now come from the provider catalogs in cache/; this file keeps what
# is yours: which models, their names, extra params and hand-written entries. Next:
#     {me} --offline --dry-run   # see how the catalogs differ from the old file
"""


@dataclass
class Imported:
    models: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)


def import_config(paths: Paths, source: Path, force: bool = False, me: str = "python generate.py") -> Imported:
    """Write paths.overrides from the legacy config at `source`; refuse to overwrite unless forced."""
    target = paths.overrides
    if target.exists() and not force:
        raise InputError(f"{target} already exists", "pass --force to replace it, or --overrides to write elsewhere")
    providers = load_providers(paths.providers)
    legacy = load_yaml(source, "import")
    if not isinstance(legacy, dict) or not isinstance(legacy.get("model_list", []), list):
        raise InputError(
            f"{source}: not a LiteLLM config (expected a mapping with a model_list list)",
            "point --import at the proxy's config.yaml",
        )
    catalogs = _catalogs(providers, Store(paths.cache_dir))
    result = Imported()
    for index, item in enumerate(legacy.get("model_list") or []):
        _import_deployment(index, item, providers, catalogs, result)
    result.settings = {
        name: replace_literals(legacy[name], name, name.upper()) for name in SECTIONS if legacy.get(name)
    }
    document = {"models": result.models, "entries": result.entries, "settings": result.settings}
    try:
        Overrides.model_validate(document)
    except ValidationError as exc:  # would be our bug: say where, keep the user's files as they are
        raise explain(exc, target, Overrides) from None
    text = (
        HEADER.format(source=source.name, me=me)
        + "\n"
        + yaml.safe_dump({k: v for k, v in document.items() if v}, sort_keys=False, allow_unicode=True, width=10**9)
    )
    write_atomic(target, text)
    return result


def _catalogs(providers: dict[str, Provider], store: Store) -> dict[str, Catalog]:
    """Every provider's cached catalog that can be read; the rest are simply unknown."""
    found = {}
    for name, provider in providers.items():
        try:
            found[name] = store.catalog(provider)
        except (CacheError, CatalogError, InputError):
            continue
    return found


def _import_deployment(
    index: int, item: Any, providers: dict[str, Provider], catalogs: dict[str, Catalog], result: Imported
) -> None:
    params = item.get("litellm_params") if isinstance(item, dict) else None
    if not isinstance(params, dict) or not isinstance(params.get("model"), str) or not item.get("model_name"):
        log.warning("model_list[%d]: not a deployment (needs model_name and litellm_params.model); left out", index)
        return
    name = str(item["model_name"])
    provider = providers.get(identify(providers, params) or "")
    catalog = catalogs.get(provider.name) if provider else None
    ref = _reference(provider, catalog, name, params, item.get("model_info") or {}) if provider else None
    if ref is None:
        entry = {"model_name": name, "litellm_params": replace_literals(params, f"model_list[{index}]", name)}
        if item.get("model_info"):
            entry["model_info"] = item["model_info"]
        result.entries.append(entry)
    else:
        result.models.append(ref)


def _reference(
    provider: Provider, catalog: Catalog | None, name: str, params: dict[str, Any], info: dict[str, Any]
) -> dict[str, Any] | None:
    """A `models:` item for a provider's deployment, or None when it must stay hand-written."""
    route = provider.route_of(params)
    assert route is not None
    model_id = params["model"][len(route.prefix) :]
    offer = catalog.by_id().get(model_id) if catalog else None
    extra = {k: v for k, v in params.items() if k not in ("model", "api_base", *COST_KEYS)}
    if route is not provider.route:  # keep the old route exactly (e.g. openai/ + Poe's api_base)
        extra.update(model=params["model"], api_base=params.get("api_base"))
    if extra.get("api_key") == f"os.environ/{provider.route.api_key}":
        del extra["api_key"]
    pin = {k: params[k] for k in COST_KEYS if k in params}
    ref: dict[str, Any] = {"id": f"{provider.name}:{model_id}"}
    if offer is None or offer.price_problem or offer.needs_pin or offer.input_cost is None:
        # The catalog cannot price it: the old costs stay, pinned; without any, it stays hand-written.
        if "input_cost_per_token" not in pin or "output_cost_per_token" not in pin:
            if offer is None:
                log.warning(
                    "%s (%s): not in the cached %s catalog and has no costs; kept as a hand-written entry",
                    name,
                    params["model"],
                    provider.name,
                )
                return None
            pin = {}
        elif offer is None:
            log.warning(
                "%s (%s): not in the cached %s catalog; kept with its costs pinned",
                name,
                params["model"],
                provider.name,
            )
    else:
        pin = {}
    generated = deploy(provider, ProviderSelection(), offer or Offer(model_id), ModelRef(id=ref["id"])).model_info
    kept_info = {k: v for k, v in info.items() if generated.get(k) != v and not (k in DERIVED_INFO and k in generated)}
    if name != apply_name_rule(provider.model_name, provider.name, model_id):
        ref["name"] = name
    for key, value in (("params", replace_literals(extra, ref["id"], name)), ("model_info", kept_info), ("pin", pin)):
        if value:
            ref[key] = value
    return ref
