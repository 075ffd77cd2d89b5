"""Where the inputs and outputs live; the repo's own files unless the command line says otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class Paths:
    config: Path = ROOT / "config.yaml"
    overrides: Path = ROOT / "overrides.yaml"
    providers: Path = ROOT / "providers.yaml"
    cache_dir: Path = ROOT / "cache"
    templates: Path = ROOT / "templates"

    @classmethod
    def of(cls, home: Path) -> Paths:
        """The standard layout inside a project folder."""
        return cls(
            home / "config.yaml", home / "overrides.yaml", home / "providers.yaml", home / "cache", home / "templates"
        )
