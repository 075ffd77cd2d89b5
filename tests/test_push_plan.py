"""push's plan without a proxy: which rows are ours, what a change takes, and a bad targets: entry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from modelsync.targets.admin_api import ProxyError
from modelsync.targets.ownership import deployment_id, marked
from modelsync.targets.proxy import ProxyTarget, Row
from tests.helpers import Project

BODY = {
    "model_name": "coder",
    "litellm_params": {"model": "openrouter/qwen/qwen3-coder", "api_key": "os.environ/OPENROUTER_API_KEY", "rpm": 5},
}


def read_back(body: dict[str, Any], db_model: bool = True, **edits: Any) -> Row:
    """A row as /v2/model/info gives it: no key, the proxy's own false defaults, edits applied."""
    params = {k: v for k, v in body["litellm_params"].items() if k != "api_key"}
    info = {**body["model_info"], "db_model": db_model}
    return Row(info["id"], body["model_name"], {**params, "use_in_pass_through": False, **edits}, info)


def plan(rows: list[Row], wanted: list[dict[str, Any]]) -> Any:
    return ProxyTarget.plan(None, rows, wanted)  # type: ignore[arg-type]  # plan reads no proxy


def test_an_unedited_row_is_kept_a_price_change_patches_a_removed_param_replaces() -> None:
    row = read_back(marked(BODY))
    assert plan([row], [BODY]).writes == 0
    cheaper = {**BODY, "litellm_params": {**BODY["litellm_params"], "input_cost_per_token": 1e-07}}
    assert [b["model_name"] for b in plan([row], [cheaper]).update] == ["coder"]
    fewer = {**BODY, "litellm_params": {k: v for k, v in BODY["litellm_params"].items() if k != "rpm"}}
    assert len(plan([row], [fewer]).replace) == 1


def test_a_hand_edit_is_drift_and_a_row_without_our_marker_is_never_deleted() -> None:
    edited = read_back(marked(BODY), rpm=50)
    hand = Row("ui-1", "coder", {"model": "openai/x"}, {"id": "ui-1", "db_model": True})
    done = plan([edited, hand], [BODY])
    assert [d.why for d in done.drift] == ["edited on the proxy since the last push"]
    assert done.delete == () and done.foreign == 1


def test_a_config_file_model_holding_our_id_stops_the_push_naming_it() -> None:
    from_file = read_back(marked(BODY), db_model=False)  # config-file rows are never ours, marker or not
    with pytest.raises(ProxyError, match=rf"{deployment_id(BODY)} \(coder\) was made by the proxy's config file"):
        plan([from_file], [BODY])


def test_a_literal_master_key_is_refused_with_its_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.write_overrides({"targets": {"proxy": {"url": "http://127.0.0.1:4000", "master_key": "sk-live-123456"}}})
    assert project.run("push", "--offline") == 2
    err = capsys.readouterr().err
    assert "overrides.yaml:4: targets.proxy.master_key" in err
    assert "os.environ/LITELLM_MASTER_KEY" in err
    assert "sk-live-123456" not in err


def test_the_master_key_is_read_from_dotenv_like_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from modelsync.model.targets import ProxyTarget as Settings
    from modelsync.targets.admin_api import AdminApi

    monkeypatch.delenv("LITELLM_MASTER_KEY", raising=False)
    (tmp_path / ".env").write_text("LITELLM_MASTER_KEY=sk-from-dotenv-5e2d8c1b9a7f4e3d\n")
    api = AdminApi(Settings(url="http://127.0.0.1:9", master_key="os.environ/LITELLM_MASTER_KEY"))
    try:
        assert api.client.headers["Authorization"] == "Bearer sk-from-dotenv-5e2d8c1b9a7f4e3d"
    finally:
        api.close()
