"""What is deployed now, as its target reports it: the one record the merge, guards and report compare against."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from typing import Any

from .deployment import Deployment, Key, keyed_deployments


@dataclass(frozen=True)
class Listing:
    """The deployments a target serves, keyed by identity, with the sections beside them."""

    model_list: Mapping[Key, dict[str, Any]] = field(default_factory=dict)  # a repeated key has a #n suffix
    sections: Mapping[str, Any] = field(default_factory=dict)  # router_settings and the rest, as deployed
    retired_ids: frozenset[str] = frozenset()  # provider:id of named models already retired
    note: str = ""  # why there is no model list to compare against (missing, unreadable)


@dataclass(frozen=True)
class Deployed:
    """What a target serves now. Read once per run (`Target.current()`); nothing downstream reads config.yaml.

    The listing is read when first asked for: a run whose rendering matches `rendered` never needs it.
    """

    rendered: str | None = None  # the deployment as last rendered; None when nothing is deployed yet
    digest: str | None = None  # the digest the target recorded beside it, when it keeps one
    read: Callable[[], Listing] = field(default=Listing, repr=False, compare=False)  # the target's reader
    # A faster reader, given a new rendering and the deployments it came from, when the target has one.
    reread: Callable[[str, tuple[Deployment, ...]], Listing] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(
        cls, deployments: Iterable[Deployment], sections: Mapping[str, Any], retired_ids: Iterable[str], rendered: str
    ) -> Deployed:
        """What a target holds once a plan is applied to it."""
        keyed = keyed_deployments([d.as_dict() for d in deployments])
        return cls(rendered, read=partial(Listing, keyed, dict(sections), frozenset(retired_ids)))

    def rendering(self, new: str, deployments: Sequence[Deployment]) -> Deployed:
        """This record, its listing read knowing `new` was rendered from `deployments`: where the
        deployed text repeats a block of `new`, its data is taken from the deployment, not parsed."""
        if self.reread is None or "listing" in self.__dict__:  # no faster reader, or read already
            return self
        return replace(self, read=partial(self.reread, new, tuple(deployments)), reread=None)

    @cached_property
    def listing(self) -> Listing:
        return self.read()

    @property
    def model_list(self) -> Mapping[Key, dict[str, Any]]:
        return self.listing.model_list

    @property
    def sections(self) -> Mapping[str, Any]:
        return self.listing.sections

    @property
    def retired_ids(self) -> frozenset[str]:
        return self.listing.retired_ids

    @property
    def note(self) -> str:
        return self.listing.note

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
