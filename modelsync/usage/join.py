"""Which config.yaml deployment each usage key belongs to.

A spend row names the model group, the route and the api_base the request went to. The route and
group survive a price refresh (LiteLLM's default `model_info.id` does not), so rows join by them:
first the exact key, then the one deployment of that name and route, then the api_base the row
names among several (or the one whose api_base is not written out: the route's default host).
The CSV export names only a model: it joins by route, then by name, and is shared evenly where
several deployments fit (the export cannot say which served what).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from ..core.errors import GenerateError
from .record import Key, Tokens, Usage


def attribute(usage: Usage, keys: Iterable[Key]) -> tuple[dict[Key, Tokens], dict[Key, Tokens]]:
    """The usage's tokens per config key, and the usage keys no deployment matches."""
    targets_of = targets(usage, keys)
    matched: dict[Key, Tokens] = defaultdict(Tokens)
    unmatched: dict[Key, Tokens] = {}
    for key, tokens in usage.totals().items():
        found = targets_of[key]
        if not found:
            unmatched[key] = tokens
        for target, share in shares(found, tokens).items():
            matched[target] += share
    return dict(matched), unmatched


def targets(usage: Usage, keys: Iterable[Key]) -> dict[Key, list[Key]]:
    """For each key of the usage, the config keys it belongs to (none, one, or several to share it)."""
    known = Known(keys)
    found = {key: known.targets(key) for key in {day.key for day in usage.days}}
    if found and not any(found.values()) and usage.source.startswith("snapshot"):
        raise GenerateError(
            f"{usage.source}: none of its deployments is in config.yaml: it was taken from a different config",
            "write a new snapshot from this proxy's usage (`python generate.py usage snapshot --database VAR`)",
        )
    return found


class Known:
    """config.yaml's keys, indexed for the joins: by key, by (name, route), by route."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.keys = set(keys)
        self.by_pair: dict[tuple[str, str], list[Key]] = defaultdict(list)
        self.by_name: dict[str, list[Key]] = defaultdict(list)
        for key in sorted(self.keys):
            self.by_pair[(key[0], _route(key))].append(key)
            self.by_name[key[0]].append(key)

    def targets(self, key: Key) -> list[Key]:
        name, route, api_base = key
        if key in self.keys:
            return [key]
        if not route:  # the CSV export: a model alone
            by_route = [k for k in sorted(self.keys) if _route(k) == name or _route(k).endswith("/" + name)]
            return by_route or self.by_name.get(name, [])
        same = self.by_pair.get((name, route), [])
        if len(same) > 1:  # one route from several hosts: the row's api_base says which
            by_base = [k for k in same if _base(k[2]) == _base(api_base)]
            unwritten = [k for k in same if "://" not in k[2]]  # the route's default host, or an env reference
            return by_base or (unwritten if len(unwritten) == 1 else same)
        return same


def shares(targets: list[Key], tokens: Tokens) -> dict[Key, Tokens]:
    """Tokens split evenly over the keys they may belong to."""
    if len(targets) <= 1:
        return dict.fromkeys(targets, tokens)
    return dict.fromkeys(targets, tokens.split(len(targets)))


def _route(key: Key) -> str:
    return key[1].split("#")[0]


def _base(api_base: str) -> str:
    return api_base.rstrip("/").lower()
