"""A deployment's `model_info.id`, derived from what it is, not from what it costs.

LiteLLM's default id hashes every litellm_param, prices included, so each price refresh gave each
deployment a new id: its spend history split, its router state (cooldowns, health) reset. This id
hashes the deployment key alone — model_name, route, api_base — so it holds across refreshes and
spend rows join across them. An id written in overrides.yaml (or kept by import) wins.
"""

from __future__ import annotations

import hashlib

PREFIX = "ms-"  # says who wrote it, so an id from the outside is never mistaken for one of ours


def stable_id(model_name: str, route: str, api_base: str) -> str:
    """`ms-` and 16 hex digits of sha256 over the key: stable, short, and the same in every run."""
    key = f"{model_name}\n{route}\n{api_base}".encode("utf-8", "surrogatepass")  # any text a catalog sends
    digest = hashlib.sha256(key).hexdigest()
    return PREFIX + digest[:16]
