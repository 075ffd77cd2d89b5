"""Keys come from the environment only and go nowhere but their own provider's host."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from tests.helpers import ROOT, Project, serve

FAKE_KEYS = {
    "REQUESTY_API_KEY": "rq-SECRET-7f3a",
    "OPENAI_API_KEY": "sk-SECRET-openai-91c2",
    "ANTHROPIC_API_KEY": "sk-ant-SECRET-44d1",
    "GEMINI_API_KEY": "AIza-SECRET-e5b0",
    "POE_API_KEY": "poe-SECRET-0aa1",
    "NANOGPT_API_KEY": "ng-SECRET-31ff",
}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_key_leaks_into_files_output_or_errors(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FAKE_KEYS.items():
        monkeypatch.setenv(name, value)
    requesty = (project.cache / "requesty.json").read_bytes()
    elsewhere_saw: list[dict[str, str]] = []

    def record(handler: BaseHTTPRequestHandler) -> Any:
        elsewhere_saw.append(dict(handler.headers))
        return 200, {}, (project.cache / "anthropic.json").read_bytes()

    with serve({"/v1/models": record}) as other_host:

        def redirect(handler: BaseHTTPRequestHandler) -> Any:
            return 302, {"Location": f"{other_host}/v1/models"}, b""

        routes = {
            "/requesty/v1/models": (200, {}, requesty),
            "/openai/v1/models": (500, {}, b"boom"),
            "/anthropic/v1/models": redirect,
            "/poe/v1/models": (401, {}, b"bad key"),
            "/nano/api/v1/models": (200, {}, b"<html>not json</html>"),
        }
        with serve(routes) as base:
            text = project.providers.read_text()
            for host, path in (
                ("https://router.requesty.ai", "/requesty"),
                ("https://api.openai.com", "/openai"),
                ("https://api.anthropic.com", "/anthropic"),
                ("https://api.poe.com", "/poe"),
                ("https://nano-gpt.com", "/nano"),
            ):
                text = text.replace(f"catalog_url: {host}", f"catalog_url: {base}{path}")
            text = text.replace("https://generativelanguage.googleapis.com", f"http://127.0.0.1:{_closed_port()}")
            project.providers.write_text(text)
            done = subprocess.run(
                [sys.executable, str(ROOT / "generate.py"), "--refresh", "-vv", *project.path_args()],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=project.root,
                env={**FAKE_KEYS, "PATH": "/usr/bin:/bin", "MODELSYNC_RETRIES": "0"},
            )
    assert done.returncode in (0, 4), done.stderr
    everything = (
        done.stdout
        + done.stderr
        + "".join(p.read_text(errors="replace") for p in project.root.rglob("*") if p.is_file())
    )
    for value in FAKE_KEYS.values():
        assert value not in everything
    assert "openai: GET" in done.stderr and "HTTP 500" in done.stderr  # the failures were reported
    assert elsewhere_saw and not any("SECRET" in json.dumps(h) for h in elsewhere_saw), (
        "a key must not follow a redirect to another host"
    )


def test_a_failure_without_cache_names_no_key(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", FAKE_KEYS["OPENAI_API_KEY"])
    project.write_overrides({"models": ["openai:gpt-4o-mini"]})
    (project.cache / "openai.json").unlink()
    with serve({"/v1/models": (403, {}, b"forbidden")}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://api.openai.com", base))
        assert project.run("--refresh") == 2
    err = capsys.readouterr().err
    assert "openai: GET" in err and "HTTP 403" in err and FAKE_KEYS["OPENAI_API_KEY"] not in err
