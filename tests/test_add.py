"""`add PROVIDER:ID`: checked against the cache, appended with comments and order kept, then shown."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from modelsync.commands.overrides_edit import append_item
from modelsync.core.errors import InputError
from tests.helpers import Project


def test_add_appends_to_models_keeping_every_other_line(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.overrides.read_text()
    assert project.run("add", "openrouter:google/gemini-2.5-pro-preview", "--name", "gemini-pro") == 0
    after = project.overrides.read_text()
    added = "  - id: openrouter:google/gemini-2.5-pro-preview\n    name: gemini-pro\n"
    last_model = "  - gemini:gemini-embedding-001\n"
    assert after == before.replace(last_model, last_model + added)
    out = capsys.readouterr().out
    assert "+ gemini-pro (openrouter/google/gemini-2.5-pro-preview)" in out
    assert project.run("--check", "-q") == 0, "config.yaml was regenerated with it"


def test_add_dry_run_only_shows(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.snapshot_files()
    assert project.run("add", "openrouter:google/gemini-2.5-pro-preview", "--dry-run") == 0
    assert project.snapshot_files() == before
    assert "+ openrouter/google/gemini-2.5-pro-preview" in capsys.readouterr().out


def test_add_refuses_unknown_ids_and_repeats(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.snapshot_files()
    assert project.run("add", "openrouter:google/gemini-2.5-pro-previw") == 2
    assert "close matches: google/gemini-2.5-pro-preview" in capsys.readouterr().err
    assert project.run("add", "openrouter:anthropic/claude-sonnet-4.5", "--name", "claude-sonnet-4.5") == 2
    assert "already in" in capsys.readouterr().err
    assert project.run("add", "openroutr:x/y") == 2
    assert "unknown provider 'openroutr'" in capsys.readouterr().err
    assert project.snapshot_files() == before


FILE = Path("overrides.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("providers: {}\n", "providers: {}\n\nmodels:\n  - openrouter:a/b\n"),
        ("models: []  # none yet\nentries: []\n", "models:  # none yet\n  - openrouter:a/b\nentries: []\n"),
        ("models:\n# none yet\nentries: []\n", "models:\n  - openrouter:a/b\n# none yet\nentries: []\n"),
        ("models: ~\nentries: []\n", "models:\n  - openrouter:a/b\nentries: []\n"),
        (
            "models:\n- x:y\n# trailing comment\nentries: []",
            "models:\n- x:y\n- openrouter:a/b\n# trailing comment\nentries: []\n",
        ),
        (
            "# top\nmodels:\n    - x:y  # four spaces\n\n    - id: x:z\n      name: z\nsettings: {}\n",
            "# top\nmodels:\n    - x:y  # four spaces\n\n    - id: x:z\n      name: z\n"
            "    - openrouter:a/b\nsettings: {}\n",
        ),
        # Flow style: the bug this replaced wrote a second `models:` key and lost x:y and x:z.
        ("models: [x:y, 'x:z']  # two\nentries: []\n", "models: [x:y, 'x:z', openrouter:a/b]  # two\nentries: []\n"),
        # Quoted keys and values stay quoted; CRLF stays CRLF.
        ('"models":\n  - "x:y"\n\'entries\': []\n', '"models":\n  - "x:y"\n  - openrouter:a/b\n\'entries\': []\n'),
        ("# c\r\nmodels:\r\n  - x:y  # one\r\n", "# c\r\nmodels:\r\n  - x:y  # one\r\n  - openrouter:a/b\r\n"),
        (
            "models:\n  - id: x:y\n    params:\n      rpm: 1  # r\n  # next: a group\n\nentries: []\n",
            "models:\n  - id: x:y\n    params:\n      rpm: 1  # r\n  - openrouter:a/b\n"
            "  # next: a group\n\nentries: []\n",
        ),
    ],
)
def test_append_edits_the_list_in_place(text: str, expected: str) -> None:
    assert append_item(text, FILE, "models", "openrouter:a/b") == expected


def test_a_name_that_needs_quotes_is_quoted() -> None:
    assert append_item("models:\n", FILE, "models", {"id": "openrouter:a/b", "name": "yes: no"}) == (
        'models:\n  - id: openrouter:a/b\n    name: "yes: no"\n'
    )
    assert append_item("models: [x:y]\n", FILE, "models", {"id": "openrouter:a/b", "name": "yes: no"}) == (
        "models: [x:y, {id: openrouter:a/b, name: 'yes: no'}]\n"
    )


def test_a_flow_list_whose_comments_cannot_stay_is_refused() -> None:
    with pytest.raises(InputError, match="write that list as a block list"):
        append_item("models: [\n  x:y,  # one\n  x:z\n]\n", FILE, "models", "openrouter:a/b")


def test_add_to_a_flow_list_keeps_every_model(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "# mine\r\n"
        '"providers":\r\n  nvidia: {include: ["*"]}   # all of it\r\n'
        "models: [openrouter:anthropic/claude-sonnet-4.5, 'novita:deepseek/deepseek-v3.1']  # two\r\n"
    )
    project.write_overrides(text)
    assert project.run("--offline", "-q") == 0
    before = yaml.safe_load(project.config.read_text())["model_list"]
    assert project.run("add", "openrouter:google/gemini-2.5-flash", "--name", "flash") == 0
    after = project.overrides.read_bytes().decode()
    assert after == text.replace(
        "'novita:deepseek/deepseek-v3.1']",
        "'novita:deepseek/deepseek-v3.1', {id: openrouter:google/gemini-2.5-flash, name: flash}]",
    )
    model_list = yaml.safe_load(project.config.read_text())["model_list"]
    assert len(model_list) == len(before) + 1 and all(d in model_list for d in before)
    assert "+ flash (openrouter/google/gemini-2.5-flash)" in capsys.readouterr().out


def test_list_filters(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    def ids(*args: str) -> list[str]:
        assert project.run("list", *args) == 0
        return [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:-1]]

    assert ids("openrouter", "--free") == [
        "deepseek/deepseek-chat-v3.1:free",
        "meta-llama/llama-3.3-70b-instruct:free",
        "qwen/qwen3-coder:free",
    ]
    assert ids("openrouter", "--max-input-price", "0.1", "--max-output-price", "0.4") == [
        "deepseek/deepseek-chat-v3.1:free",
        "google/gemini-2.5-flash-lite",
        "meta-llama/llama-3.3-70b-instruct:free",
        "mistralai/mistral-small-3.2-24b-instruct",
        "openai/text-embedding-3-small",
        "qwen/qwen3-coder:free",
        "qwen/qwen3-embedding-8b",
    ]
    assert ids("openrouter", "google/*", "--capability", "vision", "--capability", "tools") == [
        "google/gemini-2.5-flash",
        "google/gemini-2.5-flash-lite",
        "google/gemini-2.5-pro-preview",
    ]
    assert ids("vercel", "--capability", "embeddings") == ["openai/text-embedding-3-small"]


AUTO = "openrouter:openrouter/auto"  # OpenRouter's router: a variable price (-1), skipped unless pinned


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_an_add_that_deploys_nothing_is_an_error_and_writes_nothing(project: Project, dry_run: list[str]) -> None:
    before = project.snapshot_files()
    done = project.cli("add", AUTO, *dry_run)
    assert done.returncode == 2, done.stderr
    assert f"error: add {AUTO} would deploy nothing (prompt: price -1 means a variable price)" in done.stderr
    assert f"`python generate.py add {AUTO} --pin input_cost_per_token=... --pin output_cost_per_token=...`" in (
        done.stderr
    )
    assert "added" not in done.stdout and project.snapshot_files() == before


def test_add_writes_params_and_pins_as_yaml_scalars_keeping_the_file(project: Project) -> None:
    before = project.overrides.read_text()
    args = ["--name", "auto", "--param", "rpm=60", "--param", "api_base=os.environ/MY_BASE"]
    args += ["--pin", "input_cost_per_token=3e-7", "--pin", "output_cost_per_token=1.5e-06", "--param", "stream=true"]
    done = project.cli("add", AUTO, *args)
    assert done.returncode == 0, done.stderr
    added = (
        f"  - id: {AUTO}\n    name: auto\n    params:\n      rpm: 60\n      api_base: os.environ/MY_BASE\n"
        "      stream: true\n    pin:\n      input_cost_per_token: 3.0e-07\n      output_cost_per_token: 1.5e-06\n"
    )
    last_model = "  - gemini:gemini-embedding-001\n"
    assert project.overrides.read_text() == before.replace(last_model, last_model + added)
    deployed = [d for d in yaml.safe_load(project.config.read_text())["model_list"] if d["model_name"] == "auto"]
    params = deployed[0]["litellm_params"]
    assert (params["rpm"], params["api_base"], params["stream"]) == (60, "os.environ/MY_BASE", True)
    assert (params["input_cost_per_token"], params["output_cost_per_token"]) == (3e-7, 1.5e-6)
    assert "added openrouter:openrouter/auto to overrides.yaml" in done.stdout
    assert project.cli("--check").returncode == 0


def test_add_warns_of_a_param_typo_at_the_line_written(project: Project) -> None:
    for dry_run in (["--dry-run"], []):
        done = project.cli("add", "openrouter:google/gemini-2.5-pro-preview", "--param", "rmp=60", *dry_run)
        assert done.returncode == 0, done.stderr
        typo = "'rmp' is not a key LiteLLM knows — did you mean 'rpm'?"
        warnings = [w for w in done.stderr.splitlines() if typo in w]
        assert len(warnings) == 1 and "preview" not in warnings[0], done.stderr
        if not dry_run:  # written: the warning names the line that holds it
            line = project.overrides.read_text().splitlines().index("      rmp: 60") + 1
            assert f"overrides.yaml:{line}: models[9].params.rmp" in warnings[0]


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--param", "api_key=sk-or-v1-0123456789abcdef0123456789abcdef"], "--param api_key holds a literal secret"),
        (["--param", "input_cost_per_token=1e-7"], "--param input_cost_per_token is a cost"),
        (["--pin", "input_cost_per_tokn=1e-7"], "--pin unknown key 'input_cost_per_tokn'"),
        (["--pin", "input_cost_per_token"], "--pin takes KEY=VALUE"),
        (["--param", "extra_headers={a: b}"], "--param extra_headers=...: the value is not a single value"),
        (["--exclude", "poe"], "providers and exclude choose the providers of a bare id"),
    ],
)
def test_add_refuses_bad_options_and_writes_nothing(project: Project, args: list[str], error: str) -> None:
    before = project.snapshot_files()
    done = project.cli("add", "openrouter:google/gemini-2.5-pro-preview", *args)
    assert done.returncode == 2 and error in done.stderr, done.stderr
    assert "0123456789abcdef" not in done.stderr + done.stdout
    assert project.snapshot_files() == before


def test_add_excludes_providers_from_a_bare_id_group(project: Project) -> None:
    project.write_overrides("providers:\n  openrouter: {}\n  requesty: {}  # mine\nmodels: []\n")
    done = project.cli("add", "claude-haiku-4.5", "--exclude", "requesty")
    assert done.returncode == 0, done.stderr
    assert project.overrides.read_text().endswith("models:\n  - id: claude-haiku-4.5\n    exclude:\n      - requesty\n")
    routes = [d["litellm_params"]["model"] for d in yaml.safe_load(project.config.read_text())["model_list"]]
    assert routes == ["openrouter/anthropic/claude-haiku-4.5"]
    unknown = project.cli("add", "claude-sonnet-4.5", "--exclude", "requesti")
    assert unknown.returncode == 2 and "--exclude requesti: unknown provider" in unknown.stderr


def test_add_help_names_the_new_options(project: Project) -> None:
    text = project.cli("add", "--help").stdout
    assert all(option in text for option in ("--param K=V", "--pin K=V", "--exclude PROVIDER"))


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_a_bare_id_typo_suggests_bare_ids_and_cites_no_line(project: Project, dry_run: list[str]) -> None:
    before = project.snapshot_files()
    done = project.cli("add", "claude-haku-4.5", *dry_run)
    assert done.returncode == 2, done.stderr
    assert "error: add claude-haku-4.5: claude-haku-4.5 is sold by none of the providers" in done.stderr
    assert "did you mean claude-haiku-4.5? check with `python generate.py list --everywhere claude-haiku-4.5`" in (
        done.stderr
    )
    assert "preview" not in done.stderr and "overrides.yaml:" not in done.stderr and "models[" not in done.stderr
    assert project.snapshot_files() == before


def test_a_name_that_puts_another_model_into_a_group_warns(project: Project) -> None:
    other = project.cli("add", "openrouter:google/gemini-2.5-flash-lite", "--name", "claude-haiku-4.5", "--dry-run")
    assert other.returncode == 0, other.stderr
    assert (
        "warning: add openrouter:google/gemini-2.5-flash-lite --name claude-haiku-4.5: google/gemini-2.5-flash-lite "
        "is not claude-haiku-4.5, yet joins that load-balanced group" in other.stderr
    )
    close = project.cli("add", "openrouter:google/gemini-2.5-flash-lite", "--name", "gemini-2.5-flash", "--dry-run")
    assert "google/gemini-2.5-flash-lite is not gemini-2.5-flash" in close.stderr, "flash-lite is not flash"
    same = project.cli("add", "vercel:google/gemini-2.5-flash", "--name", "gemini-2.5-flash", "--dry-run")
    own = project.cli("add", "openrouter:google/gemini-2.5-flash-lite", "--name", "fast", "--dry-run")
    assert same.returncode == own.returncode == 0
    assert "yet joins" not in same.stderr + own.stderr


def test_a_second_deployment_of_a_model_under_another_name_is_added(project: Project) -> None:
    """The model is deployed already under its first name: the new name's deployment is what counts."""
    done = project.cli("add", "openrouter:anthropic/claude-sonnet-4.5", "--name", "sonnet-b")
    assert done.returncode == 0, done.stderr
    names = [d["model_name"] for d in yaml.safe_load(project.config.read_text())["model_list"]]
    assert "sonnet-b" in names and "claude-sonnet-4.5" in names
