"""Gateways whose lists state no prices: Ollama Cloud (a subscription) and Fireworks AI."""

from __future__ import annotations

from typing import Any

from ...core.catalog import Document, Offer, Skip, limit
from .common import flags
from .vendors import mode_from_id


def ollama_id(entry: Any) -> str | None:
    """`/api/tags` names a model by `name` (`gpt-oss:120b`), with `model` as its twin."""
    if not isinstance(entry, dict):
        return None
    for key in ("name", "model"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def ollama_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """Ollama Cloud is paid by subscription, not per token: a zero price, written as the free marker."""
    return Offer(id=model_id, mode=mode_from_id(model_id), prices={"input": 0.0, "output": 0.0})


FIREWORKS_KINDS = {"EMBEDDING_MODEL": "embedding", "FLUMINA_BASE_MODEL": "image_generation"}


def fireworks_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer | Skip:
    """Fireworks lists ids, kinds and context lengths; its prices come from models.dev."""
    kind = entry.get("kind")
    if kind == "HF_PEFT_ADDON":
        return Skip(model_id, "a LoRA add-on, not a model served on its own")
    if entry.get("supports_chat") is True:
        mode = "chat"
    else:
        mode = FIREWORKS_KINDS.get(str(kind), mode_from_id(model_id))
        if mode == "chat":  # listed but not chat: a base model LiteLLM calls as a completion
            mode = "completion"
    return Offer(
        id=model_id,
        mode=mode,
        max_input_tokens=limit(entry.get("context_length")),
        capabilities=flags(
            supports_vision=entry.get("supports_image_input"),
            supports_function_calling=entry.get("supports_tools"),
        ),
    )
