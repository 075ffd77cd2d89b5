"""Keys come from the environment only and go nowhere but their own provider's host."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest
import yaml

from modelsync.core import secrets
from tests.helpers import ROOT, Project, guarded, serve

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
            **project.cache_routes(),  # every other catalog and models.dev, as cached
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
            project.fetch_from(base)
            done = subprocess.run(
                [sys.executable, str(ROOT / "generate.py"), "--refresh", "-vv", *project.path_args()],
                capture_output=True,
                text=True,
                timeout=120,
                cwd=project.root,
                env=guarded({**FAKE_KEYS, "PATH": "/usr/bin:/bin", "MODELSYNC_RETRIES": "0"}),
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
    with serve({**project.cache_routes(), "/v1/models": (403, {}, b"forbidden")}) as base:
        project.providers.write_text(project.providers.read_text().replace("https://api.openai.com", base))
        project.fetch_from(base)
        assert project.run("--refresh") == 2
    err = capsys.readouterr().err
    assert "openai: GET" in err and "HTTP 403" in err and FAKE_KEYS["OPENAI_API_KEY"] not in err


# --- one policy: what is a secret, what is a placeholder, how it is shown ----------------------

# Each kind of secret a hand-kept config holds, as (where in config.yaml, key, literal value).
OPENROUTER_KEY = "sk-or-v1-8c1f0e5d2b7a4c6e9f3a1d0b5e7c2a4f6d8b0e1c3a5f7d9b"
MASTER_KEY = "sk-master-Qz81LmXc90PaLw"
DB_PASSWORD = "Pa55-w0rd-db-91f"
DATABASE_URL = f"postgresql://llmproxy:{DB_PASSWORD}@db.internal:5432/litellm"
BEARER = "Bearer sk-live-0a9b8c7d6e5f4a3b2c1d"
AZURE_AD_TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.azuread.Zm9vYmFy"
AWS_SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJGMEQCIF"
URL_PASSWORD = "gw-pass-3e5d7c"
LITERALS = (OPENROUTER_KEY, MASTER_KEY, DB_PASSWORD, BEARER.split()[1], AZURE_AD_TOKEN, AWS_SESSION_TOKEN, URL_PASSWORD)


@pytest.mark.parametrize(
    ("key", "value", "secret"),
    [
        ("api_key", "sk-or-v1-abc123", True),
        ("master_key", "sk-1234", True),
        ("azure_ad_token", "eyJ0eXAi", True),
        ("aws_session_token", "IQoJb3Jp", True),
        ("aws_secret_access_key", "wJalrXUt", True),
        ("Authorization", "Bearer abc", True),
        ("x-api-key", "abc", True),
        ("redis_password", "hunter2", True),
        ("database_url", "postgresql://u:p@db/x", True),
        ("api_base", "https://user:pass@gateway.example/v1", True),
        ("api_base", "https://gateway.example/v1?key=abc", True),
        ("X-Title", "Bearer sk-abc", True),  # a credential whatever its key is called
        ("api_key", "os.environ/OPENROUTER_API_KEY", False),
        ("api_key", "none", False),
        ("api_key", "None", False),
        ("api_key", "EMPTY", False),
        ("api_key", "", False),
        ("redis_password", None, False),
        ("input_cost_per_token", 1e-06, False),
        ("input_cost_per_token", "1e-06", False),
        ("api_base", "https://router.requesty.ai/v1", False),
        ("database_url", "os.environ/DATABASE_URL", False),
        ("X-Title", "my app", False),
        ("max_tokens", "4096", False),
        # Any type under a credential key; true/false are LiteLLM switches, not keys.
        ("api_key", {"value": "sk-or-v1-abc"}, True),
        ("api_key", ["sk-or-v1-abc"], True),
        ("master_key", 1234567890, True),
        ("api_key", {"value": "os.environ/K"}, False),
        ("dangerously_permit_weak_or_unset_master_key", True, False),
        ("input_cost_per_audio_token", 1e-06, False),
        ("time_to_first_token", 0.4, False),
        ("auth_value", "ghp_mcpToken", True),  # an MCP server's credential (mcp_servers)
        ("auth_type", "bearer_token", False),
        # URLs that carry a token in their path, whatever their key.
        ("url", "https://hooks.slack.com/services/T0/B0/abc", True),
        ("url", "https://discord.com/api/webhooks/123/abc", True),
        ("url", "https://acme.webhook.office.com/webhookb2/a@b/IncomingWebhook/c/d", True),
        ("url", "https://api.telegram.org/bot123:abc/sendMessage", True),
        ("url", "https://mcp.zapier.com/api/mcp/s/ZjQ3YTk5Nzc-secret/mcp", True),  # an MCP URL with its key
        ("url", "https://mcp.example.com/mcp", False),
        ("url", "https://x.logic.azure.com/workflows/1/triggers/manual/paths/invoke?sig=abc", True),
        ("slack_webhook_url", "https://alerts.example/post", True),
        ("OTEL_HEADERS", "Authorization=Bearer abc123", True),
        ("Authorization", "Bearer os.environ/COHERE_API_KEY", False),  # LiteLLM's pass-through form
        ("api_base", "https://hooks.slack.com/", False),
    ],
)
def test_what_counts_as_a_secret(key: str, value: Any, secret: bool) -> None:
    assert secrets.is_secret(key, value) is secret


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (OPENROUTER_KEY, "sk-or-v1-[masked]"),
        ("sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "sk-ant-[masked]"),
        ("hunter2", "[masked]"),
        ("ab-cd", "[masked]"),  # a prefix is kept only when most of the value stays hidden
        (BEARER, "Bearer sk-live-[masked]"),
        (DATABASE_URL, "postgresql://llmproxy:[masked]@db.internal:5432/litellm"),
        ("https://tok123@host/x?api_key=abc&page=2", "https://[masked]@host/x?api_key=[masked]&page=2"),
        ("https://hooks.slack.com/services/T0/B0/abc", "https://hooks.slack.com/services/[masked]"),
        ("https://discord.com/api/webhooks/123/abc", "https://discord.com/api/webhooks/[masked]"),
        ("https://alerts.example/post/T0k3n", "https://alerts.example/[masked]"),  # a secret URL, token unplaced
    ],
)
def test_a_masked_secret_keeps_a_recognisable_prefix_at_most(value: str, shown: str) -> None:
    assert secrets.mask(value) == shown


def test_every_header_value_is_masked_in_output_and_placeholders_are_shown() -> None:
    masked = secrets.mask_at(
        "litellm_params",
        {"extra_headers": {"X-Title": "my-app", "Authorization": BEARER}, "api_key": "os.environ/K", "rpm": 5},
    )
    assert masked == {
        "extra_headers": {"X-Title": "[masked]", "Authorization": "Bearer sk-live-[masked]"},
        "api_key": "os.environ/K",
        "rpm": 5,
    }
    assert secrets.mask_at("extra_headers.Authorization", BEARER) == "Bearer sk-live-[masked]"


def test_free_text_loses_url_credentials_bearer_values_and_known_keys() -> None:
    secrets.remember("rq-known-value-123456")
    line = f"GET {DATABASE_URL} failed; sent Bearer abcdef123456 and rq-known-value-123456"
    shown = secrets.mask_text(line)
    assert DB_PASSWORD not in shown and "abcdef123456" not in shown and "rq-known-value-123456" not in shown
    assert "llmproxy:[masked]@db.internal" in shown


def _hand_edited(project: Project) -> None:
    """config.yaml as a user edits it by hand: a literal of each kind of secret."""
    data = yaml.safe_load(project.config.read_text())
    by_route = {d["litellm_params"]["model"]: d for d in data["model_list"]}
    by_route["openrouter/anthropic/claude-haiku-4.5"]["litellm_params"]["api_key"] = OPENROUTER_KEY
    azure = by_route["azure/gpt-4o"]["litellm_params"]
    azure["azure_ad_token"] = AZURE_AD_TOKEN
    azure["extra_headers"] = {"Authorization": BEARER}
    azure["api_base"] = f"https://gw:{URL_PASSWORD}@azure-gw.example/openai"
    data["model_list"][0]["litellm_params"]["aws_session_token"] = AWS_SESSION_TOKEN
    data["general_settings"] = {"master_key": MASTER_KEY, "database_url": DATABASE_URL}
    project.config.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_every_report_form_masks_every_kind_of_secret(
    project: Project, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    _hand_edited(project)
    code = project.run("--offline", "--dry-run", "-v", "--report", form)
    assert code in (0, 4)
    out, err = capsys.readouterr()
    for literal in LITERALS:
        assert literal not in out + err, f"{form} report shows {literal}"
    # The report still says what changed, and which key it was, by its prefix.
    for shown in ("sk-or-v1-[masked]", "Bearer sk-live-[masked]", "llmproxy:[masked]@db.internal", "sk-[masked]"):
        assert shown in out, f"{form} report lacks {shown}"
    assert "api_key" in out and "azure_ad_token" in out and "aws_session_token" in out and "master_key" in out
    if form == "json":
        document = json.loads(out)
        changed = document["providers"]["entries"]["changed"]
        assert any(f["path"] == "extra_headers" for c in changed for f in c["fields"])


def test_the_check_gate_masks_secrets_too(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    _hand_edited(project)
    assert project.run("--check", "--report", "markdown") == 1
    out, err = capsys.readouterr()
    assert not any(literal in out + err for literal in LITERALS)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"extra_headers": {"Authorization": BEARER}}, "models[0].params: extra_headers.Authorization"),
        ({"azure_ad_token": AZURE_AD_TOKEN}, "models[0].params: azure_ad_token"),
        ({"aws_session_token": AWS_SESSION_TOKEN}, "models[0].params: aws_session_token"),
        ({"api_base": f"https://gw:{URL_PASSWORD}@gw.example/v1"}, "models[0].params: api_base"),
    ],
)
def test_overrides_refuse_each_kind_of_literal_without_printing_it(
    project: Project, capsys: pytest.CaptureFixture[str], params: dict[str, Any], named: str
) -> None:
    project.write_overrides({"models": [{"id": "openrouter:anthropic/claude-haiku-4.5", "params": params}]})
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "literal secret" in err and named in err and "os.environ/" in err
    assert not any(literal in err for literal in LITERALS)


def test_overrides_accept_placeholders_and_plain_headers(project: Project) -> None:
    project.write_overrides(
        {
            "models": [
                {
                    "id": "openrouter:anthropic/claude-haiku-4.5",
                    "params": {"api_key": "os.environ/MY_KEY", "extra_headers": {"X-Title": "my app"}},
                }
            ],
            "entries": [{"model_name": "local", "litellm_params": {"model": "openai/x", "api_key": "none"}}],
            "settings": {"general_settings": {"database_url": "os.environ/DATABASE_URL"}},
        }
    )
    assert project.run("--offline", "-q") == 0


def test_import_replaces_each_kind_and_prints_none(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    legacy = project.root / "legacy.yaml"
    azure = {
        "model": "azure/gpt-4o",
        "api_base": f"https://gw:{URL_PASSWORD}@azure-gw.example/openai",
        "azure_ad_token": AZURE_AD_TOKEN,
        "aws_session_token": AWS_SESSION_TOKEN,
        "extra_headers": {"Authorization": BEARER, "X-Title": "my app"},
        "api_key": "none",
    }
    legacy.write_text(
        yaml.safe_dump(
            {
                "model_list": [{"model_name": "az", "litellm_params": azure}],
                "general_settings": {"master_key": MASTER_KEY, "database_url": DATABASE_URL},
            }
        )
    )
    assert project.run("--import", str(legacy), "--offline", "--force") == 0
    text = project.overrides.read_text()
    err = capsys.readouterr().err
    assert not any(literal in text + err for literal in LITERALS)
    written = yaml.safe_load(text)
    params = written["entries"][0]["litellm_params"]
    assert params["extra_headers"] == {"Authorization": "os.environ/AZURE_AUTHORIZATION", "X-Title": "my app"}
    assert params["api_key"] == "none"  # a placeholder stays as it is
    assert params["api_base"] == "os.environ/AZURE_API_BASE"
    assert written["settings"]["general_settings"]["database_url"] == "os.environ/DATABASE_URL"  # LiteLLM's name
    assert written["settings"]["general_settings"]["master_key"] == "os.environ/LITELLM_MASTER_KEY"
    assert "os.environ/AZURE_AD_TOKEN" in err and "os.environ/AWS_SESSION_TOKEN" in err
    assert project.run("--offline", "-q") == 0  # and the result is a valid overrides.yaml


def test_a_fetch_error_masks_credentials_in_the_catalog_url(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.write_overrides({"models": ["openrouter:anthropic/claude-haiku-4.5"]})
    with serve({}) as base:  # every path answers 404
        host = base.removeprefix("http://")
        text = project.providers.read_text().replace("https://openrouter.ai", f"http://mirror:{URL_PASSWORD}@{host}")
        project.providers.write_text(text.replace("/models?output_modalities=all", "/models?key=q-SECRET-77aa1"))
        assert project.run("--refresh", "-v") == 2
    err = capsys.readouterr().err
    assert "HTTP 404" in err and URL_PASSWORD not in err and "q-SECRET-77aa1" not in err
    assert "mirror:[masked]@" in err and "key=[masked]" in err


def test_a_refused_literal_names_its_own_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides(
        "models:\n"
        "  - id: openrouter:anthropic/claude-haiku-4.5\n"
        "    params:\n"
        "      rpm: 60\n"
        "      extra_headers:\n"
        "        X-Title: my app\n"
        f"        Authorization: {BEARER}\n"
    )
    assert project.run("--offline") == 2
    err = capsys.readouterr().err
    assert "overrides.yaml:7: models[0].params: extra_headers.Authorization holds a literal secret" in err
    assert BEARER.split()[1] not in err
