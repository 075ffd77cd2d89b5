"""cache/'s layout, and nothing else: light enough for an up-to-date --check, which hashes the documents it lists.

`cache/<name>.json` is a document as sent, `cache/<name>.meta.json` how it was fetched; hidden
files and folders (the memo, confirmations, temp files) are local state, never read to render.
"""

from __future__ import annotations

import os
from pathlib import Path

CONFIRMED = ".confirmed.json"
META_SUFFIX = ".meta.json"  # fetch metadata (URL, time, validators): never read to render


def body_path(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"{name}.json"


def meta_path(cache_dir: Path, name: str) -> Path:
    return cache_dir / f"{name}{META_SUFFIX}"


def documents(cache_dir: Path) -> list[Path]:
    """Every document under cache/, in a fixed order: what a render can read, and nothing else.

    Not the metadata beside them, nor hidden files and folders (the memo, confirmations, temp files).
    """
    found = []
    for folder, subfolders, files in os.walk(cache_dir):
        subfolders[:] = [s for s in subfolders if not s.startswith(".") and s != "__pycache__"]
        found += [os.path.join(folder, f) for f in files if not f.startswith(".") and not f.endswith(META_SUFFIX)]
    return [Path(path) for path in sorted(found)]
