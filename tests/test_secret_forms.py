"""Every form a secret takes in a real config (a mapping, a list, a number, a webhook) stays out of all but .env."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from dotenv import dotenv_values

from tests.helpers import Project

OPENROUTER_KEY = "sk-or-v1-5e2d8c1b9a7f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f"
OTHER_KEY = "sk-or-v1-0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978"
MASTER_KEY = 1234567890
REDIS_PASSWORD = 987654321
SLACK = "https://hooks.slack.com/services/T0ABCDEF1/B0ABCDEF2/q8Xz3LmN4pQr5StU6vWx7Yz9"
DISCORD = "https://discord.com/api/webhooks/112233445566778899/AbCdEfGhIjKlMnOpQrStUvWxYz-0123456789"
TEAMS = "https://acme.webhook.office.com/webhookb2/1a2b3c4d@5e6f7a8b/IncomingWebhook/9c0d1e2f3a4b/7g8h9i0j"
DB_PASSWORD = "db-Pa55-4f7e1c"
DATABASE_URL = f"postgresql://llmproxy:{DB_PASSWORD}@db.internal:5432/litellm"
LANGFUSE_SECRET = "sk-lf-7e6d5c4b-3a2f-1e0d-9c8b-7a6f5e4d3c2b"
UI_PASSWORD = "it's a pa$$ #word\\x"  # what .env must quote, and read back byte for byte
MCP_TOKEN = "ghp_mcpT0k3n5555aBcDeFgHiJkLmNoPqRsTuV"  # an MCP server's auth_value (LiteLLM mcp_servers)
# What must appear nowhere but .env: each value, and each webhook's token on its own.
LITERALS = (
    OPENROUTER_KEY,
    OTHER_KEY,
    str(MASTER_KEY),
    str(REDIS_PASSWORD),
    SLACK.rsplit("/", 1)[1],
    DISCORD.rsplit("/", 1)[1],
    TEAMS.rsplit("/", 1)[1],
    DB_PASSWORD,
    LANGFUSE_SECRET,
    UI_PASSWORD,
    MCP_TOKEN,
)


def _leaks(text: str) -> list[str]:
    return [literal for literal in LITERALS if literal in text]


def _files_but_env(project: Project) -> str:
    """Every byte of every file under the project, but .env and the legacy config the user gave."""
    skip = {project.root / ".env", project.root / "legacy.yaml"}
    return "".join(p.read_text(errors="replace") for p in project.root.rglob("*") if p.is_file() and p not in skip)


# --- refused in overrides.yaml, wherever a value can be written -------------------------------

OPENROUTER = "openrouter:anthropic/claude-haiku-4.5"
ENTRY = {"model_name": "local", "litellm_params": {"model": "openai/x", "api_base": "http://nas.local:8000/v1"}}
FORMS: dict[str, tuple[dict[str, Any], str]] = {
    "api_key as a mapping": (
        {"models": [{"id": OPENROUTER, "params": {"api_key": {"value": OPENROUTER_KEY}}}]},
        "models[0].params: api_key.value",
    ),
    "api_key as a list": (
        {"models": [{"id": OPENROUTER, "params": {"api_key": [OPENROUTER_KEY]}}]},
        "models[0].params: api_key[0]",
    ),
    "a key in a model's model_info": (
        {"models": [{"id": OPENROUTER, "model_info": {"access_token": OTHER_KEY}}]},
        "models[0].model_info: access_token",
    ),
    "a key in a provider's params": (
        {"providers": {"openrouter": {"include": ["anthropic/*"], "params": {"api_key": {"k": OPENROUTER_KEY}}}}},
        "providers.openrouter.params: api_key.k",
    ),
    "a key in a provider's model_info": (
        {"providers": {"openrouter": {"include": ["anthropic/*"], "model_info": {"secret": OPENROUTER_KEY}}}},
        "providers.openrouter.model_info: secret",
    ),
    "an entry's key as a list": (
        {"entries": [{**ENTRY, "litellm_params": {**ENTRY["litellm_params"], "api_key": [OTHER_KEY]}}]},
        "entries[0].litellm_params: api_key[0]",
    ),
    "an entry's model_info": (
        {"entries": [{**ENTRY, "model_info": {"api_key": OTHER_KEY}}]},
        "entries[0].model_info: api_key",
    ),
    "a numeric master_key": (
        {"settings": {"general_settings": {"master_key": MASTER_KEY}}},
        "settings: general_settings.master_key",
    ),
    "a numeric Redis password": (
        {"settings": {"litellm_settings": {"cache_params": {"type": "redis", "password": REDIS_PASSWORD}}}},
        "settings: litellm_settings.cache_params.password",
    ),
    "a Slack webhook": (
        {"settings": {"environment_variables": {"SLACK_WEBHOOK_URL": SLACK}}},
        "settings: environment_variables.SLACK_WEBHOOK_URL",
    ),
    "webhooks by alert type": (
        {"settings": {"general_settings": {"alert_to_webhook_url": {"budget_alerts": [DISCORD, TEAMS]}}}},
        "settings: general_settings.alert_to_webhook_url.budget_alerts[0]",
    ),
    "an MCP server's auth_value": (
        {
            "settings": {
                "mcp_servers": {"github": {"url": "https://api.githubcopilot.com/mcp", "auth_value": MCP_TOKEN}}
            }
        },
        "settings: mcp_servers.github.auth_value",
    ),
    "a Teams webhook under any key": (
        {"settings": {"callback_settings": {"teams": {"url": TEAMS}}}},
        "settings: callback_settings.teams.url",
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_overrides_refuse_every_form_of_a_literal_secret(project: Project, form: str) -> None:
    document, named = FORMS[form]
    project.write_overrides(document)
    before = project.snapshot_files()
    for args in (["--offline"], ["--check"], ["--offline", "--dry-run", "--report", "json"]):
        done = project.cli(*args)
        assert done.returncode == 2, (args, done.stdout, done.stderr)
        assert f"{named} holds a literal secret" in done.stderr and "os.environ/" in done.stderr
        assert "overrides.yaml:" in done.stderr  # the file and the line
        assert _leaks(done.stdout + done.stderr) == []
    assert project.snapshot_files() == before  # config.yaml and everything else as they were


def test_overrides_accept_booleans_and_references_under_credential_names(project: Project) -> None:
    project.write_overrides(
        {
            "models": [{"id": OPENROUTER, "params": {"extra_headers": {"Authorization": "Bearer os.environ/OR_KEY"}}}],
            "settings": {
                "general_settings": {
                    "master_key": "os.environ/LITELLM_MASTER_KEY",
                    "dangerously_permit_weak_or_unset_master_key": False,  # a LiteLLM switch, not a key
                    "alert_to_webhook_url": {"budget_alerts": "os.environ/SLACK_WEBHOOK_URL"},
                },
                "environment_variables": {"LANGFUSE_HOST": "https://cloud.langfuse.com"},
            },
        }
    )
    done = project.cli("--offline", "-q")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "url", [f"https://gw:{DB_PASSWORD}@router.requesty.ai/v1", f"https://router.requesty.ai/v1?key={OTHER_KEY}"]
)
def test_providers_yaml_refuses_a_route_whose_url_carries_a_key(project: Project, url: str) -> None:
    project.write_overrides({"models": ["requesty:openai/gpt-4o-mini"]})
    text = project.providers.read_text()
    assert 'api_base: "https://router.requesty.ai/v1"' in text
    project.providers.write_text(text.replace('api_base: "https://router.requesty.ai/v1"', f'api_base: "{url}"'))
    before = project.snapshot_files()
    done = project.cli("--offline")
    assert done.returncode == 2 and "providers.yaml:" in done.stderr and "api_base carries a credential" in done.stderr
    assert _leaks(done.stdout + done.stderr) == [] and project.snapshot_files() == before


def test_a_number_where_a_key_name_belongs_is_not_printed(project: Project) -> None:
    text = project.providers.read_text()
    project.providers.write_text(text.replace("api_key: REQUESTY_API_KEY", f"api_key: {MASTER_KEY}", 1))
    done = project.cli("--offline")
    assert done.returncode == 2 and "requesty.route.api_key: should be text" in done.stderr
    assert _leaks(done.stdout + done.stderr) == []


# --- masked in every report form --------------------------------------------------------------


def _hand_edited(project: Project) -> None:
    """config.yaml as a user edits it by hand, with each form of secret."""
    data = yaml.safe_load(project.config.read_text())
    by_route = {d["litellm_params"]["model"]: d for d in data["model_list"]}
    by_route["openrouter/anthropic/claude-haiku-4.5"]["litellm_params"]["api_key"] = {"value": OPENROUTER_KEY}
    by_route["azure/gpt-4o"]["litellm_params"]["api_key"] = [OTHER_KEY]
    data["general_settings"] = {"master_key": MASTER_KEY, "database_url": DATABASE_URL}
    data["general_settings"]["alert_to_webhook_url"] = {"budget_alerts": DISCORD, "llm_exceptions": TEAMS}
    data["environment_variables"] = {"SLACK_WEBHOOK_URL": SLACK, "LANGFUSE_SECRET_KEY": LANGFUSE_SECRET}
    data["litellm_settings"] = {"cache_params": {"type": "redis", "password": REDIS_PASSWORD}}
    project.config.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize("form", ["text", "markdown", "json"])
def test_every_report_form_masks_every_form_of_secret(project: Project, form: str) -> None:
    _hand_edited(project)
    before = project.snapshot_files()
    done = project.cli("--offline", "--dry-run", "-v", "--report", form)
    assert done.returncode in (0, 4), done.stderr
    assert _leaks(done.stdout + done.stderr) == []
    assert project.snapshot_files() == before
    for shown in ("master_key", "hooks.slack.com/services/[masked]", "discord.com/api/webhooks/[masked]"):
        assert shown in done.stdout, f"the {form} report lacks {shown}"  # it still says what changed
    if form == "json":
        json.loads(done.stdout)


# --- moved to .env by import ------------------------------------------------------------------

LEGACY = {
    "model_list": [
        {
            "model_name": "haiku",
            "litellm_params": {"model": "openrouter/anthropic/claude-haiku-4.5", "api_key": {"value": OPENROUTER_KEY}},
        },
        {"model_name": "local", "litellm_params": {**ENTRY["litellm_params"], "api_key": [OTHER_KEY]}},
    ],
    "general_settings": {
        "master_key": MASTER_KEY,
        "database_url": DATABASE_URL,
        "alerting": ["slack"],
        "alert_to_webhook_url": {"budget_alerts": DISCORD, "llm_exceptions": TEAMS},
    },
    "litellm_settings": {
        "success_callback": ["langfuse"],
        "cache_params": {"type": "redis", "password": REDIS_PASSWORD},
    },
    "environment_variables": {
        "SLACK_WEBHOOK_URL": SLACK,
        "LANGFUSE_SECRET_KEY": LANGFUSE_SECRET,
        "LANGFUSE_HOST": "https://cloud.langfuse.com",
        "UI_PASSWORD": UI_PASSWORD,
    },
    "mcp_servers": {
        "github": {"url": "https://api.githubcopilot.com/mcp", "auth_type": "bearer_token", "auth_value": MCP_TOKEN}
    },
}


def _import(project: Project, *args: str) -> Any:
    (project.root / "legacy.yaml").write_text(yaml.safe_dump(LEGACY, sort_keys=False))
    return project.cli("import", "legacy.yaml", "--offline", "--force", *args)


def test_import_moves_every_form_to_env_under_litellm_names(project: Project) -> None:
    (project.root / ".env").write_text("# mine\nDATABASE_URL=postgresql://someone-else@db/x\nMY_OWN=1")
    (project.root / ".gitignore").write_text(".env\n")
    done = _import(project)
    assert done.returncode == 0, done.stderr
    written = yaml.safe_load(project.overrides.read_text())
    general = written["settings"]["general_settings"]
    assert general["master_key"] == "os.environ/LITELLM_MASTER_KEY"
    assert general["database_url"] == "os.environ/DATABASE_URL_2"  # .env's DATABASE_URL is another one: kept
    assert general["alert_to_webhook_url"] == {
        "budget_alerts": "os.environ/SLACK_WEBHOOK_URL_2",  # SLACK_WEBHOOK_URL is environment_variables' own
        "llm_exceptions": "os.environ/SLACK_WEBHOOK_URL_3",
    }
    assert written["settings"]["litellm_settings"]["cache_params"]["password"] == "os.environ/REDIS_PASSWORD"
    assert written["settings"]["environment_variables"] == {
        "SLACK_WEBHOOK_URL": "os.environ/SLACK_WEBHOOK_URL",
        "LANGFUSE_SECRET_KEY": "os.environ/LANGFUSE_SECRET_KEY",
        "LANGFUSE_HOST": "https://cloud.langfuse.com",
        "UI_PASSWORD": "os.environ/UI_PASSWORD",
    }
    env = dotenv_values(project.root / ".env")
    assert env["DATABASE_URL"] == "postgresql://someone-else@db/x" and env["MY_OWN"] == "1"
    assert env["LITELLM_MASTER_KEY"] == str(MASTER_KEY) and env["DATABASE_URL_2"] == DATABASE_URL
    assert env["REDIS_PASSWORD"] == str(REDIS_PASSWORD) and env["LANGFUSE_SECRET_KEY"] == LANGFUSE_SECRET
    assert env["SLACK_WEBHOOK_URL"] == SLACK and {env["SLACK_WEBHOOK_URL_2"], env["SLACK_WEBHOOK_URL_3"]} == {
        DISCORD,
        TEAMS,
    }
    assert env["UI_PASSWORD"] == UI_PASSWORD
    assert written["settings"]["mcp_servers"]["github"]["auth_value"].startswith("os.environ/")
    assert MCP_TOKEN in env.values()
    assert OPENROUTER_KEY in env.values() and OTHER_KEY in env.values()
    assert stat.S_IMODE((project.root / ".env").stat().st_mode) == 0o600
    assert "LITELLM_MASTER_KEY" in done.stdout and "REDIS_PASSWORD" in done.stdout  # the names, never the values
    assert _leaks(done.stdout + done.stderr + _files_but_env(project)) == []
    rendered = project.cli("--offline", "--report", "markdown")
    assert rendered.returncode in (0, 4), rendered.stderr
    assert _leaks(rendered.stdout + rendered.stderr + _files_but_env(project)) == []


def test_import_creates_env_0600_and_adds_no_name_twice(project: Project) -> None:
    first = _import(project)
    assert first.returncode == 0, first.stderr
    assert ".gitignore" in first.stderr  # no .gitignore names .env here: said, not fixed behind the user's back
    env = project.root / ".env"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    text = env.read_text()
    again = _import(project)
    assert again.returncode == 0, again.stderr
    assert env.read_text() == text  # the same values are already there, under the same names
    assert "already in .env" in again.stdout and "moved to" not in again.stdout


def test_import_refuses_a_symlinked_env_and_writes_nothing(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.env"
    outside.write_text("KEEP=1\n")
    (project.root / ".env").symlink_to(outside)
    project.overrides.unlink()
    done = _import(project)
    assert done.returncode == 2
    assert ".env is a symbolic link" in done.stderr and done.stderr.count("\n") == 1
    assert outside.read_text() == "KEEP=1\n" and not project.overrides.exists()
    assert _leaks(done.stdout + done.stderr) == []


def test_import_stops_at_an_unreadable_env_and_writes_nothing(project: Project) -> None:
    (project.root / ".env").write_bytes(b"A=1\n\xff\xfe=2\n")
    project.overrides.unlink()
    done = _import(project)
    assert done.returncode == 2 and ".env cannot be read" in done.stderr and done.stderr.count("\n") == 1
    assert (project.root / ".env").read_bytes() == b"A=1\n\xff\xfe=2\n" and not project.overrides.exists()
