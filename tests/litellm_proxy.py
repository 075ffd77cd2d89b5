"""Run a real LiteLLM proxy (from PyPI, in its own venv) on loopback for the acceptance test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.helpers import ROOT, unguarded

VENV = Path(os.environ.get("MODELSYNC_LITELLM_VENV", ROOT / ".venv-litellm"))
REQUIREMENTS = ROOT / "requirements-litellm.txt"
MASTER_KEY = "sk-master-acceptance"
START_TIMEOUT = 120.0
# LiteLLM bills from the price map it ships, never one it downloads at start: the tests compare
# bills with that map, and the suite reaches nothing past loopback (tests/netguard).
PROXY_ENV = {"LITELLM_MASTER_KEY": MASTER_KEY, "LITELLM_LOG": "ERROR", "LITELLM_LOCAL_MODEL_COST_MAP": "True"}


def litellm_executable() -> Path:
    """The `litellm` command, installing the pinned litellm[proxy] into its own venv on first use."""
    executable = VENV / "bin" / "litellm"
    stamp = VENV / "installed-from.txt"
    if executable.exists() and stamp.exists() and stamp.read_text() == REQUIREMENTS.read_text():
        return executable
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    done = subprocess.run(
        [str(VENV / "bin" / "pip"), "install", "-q", "-r", str(REQUIREMENTS)],
        env=unguarded(dict(os.environ)),  # the registry is the one host the suite may reach, for this install
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        pytest.fail(f"could not install {REQUIREMENTS.name} into {VENV}:\n{done.stderr[-3000:]}")
    stamp.write_text(REQUIREMENTS.read_text())
    return executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_proxy(config: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """Start `litellm --config`, wait until it is alive, yield its URL; stop it however the test ends."""
    port = free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(litellm_executable()), "--config", str(config), "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, **env, **PROXY_ENV},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=config.parent,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_alive(base, process, log)
        yield base
    finally:
        _stop(process)


def wait_alive(
    base: str, process: subprocess.Popen[bytes], log: Path, name: str = "litellm", timeout: float = START_TIMEOUT
) -> None:
    """Until `base` answers its liveliness probe; fail with the log's tail if it exits or never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if httpx.get(f"{base}/health/liveliness", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"{name} was not alive after {timeout:g} s:\n{log.read_text()[-4000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the proxy and every process it started."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
