"""Load the network stack in the background while the pipeline loads, for a run that may fetch.

Importing httpx and building its TLS context (reading the CA bundle) are most of a refresh's own
start-up. Begun in a thread as soon as the command line says the run may fetch, they overlap the
imports and input loading that every run does first; a run that then fetches nothing has only
started a thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_ready: dict[str, ssl.SSLContext] = {}
_thread: threading.Thread | None = None


def start() -> None:
    """Begin importing httpx and building the default TLS context, once per process."""
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_warm, name="modelsync-warmup", daemon=True)
        _thread.start()


def _warm() -> None:
    try:
        import httpx

        _ready["tls"] = httpx.create_ssl_context()  # the CA bundle httpx would load, SSL_CERT_FILE honoured
    except Exception:  # the client then builds its own context and meets the same error in the open
        pass


def tls_context() -> ssl.SSLContext | None:
    """The context start() built, once it is ready; None when nothing was started or it failed."""
    if _thread is None:
        return None
    _thread.join()
    return _ready.get("tls")
