#!/usr/bin/env python3
"""Print how long the generator takes on the real catalogs in ../shared/catalogs.

    python bench/bench.py            # --check and the change report
    python bench/bench.py --baseline # also time DeepDiff(ignore_order=True) over whole lists (~12 s)

Figures, not assertions: each is printed beside what it is compared with, measured in this run.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelsync.catalog import Document  # noqa: E402
from modelsync.merge import merge  # noqa: E402
from modelsync.normalisers import normalise_openrouter  # noqa: E402
from modelsync.overrides import Overrides  # noqa: E402
from modelsync.providers import load_providers  # noqa: E402
from modelsync.render import render  # noqa: E402
from modelsync.report import compare  # noqa: E402

CATALOGS = ROOT.parent / "shared" / "catalogs"
ALL = {"providers": {"openrouter": {"include": ["*"]}}}


def best_of(runs: int, action: Callable[[], object]) -> float:
    """The median wall time of `runs` calls, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def project_with(catalog: Path) -> Path:
    """A temp project whose cache holds a real catalog, every model selected, config rendered."""
    root = Path(tempfile.mkdtemp(prefix="modelsync-bench-"))
    shutil.copyfile(ROOT / "providers.yaml", root / "providers.yaml")
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "cache").mkdir()
    shutil.copyfile(catalog, root / "cache" / "openrouter.json")
    (root / "cache" / "openrouter.embeddings.json").write_text('{"data": []}')
    (root / "overrides.yaml").write_text(json.dumps(ALL))
    subprocess.run(command(root, "--offline", "-q"), check=True)
    return root


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(ROOT / "generate.py"), *args, "--config", str(root / "config.yaml"),
            "--overrides", str(root / "overrides.yaml"), "--providers", str(root / "providers.yaml"),
            "--cache-dir", str(root / "cache"), "--templates", str(root / "templates")]


def deployments(date: str) -> list:
    body = json.loads((CATALOGS / "openrouter" / f"{date}.json").read_text())
    catalog = normalise_openrouter("openrouter", [Document("openrouter", date, body)])
    providers = load_providers(ROOT / "providers.yaml")
    return merge(providers, Overrides.model_validate(ALL), {"openrouter": catalog}).deployments


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", action="store_true", help="also time DeepDiff with ignore_order (slow)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not CATALOGS.is_dir():
        sys.exit(f"no real catalogs at {CATALOGS}")

    root = project_with(CATALOGS / "openrouter" / "2026-08-19.json")
    count = sum(1 for line in (root / "config.yaml").read_text().splitlines() if line.startswith("  - model_name:"))
    imports = best_of(args.runs, lambda: subprocess.run([sys.executable, "-c", "import yaml, jinja2, pydantic"], check=True))
    check = best_of(args.runs, lambda: subprocess.run(command(root, "--check", "-q"), check=True))
    print(f"--check, {count} deployments:         {check:.3f} s  "
          f"({check / imports:.2f}x `python -c 'import yaml, jinja2, pydantic'` = {imports:.3f} s)")

    old, new = deployments("2025-05-23"), deployments("2026-08-19")
    providers = load_providers(ROOT / "providers.yaml")
    old_text = render(ROOT / "templates", old, {})
    report_time = best_of(args.runs, lambda: compare(old_text, new, {}, providers))
    report = compare(old_text, new, {}, providers)
    print(f"report 2025-05-23 → 2026-08-19:      {report_time:.3f} s  ({report.counts()}, parse of old config included)")
    if args.baseline:
        from deepdiff import DeepDiff

        old_list, new_list = [d.as_dict() for d in old], [d.as_dict() for d in new]
        baseline = best_of(1, lambda: DeepDiff(old_list, new_list, ignore_order=True))
        print(f"DeepDiff(ignore_order=True) baseline: {baseline:.3f} s  (ours is {baseline / report_time:.0f}x faster)")
    shutil.rmtree(root)


if __name__ == "__main__":
    main()
