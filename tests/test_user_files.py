"""Nothing a user keeps is lost: a hand-kept config.yaml, its backup, or every deployment at once.

Each test runs the installed `modelsync` command as a real process in a folder of real files.
"""

from __future__ import annotations

import shutil
import stat
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import yaml

from modelsync.model.deployment import keyed_deployments
from tests.helpers import ROOT, Project, make_project, modelsync, serve

ADOPT = Path(__file__).parent / "fixtures" / "adopt"
HAND_KEPT = ADOPT / "gateway-team" / "config.yaml"  # 127 deployments kept by hand, with every oddity
SELECTS_NOTHING = ROOT / "modelsync" / "project" / "overrides.yaml"  # what init writes
FIREWORKS = """\
# ---- Fireworks, priced by hand: its listing is not cached here ----
- model_name: deepseek-v3.1
  litellm_params:
    model: fireworks_ai/accounts/fireworks/models/deepseek-v3p1
    api_key: os.environ/FIREWORKS_AI_API_KEY
    input_cost_per_token: 5.6e-07
    output_cost_per_token: 1.68e-06
    order: 3
- model_name: kimi-k2
  litellm_params: {model: fireworks_ai/accounts/fireworks/models/kimi-k2-instruct-0905,
                   input_cost_per_token: 6.0e-07, output_cost_per_token: 2.5e-06}
- model_name: fireworks/qwen3-coder
  litellm_params:
    model: fireworks_ai/accounts/fireworks/models/qwen3-coder-480b-a35b-instruct
    input_cost_per_token: 4.5e-07
    output_cost_per_token: 1.8e-06
    cache_read_input_token_cost: 2.25e-07
  model_info: {max_input_tokens: 262144}

"""


def _hand_kept_folder(tmp_path: Path, config: str | None = None) -> Path:
    folder = tmp_path / "proxy"
    folder.mkdir()
    (folder / "config.yaml").write_text(config or HAND_KEPT.read_text())
    return folder


def _deployments(path: Path) -> set[tuple[str, str, str]]:
    return set(keyed_deployments(yaml.safe_load(path.read_text())["model_list"]))


def test_init_beside_a_hand_kept_config_points_to_import_and_no_run_replaces_it(tmp_path: Path) -> None:
    folder = _hand_kept_folder(tmp_path)
    original = (folder / "config.yaml").read_bytes()
    init = modelsync(folder, "init")
    assert init.returncode == 0, init.stderr
    assert "config.yaml was not written by modelsync" in init.stdout and "modelsync import config.yaml" in init.stdout
    assert not (folder / "overrides.yaml").exists(), "import writes it, from the config"
    shutil.copyfile(SELECTS_NOTHING, folder / "overrides.yaml")  # as a user might, to run anyway
    for _ in range(2):  # the second run must not take the first one's .bak for the original either
        run = modelsync(folder, "--offline")
        assert run.returncode == 2, run.stdout
        assert "error: config.yaml was not written by modelsync" in run.stderr
        assert "run `modelsync import config.yaml`" in run.stderr and "move it away" in run.stderr
        assert (folder / "config.yaml").read_bytes() == original
        assert sorted(p.name for p in folder.glob("config.yaml*")) == ["config.yaml"]


def test_import_takes_over_the_hand_kept_config_and_no_run_replaces_its_backup(tmp_path: Path) -> None:
    folder = _hand_kept_folder(tmp_path)
    original = (folder / "config.yaml").read_bytes()
    shutil.copyfile(ROOT / "providers.yaml", folder / "providers.yaml")
    shutil.copytree(ROOT / "templates", folder / "templates")
    shutil.copytree(ADOPT / "gateway-team" / "cache", folder / "cache")
    assert modelsync(folder, "import", "config.yaml", "--offline", "-q").returncode == 0
    first = modelsync(folder, "--offline")
    assert first.returncode == 0, first.stderr
    assert "config.yaml was kept by hand, then imported: it is kept as" in first.stderr
    assert (folder / "config.yaml.bak").read_bytes() == original
    assert _deployments(folder / "config.yaml") == _deployments(folder / "config.yaml.bak")
    assert stat.S_IMODE((folder / "config.yaml.bak").stat().st_mode) == 0o600  # it may hold the literal keys
    generated = (folder / "config.yaml").read_text()
    removed = modelsync(folder, "remove", "vision-lab")  # a later run that changes config.yaml
    assert removed.returncode == 0, removed.stderr
    assert (folder / "config.yaml.bak").read_bytes() == original, "the hand-kept original is never replaced"
    assert (folder / "config.yaml.bak.1").read_text() == generated


def test_a_hand_kept_backup_left_by_an_earlier_run_is_never_replaced(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    backup = project.root / "config.yaml.bak"
    shutil.copyfile(HAND_KEPT, backup)
    before = project.config.read_text()
    project.overrides.write_text(project.overrides.read_text().replace("rpm: 60", "rpm: 61"))
    run = modelsync(project.root, "--offline")
    assert run.returncode == 0, run.stderr
    assert backup.read_bytes() == HAND_KEPT.read_bytes()
    assert (project.root / "config.yaml.bak.1").read_text() == before
    assert "rpm: 61" in project.config.read_text()


def _untouched(project: Project) -> dict[str, str]:
    return {k: v for k, v in project.snapshot_files().items() if not k.startswith("cache/.")}


def test_an_empty_overrides_file_is_an_error_that_changes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    for empty in ("", "# all my models were here\n\n"):
        project.overrides.write_text(empty)
        before = _untouched(project)
        run = modelsync(project.root, "--offline")
        assert run.returncode == 2, run.stdout
        assert run.stderr.startswith("error: ") and len(run.stderr.strip().splitlines()) == 1
        assert "overrides.yaml is empty, and rendering it would remove every deployment" in run.stderr
        assert "write `models: []`" in run.stderr
        assert _untouched(project) == before


def test_a_shrink_to_no_deployment_is_held_until_accepted(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    before = _deployments(project.config)
    assert len(before) == 30
    project.overrides.write_text("models: []\n")
    held = modelsync(project.root, "--offline")
    assert held.returncode == 4, held.stderr
    assert "config.yaml would go from 30 deployments to none" in held.stdout
    assert _deployments(project.config) == before
    accepted = modelsync(project.root, "--offline", "--accept-held")
    assert accepted.returncode == 0, accepted.stderr
    assert _deployments(project.config) == set()


def test_imported_pinned_models_render_offline_when_their_catalogs_are_not_cached(tmp_path: Path) -> None:
    """Item 2: novita, poe and fireworks have no cached catalog; their pinned models render from the pins."""
    head, tail = HAND_KEPT.read_text().split("\nenvironment_variables:", 1)
    folder = _hand_kept_folder(tmp_path, f"{head}\n{FIREWORKS}environment_variables:{tail}")
    shutil.copytree(ADOPT / "gateway-team" / "cache", folder / "cache")
    for uncached in ("novita", "poe"):
        (folder / "cache" / f"{uncached}.json").unlink()
    assert modelsync(folder, "init", "-q").returncode == 0
    imported = modelsync(folder, "import", "config.yaml", "--offline")
    assert imported.returncode == 0, imported.stderr
    assert "fireworks catalog (none cached): kept with its costs pinned" in imported.stdout
    original = _deployments(folder / "config.yaml")
    assert len(original) == 129  # 126 kept by hand (one name, route and api_base twice) + 3 from Fireworks
    run = modelsync(folder, "--offline")
    assert run.returncode == 0, run.stderr
    assert _deployments(folder / "config.yaml") == original, "every deployment kept"
    for provider in ("fireworks", "novita", "poe"):
        warning = f"warning: {provider}: no catalog in cache/, so its models were rendered from their pinned costs"
        assert run.stderr.count(warning) == 1, run.stderr
        assert f"`modelsync --provider {provider}`" in run.stderr
        lines = run.stderr.splitlines()
        per_model = [line for line in lines if line.startswith(f"warning: {provider}:") and warning not in line]
        assert per_model == [], "one warning per provider, none per model"
    rendered = yaml.safe_load((folder / "config.yaml").read_text())["model_list"]
    coder = next(d for d in rendered if d["model_name"] == "fireworks/qwen3-coder")
    assert coder["litellm_params"]["cache_read_input_token_cost"] == 2.25e-07
    assert coder["litellm_params"]["input_cost_per_token"] == 4.5e-07


def test_pinned_models_render_when_a_listing_key_is_not_set_and_nothing_is_cached(tmp_path: Path) -> None:
    """Item 2, online: OpenAI and Anthropic list only with a key; without one, their pinned models render."""
    asked: list[str] = []

    def listing(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        asked.append(handler.path)
        return 200, {"Content-Type": "application/json"}, b'{"data": []}'

    models_dev = (200, {"Content-Type": "application/json"}, (ROOT / "cache" / "models_dev.json").read_bytes())
    project = make_project(tmp_path)
    for cached in project.cache.glob("*.json"):  # OpenRouter's stays, fresh: it is not fetched
        if not cached.name.startswith("openrouter."):
            cached.unlink()
    with serve({"/api.json": models_dev, "/v1/models": listing}) as base:
        text = project.providers.read_text().replace("https://models.dev", base)
        project.providers.write_text(
            text.replace("https://api.openai.com", base).replace("https://api.anthropic.com", base)
        )
        project.write_overrides(
            {
                "models": [
                    "openrouter:openai/gpt-4o-mini",
                    _pinned("openai:o1-preview", 1.5e-05, 6e-05),
                    _pinned("openai:gpt-4o-mini", 1.5e-07, 6e-07),
                    _pinned("anthropic:claude-haiku-4-5", 1e-06, 5e-06),
                ]
            }
        )
        run = modelsync(project.root)
    assert run.returncode == 0, run.stderr
    assert asked == [], "no listing is asked for without its key"
    rendered = {d["litellm_params"]["model"]: d for d in yaml.safe_load(project.config.read_text())["model_list"]}
    assert sorted(rendered) == [
        "anthropic/claude-haiku-4-5",
        "openai/gpt-4o-mini",
        "openai/o1-preview",
        "openrouter/openai/gpt-4o-mini",
    ]
    assert rendered["openai/o1-preview"]["litellm_params"]["output_cost_per_token"] == 6e-05
    for provider, key in (("openai", "OPENAI_API_KEY"), ("anthropic", "ANTHROPIC_API_KEY")):
        said = [line for line in run.stderr.splitlines() if line.startswith(f"warning: {provider}:")]
        assert len(said) == 1, run.stderr  # one per provider, not one per model
        assert f"not fetched, {key} is not set — set {key}" in said[0]


def _pinned(model: str, input_cost: float, output_cost: float) -> dict[str, object]:
    return {"id": model, "pin": {"input_cost_per_token": input_cost, "output_cost_per_token": output_cost}}
