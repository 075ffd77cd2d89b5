"""Derive modelsync/data/litellm_keys.txt from LiteLLM's own types (run once per LiteLLM upgrade).

    MODELSYNC_LITELLM_VENV=/work/.venv-litellm
    LITELLM_LOCAL_MODEL_COST_MAP=True $MODELSYNC_LITELLM_VENV/bin/python tools/derive_litellm_keys.py [TARGET]

It must run with LiteLLM importable, so LiteLLM stays out of modelsync's runtime dependencies:
the package only reads the list this writes, to warn about a likely typo (`rmp` for `rpm`).
"""

from __future__ import annotations

import inspect
import sys
import typing
from importlib.metadata import version
from pathlib import Path

import litellm
from litellm.types import router, utils
from litellm.types.llms import anthropic

TARGET = Path(__file__).resolve().parent.parent / "modelsync" / "data" / "litellm_keys.txt"


def litellm_params() -> set[str]:
    """Every key a deployment's litellm_params may hold: the router's params and the call's arguments."""
    keys = set(router.LiteLLM_Params.model_fields) | set(typing.get_type_hints(router.LiteLLMParamsTypedDict))
    for call in (litellm.completion, litellm.embedding, litellm.image_generation, litellm.rerank):
        parameters = inspect.signature(call).parameters.values()
        keys |= {p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)}
    keys |= set(litellm.OPENAI_CHAT_COMPLETION_PARAMS)
    keys |= set(typing.get_type_hints(anthropic.AnthropicMessagesRequest))  # top_k and friends
    return keys - {"kwargs", "args", "messages", "input", "prompt", "query", "documents"}


def model_info() -> set[str]:
    """Every key model_info may hold: LiteLLM's ModelInfo types and every key its own cost map uses."""
    keys = set(typing.get_type_hints(utils.ModelInfo)) | set(router.ModelInfo.model_fields)
    for entry in litellm.model_cost.values():
        keys |= set(entry)
    return keys


def main() -> int:
    lines = [
        f"# The keys LiteLLM {version('litellm')} knows, derived by tools/derive_litellm_keys.py",
        "# from its own types; modelsync warns when a key in overrides.yaml is a close miss of one.",
    ]
    for section, keys in (("litellm_params", litellm_params()), ("model_info", model_info())):
        lines += ["", f"[{section}]", *sorted(k for k in keys if k.isidentifier())]
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TARGET
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {target} ({len(lines)} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
