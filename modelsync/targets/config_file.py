"""The config file target: config.yaml read into a `Deployed`, and written back with .bak, digest line and lock.

Beside it, the record of what an up-to-date check says (outputs/said.py); a hand-kept config.yaml
is never replaced (outputs/ownership.py).
"""

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
from ..model.deployment import Deployment, keyed_deployments
from ..outputs import said, stamp
from ..outputs.ownership import replace_config, taken_over
from ..outputs.reparse import old_config
from . import Plan

# config.yaml lists what is retired, so the next run knows it after the deployment has gone.
RETIRED_LINE = re.compile(r"^#\s+retired: (\S(?:.*\S)?)\s*$", re.MULTILINE)
MISSING = "config.yaml does not exist yet"
NOT_YAML = "the current config.yaml is not valid YAML; it is replaced whole"


class ConfigFile:
    """A LiteLLM config.yaml on disk."""

    def __init__(self, path: Path, overrides: Path | None = None) -> None:
        self.path, self.overrides = path, overrides  # overrides.yaml: whether import took a hand-kept file over
        self._read: str | None = None  # the file as this run found it: what config.yaml.bak keeps
        self._hand_kept = False  # kept by hand, then imported: replaced, and kept byte for byte as a backup

    def exclusive(self) -> AbstractContextManager[None]:
        return exclusive(self.path)

    def claim(self) -> None:
        """Refuse a hand-kept config.yaml that import did not take over: it is never replaced."""
        self._hand_kept = self.overrides is not None and taken_over(self.path, self.overrides)

    def current(self) -> Deployed:
        self._read = _read_config(self.path)
        if self._read is None:
            return Deployed(read=partial(Listing, note=MISSING))
        found, body = stamp.split(self._read.encode("utf-8"))  # as rendered: its digest line is no content
        return read_deployed(body.decode("utf-8"), found.digest if found else None)

    def apply(self, plan: Plan) -> None:
        new_file = plan.text
        if plan.digest is not None:
            figures = (len(plan.deployments), plan.warnings, said.digest(plan.said))
            new_file = stamp.stamped(plan.text, plan.digest, *figures)
        if plan.changed:
            replace_config(self.path, self._read, new_file, self._hand_kept)
        elif new_file not in (plan.text, self._read):
            check_writable(self.path)  # the same config with a new digest line: no backup needed
            write_atomic(self.path, new_file)
        if plan.changed or plan.digest is not None:
            said.write(self.path, plan.said)  # after config.yaml: a failed write of it leaves this too


def read_deployed(text: str, digest: str | None = None) -> Deployed:
    """A rendered config.yaml as the record the pipeline compares against; parsed only when asked."""
    return Deployed(text, digest, read=partial(_listing, text), reread=partial(_listing_knowing, text))


def _listing_knowing(text: str, new: str, deployments: tuple[Deployment, ...]) -> Listing:
    """_listing(text), parsing only the deployments `new` does not repeat (outputs/reparse.py)."""
    return _listing(text, old_config(text, new, deployments))


def _listing(text: str, parsed: dict[str, Any] | None = None) -> Listing:
    config, note = (parsed, "") if parsed is not None else parse_config(text)
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
