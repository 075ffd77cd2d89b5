"""The last shrink guard: a run that would leave no deployment of a config that had some is held.

An emptied overrides.yaml, a selection that matches nothing any more, or every catalog failing
at once is far more often a mistake than a wish, and a proxy with no model serves nobody. The
deployments stay as they were, the report says why, and `--accept-held` takes the empty config.
"""

from __future__ import annotations

from ..sources.providers import Provider, identify
from .deployed import Deployed
from .deployment import Deployment
from .guards import Held

HAND_WRITTEN = "entries"  # the held "provider" of a deployment no catalog provider routes


def hold_emptying(
    deployed: Deployed, new: list[Deployment], providers: dict[str, Provider]
) -> tuple[list[Deployment], list[Held]]:
    """`new`, or, when it is empty and the old config was not, the old deployments, all held."""
    old = deployed.model_list
    if new or not old:
        return new, []
    reason = f"config.yaml would go from {len(old)} deployments to none (is overrides.yaml as you meant it?)"
    kept, held = [], []
    for key, body in sorted(old.items()):
        params = dict(body.get("litellm_params") or {})
        provider = identify(providers, params)
        kept.append(Deployment(provider, key[0], params, dict(body.get("model_info") or {})))
        held.append(Held(provider or HAND_WRITTEN, key, reason))
    return kept, held
