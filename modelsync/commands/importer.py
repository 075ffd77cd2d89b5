"""`--import CONFIG`: turn a hand-kept LiteLLM config.yaml into an overrides.yaml, losing nothing.

A deployment whose route belongs to a known provider, and whose model its (refreshed) catalog
lists, becomes a model reference: the catalog owns its route, key, prices and limits from then
on, and the reference keeps everything else as written (name, api_base, every param, every
model_info key that differs from what the catalog says). A model the catalog lacks keeps its
costs as a pin; without costs, or with an unknown provider, the deployment stays a hand-written
entry, as written. Every top-level section is kept. Literal secrets move to `.env` (0600, beside
overrides.yaml), and overrides.yaml reads them as `os.environ/VAR`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from ..core import envfile
from ..core.catalog import Catalog, Offer
from ..core.errors import CacheError, CatalogError, InputError
from ..core.files import write_atomic
from ..core.paths import Paths
from ..core.schema import explain, load_yaml
from ..model.merge import deploy
from ..model.overrides import ModelRef, Overrides, ProviderSelection
from ..model.pins import COST_KEYS, PIN_KEYS
from ..outputs.ownership import import_mark
from ..sources.driver import Sources
from ..sources.providers import Provider, apply_name_rule, identify, load_providers
from ..sources.store import Store
from .credentials import Credentials

if TYPE_CHECKING:
    import httpx

    from ..core.settings import Settings

log = logging.getLogger("modelsync")
HEADER = """\
# Imported from {source} {mark} by `{me} import`.
# Prices, limits and routes now come from the provider catalogs in cache/; this file keeps what
# is yours: which models, their names, extra params, pins and hand-written entries. Next:
#     {me} --offline --dry-run   # see how the catalogs differ from the old file
"""


@dataclass(frozen=True)
class Unmatched:
    """A deployment that could not become a plain catalog reference, and what became of it."""

    model_name: str
    model: str
    reason: str


@dataclass
class Imported:
    models: list[dict[str, Any]] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    unmatched: list[Unmatched] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)  # env vars that hold the keys moved out
    written: list[str] = field(default_factory=list)  # those of them added to .env by this import


def import_config(
    paths: Paths,
    source: Path,
    force: bool = False,
    offline: bool = False,
    me: str = "python generate.py",
    settings: Settings | None = None,
    client: httpx.Client | None = None,
    now: datetime | None = None,
    legacy: dict[str, Any] | None = None,
) -> Imported:
    """Write paths.overrides from the legacy config at `source`; refuse to overwrite unless forced.

    Unless `offline`, the catalogs of the providers the config uses are refreshed first, so the
    config is matched against today's catalogs. `me` is the command, for the file's header.
    """
    target = paths.overrides
    if target.exists() and not force:
        raise InputError(f"{target} already exists", "pass --force to replace it, or --overrides to write elsewhere")
    providers = load_providers(paths.providers)
    read_from_file = legacy is None  # else given: read from a running proxy, no file to take over
    legacy = _read_legacy(source) if legacy is None else legacy
    dotenv = target.parent / ".env"
    held = envfile.read(dotenv)  # first: a .env we may not write to stops the import before anything is written
    items = legacy.get("model_list") or []
    used = sorted({name for item in items if (name := _provider_of(item, providers))})
    with Sources(paths.cache_dir, settings, client, now) as sources:
        if not offline:  # always fetched: a fresh clone's example cache looks new, but it is not today's
            sources.refresh([providers[name] for name in used], force=True, need_cache=False).finish()
        catalogs = _catalogs({name: providers[name] for name in used}, sources.store)
    credentials = Credentials(legacy, held)
    result = Imported()
    for index, item in enumerate(items):
        _import_deployment(index, item, providers, catalogs, credentials, result)
    result.settings = {
        name: credentials.scrub(body, name, name.upper()) for name, body in legacy.items() if name != "model_list"
    }
    result.variables = credentials.variables()
    document = {"models": result.models, "entries": result.entries, "settings": result.settings}
    try:
        Overrides.model_validate(document)
    except ValidationError as exc:  # would be our bug: say where, keep the user's files as they are
        raise explain(exc, target, Overrides) from None
    text = (
        HEADER.format(
            source=source.name,
            mark=import_mark(source.read_bytes()) if read_from_file else "(read from a running proxy)",
            me=me,
        )
        + "\n"
        + yaml.safe_dump({k: v for k, v in document.items() if v}, sort_keys=False, allow_unicode=True, width=10**9)
    )
    result.written = sorted(credentials.moved())
    envfile.append(dotenv, credentials.moved())  # the keys first: overrides.yaml names them
    write_atomic(target, text)
    return result


def _read_legacy(source: Path) -> dict[str, Any]:
    legacy = load_yaml(source, "import")
    if not isinstance(legacy, dict) or not isinstance(legacy.get("model_list", []), list):
        raise InputError(
            f"{source}: not a LiteLLM config (expected a mapping with a model_list list)",
            "point --import at the proxy's config.yaml",
        )
    return legacy


def _provider_of(item: Any, providers: dict[str, Provider]) -> str | None:
    params = item.get("litellm_params") if isinstance(item, dict) else None
    return identify(providers, params) if isinstance(params, dict) else None


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
    index: int,
    item: Any,
    providers: dict[str, Provider],
    catalogs: dict[str, Catalog],
    credentials: Credentials,
    result: Imported,
) -> None:
    params = item.get("litellm_params") if isinstance(item, dict) else None
    if not isinstance(params, dict) or not isinstance(params.get("model"), str) or not item.get("model_name"):
        log.warning("model_list[%d]: not a deployment (needs model_name and litellm_params.model); left out", index)
        return
    name, info = str(item["model_name"]), item.get("model_info") or {}
    provider = providers.get(identify(providers, params) or "")
    where = f"model_list[{index}] ({name})"
    for key, value in params.items():
        if isinstance(value, datetime | date):  # kept as written, but LiteLLM refuses the deployment
            log.warning("%s.%s: %s is a YAML date, which LiteLLM rejects — quote it", where, key, value)
    if provider is None:
        reason = "unknown provider: kept as written"
    else:
        params = credentials.scrub(params, where, provider.route.api_key or provider.name, provider=True)
        route = provider.route_of(params)
        default_key = litellm_default_key(providers, route.prefix) if route else None
        ref, reason = _reference(provider, catalogs.get(provider.name), name, params, info, default_key)
        if ref is not None:
            result.models.append(ref)
            if reason:
                result.unmatched.append(Unmatched(name, params["model"], reason))
            return
    result.entries.append(_entry(item, credentials.scrub(params, where, _owner(params))))
    result.unmatched.append(Unmatched(name, params["model"], reason))


def _entry(item: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    entry = {"model_name": str(item["model_name"]), "litellm_params": params}
    if item.get("model_info") is not None:
        entry["model_info"] = item["model_info"]
    return entry


# Route prefixes that reach any OpenAI-compatible server: its key belongs to the server's host.
GENERIC_PREFIXES = frozenset(
    {"openai", "hosted_vllm", "openai_like", "ollama", "ollama_chat", "lm_studio", "llamafile"}
)


def _owner(params: dict[str, Any]) -> str:
    """Whom an unknown deployment's key belongs to: its provider (`azure/` → AZURE), or a generic route's host."""
    prefix = str(params["model"]).split("/", 1)[0]
    api_base = str(params.get("api_base") or "")
    return Credentials.host_name(api_base) if prefix in GENERIC_PREFIXES and "://" in api_base else prefix


def _reference(
    provider: Provider,
    catalog: Catalog | None,
    name: str,
    params: dict[str, Any],
    info: dict[str, Any],
    default_key: str | None,
) -> tuple[dict[str, Any] | None, str]:
    """A `models:` item for a provider's deployment (None: keep it hand-written), and why it is not plain."""
    route = provider.route_of(params)
    assert route is not None
    model_id = params["model"][len(route.prefix) :]
    ref_id = f"{provider.name}:{model_id}"
    offer = catalog.by_id().get(model_id) if catalog else None
    costs = {k: params[k] for k in PIN_KEYS if k in params}  # tiers and hours come from the catalog
    where = f"the {provider.name} catalog" if catalog else f"the {provider.name} catalog (none cached)"
    reason = ""
    if offer is None or offer.price_problem or offer.needs_pin:
        if "input_cost_per_token" not in costs or "output_cost_per_token" not in costs:
            if offer is None:
                return None, f"not in {where} and has no costs: kept as written"
            return None, f"{offer.price_problem or offer.needs_pin}: kept as written"
        reason = f"not in {where}: kept with its costs pinned" if offer is None else "price unusable: costs pinned"
        offer, pin = offer or Offer(model_id), costs
    else:
        generated = deploy(provider, ProviderSelection(), offer, ModelRef(id=ref_id)).litellm_params
        pin = {k: v for k, v in costs.items() if k not in generated}  # a price the catalog does not state
    ref: dict[str, Any] = {"id": ref_id}
    if name != apply_name_rule(provider.model_name, provider.name, model_id):
        ref["name"] = name
    extra = _extra_params(provider, route.prefix, params, default_key)
    generated_info = deploy(provider, ProviderSelection(), offer, ModelRef(id=ref_id)).model_info
    kept_info = {k: v for k, v in info.items() if k not in generated_info or generated_info[k] != v}
    for key, value in (("params", extra), ("model_info", kept_info), ("pin", pin)):
        if value:
            ref[key] = value
    return ref, reason


def _extra_params(provider: Provider, prefix: str, params: dict[str, Any], default_key: str | None) -> dict[str, Any]:
    """The params the catalog route does not give, as written: the route itself where it differs."""
    own = provider.route.params(params["model"][len(prefix) :])
    extra = {k: v for k, v in params.items() if k not in COST_KEYS and own.get(k) != v}
    if "api_key" not in params and default_key and own.get("api_key") != f"os.environ/{default_key}":
        extra["api_key"] = f"os.environ/{default_key}"  # none written: the key LiteLLM reads for this route
    return extra


def litellm_default_key(providers: dict[str, Provider], prefix: str) -> str | None:
    """The env var LiteLLM reads for a route prefix when a deployment names no key: its native provider's."""
    return next(
        (p.route.api_key for p in providers.values() if p.route.prefix == prefix and p.route.api_base is None), None
    )
