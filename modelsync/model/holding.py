"""Every change guard in its order: shrink and price (guards.py), emptying (empty_guard.py), money (money.py).

What a guard holds keeps its deployment as it was; a retirement whose deployment one kept is marked held.
"""

from __future__ import annotations

from dataclasses import replace

from ..sources.providers import Provider
from ..usage.record import Usage
from .deployed import Deployed
from .empty_guard import hold_emptying
from .guards import Held, Limits, guard
from .merge import Merged
from .money import hold_increase
from .overrides import Overrides
from .retirements import mark_held


def hold(
    deployed: Deployed,
    merged: Merged,
    overrides: Overrides,
    providers: dict[str, Provider],
    limits: Limits,
    brought: dict[str, frozenset[str]],
    usage: Usage | None,
    empty_ok: bool,
) -> tuple[Merged, list[Held]]:
    """`merged` with what the guards let through, and what they held back.

    `empty_ok`: `remove` of the last model asked for a config with none.
    """
    deployments, held = guard(deployed, merged.deployments, overrides, providers, limits, merged.groups, brought)
    if not empty_ok:
        deployments, emptying = hold_emptying(deployed, deployments, providers)
        held += emptying
    deployments, rises = hold_increase(deployed, deployments, usage, overrides.guards.max_monthly_increase, held)
    held += rises
    if not held:
        return merged, held
    return replace(merged, deployments=deployments, retired=mark_held(merged.retired, {h.key for h in held})), held
