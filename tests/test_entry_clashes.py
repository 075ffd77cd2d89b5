"""Hand-written `entries:` are held to the same identity as generated deployments.

Two deployments clash when they share (model_name, route, api_base): LiteLLM would list one
deployment twice. Real configs carry the same name and route at two hosts, which is no clash.
Each run is `python generate.py` in a child process, on real files.
"""

from __future__ import annotations

from typing import Any

import yaml

from tests.helpers import Project


def _entry(api_base: str | None = None, rpm: int = 60) -> dict[str, Any]:
    """A gateway deployment as configs keep them; a different rpm makes two of them not identical."""
    params = {"model": "openai/gpt-4o", "api_key": "os.environ/GATEWAY_API_KEY", "rpm": rpm}
    return {"model_name": "gpt-4o", "litellm_params": params | ({} if api_base is None else {"api_base": api_base})}


def test_two_hand_written_entries_that_clash_are_refused_at_their_line(project: Project) -> None:
    project.write_overrides({"entries": [_entry("https://a.example/v1"), _entry("https://a.example/v1", rpm=120)]})
    before = project.config.read_bytes()
    done = project.cli("--offline")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "overrides.yaml:8: entries: item [1] repeats item [0] (gpt-4o) — remove one of them" in done.stderr
    assert project.config.read_bytes() == before


def test_an_empty_api_base_is_the_default_host_so_it_clashes_with_none(project: Project) -> None:
    """Only the merge sees these as one: the overrides check compares them as written."""
    project.write_overrides({"entries": [_entry(), _entry("https://b.example/v1"), _entry("", rpm=120)]})
    before = project.config.read_bytes()
    done = project.cli("--offline")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "two deployments are both 'gpt-4o' routed to 'openai/gpt-4o' — " in done.stderr
    assert project.config.read_bytes() == before


def test_one_name_and_route_at_two_hosts_is_no_clash(project: Project) -> None:
    project.write_overrides({"entries": [_entry("https://a.example/v1"), _entry("https://b.example/v1")]})
    done = project.cli("--offline", "-q")
    assert done.returncode == 0, done.stderr
    bases = [d["litellm_params"]["api_base"] for d in yaml.safe_load(project.config.read_text())["model_list"]]
    assert bases == ["https://a.example/v1", "https://b.example/v1"]


def test_a_hand_written_entry_clashing_with_a_generated_one_is_refused(project: Project) -> None:
    generated = {"model_name": "gemini-2.5-flash", "litellm_params": {"model": "openrouter/google/gemini-2.5-flash"}}
    project.write_overrides(
        {"models": [{"id": "openrouter:google/gemini-2.5-flash", "name": "gemini-2.5-flash"}], "entries": [generated]}
    )
    done = project.cli("--offline")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "two deployments are both 'gemini-2.5-flash' routed to 'openrouter/google/gemini-2.5-flash'" in done.stderr
