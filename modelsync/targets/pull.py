"""`import --from-proxy`: a running proxy's database models as a LiteLLM config, for the importer.

A team that built its models in the UI adopts the tool this way. The proxy never reads keys
back, so every credential it holds becomes a placeholder the importer turns into an
`os.environ/` reference named as it names any literal key; our own rows get back exactly the
references we sent (their marker keeps them).
"""

from __future__ import annotations

from typing import Any

from .proxy import ProxyTarget, Row

UNREADABLE = "unreadable-from-the-proxy"  # a literal to the importer: replaced by os.environ/NAME


def as_legacy_config(target: ProxyTarget) -> dict[str, Any]:
    """The proxy's database models as a config.yaml's model_list (config-file models left out)."""
    rows = [row for row in target.current() if row.info.get("db_model")]
    return {"model_list": [_deployment(row) for row in rows]}


def _deployment(row: Row) -> dict[str, Any]:
    if row.marker is not None:
        return row.sent
    params = {k: v for k, v in row.params.items() if v not in (None, False)}
    return {"model_name": row.model_name, "litellm_params": {**params, "api_key": UNREADABLE}}
