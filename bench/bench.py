#!/usr/bin/env python3
"""Print how fast the generator is, each figure beside its target, measured in this run.

    python bench/bench.py              # everything, in about a minute
    python bench/bench.py check report # only some: check, report, scale, refresh, shared, groups, gate
    python bench/bench.py report --pairing  # also DeepDiff made to pair changed models (~1 min more)

Figures, not assertions. Ratios compare two things timed in the same run, interleaved, as medians.
"""

from __future__ import annotations

import compileall
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelsync.core.catalog import Document  # noqa: E402
from modelsync.core.paths import Paths  # noqa: E402
from modelsync.model.merge import Deployment, merge  # noqa: E402
from modelsync.model.overrides import Overrides  # noqa: E402
from modelsync.outputs import stamp  # noqa: E402
from modelsync.outputs.render import render  # noqa: E402
from modelsync.outputs.report import compare  # noqa: E402
from modelsync.pipeline import Options, run  # noqa: E402
from modelsync.sources.normalisers import normalise_openrouter  # noqa: E402
from modelsync.sources.providers import load_providers  # noqa: E402
from modelsync.targets.config_file import read_deployed  # noqa: E402

CATALOGS = ROOT.parent / "shared" / "catalogs"
PYTHON = sys.executable
REAL = {  # every real catalog, as the provider whose shape it has
    "openrouter": "openrouter/2026-08-19-all-modalities.json",
    "vercel": "vercel/2025-11-18.json",
    "nvidia": "nvidia/2026-05-03.json",
    "openai": "openai/2026-08-17.json",
    "anthropic": "anthropic/2026-08-17.json",
    "gemini": "gemini/2025-12-25-page1.json",
    "novita": "novita/2025-05-02-two-models.json",
}


def times(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return samples


def median_time(action: Callable[[], object], runs: int) -> float:
    return statistics.median(times(action, runs))


def spread(values: list[float], unit: str = " s", digits: int = 3) -> str:
    """`median (min–max)`: the machine is shared, so every figure says how much it moved."""
    return f"{statistics.median(values):.{digits}f}{unit} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def process(
    command: list[str], env: dict[str, str] | None = None, codes: tuple[int, ...] = (0,)
) -> tuple[float, float]:
    """Wall and CPU seconds of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode in codes, (command[2:4], done.returncode, done.stderr[-400:])
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def interleaved(commands: dict[str, list[str]], runs: int, **kwargs: Any) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of each command per round, run in turn so that machine noise falls on all of them."""
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for turn in range(runs):
        order = list(commands.items())
        for name, command in order if turn % 2 == 0 else reversed(order):  # neither always goes first
            samples[name].append(process(command, **kwargs))
    return samples


def ratios(a: list[tuple[float, float]], b: list[tuple[float, float]], kind: int) -> list[float]:
    """a / b round by round (kind 0: wall, 1: CPU), so each ratio compares neighbours in time."""
    return [x[kind] / y[kind] for x, y in zip(a, b, strict=True)]


def project(root: Path, catalogs: dict[str, Any], overrides: dict[str, Any], providers: Path | None = None) -> Paths:
    """A temp project: providers.yaml, templates, a cache holding `catalogs`, and overrides."""
    root.mkdir(parents=True)
    shutil.copyfile(providers or ROOT / "providers.yaml", root / "providers.yaml")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "cache").mkdir()
    for name, body in catalogs.items():
        target = root / "cache" / f"{name}.json"
        shutil.copyfile(body, target) if isinstance(body, Path) else target.write_text(json.dumps(body))
    (root / "overrides.yaml").write_text(json.dumps(overrides))
    return Paths(
        root / "config.yaml", root / "overrides.yaml", root / "providers.yaml", root / "cache", root / "templates"
    )


def cli(paths: Paths, *args: str) -> list[str]:
    return [
        PYTHON,
        str(ROOT / "generate.py"),
        *args,
        "--config",
        str(paths.config),
        "--overrides",
        str(paths.overrides),
        "--providers",
        str(paths.providers),
        "--cache-dir",
        str(paths.cache_dir),
        "--templates",
        str(paths.templates),
    ]


def line(what: str, figure: str, target: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else f"target {target:<18} {'met' if met else 'NOT MET'}"
    print(f"  {what:<44} {figure:<40} {verdict}".rstrip())


# 1. --check on a config of every real catalog ----------------------------------------------


MODELS_DEV_SNAPSHOT = "models.dev/2026-05-21-api.json"
READ_WHOLE = ("deepseek", "groq", "mistral", "xai")  # providers read whole from models.dev


def real_project(root: Path, models_dev: bool = False) -> Paths:
    catalogs: dict[str, Any] = {name: CATALOGS / path for name, path in REAL.items()}
    catalogs["openrouter.embeddings"] = {"data": []}
    enabled = list(REAL)
    if models_dev:  # the 2 MB document: prices the vendors' lists, and four providers read whole
        catalogs["models_dev"] = CATALOGS / MODELS_DEV_SNAPSHOT
        enabled += READ_WHOLE
    paths = project(root, catalogs, {"providers": {name: {"include": ["*"]} for name in enabled}})
    subprocess.run(cli(paths, "--offline", "-q"), check=True)
    return paths


def bench_check(work: Path) -> None:
    _bench_check(work / "check", models_dev=False)
    _bench_check(work / "check-models-dev", models_dev=True)


def _bench_check(folder: Path, models_dev: bool) -> None:
    paths = real_project(folder, models_dev)
    count = (paths.config.read_text()).count("\n  - model_name: ")
    imports = [PYTHON, "-c", "import yaml, jinja2, pydantic"]
    runs = 21
    figures = interleaved({"imports": imports, "check": cli(paths, "--check", "-q")}, runs)
    inputs = "every real catalog" + (" and models.dev's 2 MB api.json (4 providers read whole)" if models_dev else "")
    print(f"1{'b' if models_dev else ''}. --check, {count} deployments from {inputs} ({runs} interleaved rounds)")
    print(f"  `import yaml, jinja2, pydantic`: wall {spread([w for w, _ in figures['imports']])}")
    for kind, label in ((0, "wall"), (1, "CPU")):
        each = ratios(figures["check"], figures["imports"], kind)
        line(
            f"up to date, {label} / the imports",
            f"{statistics.median(each):.2f}x ({min(each):.2f}–{max(each):.2f})",
            "<= 1.0x",
            statistics.median(each) <= 1.0,
        )
    probe = (
        "import sys; sys.path.insert(0, %r); from modelsync.cli import main; main(sys.argv[1:]); "
        "print(' '.join(m for m in %r if m in sys.modules) or 'none')"
    )
    heavy = ("yaml", "jinja2", "pydantic", "httpx", "deepdiff", "pydantic_settings")
    loaded = subprocess.run(
        [PYTHON, "-c", probe % (str(ROOT), heavy), *cli(paths, "--check", "-q")[2:]],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    line("up to date: heavy modules imported", loaded, "none", loaded == "none")
    # Something changed: the digest line only costs its hashing before the full check and report.
    # Against the same stale config without the line, where --check goes straight to rendering.
    overrides = json.loads(paths.overrides.read_text())
    overrides["providers"]["openrouter"]["exclude"] = ["google/*"]
    paths.overrides.write_text(json.dumps(overrides))
    bare = folder.with_name(folder.name + "-no-digest")
    shutil.copytree(paths.config.parent, bare)
    bare_paths = Paths(
        bare / "config.yaml", bare / "overrides.yaml", bare / "providers.yaml", bare / "cache", bare / "templates"
    )
    lines = bare_paths.config.read_text().splitlines(keepends=True)
    bare_paths.config.write_text("".join(x for x in lines if not x.startswith(stamp.PREFIX)))
    runs = 15
    stale = interleaved({"with": cli(paths, "--check"), "without": cli(bare_paths, "--check")}, runs, codes=(1,))
    each = ratios(stale["with"], stale["without"], 0)
    line("changed: check + report, wall", spread([w for w, _ in stale["with"]]))
    line(
        "  / the same without a digest line (today)",
        f"{statistics.median(each):.2f}x ({min(each):.2f}–{max(each):.2f})",
        "<= 1.0x (noise)",
        statistics.median(each) <= 1.05,
    )
    hashing = [t * 1000 for t in times(lambda: stamp.current(paths), runs=21)]
    line("  of which hashing every input (in-process)", spread(hashing, " ms", 1))


# 2. The change report between two real OpenRouter catalogs --------------------------------


def deployments(date: str) -> list[Deployment]:
    body = json.loads((CATALOGS / "openrouter" / f"{date}.json").read_text())
    catalog = normalise_openrouter("openrouter", [Document("openrouter", date, body)])
    providers = load_providers(ROOT / "providers.yaml")
    overrides = Overrides.model_validate({"providers": {"openrouter": {"include": ["*"]}}})
    return merge(providers, overrides, {"openrouter": catalog}).deployments


def bench_report(work: Path) -> None:
    from deepdiff import DeepDiff

    old, new = deployments("2025-05-23"), deployments("2026-08-19")
    providers = load_providers(ROOT / "providers.yaml")
    old_text = render(ROOT / "templates", old, {})
    ours = median_time(lambda: compare(read_deployed(old_text), new, {}, providers), runs=7)
    counts = compare(read_deployed(old_text), new, {}, providers).counts()
    old_list, new_list = [d.as_dict() for d in old], [d.as_dict() for d in new]
    baseline = median_time(lambda: DeepDiff(old_list, new_list, ignore_order=True), runs=3)
    print(f"2. change report 2025-05-23 → 2026-08-19, all models ({len(old)} → {len(new)} deployments, {counts})")
    line("ours, parsing the old config.yaml included", f"{ours:.3f} s", "< 0.2 s", ours < 0.2)
    line(
        "DeepDiff(old, new, ignore_order=True) / ours",
        f"{baseline:.2f} s / {ours:.3f} s = {baseline / ours:.1f}x",
        ">= 50x",
        baseline / ours >= 50,
    )
    # With its defaults DeepDiff gives up pairing lists this different (over 30% unmatched) and reports
    # most changed models as removed + added. Made to pair them, it says what ours says, per field:
    if "--pairing" in sys.argv:
        pairing = median_time(
            lambda: DeepDiff(
                old_list, new_list, ignore_order=True, cutoff_intersection_for_pairs=1, cutoff_distance_for_pairs=1
            ),
            runs=1,
        )
        line(
            "same, pairing changed models (as ours) / ours",
            f"{pairing:.1f} s / {ours:.3f} s = {pairing / ours:.0f}x",
            ">= 50x",
            pairing / ours >= 50,
        )


# 3. Scale: synthetic catalogs of 10,000 and 50,000 models ---------------------------------


def synthetic(count: int) -> dict[str, Any]:
    rng = random.Random(count)
    return {
        "data": [
            {
                "id": f"vendor{i % 97}/model-{i}",
                "name": f"Model {i}",
                "description": "d" * 200,
                "context_length": rng.choice([8192, 32768, 131072]),
                "architecture": {
                    "input_modalities": ["text", "image"] if i % 3 == 0 else ["text"],
                    "output_modalities": ["text"],
                },
                "pricing": {
                    "prompt": str(rng.randint(1, 5000) / 1e9),
                    "completion": str(rng.randint(1, 20000) / 1e9),
                    "input_cache_read": str(rng.randint(1, 100) / 1e10),
                },
                "top_provider": {"context_length": 131072, "max_completion_tokens": 8192},
                "supported_parameters": ["tools", "max_tokens"],
            }
            for i in range(count)
        ]
    }


MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{done.returncode} {elapsed:.3f} {peak:.1f}")
"""


def generate_once(paths: Paths) -> tuple[float, float]:
    """Seconds and peak MB of one whole `generate.py --offline` writing a new config.yaml from nothing."""
    paths.config.unlink(missing_ok=True)
    shutil.rmtree(paths.cache_dir / ".normalised", ignore_errors=True)  # nothing remembered either
    out = subprocess.run(
        [PYTHON, "-c", MEASURE, *cli(paths, "--offline", "-q")], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out[0] == "0", out
    return float(out[1]), float(out[2])


def bench_scale(work: Path) -> None:
    figures = {}
    for count, runs in ((10_000, 3), (50_000, 3), (200_000, 3)):
        paths = project(
            work / f"scale-{count}",
            {"openrouter": synthetic(count), "openrouter.embeddings": {"data": []}},
            {"providers": {"openrouter": {"include": ["*"]}}},
        )
        figures[count] = [generate_once(paths) for _ in range(runs)]
        shutil.rmtree(paths.config.parent)
    print("3. scale: synthetic OpenRouter catalogs, every model selected, config.yaml written from scratch")
    for count, runs in figures.items():
        peak = max(m for _, m in runs)
        per = [t / count * 1e6 for t, _ in runs]
        line(
            f"{count:,} deployments",
            f"{spread([t for t, _ in runs])}, peak {peak:.0f} MB, {statistics.median(per):.0f} µs each",
            "< 1 GB" if count == 200_000 else "",
            peak < 1024 if count == 200_000 else None,
        )
    t10, t200 = (statistics.median(t for t, _ in figures[n]) for n in (10_000, 200_000))
    line("t(200k) / t(10k), linear = 20", f"{t200 / t10:.1f}", "<= 24 (linear)", t200 / t10 <= 24)


# 4. Refresh: every provider of providers.yaml behind 300 ms of latency each ------------------


class CatalogServer:
    """Real catalogs on 127.0.0.1, each answer after `latency`; with `etag`, a 304 to a matching If-None-Match."""

    def __init__(self, bodies: dict[str, bytes], latency: float) -> None:
        self.bodies, self.latency, self.etag = bodies, latency, False
        self.vary = False  # each answer a few more trailing spaces: every document changed since the last
        self.hits = {"200": 0, "304": 0}
        server = self

        class Slow(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                time.sleep(server.latency)
                body = server.bodies[self.path.split("?")[0].strip("/")]
                if server.etag and self.headers.get("If-None-Match") == '"v1"':
                    server.hits["304"] += 1
                    self.send_response(304)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                server.hits["200"] += 1
                if server.vary:
                    body += b" " * (1 + sum(server.hits.values()) % 50)
                self.send_response(200)
                if server.etag:
                    self.send_header("ETag", '"v1"')
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"


def slowest_fetch(server: CatalogServer) -> tuple[float, str]:
    """The longest one document takes to fetch on its own: a new connection each time, as a run makes."""
    import httpx

    def once(name: str) -> float:
        with httpx.Client() as client:  # its set-up (the TLS context) is no part of the fetch
            started = time.perf_counter()
            client.get(f"{server.base}/{name}").raise_for_status()
            return time.perf_counter() - started

    took = {name: statistics.median(once(name) for _ in range(5)) for name in server.bodies}
    name = max(took, key=lambda n: took[n])
    return took[name], name


def served_source(name: str) -> Path:
    provider = name.split(".")[0]
    if name == "models_dev":
        return CATALOGS / MODELS_DEV_SNAPSHOT
    return CATALOGS / REAL[provider] if provider in REAL and "." not in name else ROOT / "cache" / f"{name}.json"


def served_body(name: str) -> bytes:
    """A document's real catalog where one is saved, else the committed example's; one page only."""
    body = json.loads(served_source(name).read_bytes())
    body.pop("nextPageToken", None)
    body.pop("has_more", None)
    return json.dumps(body).encode()


def bench_refresh(work: Path) -> None:
    latency = 0.3
    every = load_providers(ROOT / "providers.yaml")
    # Every provider whose documents have a real or committed example to serve.
    providers = {k: p for k, p in every.items() if all(served_source(name).is_file() for name in p.urls())}
    documents = {name: url for p in providers.values() for name, url in p.urls().items()}
    server = CatalogServer({name: served_body(name) for name in documents}, latency)
    text = (ROOT / "providers.yaml").read_text()
    for name, url in sorted(documents.items(), key=lambda item: -len(item[1])):  # longest first: no prefix clash
        text = text.replace(url, f"{server.base}/{name}")
    (work / "providers-local.yaml").write_text(text)
    paths = project(
        work / "refresh",
        {name: json.loads(body) for name, body in server.bodies.items()},
        {"providers": {name: {"include": ["*"]} for name in providers}},
        work / "providers-local.yaml",
    )
    keys = {p.listing_key.env: "bench-key" for p in providers.values() if p.listing_key}
    env = {**os.environ, **keys}
    process(cli(paths, "--offline", "-q"), env=env, codes=(0, 4))
    runs = 15
    figures = interleaved(
        {"refresh": cli(paths, "--refresh", "-q"), "offline": cli(paths, "--offline", "-q")}, runs, env=env
    )
    extra = [r[0] - o[0] for r, o in zip(figures["refresh"], figures["offline"], strict=True)]
    served = sum(len(b) for b in server.bodies.values()) / 1e6
    slowest, slowest_name = slowest_fetch(server)
    print(
        f"4. refresh: {len(providers)} of {len(every)} providers ({len(documents)} documents, "
        f"{served:.1f} MB of real catalogs) "
        f"on 127.0.0.1, {latency * 1000:.0f} ms latency each ({runs} interleaved rounds, whole process)"
    )
    line("offline run (no fetch)", spread([w for w, _ in figures["offline"]]))
    line("refresh of every provider", spread([w for w, _ in figures["refresh"]]))
    line(f"the slowest fetch alone ({slowest_name}, median of 5)", f"{slowest:.3f} s")
    line(
        "refresh − offline, wall, round by round",
        spread(extra),
        f"<= {slowest:.2f} + 0.15 s",
        statistics.median(extra) <= slowest + 0.15,
    )
    cpu = [r[1] - o[1] for r, o in zip(figures["refresh"], figures["offline"], strict=True)]
    line("refresh − offline, CPU (less shaken by load)", spread(cpu))
    server.vary = True  # now every document differs from the cached one: parsed, checked, normalised, stored
    changed = interleaved(
        {"refresh": cli(paths, "--refresh", "-q"), "offline": cli(paths, "--offline", "-q")}, 7, env=env
    )
    server.vary = False
    line(
        "… every document changed since last run (7)",
        spread([r[0] - o[0] for r, o in zip(changed["refresh"], changed["offline"], strict=True)]),
    )
    print("    (parsed, checked, normalised and stored anew: work an offline run recalls from the memo)")
    server.etag = True
    process(cli(paths, "--refresh", "-q"), env=env)  # stores every catalog with its ETag
    server.hits.update({"200": 0, "304": 0})
    again = process(cli(paths, "--refresh", "-q"), env=env)[0]
    paged = sum(len(p.own_urls()) for p in providers.values() if p.paging)  # pages are fetched whole, each time
    line(
        "second refresh: conditional requests",
        f"{server.hits['304']} x 304, {server.hits['200']} x 200 in {again:.3f} s",
        f"{len(documents) - paged} x 304",
        server.hits["304"] == len(documents) - paged,
    )
    server.http.shutdown()


# 5. Refresh: many providers reading models.dev fetch it once -----------------------------


def bench_shared(work: Path) -> None:
    latency, body = 0.3, (CATALOGS / MODELS_DEV_SNAPSHOT).read_bytes()
    hits = {"200": 0, "304": 0}

    class Slow(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(latency)
            if self.headers.get("If-None-Match") == '"md1"':
                hits["304"] += 1
                self.send_response(304)
                self.end_headers()
                return
            hits["200"] += 1
            self.send_response(200)
            self.send_header("ETag", '"md1"')
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ids = ["deepseek", "groq", "mistral", "xai", "togetherai", "cerebras", "fireworks-ai", "openrouter", "nvidia"]
    providers = work / "shared-providers.yaml"
    providers.write_text(
        f"sources:\n  models_dev: {{url: 'http://127.0.0.1:{server.server_address[1]}/api.json'}}\n"
        + "".join(
            f"p{i}:\n  normaliser: models_dev\n  models_dev: {mid}\n"
            f"  route: {{prefix: openai/, api_base: 'https://p{i}.example/v1', api_key: P{i}_KEY}}\n"
            f"  model_name: 'p{i}/{{id}}'\n"
            for i, mid in enumerate(ids)
        )
    )
    names = [f"p{i}" for i in range(len(ids))]
    catalogs = {"models_dev": CATALOGS / MODELS_DEV_SNAPSHOT}  # the others read the cached copy in `one`
    paths = project(work / "shared", catalogs, {"providers": {n: {"include": ["*"]} for n in names}}, providers)
    one = median_time(lambda: run(paths, Options(refresh=True, dry_run=True, only=("p0",))), runs=3)
    hits.update({"200": 0, "304": 0})
    every = median_time(lambda: run(paths, Options(refresh=True, dry_run=True)), runs=3)
    per_run = hits["200"] / 3
    print(f"5. refresh: {len(ids)} providers reading models.dev's api.json (2 MB) on 127.0.0.1, 300 ms latency")
    line("GETs of api.json per refresh of all of them", f"{per_run:g}", "1", per_run == 1)
    line(
        f"all {len(ids)} / one of them",
        f"{every:.3f} s / {one:.3f} s = {every / one:.2f}x",
        "<= 1.5x",
        every / one <= 1.5,
    )
    run(paths, Options(refresh=True, accept_held=True))  # stores api.json with its ETag
    hits.update({"200": 0, "304": 0})
    again = median_time(lambda: run(paths, Options(refresh=True, accept_held=True)), runs=1)
    line(
        "second refresh: conditional request",
        f"{hits['304']} x 304, {hits['200']} x 200 in {again:.3f} s",
        "1 x 304",
        hits == {"200": 0, "304": 1},
    )
    server.shutdown()


# 6. Bare ids: groups resolved over every real catalog at each render -------------------------

GROUPS = ["claude-haiku-4.5", "claude-sonnet-4.5", "claude-opus-4.1", "gemini-2.5-flash", "gpt-4.1", "gpt-5-mini"]
GROUPS += ["o3", "text-embedding-3-small", "gpt-oss-120b", "gpt-oss-20b", "glm-4.6", "kimi-k2-thinking"]
GROUPS += ["deepseek-r1", "llama-3.3-70b-instruct", "gemma-3-27b-it", "qwen3-coder", "llama-4-maverick"]


def bench_groups(work: Path) -> None:
    """A render with 17 bare ids against the same deployments written as provider:id entries."""
    from modelsync.model.groups import resolve
    from modelsync.pipeline import load_catalogs, load_inputs
    from modelsync.sources.store import Store

    catalogs: dict[str, Any] = {name: CATALOGS / path for name, path in REAL.items()}
    catalogs["openrouter.embeddings"] = {"data": []}
    in_use = {name: {} for name in REAL}
    grouped = project(work / "groups", catalogs, {"providers": in_use, "models": GROUPS})
    inputs = load_inputs(grouped)
    refs = resolve(inputs.overrides, load_catalogs(inputs, Store(grouped.cache_dir))).overrides.models
    written = [{"id": ref.id, "name": ref.name} for ref in refs]
    by_hand = project(work / "by-hand", catalogs, {"providers": in_use, "models": written})
    for paths in (grouped, by_hand):
        subprocess.run(cli(paths, "--offline", "-q"), check=True)
    # The same deployments; only the digest lines differ, over two different overrides.yaml.
    assert stamp.strip(grouped.config.read_text()) == stamp.strip(by_hand.config.read_text())
    # --offline renders every time (an up-to-date --check would answer from the digest line alone).
    figures = interleaved({"plain": cli(by_hand, "--offline", "-q"), "groups": cli(grouped, "--offline", "-q")}, 11)
    print(f"6. a render with {len(GROUPS)} bare ids ({len(written)} members, 7 real catalogs; 11 interleaved rounds)")
    for kind, index in (("wall", 0), ("CPU", 1)):
        line(
            f"{kind}: bare ids / the same as provider:id",
            spread(ratios(figures["groups"], figures["plain"], index), "x", 2),
            "<= 1.1x",
            statistics.median(ratios(figures["groups"], figures["plain"], index)) <= 1.1,
        )


# 7. The gate as users run it: every model of seven real catalogs, with their real warnings ----------

SEVEN = ("openrouter", "vercel", "nvidia", "novita", "requesty", "nano_gpt", "poe")
CI_RECIPE = ("--check", "--report", "markdown")  # .github/workflows/config-check.yml's command


def seven_project(root: Path, more: tuple[str, ...] = ()) -> Paths:
    """Every model of the seven catalogs (real where saved, else the committed example), plus `more`
    (real catalogs, or providers read whole from models.dev); written once, so it is up to date."""
    names = {name: REAL.get(name) for name in (*SEVEN, *more) if name not in READ_WHOLE}
    catalogs: dict[str, Any] = {n: CATALOGS / p if p else ROOT / "cache" / f"{n}.json" for n, p in names.items()}
    catalogs["openrouter.embeddings"] = ROOT / "cache" / "openrouter.embeddings.json"
    if set(more) & set(READ_WHOLE):
        catalogs["models_dev"] = CATALOGS / MODELS_DEV_SNAPSHOT
    paths = project(root, catalogs, {"providers": {name: {"include": ["*"]} for name in (*SEVEN, *more)}})
    subprocess.run(cli(paths, "--offline", "-q"), check=True)
    return paths


def said(command: list[str]) -> tuple[int, bytes, bytes]:
    done = subprocess.run(command, capture_output=True)
    return done.returncode, done.stdout, done.stderr


def same_as_rendered(paths: Paths, args: tuple[str, ...]) -> bool:
    """Whether the check answered from the digest line says what the same check says by rendering."""
    record = paths.config.with_name(paths.config.name + ".check.json")
    fast = said(cli(paths, *args))
    record.rename(record.with_suffix(".aside"))
    try:
        return fast == said(cli(paths, *args))
    finally:
        record.with_suffix(".aside").rename(record)


def bench_gate(work: Path) -> None:
    paths = seven_project(work / "gate")
    header = paths.config.read_text().split("\nmodel_list:")[0]
    count, warned = paths.config.read_text().count("\n  - model_name: "), header.split(" warnings=")[1].split()[0]
    checks = {"check": ["--check"], "CI recipe": list(CI_RECIPE)}
    runs = 21
    figures = interleaved(
        {"imports": [PYTHON, "-c", "import yaml, jinja2, pydantic"]} | {k: cli(paths, *a) for k, a in checks.items()},
        runs,
    )
    print(f"7. the gate: {count} deployments, every model of {', '.join(SEVEN)}; {warned} warnings ({runs} rounds)")
    print(f"  `import yaml, jinja2, pydantic`: wall {spread([w for w, _ in figures['imports']])}")
    for name, args in checks.items():
        line(f"`{' '.join(args)}` up to date, wall", spread([w for w, _ in figures[name]]))
        for kind, label in ((0, "wall"), (1, "CPU")):
            each = ratios(figures[name], figures["imports"], kind)
            line(f"  {label} / the imports", spread(each, "x", 2), "<= 1.0x", statistics.median(each) <= 1.0)
        same = same_as_rendered(paths, tuple(args))
        line("  says the same bytes as rendering", "yes" if same else "NO", "identical", same)
    bench_report_cost(work / "cost", paths)
    # Near 1,000 deployments: every real catalog besides, and the four providers read whole from models.dev.
    bench_report_cost(
        work / "cost-more", seven_project(work / "gate-more", ("openai", "anthropic", "gemini", *READ_WHOLE))
    )


def bench_report_cost(work: Path, paths: Paths) -> None:
    """A changed check with its Markdown report against the up-to-date one, round by round: answered
    from the digest line (what users wait for), and made to render (the report's own cost)."""
    changed = project_copy(paths, work / "changed")
    overrides = json.loads(changed.overrides.read_text())
    overrides["providers"]["openrouter"]["exclude"] = ["openai/*"]  # a change the report lists, model by model
    changed.overrides.write_text(json.dumps(overrides))
    rendered = project_copy(paths, work / "rendered")
    (rendered.config.parent / "config.yaml.check.json").unlink()  # the digest line cannot answer: it renders
    runs = 15
    commands = {name: cli(p, *CI_RECIPE) for name, p in (("fast", paths), ("rendered", rendered), ("changed", changed))}
    figures = interleaved(commands, runs, codes=(0, 1))
    count = paths.config.read_text().count("\n  - model_name: ")
    print(
        f"  {count} deployments, overrides.yaml changed (openrouter excludes openai/*): "
        f"`{' '.join(CI_RECIPE)}`, {runs} rounds"
    )
    line("changed: check + Markdown report, wall", spread([w for w, _ in figures["changed"]]))
    for name, what in (("fast", "up to date"), ("rendered", "rendered: report's cost")):
        for kind, label in ((0, "wall"), (1, "CPU")):
            extra = [c[kind] - u[kind] for c, u in zip(figures["changed"], figures[name], strict=True)]
            line(f"  − {what} ({label})", spread(extra), "<= 0.2 s", statistics.median(extra) <= 0.2)


def project_copy(paths: Paths, root: Path) -> Paths:
    shutil.copytree(paths.config.parent, root)
    return Paths(
        root / "config.yaml", root / "overrides.yaml", root / "providers.yaml", root / "cache", root / "templates"
    )


BENCHES = {
    "check": bench_check,
    "report": bench_report,
    "scale": bench_scale,
    "refresh": bench_refresh,
    "shared": bench_shared,
    "groups": bench_groups,
    "gate": bench_gate,
}


def main() -> None:
    chosen = [arg for arg in sys.argv[1:] if not arg.startswith("--")] or list(BENCHES)
    unknown = [name for name in chosen if name not in BENCHES]
    if unknown or not CATALOGS.is_dir():
        sys.exit(f"usage: bench.py [{' '.join(BENCHES)}] (needs the real catalogs at {CATALOGS})")
    # Every figure is of a run after the first, which has written its bytecode. Under
    # PYTHONDONTWRITEBYTECODE (set on some machines) an edited module would instead be compiled
    # again by every process timed.
    compileall.compile_dir(ROOT / "modelsync", quiet=1)
    with tempfile.TemporaryDirectory(prefix="modelsync-bench-") as folder:
        for name in chosen:
            BENCHES[name](Path(folder))


if __name__ == "__main__":
    main()
