"""Where a generated deployment goes: one `Target` protocol, and the config file as its first implementation.

A target says what is deployed now (`current()`, read once per run) and takes the new plan
(`apply()`). Everything between, merge to report, is pure and sees only the `Deployed` record, so
a second target (a proxy's model table, a Kubernetes ConfigMap) is one new module here.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from ..model.deployed import Deployed
from ..model.deployment import Deployment
from ..model.retirements import Retired


@dataclass(frozen=True)
class Plan:
    """What a run would deploy: the rendering, and the records it was rendered from."""

    text: str  # as the templates render it, without a digest line
    deployments: tuple[Deployment, ...]
    sections: Mapping[str, Any]
    retired: tuple[Retired, ...]
    changed: bool  # whether it differs from what is deployed now
    digest: str | None = None  # the inputs digest to record, when the rendering depends on the inputs alone
    warnings: int = 0  # how many warnings rendering it logs: a check answered by the digest says them again
    said: str | None = None  # the record of what an up-to-date check says (outputs/said.py), when safe to keep


class Target(Protocol):
    """One place a deployment lives."""

    def exclusive(self) -> AbstractContextManager[None]:
        """Held while a run that may apply reads and writes: one such run at a time."""
        ...

    def claim(self) -> None:
        """Before a run that applies fetches anything: refuse now what `apply` would refuse."""
        ...

    def current(self) -> Deployed:
        """What is deployed now."""
        ...

    def apply(self, plan: Plan) -> None:
        """Deploy the plan; a plan that changes nothing may still renew the digest."""
        ...
