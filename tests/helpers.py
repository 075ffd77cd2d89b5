"""Test helpers shared by every test file: a project copy in tmp_path, real catalogs, a server."""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from modelsync.cli import main
from modelsync.core.paths import Paths
from modelsync.model.deployed import NOTHING, Deployed
from modelsync.targets import Plan

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT.parent / "shared" / "catalogs"


def real_catalog(relative: str) -> Path:
    """A real saved catalog from ../shared/catalogs; the test skips where that folder is absent."""
    path = CATALOGS / relative
    if not path.is_file():
        pytest.skip(f"real catalog {relative} not found at {CATALOGS} (the shared/ folder is not beside the repo)")
    return path


@dataclass
class Project:
    """A copy of the repo's inputs in a temp folder, run through the real command line."""

    root: Path

    @property
    def config(self) -> Path:
        return self.root / "config.yaml"

    @property
    def overrides(self) -> Path:
        return self.root / "overrides.yaml"

    @property
    def providers(self) -> Path:
        return self.root / "providers.yaml"

    @property
    def cache(self) -> Path:
        return self.root / "cache"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    def path_args(self) -> list[str]:
        return [
            "--config",
            str(self.config),
            "--overrides",
            str(self.overrides),
            "--providers",
            str(self.providers),
            "--cache-dir",
            str(self.cache),
            "--templates",
            str(self.templates),
        ]

    @property
    def paths(self) -> Paths:
        return Paths(
            config=self.config,
            overrides=self.overrides,
            providers=self.providers,
            cache_dir=self.cache,
            templates=self.templates,
        )

    def run(self, *args: str) -> int:
        return main([*args, *self.path_args()])

    def write_overrides(self, data: dict[str, Any] | str) -> None:
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        self.overrides.write_text(text, encoding="utf-8")

    def use_catalog(self, name: str, source: Path | dict[str, Any]) -> None:
        """Put a catalog document into this project's cache, as a user would drop a saved file."""
        target = self.cache / f"{name}.json"
        if isinstance(source, Path):
            shutil.copyfile(source, target)
        else:
            target.write_text(json.dumps(source), encoding="utf-8")

    def committed_files(self) -> dict[str, str]:
        """snapshot_files without the cache's local state (git-ignored: the memo, confirmations)."""
        return {path: digest for path, digest in self.snapshot_files().items() if not path.startswith("cache/.")}

    def snapshot_files(self) -> dict[str, str]:
        """sha256 of every file under the project, to prove a run wrote nothing."""
        return {
            str(p.relative_to(self.root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
        }


class MemoryTarget:
    """A deployment held in memory: the pipeline's second target, proving it needs no file."""

    def __init__(self) -> None:
        self.deployed = NOTHING
        self.plans: list[Plan] = []

    def exclusive(self) -> AbstractContextManager[None]:
        return nullcontext()

    def current(self) -> Deployed:
        return self.deployed

    def apply(self, plan: Plan) -> None:
        self.plans.append(plan)
        if plan.changed:
            retired = (item.id for item in plan.retired)
            self.deployed = Deployed.of(plan.deployments, plan.sections, retired, plan.text)


def make_project(tmp_path: Path) -> Project:
    root = tmp_path / "project"
    root.mkdir()
    for name in ("providers.yaml", "overrides.yaml", "config.yaml"):
        shutil.copyfile(ROOT / name, root / name)
    for folder in ("templates", "cache"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("*.meta.json", ".normalised"))
    return Project(root)


MODELS_DEV_HOST = "models.dev"
TIER_KEYS = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
}


def per_million(value: Any) -> float:
    """A models.dev price (USD per million tokens) per token, exactly."""
    return float(Decimal(str(value)) / 1_000_000)


def assert_tiers_rendered(params: dict[str, Any], cost: dict[str, Any]) -> None:
    """models.dev's tiers reach `tiered_pricing`, each at its threshold, each price per token."""
    stated = cost.get("tiers") or (
        [{**cost["context_over_200k"], "tier": {"size": 200000}}] if "context_over_200k" in cost else []
    )
    rows = {row["range"][0]: row for row in params.get("tiered_pricing", [])}
    assert sorted(rows) == ([0] if stated else []) + sorted(t["tier"]["size"] for t in stated)
    for tier in stated:
        row = rows[tier["tier"]["size"]]
        for field, key in TIER_KEYS.items():
            if tier.get(field):
                assert math.isclose(row[key], per_million(tier[field]), rel_tol=1e-9), (params["model"], field)


def with_models_dev(
    handler: Callable[[httpx.Request], httpx.Response], seen: list[httpx.Request] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    """A mock transport handler that answers models.dev's api.json with the example's, else asks `handler`."""
    body = (ROOT / "cache" / "models_dev.json").read_bytes()

    def answer(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(request)
        if request.url.host == MODELS_DEV_HOST:
            return httpx.Response(200, content=body, headers={"ETag": '"md1"'})
        return handler(request)

    return answer


def openrouter_entry(
    model_id: str, prompt: Any = "0.000001", completion: Any = "0.000002", **extra: Any
) -> dict[str, Any]:
    """A small OpenRouter catalog entry in the real shape."""
    entry = {
        "id": model_id,
        "name": model_id,
        "context_length": 128000,
        "architecture": {"modality": "text->text", "input_modalities": ["text"], "output_modalities": ["text"]},
        "pricing": {"prompt": prompt, "completion": completion},
        "top_provider": {"context_length": 128000, "max_completion_tokens": 8192},
        "supported_parameters": ["max_tokens", "tools"],
    }
    entry.update(extra)
    return entry


# A route answers (status, headers, body), or None when it wrote its own (possibly broken) reply.
Handler = Callable[[BaseHTTPRequestHandler], "tuple[int, dict[str, str], bytes] | None"]


@contextmanager
def serve(routes: dict[str, Handler | tuple[int, dict[str, str], bytes]]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 answering each path from `routes`; yields its base URL."""

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            route = routes.get(self.path.split("?")[0])
            answer = (404, {}, b"not found") if route is None else (route(self) if callable(route) else route)
            if answer is None:
                return
            status, headers, body = answer
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
