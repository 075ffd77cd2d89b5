"""A fake model provider on 127.0.0.1 that speaks the OpenAI, Anthropic, Gemini and Ollama wire formats.

Every request is recorded (path, headers, JSON body) so a test can see what LiteLLM sent where.
Usage is fixed, so the cost LiteLLM reports can be checked against our per-token prices, unless a
chat request chooses it: a last message whose content is `{"usage": {...}}` gets exactly that
usage back (OpenAI's shape, with `prompt_tokens_details`, `completion_tokens_details`, `cost`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PROMPT_TOKENS = 1000
COMPLETION_TOKENS = 500


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


@dataclass
class Upstream:
    base: str
    requests: list[Seen] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)  # first path segments that answer 503, like "anthropic"


def chosen_usage(body: dict[str, Any]) -> dict[str, Any] | None:
    """The usage a chat request asks to be answered with, if it asks for one."""
    messages = body.get("messages")
    content = messages[-1].get("content") if isinstance(messages, list) and messages else None
    if not isinstance(content, str) or not content.startswith('{"usage"'):
        return None
    usage = json.loads(content)["usage"]
    return usage if isinstance(usage, dict) else None


def _answer(path: str, body: dict[str, Any]) -> dict[str, Any]:
    model = body.get("model", "unknown")
    if path.endswith("/messages"):  # Anthropic
        return {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": "pong"}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": PROMPT_TOKENS, "output_tokens": COMPLETION_TOKENS},
        }
    if path.endswith("/api/chat"):  # Ollama
        return {
            "model": model,
            "created_at": "2026-12-01T00:00:00Z",
            "message": {"role": "assistant", "content": "pong"},
            "done": True,
            "done_reason": "stop",
            "prompt_eval_count": PROMPT_TOKENS,
            "eval_count": COMPLETION_TOKENS,
        }
    if ":generateContent" in path:  # Gemini
        return {
            "candidates": [{"content": {"role": "model", "parts": [{"text": "pong"}]}, "finishReason": "STOP"}],
            "usageMetadata": {
                "promptTokenCount": PROMPT_TOKENS,
                "candidatesTokenCount": COMPLETION_TOKENS,
                "totalTokenCount": PROMPT_TOKENS + COMPLETION_TOKENS,
            },
        }
    if ":batchEmbedContents" in path or ":embedContent" in path:
        count = len(body.get("requests", [1]))
        return {"embeddings": [{"values": [0.1, 0.2, 0.3]} for _ in range(count)]}
    if path.endswith("/embeddings"):
        return {
            "object": "list",
            "model": model,
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
            "usage": {"prompt_tokens": PROMPT_TOKENS, "total_tokens": PROMPT_TOKENS},
        }
    groq = {"service_tier": "on_demand"} if path.startswith("/groq/") else {}  # Groq's answers carry it
    return {
        **groq,
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 1760000000,
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "pong"}, "finish_reason": "stop"}],
        "usage": chosen_usage(body)
        or {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
        },
    }


@contextmanager
def fake_upstream() -> Iterator[Upstream]:
    upstream = Upstream("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = json.loads(raw or b"{}")
            upstream.requests.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            down = self.path.strip("/").split("/")[0] in upstream.failing
            answer = {"error": {"message": "overloaded", "type": "server_error"}} if down else None
            payload = json.dumps(answer or _answer(self.path.split("?")[0], body)).encode()
            self.send_response(503 if down else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    upstream.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield upstream
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
