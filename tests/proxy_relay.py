"""A relay on 127.0.0.1 in front of the proxy under test, failing the writes a test picks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

from tests.helpers import serving

Fault = Callable[[str, str, int], "str | None"]  # (method, path, write number) -> "500", "drop", "slow" or None


@contextmanager
def relay(upstream: str, fault: Fault) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 passing requests to `upstream`; each write (not GET) may fail:
    "500" answers 500 without passing it on, "drop" passes it on and then closes the connection
    without an answer (the write landed; its caller cannot know), "slow" passes it on and answers
    8 s late (past the client's timeout). A read waits for any write being passed on, so a caller
    that looks for its write finds it once it has landed."""
    writes = [0]
    passing = threading.Lock()

    class Relay(BaseHTTPRequestHandler):
        def _pass(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            kind = None
            if self.command != "GET":
                writes[0] += 1
                kind = fault(self.command, self.path, writes[0])
            if kind == "500":
                self._answer(500, b'{"error": {"message": "relay: injected failure"}}')
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            with passing:
                reply = httpx.request(self.command, upstream + self.path, content=body, headers=headers, timeout=60)
            if kind == "drop":
                self.close_connection = True
                return
            if kind == "slow":
                time.sleep(8)
            self._answer(reply.status_code, reply.content)

        do_GET = do_POST = do_PATCH = _pass

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    with serving(Relay) as url:
        yield url
