"""Normalised catalogs remembered between runs, keyed by the sha256 of what made them.

A catalog whose bytes, normaliser and normalising code are unchanged since the last writing run
is not parsed and normalised again: on every real catalog together that is most of the work of
`--check` after start-up. The memo lives in `cache/.normalised/` (ignored by git); a missing,
stale or unreadable one just means normalising as usual.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..core.catalog import Catalog, Offer, Skip, Tier, Window
from ..core.files import write_atomic

FOLDER = ".normalised"
OFFER_FIELDS = tuple(f.name for f in fields(Offer))


PACKAGE = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A hash of every module of the package: any code a catalog may pass through, wherever it lives.

    Found by walking the package, so a helper moved to a new module invalidates the memo too,
    where a hand-kept list of files would leave stale catalogs.
    """
    digest = hashlib.sha256()
    for source in sorted(PACKAGE.rglob("*.py")):
        digest.update(f"{source.relative_to(PACKAGE).as_posix()}\0".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()


def key(provider: str, normaliser: str, raws: list[tuple[str, bytes]]) -> str:
    digest = hashlib.sha256(f"{provider}\0{normaliser}\0{code_digest()}".encode())
    for name, raw in raws:
        digest.update(f"\0{name}\0{len(raw)}\0".encode())
        digest.update(raw)
    return digest.hexdigest()


def recall(cache_dir: Path, provider: str, expected: str) -> Catalog | None:
    """The remembered catalog, if there is one for exactly these inputs."""
    try:
        data = json.loads((cache_dir / FOLDER / f"{provider}.json").read_bytes())
        if data["key"] != expected:
            return None
        offers = tuple(_offer(row) for row in data["offers"])
        return Catalog(provider, offers, tuple(Skip(*row) for row in data["skipped"]))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _offer(row: list[Any]) -> Offer:
    values = dict(zip(OFFER_FIELDS, row, strict=True))
    values["capabilities"] = frozenset(values["capabilities"])
    values["tiers"] = tuple(Tier(above, prices) for above, prices in values["tiers"])
    values["windows"] = tuple(Window(start, end, prices) for start, end, prices in values["windows"])
    return Offer(**values)


def _row(offer: Offer) -> list[Any]:
    values = {name: getattr(offer, name) for name in OFFER_FIELDS}
    values["capabilities"] = sorted(offer.capabilities)
    values["tiers"] = [[tier.above, tier.prices] for tier in offer.tiers]
    values["windows"] = [[window.start, window.end, window.prices] for window in offer.windows]
    return [values[name] for name in OFFER_FIELDS]


def remember(cache_dir: Path, catalog: Catalog, made_from: str) -> None:
    """Store a normalised catalog under the key of what it was made from."""
    data = {
        "key": made_from,
        "offers": [_row(o) for o in catalog.offers],
        "skipped": [[s.id, s.reason] for s in catalog.skipped],
    }
    write_atomic(cache_dir / FOLDER / f"{catalog.provider}.json", json.dumps(data, separators=(",", ":")))
