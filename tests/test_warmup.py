"""The network stack loads in the background only for runs that may fetch, and the client uses it."""

from __future__ import annotations

import ssl
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from modelsync.core import warmup
from modelsync.core.settings import Settings
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


def test_the_background_context_is_the_one_httpx_would_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """Built without importing httpx first, it must still honour what httpx honours."""
    import certifi
    import httpx

    for env in ({}, {"SSL_CERT_FILE": certifi.where()}):
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        ours, theirs = warmup.default_tls_context(), httpx.create_ssl_context()
        assert ours.get_ca_certs() == theirs.get_ca_certs() and ours.get_ca_certs()
        assert (ours.verify_mode, ours.check_hostname) == (theirs.verify_mode, theirs.check_hostname)
    empty = Path(tempfile.mkdtemp())
    monkeypatch.setenv("SSL_CERT_DIR", str(empty))
    monkeypatch.delenv("SSL_CERT_FILE")
    assert warmup.default_tls_context().cert_store_stats() == httpx.create_ssl_context().cert_store_stats()


def _imports(code: str) -> set[str]:
    """Which of the heavy libraries a fresh interpreter has imported after `code`."""
    heavy = ("yaml", "jinja2", "pydantic", "pydantic_settings", "httpx", "click", "rich", "pygments")
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(done.stdout.split())


def test_building_the_command_line_imports_no_heavy_library() -> None:
    """Every command's module is imported to parse a command line: each loads its work when it runs,
    so a refresh can start the network stack before the pipeline's imports."""
    assert _imports("from modelsync.cli import parser; parser().parse_args(['--offline'])") == set()


def test_httpx_is_imported_without_its_command_line_client() -> None:
    """Installed beside LiteLLM or the test tools, click, rich and pygments would load with httpx."""
    pytest.importorskip("click")
    assert _imports("import modelsync, httpx") == {"httpx"}
