"""The config file target: config.yaml read into a `Deployed`, and written back with .bak, digest line and lock."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from ..core.errors import InputError
from ..core.files import check_writable, write_atomic
from ..core.lock import exclusive
from ..core.schema import SAFE_LOADER
from ..model.deployed import Deployed, Listing
from ..model.deployment import keyed_deployments
from ..outputs import stamp
from . import Plan

# config.yaml lists what is retired, so the next run knows it after the deployment has gone.
RETIRED_LINE = re.compile(r"^#\s+retired: (\S(?:.*\S)?)\s*$", re.MULTILINE)
MISSING = "config.yaml does not exist yet"
NOT_YAML = "the current config.yaml is not valid YAML; it is replaced whole"


class ConfigFile:
    """A LiteLLM config.yaml on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: str | None = None  # the file as this run found it: what config.yaml.bak keeps

    def exclusive(self) -> AbstractContextManager[None]:
        return exclusive(self.path)

    def current(self) -> Deployed:
        self._read = _read_config(self.path)
        if self._read is None:
            return Deployed(read=partial(Listing, note=MISSING))
        found, body = stamp.split(self._read.encode("utf-8"))  # as rendered: its digest line is no content
        return read_deployed(body.decode("utf-8"), found.digest if found else None)

    def apply(self, plan: Plan) -> None:
        new_file = plan.text
        if plan.digest is not None:
            new_file = stamp.stamped(plan.text, plan.digest, len(plan.deployments), plan.warnings)
        if plan.changed:
            _write(self.path, self._read, new_file)
        elif new_file not in (plan.text, self._read):
            check_writable(self.path)  # the same config with a new digest line: no backup needed
            write_atomic(self.path, new_file)


def read_deployed(text: str, digest: str | None = None) -> Deployed:
    """A rendered config.yaml as the record the pipeline compares against; parsed only when asked."""
    return Deployed(text, digest, read=partial(_listing, text))


def _listing(text: str) -> Listing:
    config, note = parse_config(text)
    sections = {name: value for name, value in config.items() if name != "model_list"}
    retired = frozenset(RETIRED_LINE.findall(text))
    return Listing(keyed_deployments(config.get("model_list")), sections, retired, note)


def parse_config(text: str) -> tuple[dict[str, Any], str]:
    """config.yaml as data, and why it is empty: {} when it is not YAML, or not a mapping."""
    try:
        loaded = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}, NOT_YAML
    return (loaded if isinstance(loaded, dict) else {}), ""


def _read_config(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}", "check the file, or delete it to write it anew") from None


def _write(path: Path, old: str | None, text: str) -> None:
    """Keep the previous config.yaml as config.yaml.bak, then replace it atomically."""
    check_writable(path)  # before the .bak: a config.yaml we may not replace leaves every file as it was
    if old is not None:
        write_atomic(path.with_name(path.name + ".bak"), old)
    write_atomic(path, text)
