"""The suite's network guard holds, here and in every Python a test starts."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import pytest

from tests.helpers import serve
from tests.netguard import sitecustomize as netguard

REACH_OUT = """
import socket, sys
try:
    socket.create_connection(("1.1.1.1", 443), timeout=30)
except OSError as error:
    sys.exit(f"refused: {error}")
sys.exit("connected")
"""


def test_this_process_refuses_another_host_naming_it(refused_hosts: Callable[[], list[str]]) -> None:
    with pytest.raises(httpx.ConnectError, match=r"refused a connection to api\.novita\.ai:443"):
        httpx.get("https://api.novita.ai/v3/openai/models")
    with pytest.raises(netguard.NetworkRefused, match=r"1\.1\.1\.1:443"):
        socket.create_connection(("1.1.1.1", 443), timeout=30)
    assert refused_hosts() == ["api.novita.ai:443", "1.1.1.1:443"]


def test_a_child_python_refuses_another_host_fast(refused_hosts: Callable[[], list[str]]) -> None:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", REACH_OUT], capture_output=True, text=True, timeout=60)
    assert time.monotonic() - started < 10
    assert done.returncode == 1 and "refused: test network guard" in done.stderr, done.stderr
    assert "1.1.1.1:443" in done.stderr and refused_hosts() == ["1.1.1.1:443"]


def test_loopback_still_works() -> None:
    with serve({"/ok": (200, {}, b"fine")}) as base:
        assert httpx.get(f"{base}/ok").text == "fine"
        assert httpx.get(base.replace("127.0.0.1", "localhost") + "/ok").text == "fine"
