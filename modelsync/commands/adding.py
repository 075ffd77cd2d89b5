"""What `add` writes and what it must prove: the new models: item from the command line's options,
and that the model it names is deployed once the edit is rendered.

`--param K=V` and `--pin K=V` take YAML scalars (`rpm=60`, `input_cost_per_token=3e-7`); the item
they build is validated like any line of overrides.yaml (a literal secret, a cost under params, an
unknown pin key are refused there), so the terminal can say nothing the file could not.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from ..core.errors import InputError
from ..core.schema import SAFE_LOADER

if TYPE_CHECKING:
    from ..core.paths import Paths
    from ..model.overrides import ModelRef
    from ..pipeline import Inputs, Result

log = logging.getLogger("modelsync")
# YAML 1.1 (PyYAML) reads `3e-7` as text; a user typing a price means the number.
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Addition:
    """The model `add` was asked for, with everything the command line gives it."""

    model: str
    name: str | None = None
    params: tuple[str, ...] = ()  # KEY=VALUE, as typed
    pins: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        """The models: item's fields (id first), as overrides.yaml would hold them."""
        item: dict[str, Any] = {"id": self.model}
        if self.name is not None:
            item["name"] = self.name
        if self.params:
            item["params"] = parse_pairs("--param", self.params)
        if self.pins:
            item["pin"] = parse_pairs("--pin", self.pins)
        if self.exclude:
            item["exclude"] = list(self.exclude)
        return item


def item_of(fields: dict[str, Any]) -> str | dict[str, Any]:
    """The short form `- provider:id` when the id is all there is."""
    return fields["id"] if list(fields) == ["id"] else fields


def parse_pairs(option: str, pairs: Sequence[str]) -> dict[str, Any]:
    """`rpm=60` → {"rpm": 60}: each value one YAML scalar. The value is never echoed: it may be a key."""
    found: dict[str, Any] = {}
    for pair in pairs:
        key, equals, text = pair.partition("=")
        key = key.strip()
        if not equals or not key:
            raise InputError(f"{option} takes KEY=VALUE, and one of them has no KEY=", f"write it like {option} rpm=60")
        if key in found:
            raise InputError(f"{option} {key} is given twice", f"keep one {option} {key}=...")
        found[key] = _scalar(option, key, text)
    return found


def _scalar(option: str, key: str, text: str) -> Any:
    if NUMBER.fullmatch(text.strip()):
        return float(text) if re.search(r"[.eE]", text) else int(text)
    try:
        value = yaml.load(text, Loader=SAFE_LOADER) if text.strip() else ""
    except yaml.YAMLError:
        value = text
    if isinstance(value, (dict, list)) or (value is None and text.strip() not in ("null", "~")):
        raise InputError(
            f"{option} {key}=...: the value is not a single value (a number, true/false or text)",
            "write nested values in overrides.yaml itself",
        )
    return value


def deploys(ref: ModelRef, result: Result) -> bool:
    """Whether the rendered config.yaml holds a deployment of the added model."""
    if ref.is_group:
        return any(d.provider and d.model_name == ref.group_name for d in result.merged.deployments)
    return any(
        (d.provider, d.model_id) == (ref.provider, ref.model_id) and ref.name in (None, d.model_name)
        for d in result.merged.deployments
    )


def deployed_nothing(ref: ModelRef, result: Result) -> InputError:
    """Why the added model reached no deployment, from what the merge skipped, and what helps."""
    skipped = dict(result.merged.skipped.get(ref.provider, []))
    why = skipped.get(ref.model_id, "the merge left it out")
    reason, _, _ = why.partition("; ")
    fix = (
        f"pin its prices to use it: `python generate.py add {ref.id} --pin input_cost_per_token=... "
        "--pin output_cost_per_token=...`"
        if ref.model_id in skipped
        else f"see what its catalog offers with `python generate.py list {ref.provider or '--everywhere ' + ref.id}`"
    )
    return InputError(f"add {ref.id} would deploy nothing ({reason}), so nothing was written", fix)


def check_sold(paths: Paths, inputs: Inputs, ref: ModelRef) -> None:
    """A bare id must be sold by a provider in use; a typo gets the bare ids it was likely meant as."""
    from ..model.groups import eligible_ids, resolve_group, retire_unsold, searched
    from ..pipeline import load_catalogs
    from ..sources.driver import Sources

    overrides = inputs.overrides.model_copy(update={"models": [*inputs.overrides.models, ref]})
    catalogs = load_catalogs(inputs, Sources(paths.cache_dir).store)
    try:
        group = resolve_group(len(overrides.models) - 1, ref, overrides, catalogs)
        retire_unsold(group, overrides, catalogs, None, inputs.providers)  # raises: a new entry retires nothing
    except InputError as exc:
        what = exc.what.partition(": ")[2]  # without `models[N]`: the entry is not written
        offered = {name: eligible_ids(catalogs[name]) for name in searched(ref, overrides) if name in catalogs}
        close = bare_ids_near(ref.id, offered)
        fix = f"did you mean {' or '.join(close)}? " if close else ""
        raise InputError(
            f"add {ref.id}: {what.partition(' — ')[0]}",
            f"{fix}check with `python generate.py list --everywhere {close[0] if close else ref.id}`, "
            "or add one provider's model as provider:id",
        ) from None


def bare_ids_near(typed: str, offered: dict[str, list[str]]) -> list[str]:
    """Bare ids (no vendor prefix, lower case) close to `typed` that some provider in use sells."""
    from ..model.matching import match_everywhere

    bare = sorted({model_id.rpartition("/")[2].lower() for ids in offered.values() for model_id in ids})
    close = difflib.get_close_matches(typed.lower(), bare, n=6, cutoff=0.75)
    sold: dict[frozenset[tuple[str, str]], str] = {}  # one spelling per model: the closest
    for bare_id in close:
        members = frozenset(
            (p, m) for p, found in match_everywhere(bare_id, offered, False).items() for m in found.members
        )
        if members:
            sold.setdefault(members, bare_id)
    return list(sold.values())[:3]


def warn_other_model(inputs: Inputs, ref: ModelRef) -> None:
    """`--name` joining a group that is named for another model (Gemini into claude-haiku-4.5) is said."""
    from ..model.matching import match

    if ref.is_group or ref.name is None:
        return
    same = [r for r in inputs.overrides.models if (r.group_name if r.is_group else r.name) == ref.name]
    query = next((r.id for r in same if r.is_group), ref.name)  # a bare id names its model best
    if not any(match(query, [r.model_id], explain=False).chosen for r in same):
        return  # a name of the user's own (`coder`), or a new group: any model may join it
    if match(query, [ref.model_id], explain=False).chosen is None:
        log.warning(
            "add %s --name %s: %s is not %s, yet joins that load-balanced group, so LiteLLM answers requests "
            "for %s with it too — give it a --name of its own unless that is what you want",
            *(ref.id, ref.name, ref.model_id, query, ref.name),
        )
