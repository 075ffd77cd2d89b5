"""Load the network stack in the background while the pipeline loads, for a run that may fetch.

Building the TLS context (reading the CA bundle) and importing httpx and httpcore are most of a
refresh's own start-up. Begun in a thread as soon as the command line says the run may fetch,
they overlap the imports and input loading that every run does first; a run that then fetches
nothing has only started a thread. The context comes first: OpenSSL reads the bundle without
holding the GIL, so that part runs truly beside the main thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_ready: dict[str, ssl.SSLContext] = {}
_thread: threading.Thread | None = None


def start() -> None:
    """Begin building the default TLS context and importing httpx, once per process."""
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_warm, name="modelsync-warmup", daemon=True)
        _thread.start()


def _warm() -> None:
    try:
        _ready["tls"] = default_tls_context()
        import httpcore  # noqa: F401  (httpx loads it only when the first client is made)
        import httpx  # noqa: F401
    except Exception:  # the client then builds its own context and meets the same error in the open
        pass


def default_tls_context() -> ssl.SSLContext:
    """The context `httpx.create_ssl_context()` builds (SSL_CERT_FILE, SSL_CERT_DIR, else certifi),
    made without importing httpx first."""
    import os
    import ssl

    import certifi

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())


def tls_context() -> ssl.SSLContext | None:
    """The context start() built, once it is ready; None when nothing was started or it failed."""
    if _thread is None:
        return None
    _thread.join()
    return _ready.get("tls")
