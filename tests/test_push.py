"""push: the example's model list into a real LiteLLM proxy's model table, over a real PostgreSQL.

The proxy is `litellm.proxy.proxy_server:app` 1.106.2 (tests/proxy_app.py) over LiteLLM's real
schema (tests/proxy_db.py); `push` runs as a user runs it, a child process on a project copy.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
import yaml

from modelsync.targets.ownership import deployment_id
from tests.helpers import ROOT, Project, openrouter_entry
from tests.litellm_db import DATABASE
from tests.litellm_proxy import free_port
from tests.proxy_db import Fleet
from tests.proxy_relay import relay

pytestmark = pytest.mark.litellm


def targeting(project: Project, url: str, **more: Any) -> Project:
    """The project, pushing to the proxy at `url` with the key in LITELLM_MASTER_KEY."""
    text = project.overrides.read_text(encoding="utf-8")
    target = {"targets": {"proxy": {"url": url, "master_key": "os.environ/LITELLM_MASTER_KEY", **more}}}
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


MODELS = [f"vendor/model-{i}" for i in range(1, 9)]


def catalog(project: Project, prices: dict[str, str] | None = None, without: tuple[str, ...] = ()) -> None:
    """OpenRouter's catalog in the project's cache: eight models at $1/M in, or the prices given."""
    prices = prices or {}
    entries = [openrouter_entry(m, prompt=prices.get(m, "0.000001")) for m in MODELS if m not in without]
    project.use_catalog("openrouter", {"data": entries})
    project.use_catalog("openrouter.embeddings", {"data": []})


@pytest.fixture
def eight(fleet: Fleet, project: Project) -> Project:
    """Eight OpenRouter models, pushed to the shared proxy from empty."""
    project.write_overrides({"models": [f"openrouter:{m}" for m in MODELS]})
    catalog(project)
    targeting(project, fleet.url)
    done = project.cli("push", "--offline")
    assert done.returncode == 0, done.stderr
    assert "8 created, 0 updated, 0 deleted" in done.stdout
    return project


def updated_at(fleet: Fleet) -> dict[str, str]:
    text = fleet.cluster.psql(DATABASE, 'SELECT model_id, updated_at FROM "LiteLLM_ProxyModelTable";')
    return dict(line.split("|", 1) for line in text.splitlines() if line)  # type: ignore[misc]


def row_of(fleet: Fleet, model: str) -> dict[str, Any]:
    (row,) = [m for m in fleet.models() if m["model_name"] == f"openrouter/{model}" and "modelsync" in m["model_info"]]
    return row


def test_a_price_change_patches_exactly_the_changed_row(fleet: Fleet, eight: Project) -> None:
    before = updated_at(fleet)
    catalog(eight, {"vendor/model-3": "0.0000012"})
    done = eight.cli("push", "--offline")
    assert done.returncode == 0, done.stderr
    assert "input_cost_per_token: $1/M → $1.2/M (+20%)" in done.stdout
    assert "0 created, 1 updated, 0 deleted (7 unchanged" in done.stdout
    after = updated_at(fleet)
    assert [k for k in after if after[k] != before[k]] == [row_of(fleet, "vendor/model-3")["model_info"]["id"]]
    assert row_of(fleet, "vendor/model-3")["litellm_params"]["input_cost_per_token"] == pytest.approx(1.2e-06)


def test_a_retirement_deletes_our_row_and_never_a_hand_added_one(fleet: Fleet, eight: Project) -> None:
    hand = {
        "model_name": "openrouter/vendor/model-5",
        "litellm_params": {"model": "openai/vendor/model-5", "api_base": "http://127.0.0.1:9/v1", "api_key": "none"},
        "model_info": {"id": "added-in-the-ui"},
    }
    assert fleet.admin("POST", "/model/new", json=hand).status_code == 200
    catalog(eight, without=("vendor/model-5",))
    done = eight.cli("push", "--offline")
    assert done.returncode == 0, done.stderr
    assert "0 created, 0 updated, 1 deleted (7 unchanged, 1 not ours)" in done.stdout
    names = sorted(name for _, name in fleet.table())
    assert names.count("openrouter/vendor/model-5") == 1
    assert ("added-in-the-ui", "openrouter/vendor/model-5") in fleet.table()


def test_a_tenfold_price_is_held_exit_4_until_accepted(fleet: Fleet, eight: Project) -> None:
    catalog(eight, {"vendor/model-2": "0.00002"})
    held = eight.cli("push", "--offline")
    assert held.returncode == 4, held.stderr
    assert "would move 20.0×" in held.stdout
    assert row_of(fleet, "vendor/model-2")["litellm_params"]["input_cost_per_token"] == pytest.approx(1e-06)
    taken = eight.cli("push", "--offline", "--accept-held")
    assert taken.returncode == 0, taken.stderr
    assert row_of(fleet, "vendor/model-2")["litellm_params"]["input_cost_per_token"] == pytest.approx(2e-05)


def test_check_names_a_hand_edit_and_a_row_deleted_behind_our_back_and_push_restores_both(
    fleet: Fleet, eight: Project
) -> None:
    edited, deleted = row_of(fleet, "vendor/model-7"), row_of(fleet, "vendor/model-4")
    patch = {"litellm_params": {"rpm": 3, "input_cost_per_token": 5e-06}}
    assert fleet.admin("PATCH", f"/model/{edited['model_info']['id']}/update", json=patch).status_code == 200
    assert fleet.admin("POST", "/model/delete", json={"id": deleted["model_info"]["id"]}).status_code == 200
    check = eight.cli("push", "--check")
    assert check.returncode == 1, check.stderr
    assert f"openrouter/vendor/model-7 ({edited['model_info']['id']}): edited on the proxy" in check.stderr
    assert f"openrouter/vendor/model-4 ({deleted['model_info']['id']}): missing from the proxy" in check.stderr
    assert "rpm: removed (was 3)" in check.stdout
    assert eight.cli("push", "--offline").returncode == 0
    restored = row_of(fleet, "vendor/model-7")["litellm_params"]
    assert "rpm" not in restored
    assert restored["input_cost_per_token"] == pytest.approx(1e-06)
    assert eight.cli("push", "--check").returncode == 0


@pytest.mark.parametrize("form", ["markdown", "json"])
def test_a_dry_run_reports_against_the_proxy_and_writes_nothing(fleet: Fleet, eight: Project, form: str) -> None:
    before = updated_at(fleet)
    catalog(eight, {"vendor/model-3": "0.0000012"})
    done = eight.cli("push", "--offline", "--dry-run", "--report", form)
    assert done.returncode == 0, done.stderr
    if form == "json":
        (change,) = json.loads(done.stdout)["providers"]["openrouter"]["changed"]
        assert change["model_name"] == "openrouter/vendor/model-3"
    else:
        assert "openrouter/vendor/model-3" in done.stdout
    assert "would make 1 write(s)" in done.stderr
    assert updated_at(fleet) == before


def test_a_push_that_fails_half_way_says_what_it_applied_and_the_next_converges(fleet: Fleet, project: Project) -> None:
    project.write_overrides({"models": [f"openrouter:{m}" for m in MODELS]})
    catalog(project)
    # The 2nd create lands but is answered after the client gave up (timeout: 5 s), the 4th lands but its answer
    # is lost: both are verified by id, not retried; the 6th gets a 500 and the push stops.
    with relay(fleet.url, lambda method, path, n: {2: "slow", 4: "drop", 6: "500"}.get(n)) as url:
        targeting(project, url, timeout=5)
        failed = project.cli("push", "--offline")
    assert failed.returncode == 2, failed.stderr
    assert "push stopped after 5 created, 0 updated, 0 deleted of 8 write(s)" in failed.stderr
    assert "answered 500: relay: injected failure" in failed.stderr
    assert len(fleet.table()) == 5
    for row in fleet.models():  # every row there is whole, as planned
        assert row["litellm_params"]["input_cost_per_token"] == pytest.approx(1e-06)
    project.overrides.write_text(project.overrides.read_text().replace(url, fleet.url))
    again = project.cli("push", "--offline")
    assert again.returncode == 0, again.stderr
    assert "3 created, 0 updated, 0 deleted (5 unchanged" in again.stdout


def test_a_wrong_key_and_a_wrong_url_are_one_sentence_and_the_key_is_never_shown(
    fleet: Fleet, eight: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = "sk-" + "w" * 40
    monkeypatch.setenv("LITELLM_MASTER_KEY", wrong)
    refused = eight.cli("push", "--offline")
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1] == (
        f"error: {fleet.url} refused the master key in LITELLM_MASTER_KEY (401) — "
        "set LITELLM_MASTER_KEY to the proxy's master key"
    )
    monkeypatch.setenv("LITELLM_MASTER_KEY", fleet.key)
    eight.overrides.write_text(eight.overrides.read_text().replace(fleet.url, f"http://127.0.0.1:{free_port()}"))
    nowhere = eight.cli("push", "--offline")
    assert nowhere.returncode == 2
    assert "nothing answers there (ConnectError) — check targets.proxy.url" in nowhere.stderr
    for output in (refused.stdout, refused.stderr, nowhere.stdout, nowhere.stderr):
        assert wrong not in output and fleet.key not in output


def test_import_from_the_proxy_round_trips_the_pushed_list(fleet: Fleet, eight: Project) -> None:
    hand = {
        "model_name": "built-in-the-ui",
        "litellm_params": {"model": "azure/gpt-4o", "api_base": "https://example.openai.azure.com", "rpm": 9},
        "model_info": {"id": "ui-1"},
    }
    assert fleet.admin("POST", "/model/new", json=hand).status_code == 200
    eight.overrides.rename(eight.root / "pushed-overrides.yaml")
    done = eight.cli("import", "--from-proxy", fleet.url, "--offline")
    assert done.returncode == 0, done.stderr
    imported = yaml.safe_load(eight.overrides.read_text())
    assert sorted(m["id"] for m in imported["models"]) == sorted(f"openrouter:{m}" for m in MODELS)
    (entry,) = imported["entries"]  # the UI's model, its unreadable key an os.environ/ reference
    assert entry["model_name"] == "built-in-the-ui"
    assert entry["litellm_params"]["rpm"] == 9
    assert entry["litellm_params"]["api_key"] == "os.environ/AZURE_API_KEY"
    targeting(eight, fleet.url)
    again = eight.cli("push", "--offline", "--dry-run")  # the UI's model is now ours to adopt: one create
    assert again.returncode == 0, again.stderr
    assert "would make 1 write(s) (8 unchanged, 1 not ours)" in again.stdout


def test_a_push_through_one_proxy_is_served_by_another_on_the_same_database(fleet: Fleet, eight: Project) -> None:
    from tests.proxy_db import start_proxy

    other = start_proxy(fleet.cluster, fleet.client, fleet.home, fleet.key, reload_seconds=2)
    try:
        catalog(eight, {"vendor/model-3": "0.0000012"}, without=("vendor/model-8",))
        assert eight.cli("push", "--offline").returncode == 0
        wanted = {m["model_name"]: m["litellm_params"]["input_cost_per_token"] for m in fleet.models()}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:  # the other replica re-reads the table every 2 s here
            served = {m["model_name"]: m["litellm_params"]["input_cost_per_token"] for m in fleet.models(other.url)}
            if served == wanted:
                break
            time.sleep(1)
        assert served == wanted
        assert served["openrouter/vendor/model-3"] == pytest.approx(1.2e-06)
        assert len(served) == 7
    finally:
        other.stop()


def test_ctrl_c_during_a_push_leaves_whole_rows_says_what_was_applied_and_the_next_converges(
    fleet: Fleet, project: Project
) -> None:
    project.write_overrides({"models": [f"openrouter:{m}" for m in MODELS]})
    catalog(project)
    third = threading.Event()

    def hold_the_third(method: str, path: str, n: int) -> str | None:
        if n == 3:
            third.set()
            return "slow"
        return None

    with relay(fleet.url, hold_the_third) as url:
        targeting(project, url)
        command = [sys.executable, str(ROOT / "generate.py"), "push", "--offline", *project.path_args()]
        child = subprocess.Popen(command, cwd=project.root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert third.wait(60), "the push never reached its third write"
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert "push stopped after 2 created, 0 updated, 0 deleted of 8 write(s)" in err
    for row in fleet.models():  # the third landed or not; no row is half-written
        assert row["litellm_params"]["input_cost_per_token"] == pytest.approx(1e-06)
    project.overrides.write_text(project.overrides.read_text().replace(url, fleet.url))
    assert project.cli("push", "--offline").returncode == 0
    assert len(fleet.table()) == 8
    assert project.cli("push", "--check").returncode == 0
