"""What is deployed now, as its target reports it: the one record the merge, guards and report compare against."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .deployment import Deployment, Key, keyed_deployments


@dataclass(frozen=True)
class Deployed:
    """The deployments a target serves, keyed by identity, with the sections beside them.

    Read once per run by the target (`Target.current()`); nothing downstream reads config.yaml.
    """

    model_list: Mapping[Key, dict[str, Any]] = field(default_factory=dict)  # a repeated key has a #n suffix
    sections: Mapping[str, Any] = field(default_factory=dict)  # router_settings and the rest, as deployed
    retired_ids: frozenset[str] = frozenset()  # provider:id of named models already retired
    rendered: str | None = None  # the deployment as last rendered; None when nothing is deployed yet
    digest: str | None = None  # the inputs digest it was rendered from, when the target keeps one
    note: str = ""  # why there is no model list to compare against (missing, unreadable)

    @classmethod
    def of(
        cls, deployments: Iterable[Deployment], sections: Mapping[str, Any], retired_ids: Iterable[str], rendered: str
    ) -> Deployed:
        """What a target holds once a plan is applied to it."""
        keyed = keyed_deployments([d.as_dict() for d in deployments])
        return cls(keyed, dict(sections), frozenset(retired_ids), rendered)

    @property
    def exists(self) -> bool:
        return self.rendered is not None

    @property
    def count(self) -> int | None:
        """How many deployments there are; None when there is no readable list."""
        return None if self.note else len(self.model_list)

    @cached_property
    def keys(self) -> frozenset[Key]:
        """Every deployment's identity, without the #n a repeated one carries."""
        return frozenset((name, model.split("#")[0], base) for name, model, base in self.model_list)

    def routed(self, model_ref_id: str, key: Key) -> bool:
        """Whether this deployment is served now, or its model is listed as retired already."""
        return model_ref_id in self.retired_ids or key in self.keys


NOTHING = Deployed()  # a target that serves nothing yet
