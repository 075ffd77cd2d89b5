"""Warn about a litellm_params or model_info key that is a close miss of one LiteLLM knows.

LiteLLM passes an unknown param on to the provider, so `rmp: 60` is no error, just a rate limit
that never applies. The keys it knows are data (`data/litellm_keys.txt`, derived from its own
types by tools/derive_litellm_keys.py), so LiteLLM itself is no dependency of ours.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from typing import Any

Loc = tuple[str | int, ...]
Block = tuple[Loc, str, dict[str, Any] | None]  # (where, litellm_params or model_info, its keys)

SECTIONS = ("litellm_params", "model_info")


@cache
def known_keys() -> dict[str, frozenset[str]]:
    """The keys LiteLLM knows, by section."""
    text = resources.files("modelsync").joinpath("data", "litellm_keys.txt").read_text(encoding="utf-8")
    found: dict[str, set[str]] = {section: set() for section in SECTIONS}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif line and not line.startswith("#") and section in found:
            found[section].add(line)
    return {name: frozenset(keys) for name, keys in found.items()}


def close_miss(key: str, section: str) -> str | None:
    """The known key `key` was most likely meant to be, when it is not itself known."""
    known = known_keys()[section]
    if key in known:
        return None
    # `rmp` is one swap from `rpm`, yet too short for a ratio to see it; a short key one letter off
    # is as often a param of the provider's own (`top_k` beside `top_n`), so only swaps count there.
    near = sorted(k for k in known if _swapped(key, k) or (len(key) >= 6 and _one_edit_apart(key, k)))
    if near:
        return near[0]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.8) if len(key) >= 8 else []
    return close[0] if close else None


def _swapped(a: str, b: str) -> bool:
    """Two neighbouring letters swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _one_edit_apart(a: str, b: str) -> bool:
    """One letter changed, added, dropped, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    a, b = a[start:], b[start:]
    return a[1:] == b[1:] or a[1:] == b or a == b[1:] or (a[:2] == b[1::-1] and a[2:] == b[2:])


def misspelt_keys(blocks: Iterable[Block]) -> Iterator[tuple[Loc, str, str]]:
    """Every (location, key, likely meant) among the keys of these params and model_info blocks."""
    for loc, section, values in blocks:
        for key in values or {}:
            meant = close_miss(str(key), section)
            if meant:
                yield (*loc, key), str(key), meant
