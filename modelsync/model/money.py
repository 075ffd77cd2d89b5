"""The money guard: a refresh that raises the bill at current usage by more than a limit is held.

`guards.max_monthly_increase` in overrides.yaml (USD a month at the usage source's window). Held
like the other guards: the deployments whose bill rises keep their old prices, the rest is
written, exit 4, and `--accept-held` takes them.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import GenerateError
from ..usage.bill import bill
from ..usage.impact import money, signed
from ..usage.join import attribute
from ..usage.record import Key, Usage
from .deployed import Deployed
from .deployment import Deployment
from .guards import Held, _keep_old_costs


def hold_increase(
    deployed: Deployed, new: list[Deployment], usage: Usage | None, limit: float | None, held: list[Held]
) -> tuple[list[Deployment], list[Held]]:
    """Hold every bill-raising price change when together they raise the bill over `limit`.

    Returns `new` with their old prices kept, and them; `held` are what the other guards held already.
    """
    if not deployed.exists or usage is None or limit is None:
        return new, []
    old = dict(deployed.model_list)
    try:
        return _undo_rises(old, new, usage, limit, held)
    except GenerateError:  # usage of another config: the report says so, and the guard has nothing to judge
        return new, []


def _undo_rises(
    old: dict[Key, dict[str, Any]], new: list[Deployment], usage: Usage, limit: float, held: list[Held]
) -> tuple[list[Deployment], list[Held]]:
    kept = {h.key for h in held}
    moves = _moves(old, [d for d in new if d.key() in old and d.key() not in kept], usage)
    total = sum(moves.values())  # the bill's net move: a price that falls offsets one that rises
    rises = {key: move for key, move in moves.items() if move > 0}
    if total <= limit:
        return new, []
    why = f"together {signed(total)}/month at your usage, over guards.max_monthly_increase {money(limit)}"
    undone = [_keep_old_costs(d, old[d.key()]) if d.key() in rises else d for d in new]
    found = [
        Held(d.provider or "entries", d.key(), f"raises the bill {signed(rises[d.key()])}/month; {why}")
        for d in new
        if d.key() in rises
    ]
    return undone, found


def _moves(old: dict[Key, dict[str, Any]], new: list[Deployment], usage: Usage) -> dict[Key, float]:
    """Per deployment whose catalog prices bill otherwise for the same tokens: by how much, a month.

    Measured against the deployment with its old unpinned prices, so a pin the user moved (an
    edit, not a refresh) is never counted, as the other guards never hold one.
    """
    used, _ = attribute(usage, old)
    found = {}
    for deployment in new:
        tokens = used.get(deployment.key())
        if tokens is None or deployment.provider is None:
            continue
        kept = _keep_old_costs(deployment, old[deployment.key()]).as_dict()
        before, after = bill(kept, tokens), bill(deployment.as_dict(), tokens)
        if before is not None and after is not None and after != before:
            found[deployment.key()] = (after - before) * usage.to_month
    return found
