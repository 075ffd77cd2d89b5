"""cache/: each catalog document exactly as the provider sent it, with fetch metadata beside it.

`cache/<name>.json` holds the body (a file saved with curl works too); `cache/<name>.meta.json`
holds where and when it came from, its sha256, and the validators for conditional requests.
`cache/.confirmed.json` (not committed) holds when each body was last found still current (a 304,
or the same bytes again), which changes no committed file yet spares the next run the question.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..core.catalog import Document
from ..core.errors import CacheError
from ..core.files import write_atomic
from ..core.secrets import redact_url
from .layout import CONFIRMED, body_path, meta_path

FORMAT = 1


@dataclass(frozen=True)
class Meta:
    """How a cached document was fetched."""

    url: str
    fetched_at: datetime
    sha256: str
    etag: str | None = None
    last_modified: str | None = None


def _fix(name: str) -> str:
    provider = name.split(".")[0]
    return f"delete it and run `python generate.py --refresh --provider {provider}`, or restore it with git"


def read_bytes(cache_dir: Path, name: str) -> bytes | None:
    """The cached body, or None when there is none."""
    path = body_path(cache_dir, name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheError(f"cannot read {path}: {exc.strerror}", "check its permissions") from None


def size(cache_dir: Path, name: str) -> int:
    """The cached body's size in bytes; 0 when there is none."""
    try:
        return body_path(cache_dir, name).stat().st_size
    except OSError:
        return 0


def parse(raw: bytes, name: str, source: str) -> Any:
    """A cached or fetched body as JSON; raises CacheError naming `source` when it is not."""
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise CacheError(f"{source} is not UTF-8 text", _fix(name)) from None
    except json.JSONDecodeError as exc:
        raise CacheError(
            f"{source} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", _fix(name)
        ) from None


def read(cache_dir: Path, name: str) -> Document | None:
    """A cached document, parsed; None when there is none."""
    raw = read_bytes(cache_dir, name)
    if raw is None:
        return None
    path = body_path(cache_dir, name)
    return Document(name, str(path), parse(raw, name, str(path)))


def read_meta(cache_dir: Path, name: str) -> Meta | None:
    """The document's fetch metadata, if it exists, is readable and still describes the body."""
    try:
        data = json.loads(meta_path(cache_dir, name).read_text(encoding="utf-8"))
        meta = Meta(
            data["url"],
            datetime.fromisoformat(data["fetched_at"]),
            data["sha256"],
            data.get("etag"),
            data.get("last_modified"),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing or hand-made: the body's own mtime tells its age instead
    raw = read_bytes(cache_dir, name)
    return meta if raw is not None and hashlib.sha256(raw).hexdigest() == meta.sha256 else None


def fetched_at(cache_dir: Path, name: str) -> datetime | None:
    """When the cached document was fetched (its file's mtime when it has no metadata)."""
    meta = read_meta(cache_dir, name)
    return meta.fetched_at if meta else file_time(cache_dir, name)


def file_time(cache_dir: Path, name: str) -> datetime | None:
    """The cached body's mtime: the age of a body saved by hand, without (matching) metadata."""
    try:
        return datetime.fromtimestamp(body_path(cache_dir, name).stat().st_mtime, UTC)
    except FileNotFoundError:
        return None


def write(cache_dir: Path, name: str, raw: bytes, url: str, headers: dict[str, str], now: datetime) -> None:
    """Store a fetched body as sent, then its metadata; each file is replaced atomically."""
    write_atomic(body_path(cache_dir, name), raw)
    touch(
        cache_dir,
        name,
        Meta(redact_url(url), now, hashlib.sha256(raw).hexdigest(), headers.get("etag"), headers.get("last-modified")),
    )


def touch(cache_dir: Path, name: str, meta: Meta) -> None:
    """Write a document's metadata (after a fetch, or a 304 that says it is still current)."""
    data = {
        "format": FORMAT,
        "url": meta.url,
        "fetched_at": meta.fetched_at.astimezone(UTC).isoformat(timespec="seconds"),
        "sha256": meta.sha256,
        "etag": meta.etag,
        "last_modified": meta.last_modified,
    }
    write_atomic(meta_path(cache_dir, name), json.dumps(data, indent=2) + "\n")


def confirmed(cache_dir: Path) -> dict[str, tuple[str, datetime]]:
    """Each document's last confirmation: (the sha256 of the body found current, when)."""
    try:
        data = json.loads((cache_dir / CONFIRMED).read_text(encoding="utf-8"))
        return {
            name: (entry["sha256"], datetime.fromisoformat(entry["at"])) for name, entry in data["documents"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # none yet, or unreadable: every document is as old as its fetch


def confirm(cache_dir: Path, found: dict[str, tuple[str, datetime]]) -> None:
    """Record that these bodies (by sha256) were found still current at these times."""
    documents = {**confirmed(cache_dir), **found}
    data = {
        "format": FORMAT,
        "documents": {
            name: {"sha256": sha, "at": at.astimezone(UTC).isoformat(timespec="seconds")}
            for name, (sha, at) in sorted(documents.items())
        },
    }
    write_atomic(cache_dir / CONFIRMED, json.dumps(data, indent=2) + "\n")


def describe_age(age: timedelta) -> str:
    """A cache's age in words: `5 minutes ago`, `3 hours ago`, `12 days ago`."""
    seconds = max(0, int(age.total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' * (count != 1)} ago"
    return "just now"
