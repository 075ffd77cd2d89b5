"""What marks a proxy's row as ours: a stable id, and a marker holding the hash of what we sent.

The proxy encrypts what it stores and reads back params without credentials, with its own
defaults added, so a row cannot be compared with a deployment directly. The marker keeps what
the read-back lacks — the `os.environ/` references, and which `model_info` keys we sent — so
the deployment as sent is rebuilt from any read-back row, and its hash says whether someone
edited the row since (drift) or whether the plan changes it (an update).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..core.secrets import ENV_REFERENCE, is_secret_key
from ..model.deployment import deployment_key
from ..model.stable_id import stable_id

MARK = "modelsync"  # model_info key holding our marker; the proxy keeps extra model_info keys
Body = dict[str, Any]  # one model_list entry: model_name, litellm_params, model_info


def deployment_id(body: Body) -> str:
    """The row id for a deployment: its own `model_info.id` (the stable id every generated deployment
    carries, or one written in overrides.yaml), else the stable id of its model_name, route and api_base."""
    given = (body.get("model_info") or {}).get("id")
    if given:
        return str(given)
    return stable_id(*deployment_key(str(body["model_name"]), body["litellm_params"]))


def content_hash(body: Body) -> str:
    """A hash of a deployment as we send it, without the row's id and our marker.

    False and null params count as absent: the proxy reads back its own defaults as false.
    """
    info = {k: v for k, v in (body.get("model_info") or {}).items() if k not in ("id", MARK)}
    params = {k: v for k, v in body["litellm_params"].items() if v not in (None, False)}
    canonical = {"model_name": body["model_name"], "litellm_params": params, "model_info": info}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, default=str).encode()).hexdigest()


def _unread(key: str, value: Any) -> bool:
    """A param the proxy never reads back: a credential, or a reference to its environment."""
    return is_secret_key(key) or (isinstance(value, str) and value.startswith(ENV_REFERENCE))


def marked(body: Body) -> Body:
    """`body` as sent to the proxy: its id and our marker in model_info."""
    params = body["litellm_params"]
    info = dict(body.get("model_info") or {})
    marker = {
        "sent": content_hash(body),
        "unread": {k: v for k, v in params.items() if _unread(k, v)},
        "info": sorted(info),
    }
    return {**body, "model_info": {**info, "id": deployment_id(body), MARK: marker}}


def marker_of(model_info: dict[str, Any]) -> dict[str, Any] | None:
    """Our marker in a row's model_info, or None for a row someone else made."""
    marker = model_info.get(MARK)
    if not isinstance(marker, dict):
        return None
    shapes = ((marker.get("sent"), str), (marker.get("unread"), dict), (marker.get("info"), list))
    return marker if all(isinstance(value, kind) for value, kind in shapes) else None


def as_sent(model_name: str, params: dict[str, Any], model_info: dict[str, Any], marker: dict[str, Any]) -> Body:
    """The deployment as we sent it, rebuilt from a read-back row and its marker.

    The proxy adds its own defaults to params (`use_in_pass_through: false`, ...) and catalog
    facts to model_info; neither is ours, so false and null params and unsent info keys drop.
    """
    kept = {k: v for k, v in params.items() if v not in (None, False) and not _unread(k, v)}
    info = {k: model_info[k] for k in marker["info"] if k in model_info}
    body: Body = {"model_name": model_name, "litellm_params": {**kept, **marker["unread"]}}
    return {**body, "model_info": info} if info else body


def edited(body: Body, marker: dict[str, Any]) -> bool:
    """Whether the row was changed by someone else since we sent it."""
    return content_hash(body) != str(marker["sent"])


def same_models(old_text: str | None, new_text: str) -> bool:
    """Whether two rendered configs hold the same deployments, in any order and any YAML spelling."""
    import yaml

    def listed(text: str | None) -> list[str]:
        loaded = yaml.safe_load(text) if text else None
        items = (loaded.get("model_list") or []) if isinstance(loaded, dict) else []
        return sorted(content_hash(item) for item in items)

    return listed(old_text) == listed(new_text)
