"""The digest line in config.yaml's header: what made the file, so `--check` can skip rendering.

A writing run records one sha256 over everything the output depends on and over the file it
wrote. `--check` recomputes it with the standard library alone (no yaml, jinja2, pydantic or
httpx: importing those costs more than reading and hashing every input); when it matches,
config.yaml is what the inputs render. Anything else (no line, a garbled one, any changed input
or byte of the file) means rendering and comparing as before, so the line can make a check
faster, never make one pass that would fail. It guards against mistakes, not forgery: anyone
can recompute a sha256. The line also holds the sha256 of what an up-to-date check says
(`said=`, the record beside config.yaml, said.py), so the check can say it without rendering.

What the output depends on, hashed as bytes: every file of this package (code, data, version),
the versions of the libraries that shape the text, providers.yaml, overrides.yaml, every file
under templates/, every catalog document under cache/ (not the fetch metadata beside them, nor
the memo, which are never read to render), and the settings in OUTPUT_SETTINGS.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..core.paths import Paths
from ..sources import layout

FORMAT = "2"  # bump when what is hashed changes, so every old line stops matching
PREFIX = "# digest of the inputs and this file, for a fast --check:"
LINE = re.compile(
    re.escape(PREFIX) + r" sha256=(?P<digest>[0-9a-f]{64}) deployments=(?P<deployments>\d+) warnings=(?P<warnings>\d+)"
    r" said=(?P<said>[0-9a-f]{64}|none)"
)
PACKAGE = Path(__file__).resolve().parent.parent
# Libraries whose behaviour shapes the rendered text: quoting (PyYAML), templates (Jinja2,
# MarkupSafe), values read from overrides.yaml (pydantic, pydantic-core).
LIBRARIES = ("pyyaml", "jinja2", "markupsafe", "pydantic", "pydantic_core")
# Settings that can change what a run writes (the change guards); tests/test_stamp.py fails when
# a new setting is in neither this list nor OTHER_SETTINGS, so each one is decided on.
OUTPUT_SETTINGS = ("max_removed_share", "max_price_factor")
OTHER_SETTINGS = (
    "freshness_hours",
    "connect_timeout",
    "read_timeout",
    "total_timeout",
    "retries",
    "backoff_base",
    "backoff_cap",
    "retry_after_cap",
    "max_catalog_bytes",
)
CHUNK = 1 << 20  # characters of config.yaml hashed at a time


@dataclass(frozen=True)
class Stamp:
    """What the digest line says."""

    digest: str
    deployments: int
    warnings: int  # how many warnings the writing run gave: a check says them again
    said: str  # the sha256 of what an up-to-date check says (said.py), or `none` when not recorded


def inputs_digest(paths: Paths) -> str:
    """One sha256 of everything but config.yaml that the rendered config depends on."""
    digest = hashlib.sha256(f"modelsync-stamp {FORMAT}\0python {sys.version_info[:2]}\0".encode())
    for label, data in _inputs(paths):
        digest.update(f"{label}\0{data}\0".encode())
    return digest.hexdigest()


def file_digest(inputs: str, body: bytes | str, deployments: int, warnings: int, said: str) -> str:
    """The digest the line records: of the inputs, the file without the line (as UTF-8), and the
    line's own figures."""
    digest = hashlib.sha256(f"{inputs}\0{deployments}\0{warnings}\0{said}\0".encode())
    if isinstance(body, bytes):
        digest.update(body)
    else:  # a slice at a time: no second copy of a 200,000-deployment file in memory
        for start in range(0, len(body), CHUNK):
            digest.update(body[start : start + CHUNK].encode("utf-8"))
    return digest.hexdigest()


def stamped(text: str, inputs: str, deployments: int, warnings: int, said: str) -> str:
    """The rendered text with its digest line, placed last in the leading comment block."""
    at = 0
    while text.startswith("#", at):  # past the header's comment lines, without splitting the whole text
        at = text.find("\n", at) + 1 or len(text)
    digest = file_digest(inputs, text, deployments, warnings, said)
    line = f"{PREFIX} sha256={digest} deployments={deployments} warnings={warnings} said={said}\n"
    head = text[:at]
    # One new string: slicing off the body first would copy a 200,000-deployment file twice.
    return text.replace(head, head + line, 1) if head else line + text


def split(data: bytes) -> tuple[Stamp | None, bytes]:
    """The file's digest line, parsed (None when absent or garbled), and the file without it."""
    start = 0
    while data.startswith(b"#", start):  # only the leading comment block can hold the line
        end = data.find(b"\n", start) + 1 or len(data)
        if data.startswith(PREFIX.encode(), start):
            match = LINE.fullmatch(data[start:end].rstrip(b"\n").decode("ascii", "replace"))
            body = data[:start] + data[end:]
            if match is None:
                return None, body
            return Stamp(match["digest"], int(match["deployments"]), int(match["warnings"]), match["said"]), body
        start = end
    return None, data


def strip(text: str) -> str:
    """config.yaml's text without its digest line, as the templates rendered it."""
    return split(text.encode("utf-8"))[1].decode("utf-8")


def current(paths: Paths) -> Stamp | None:
    """config.yaml's stamp when it holds for the file and the inputs as they are now; else None."""
    try:
        data = paths.config.read_bytes()
    except OSError:
        return None
    stamp, body = split(data)
    if stamp is None:
        return None
    if file_digest(inputs_digest(paths), body, stamp.deployments, stamp.warnings, stamp.said) != stamp.digest:
        return None
    return stamp


# --- what is hashed -------------------------------------------------------------------------


def _inputs(paths: Paths) -> Iterator[tuple[str, str]]:
    """(what, the sha256 of its bytes or a version) for every input, in a fixed order."""
    yield "version", __version__  # besides the files, for a package that is not a folder of them
    yield from _tree("package", PACKAGE, lambda name: not name.endswith((".pyc", ".pyo")))
    yield from _libraries()
    yield "providers.yaml", _read(paths.providers)
    yield "overrides.yaml", _read(paths.overrides)
    yield from _tree("templates", paths.templates, lambda name: True)
    yield from _hashed("cache", paths.cache_dir, layout.documents(paths.cache_dir))  # the Store's layout, not ours
    yield from _settings()


def _read(path: Path) -> str:
    """A file's sha256, read in chunks: a catalog can be hundreds of MB, and a run holds much else."""
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:  # missing or unreadable: the render will say so; here it only differs from any content
        return "missing"


def _tree(label: str, root: Path, wanted: Callable[[str], bool]) -> Iterator[tuple[str, str]]:
    """Every file under `root` in a fixed order; hidden files and folders (temp files, the memo) left out."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [s for s in subfolders if not s.startswith(".") and s != "__pycache__"]
        found += [os.path.join(folder, f) for f in files if not f.startswith(".") and wanted(f)]
    yield from _hashed(label, root, [Path(path) for path in sorted(found)])


def _hashed(label: str, root: Path, files: list[Path]) -> Iterator[tuple[str, str]]:
    for path in files:
        yield f"{label}/{os.path.relpath(path, root)}", _read(path)


def _libraries() -> Iterator[tuple[str, str]]:
    """Each library's installed version, from its .dist-info folder's name: no import needed."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info"):
                project, _, version = name[: -len(".dist-info")].partition("-")
                versions.setdefault(project.lower().replace("-", "_").replace(".", "_"), version)
    for library in LIBRARIES:
        yield f"library/{library}", versions.get(library, "?")


def _settings() -> Iterator[tuple[str, str]]:
    """The output-changing settings as the environment and `.env` give them (raw text: any edit counts)."""
    names = {f"MODELSYNC_{name.upper()}" for name in OUTPUT_SETTINGS}
    environment = {key.upper(): value for key, value in os.environ.items() if key.upper() in names}
    for name in sorted(names):
        yield f"env/{name}", repr(environment.get(name))
    try:
        lines = Path(".env").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for line in lines:  # only these lines: the rest of .env holds keys, which no digest may depend on
        key = line.strip().removeprefix("export ").partition("=")[0].strip().upper()
        if key in names:
            yield f".env/{key}", repr(line.strip())
