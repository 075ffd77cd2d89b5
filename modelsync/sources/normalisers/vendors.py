"""Lists without prices: NVIDIA NIM (free to use) and the direct vendors, whose prices LiteLLM knows."""

from __future__ import annotations

import re
from typing import Any

from ...core.catalog import Document, Offer, Skip, end_date, limit
from .common import as_dict, as_list, flags

# Modes read from an id where the list does not say; first match wins.
ID_MODES = (
    (re.compile(r"embed"), "embedding"),
    (re.compile(r"rerank"), "rerank"),
    (re.compile(r"whisper|transcribe"), "audio_transcription"),
    (re.compile(r"tts"), "audio_speech"),
    (re.compile(r"dall-e|gpt-image|chatgpt-image|imagen|image-generation|flash-image|-image\b"), "image_generation"),
    (re.compile(r"sora|veo-"), "video_generation"),
    (re.compile(r"moderation"), "moderation"),
    (re.compile(r"realtime"), "realtime"),
    (re.compile(r"^(davinci|babbage)-|instruct-?0914|turbo-instruct$"), "completion"),
)


def mode_from_id(model_id: str) -> str:
    return next((mode for pattern, mode in ID_MODES if pattern.search(model_id)), "chat")


def nvidia_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """NVIDIA's hosted catalog is free to use: a zero price, written as the free marker."""
    return Offer(id=model_id, mode=mode_from_id(model_id), prices={"input": 0.0, "output": 0.0})


def openai_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    """OpenAI lists ids only; costs and limits come from LiteLLM's own price map."""
    return Offer(id=model_id, mode=mode_from_id(model_id), retires=end_date(entry.get("shutdown_date")))


def anthropic_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer:
    caps = as_dict(entry.get("capabilities"))

    def supported(name: str) -> bool:
        return as_dict(caps.get(name)).get("supported") is True

    return Offer(
        id=model_id,
        max_input_tokens=limit(entry.get("max_input_tokens")),
        max_output_tokens=limit(entry.get("max_tokens")),
        capabilities=flags(
            supports_vision=supported("image_input"),
            supports_pdf_input=supported("pdf_input"),
            supports_response_schema=supported("structured_outputs"),
            supports_reasoning=supported("thinking"),
        ),
    )


def gemini_id(entry: Any) -> str | None:
    name = entry.get("name") if isinstance(entry, dict) else None
    return name.removeprefix("models/").strip() or None if isinstance(name, str) else None


def gemini_offer(model_id: str, entry: dict[str, Any], doc: Document) -> Offer | Skip:
    methods = as_list(entry.get("supportedGenerationMethods"))
    if "embedContent" in methods or "embedText" in methods:
        mode = "embedding"
    elif "generateContent" in methods:
        mode = mode_from_id(model_id)
    elif "predict" in methods:
        mode = "image_generation"
    elif "predictLongRunning" in methods:
        mode = "video_generation"
    else:
        return Skip(model_id, f"no generation method LiteLLM calls ({', '.join(map(str, methods)) or 'none'})")
    return Offer(
        id=model_id,
        mode=mode,
        max_input_tokens=limit(entry.get("inputTokenLimit")),
        max_output_tokens=limit(entry.get("outputTokenLimit")) if mode == "chat" else None,
    )
