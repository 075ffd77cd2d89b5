"""overrides.yaml's `settings:`: LiteLLM's top-level config sections, passed through as written."""

from __future__ import annotations

import difflib
from typing import Any

from ..core.secrets import refuse_literals

# LiteLLM's top-level config sections (proxy_server.py reads these); any other key passes too,
# but one a letter or two away from these is taken for a typo.
KNOWN_SECTIONS = (
    "general_settings",
    "litellm_settings",
    "router_settings",
    "environment_variables",
    "credential_list",
    "guardrails",
    "mcp_servers",
    "mcp_tools",
    "callback_settings",
    "assistant_settings",
    "files_settings",
    "finetune_settings",
    "vector_store_registry",
    "search_tools",
    "pass_through_endpoints",
    "policies",
    "prompts",
    "agent_list",
)


def check_sections(sections: dict[str, Any]) -> dict[str, Any]:
    """Any top-level LiteLLM section passes as written, but not model_list, a typo or a literal secret."""
    for name in sections:
        if name == "model_list":
            raise ValueError(
                "model_list is what the generator writes — put deployments under models: or entries: instead"
            )
        close = difflib.get_close_matches(name, KNOWN_SECTIONS, n=1, cutoff=0.85)
        if name not in KNOWN_SECTIONS and close:
            raise ValueError(f"unknown section {name!r} — did you mean {close[0]!r}?")
    return refuse_literals(sections)
