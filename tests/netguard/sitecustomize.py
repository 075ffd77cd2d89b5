"""The suite's network guard: a connection to anything but this machine fails, naming the host.

The suite installs it in its own process (tests/conftest.py) and puts this folder on PYTHONPATH,
so every Python a test starts imports it as `sitecustomize` and is held to the same rule.
Each refusal is also appended to the file named by NETGUARD_LOG, so the test that
caused it fails even when the code under test swallowed the error (as it must, for an outage).
"""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

NETLOG = "NETGUARD_LOG"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "::1", "0.0.0.0", "::"}
_original: dict[str, Any] = {}


class NetworkRefused(ConnectionRefusedError):
    """An OSError, so code under test meets it as it would meet an outage."""


def is_loopback(host: object) -> bool:
    """True for this machine: 127.0.0.0/8, ::1, localhost; None or '' is a local bind, not a reach."""
    if host is None or host == b"" or host == "":
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    name = name.lower().strip("[]").removeprefix("::ffff:")
    return name in LOOPBACK_NAMES or name.startswith("127.")


def refuse(host: object, port: object) -> NetworkRefused:
    """Record the attempt where the test can see it, and return the error to raise."""
    message = f"test network guard: refused a connection to {host}:{port} (the suite reaches only 127.0.0.1)"
    print(message, file=sys.stderr, flush=True)
    log = os.environ.get(NETLOG)
    if log:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {host}:{port}\n")
    return NetworkRefused(message)


def _checked_address(sock: socket.socket, address: Any) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not is_loopback(address[0]):
        raise refuse(address[0], address[1])


def _connect(self: socket.socket, address: Any) -> None:
    _checked_address(self, address)
    _original["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _checked_address(self, address)
    return int(_original["connect_ex"](self, address))


def _getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
    if not is_loopback(host):
        raise refuse(host, port)
    return _original["getaddrinfo"](host, port, *args, **kwargs)


def install() -> None:
    """Refuse every non-loopback connect and name lookup in this process (idempotent)."""
    if _original:
        return
    _original.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex, getaddrinfo=socket.getaddrinfo)
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


def uninstall() -> None:
    if _original:
        socket.socket.connect = _original.pop("connect")  # type: ignore[method-assign]
        socket.socket.connect_ex = _original.pop("connect_ex")  # type: ignore[method-assign]
        socket.getaddrinfo = _original.pop("getaddrinfo")


if __name__ == "sitecustomize":
    install()
