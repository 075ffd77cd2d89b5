"""The `usage` command's logic: config.yaml's deployments, joined with the usage and priced."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import InputError
from ..core.paths import Paths
from ..sources.providers import identify, load_providers
from ..targets.config_file import read_deployed
from ..usage.compare import UsageReport, compare
from ..usage.record import Usage


def report(paths: Paths, usage: Usage, tolerance: float) -> UsageReport:
    """Every deployment of config.yaml the window served, compared with what LiteLLM billed."""
    bodies = dict(read_deployed(_read(paths.config)).model_list)
    providers = load_providers(paths.providers)
    provider_of = {
        key: name for key, body in bodies.items() if (name := identify(providers, body.get("litellm_params") or {}))
    }
    return compare(usage, bodies, provider_of, tolerance)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            f"cannot read {path}: {exc.strerror}", "generate it first: python generate.py --offline"
        ) from None
