"""Print how fast `push` is against the real LiteLLM proxy over a real PostgreSQL, beside targets.

1,000 deployments from empty, then the up-to-date push, each with the requests it made. Uses
the tests' fleet (tests/proxy_db.py): a throwaway cluster with LiteLLM's schema and the real
app; the LiteLLM venv is MODELSYNC_LITELLM_VENV (default .venv-litellm). Run:

    .venv/bin/python bench/push.py [COUNT]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import make_project, openrouter_entry  # noqa: E402
from tests.litellm_db import running_cluster  # noqa: E402
from tests.proxy_db import generate_client, master_key, start_proxy  # noqa: E402

# What a fleet's operator can wait for: a first push of 1,000 models within two minutes, and an
# up-to-date push (one paged read) within five seconds; requests: one per write, two pages.
TARGETS = {"from empty": 120.0, "up to date": 5.0}


def timed_push(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(ROOT / "generate.py"), "push", "--offline", "-v", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=3600,
    )
    elapsed = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"push failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed, done.stdout


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_cluster() as cluster:
        home = Path(tmp)
        key = master_key()
        proxy = start_proxy(cluster, generate_client(home), home, key)
        try:
            project = make_project(home)
            ids = [f"vendor-{i // 100}/model-{i}" for i in range(count)]
            project.use_catalog("openrouter", {"data": [openrouter_entry(i) for i in ids]})
            project.use_catalog("openrouter.embeddings", {"data": []})
            target = {"url": proxy.url, "master_key": "os.environ/LITELLM_MASTER_KEY", "page_size": 500}
            project.write_overrides({"providers": {"openrouter": {"include": ["*"]}}, "targets": {"proxy": target}})
            env = {**os.environ, "LITELLM_MASTER_KEY": key}
            print(f"push: {count} deployments to the real LiteLLM 1.106.2 app over PostgreSQL, on 127.0.0.1")
            for what in TARGETS:
                try:
                    elapsed, out = timed_push(project.path_args(), env)
                except SystemExit:
                    print(proxy.log.read_text()[-6000:], file=sys.stderr)
                    raise
                requests = re.search(r"(\d+) request\(s\)", out)
                summary = out.strip().splitlines()[-2]
                met = "met" if elapsed <= TARGETS[what] else "NOT MET"
                print(
                    f"  {what:<12} {elapsed:7.1f} s  {requests.group(1) if requests else '?':>5} requests  "
                    f"target {TARGETS[what]:g} s {met}  ({summary})"
                )
        finally:
            proxy.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
