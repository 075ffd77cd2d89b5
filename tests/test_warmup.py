"""The network stack loads in the background only for runs that may fetch, and the client uses it."""

from __future__ import annotations

import ssl
import subprocess
import sys

from modelsync import warmup
from modelsync.settings import Settings
from modelsync.sources.fetch import make_client
from tests.helpers import ROOT, Project


def test_the_client_uses_the_tls_context_built_in_the_background() -> None:
    warmup.start()
    context = warmup.tls_context()
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0, "the CA bundle is loaded"
    with make_client(Settings()) as client:
        pool = client._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context is context


def _loaded(project: Project, *args: str) -> bool:
    probe = "import sys; from modelsync.cli import main; main(sys.argv[1:]); print('httpx' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe, *args, *project.path_args()], capture_output=True, text=True, cwd=ROOT
    )
    return done.stdout.strip().endswith("True")


def test_runs_that_never_fetch_never_load_httpx(project: Project) -> None:
    assert not _loaded(project, "--offline", "-q")
    assert not _loaded(project, "--check", "-q")
    assert not _loaded(project, "--check", "--report", "json")
