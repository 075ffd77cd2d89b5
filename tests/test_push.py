"""push: the example's model list into a real LiteLLM proxy's model table, over a real PostgreSQL.

The proxy is `litellm.proxy.proxy_server:app` 1.106.2 (tests/proxy_app.py) over LiteLLM's real
schema (tests/proxy_db.py); `push` runs as a user runs it, a child process on a project copy.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from modelsync.targets.ownership import deployment_id
from tests.helpers import Project
from tests.proxy_db import Fleet

pytestmark = pytest.mark.litellm


def targeting(project: Project, url: str) -> Project:
    """The example project, pushing to the proxy at `url` with the key in LITELLM_MASTER_KEY."""
    text = project.overrides.read_text(encoding="utf-8")
    target = {"targets": {"proxy": {"url": url, "master_key": "os.environ/LITELLM_MASTER_KEY"}}}
    project.overrides.write_text(text + "\n" + yaml.safe_dump(target), encoding="utf-8")
    return project


def rendered(project: Project) -> list[dict[str, Any]]:
    """The model list generate renders from the same inputs: what the proxy should end up holding."""
    done = project.cli("--offline", "--dry-run", "-q")
    assert done.returncode == 0, done.stderr
    project.cli("--offline", "-q")
    return list(yaml.safe_load(project.config.read_text(encoding="utf-8"))["model_list"])


def ours(fleet: Fleet) -> dict[str, dict[str, Any]]:
    return {m["model_info"]["id"]: m for m in fleet.models() if "modelsync" in m["model_info"]}


def test_the_real_app_stores_a_model_in_the_real_schema(fleet: Fleet) -> None:
    """The fixture itself: /model/new writes LiteLLM_ProxyModelTable; /v2/model/info reads it back decrypted."""
    body = {
        "model_name": "by-hand",
        "litellm_params": {"model": "openai/gpt-4o", "api_key": "os.environ/OPENAI_API_KEY", "rpm": 7},
        "model_info": {"id": "hand-1"},
    }
    created = fleet.admin("POST", "/model/new", json=body)
    assert created.status_code == 200, created.text
    assert created.json()["litellm_params"]["model"] != "openai/gpt-4o"  # stored encrypted
    assert fleet.table() == [("hand-1", "by-hand")]
    (model,) = fleet.models()
    assert model["litellm_params"]["model"] == "openai/gpt-4o"
    assert model["litellm_params"]["rpm"] == 7
    assert "api_key" not in model["litellm_params"]
    assert model["model_info"]["db_model"] is True


def test_push_from_empty_then_an_up_to_date_push_writes_nothing(fleet: Fleet, project: Project) -> None:
    targeting(project, fleet.url)
    wanted = rendered(project)
    first = project.cli("push", "--offline")
    assert first.returncode == 0, first.stderr
    assert f"{len(wanted)} created, 0 updated, 0 deleted" in first.stdout
    held = {m["model_info"]["id"]: m for m in fleet.models()}
    assert len(held) == len(wanted) == len(fleet.table())
    for deployment in wanted:  # every price reaches litellm_params, where LiteLLM 1.102+ keeps it
        row = held[deployment_id(deployment)]
        for key, value in deployment["litellm_params"].items():
            if "cost" in key:
                assert row["litellm_params"][key] == value, (deployment["model_name"], key)
    again = project.cli("push", "--offline", "-v")
    assert again.returncode == 0, again.stderr
    assert "needs 0 write(s)" in again.stdout
    assert "1 request(s)" in again.stdout  # one paged read, no write
