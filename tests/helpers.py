"""Test helpers shared by every test file: a project copy in tmp_path, real catalogs, a server."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
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
from tests.netguard import sitecustomize as netguard

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT.parent / "shared" / "catalogs"


NETGUARD = Path(netguard.__file__).parent


def unguarded(env: dict[str, str]) -> dict[str, str]:
    """`env` for the one child allowed past loopback: pip installing the pinned LiteLLM from the registry."""
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and Path(p) != NETGUARD]
    kept = {k: v for k, v in env.items() if k not in ("PYTHONPATH", netguard.NETLOG)}
    return {**kept, "PYTHONPATH": os.pathsep.join(paths)} if paths else kept


def guarded(env: dict[str, str]) -> dict[str, str]:
    """`env` for a child Python, held to the suite's network guard (tests/netguard) like this process."""
    paths = [str(NETGUARD), env.get("PYTHONPATH", "")]
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, paths)), netguard.NETLOG: os.environ[netguard.NETLOG]}


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

    def cli(
        self, *args: str, env: dict[str, str] | None = None, installed: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """A real process in the project's folder: `python generate.py ARGS --config ...`, or, with
        `installed`, the `modelsync` console command (its own folder's files, named as installed)."""
        if installed:
            command = [sys.executable, "-c", "from modelsync.cli import console; console()", *args]
        else:
            command = [sys.executable, str(ROOT / "generate.py"), *args, *self.path_args()]
        environment = guarded({**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", **(env or {})})
        return subprocess.run(command, cwd=self.root, env=environment, capture_output=True, text=True, timeout=120)

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

    def add_offer(self, name: str, entry: dict[str, Any]) -> None:
        """Append one entry to a cached catalog's `data`, as a catalog saved by hand would have it."""
        body = json.loads((self.cache / f"{name}.json").read_text())
        body["data"].append(entry)
        self.use_catalog(name, body)

    def cache_routes(self) -> dict[str, tuple[int, dict[str, str], bytes]]:
        """Each document in this project's cache, at /<its name>, for `serve`."""
        return {
            f"/{path.name.removesuffix('.json')}": (200, {"Content-Type": "application/json"}, path.read_bytes())
            for path in self.cache.glob("*.json")
            if not path.name.endswith(".meta.json")
        }

    def fetch_from(self, base: str) -> None:
        """Point every catalog and shared source in providers.yaml that is not on loopback at `base`/<name>."""
        providers = yaml.safe_load(self.providers.read_text())
        sources = providers.pop("sources")
        for name, entry in sources.items():
            entry["url"] = _local(entry["url"], f"{base}/{name}")
        for name, entry in providers.items():
            for key, suffix in (("catalog_url", ""), ("embeddings_url", ".embeddings")):
                if key in entry:
                    entry[key] = _local(entry[key], f"{base}/{name}{suffix}")
        self.providers.write_text(yaml.safe_dump({"sources": sources, **providers}, sort_keys=False))

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


def _local(url: str, instead: str) -> str:
    return url if url.startswith(("http://127.0.0.1", "http://localhost")) else instead


def run_generate(project: Project, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`python generate.py ARGS` in a real process in the project's folder, with no key and no settings of ours."""
    return subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), *args, *project.path_args()],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=project.root,
        env=guarded({"PATH": "/usr/bin:/bin", "MODELSYNC_RETRIES": "0", **(env or {})}),
    )


class MemoryTarget:
    """A deployment held in memory: the pipeline's second target, proving it needs no file."""

    def __init__(self) -> None:
        self.deployed = NOTHING
        self.plans: list[Plan] = []

    def exclusive(self) -> AbstractContextManager[None]:
        return nullcontext()

    def claim(self) -> None:
        return None

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

    with serving(Answer) as url:
        yield url


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 running `handler` in threads; its URL, and it stops at the end."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def modelsync(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed `modelsync` command, run for real in `folder`: its own process, no key or setting inherited."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MODELSYNC_") and not k.endswith("_API_KEY")}
    env["PYTHONPATH"] = str(ROOT)
    command = [sys.executable, "-c", "from modelsync.cli import console; console()", *args]
    return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def without_stable_id(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """`new` without the model_info.id modelsync adds where `old` had none (the one thing a render adds)."""
    from modelsync.model.deployment import deployment_key
    from modelsync.model.stable_id import stable_id

    info = dict(new.get("model_info") or {})
    ours = stable_id(*deployment_key(new.get("model_name", ""), new.get("litellm_params") or {}))
    if "id" not in (old.get("model_info") or {}) and info.get("id") == ours:
        del info["id"]
    return (
        {**new, "model_info": info}
        if info or "model_info" in old
        else {k: v for k, v in new.items() if k != "model_info"}
    )
