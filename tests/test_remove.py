"""`remove PROVIDER:ID | NAME` undoes `add`: every comment, the order and the line endings stay."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from modelsync.commands.overrides_edit import append_item, remove_items
from tests.helpers import ROOT, Project

FILE = Path("overrides.yaml")
BLOCK = """\
models:
  - x:y  # a
  # about z
  - id: x:z
    params:
      rpm: 1  # r
  # about w

  - x:w
# end
entries: []
"""


@pytest.mark.parametrize(
    ("indexes", "expected"),
    [
        ([0], BLOCK.replace("  - x:y  # a\n", "")),
        ([1], BLOCK.replace("  - id: x:z\n    params:\n      rpm: 1  # r\n", "")),
        ([2], BLOCK.replace("  - x:w\n", "")),
        ([0, 2], BLOCK.replace("  - x:y  # a\n", "").replace("  - x:w\n", "")),
        (
            [0, 1, 2],
            "models: []\n  # about z\n  # about w\n\n# end\nentries: []\n",
        ),
    ],
)
def test_remove_drops_the_items_lines_and_keeps_every_comment(indexes: list[int], expected: str) -> None:
    assert remove_items(BLOCK, FILE, "models", indexes) == expected


@pytest.mark.parametrize(
    ("text", "indexes", "expected"),
    [
        ("models: [x:y, 'x:z', x:w]  # three\n", [1], "models: [x:y, x:w]  # three\n"),
        ("models: [x:y]  # one\nentries: []\n", [0], "models: []  # one\nentries: []\n"),
        ("models:  # mine\r\n  - x:y\r\n  - x:z\r\n", [0, 1], "models: []  # mine\r\n"),
        ('"models":\r\n  - "x:y"\r\n  - \'x:z\'\r\n', [0], "\"models\":\r\n  - 'x:z'\r\n"),
    ],
)
def test_remove_from_flow_lists_quoted_keys_and_crlf_files(text: str, indexes: list[int], expected: str) -> None:
    assert remove_items(text, FILE, "models", indexes) == expected


def test_remove_undoes_add_byte_for_byte(project: Project) -> None:
    for text in (project.overrides.read_text(), project.overrides.read_text().replace("\n", "\r\n")):
        project.overrides.write_bytes(text.encode())
        assert project.run("--offline", "-q") == 0
        config = project.config.read_bytes()
        assert project.run("add", "openrouter:google/gemini-2.5-pro-preview", "--name", "pro", "-q") == 0
        assert project.overrides.read_bytes() != text.encode()
        assert project.run("remove", "openrouter:google/gemini-2.5-pro-preview", "-q") == 0
        assert project.overrides.read_bytes() == text.encode()
        assert project.config.read_bytes() == config


def test_remove_a_group_by_name(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.overrides.read_text()
    assert project.run("remove", "claude-haiku-4.5") == 0
    after = project.overrides.read_text()
    group = "  - claude-haiku-4.5\n"  # a bare id: the model on every provider that sells it
    assert group in before and after == before.replace(group, "")
    out = capsys.readouterr().out
    assert out.count("- claude-haiku-4.5 (") == 6 and "removed claude-haiku-4.5 from " in out
    names = {d["model_name"] for d in yaml.safe_load(project.config.read_text())["model_list"]}
    assert "claude-haiku-4.5" not in names and "gemini-2.5-flash" in names
    assert project.run("--check", "-q") == 0


def test_remove_by_default_name_and_hand_written_entries(project: Project) -> None:
    # No `name:`: the provider's naming rule gives it, as config.yaml shows it.
    assert project.run("remove", "gemini/gemini-embedding-001", "-q") == 0
    assert "gemini:gemini-embedding-001" not in project.overrides.read_text()
    assert project.run("remove", "az-gpt-4o", "-q") == 0
    overrides = yaml.safe_load(project.overrides.read_text())
    assert overrides["entries"] == []
    assert "az-gpt-4o" not in project.config.read_text()


def test_remove_one_name_of_a_model(project: Project) -> None:
    project.write_overrides(
        "models:\n  - id: openrouter:openai/gpt-4o-mini\n    name: a\n"
        "  - id: openrouter:openai/gpt-4o-mini\n    name: b\n"
    )
    assert project.run("--offline", "-q") == 0
    assert project.run("remove", "openrouter:openai/gpt-4o-mini", "--name", "a", "-q") == 0
    assert project.overrides.read_text() == "models:\n  - id: openrouter:openai/gpt-4o-mini\n    name: b\n"


def test_remove_dry_run_writes_nothing(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    before = project.snapshot_files()
    assert project.run("remove", "gpt-4o-mini", "--dry-run") == 0
    assert project.snapshot_files() == before
    out = capsys.readouterr().out
    assert "- gpt-4o-mini (nano-gpt/gpt-4o-mini)" in out and "would remove gpt-4o-mini from " in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["openrouter:google/gemini-2.5-flash-lite"],
            "it is selected by providers.openrouter.include 'google/gemini-2.5-*': add "
            "'google/gemini-2.5-flash-lite' to providers.openrouter.exclude",
        ),
        (["claude-haiku-4.6"], "has no such model — close matches: claude-haiku-4.5"),
        (["openrouter:anthropic/claude-sonnet-4.5", "--name", "other"], "is there under the names claude-sonnet-4.5"),
        (["claude-haiku-4.5", "--name", "x"], "--name picks one entry of a PROVIDER:ID"),
    ],
)
def test_remove_what_is_not_there_says_why(
    project: Project, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    before = project.snapshot_files()
    assert project.run("remove", *args) == 2
    assert message in capsys.readouterr().err
    assert project.snapshot_files() == before


def test_ruamel_yaml_loads_only_for_add_and_remove(project: Project) -> None:
    probe = "import sys; from modelsync.cli import main; main(sys.argv[1:]); print('ruamel.yaml' in sys.modules)"

    def loads_ruamel(*args: str) -> bool:
        done = subprocess.run(
            [sys.executable, "-c", probe, *args, *project.path_args()],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        return done.stdout.splitlines()[-1] == "True"

    assert not loads_ruamel("--check", "-q")
    assert not loads_ruamel("--offline", "-q")
    assert not loads_ruamel("list", "openrouter")
    assert loads_ruamel("remove", "gpt-4o-mini", "--dry-run", "-q")


ITEMS = st.lists(
    st.tuples(
        st.sampled_from(["x:a", "x:b/c", "'x:q'", '"x:dq"']),
        st.booleans(),  # with a name
        st.sampled_from(["", "  # inline"]),
        st.sampled_from(["", "# above\n", "\n", "# one\n\n# two\n"]),  # lines before the item
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None)
@given(items=ITEMS, indent=st.sampled_from(["", "  ", "    "]), newline=st.sampled_from(["\n", "\r\n"]), data=st.data())
def test_add_then_remove_gives_back_the_same_bytes(
    items: list[tuple[str, bool, str, str]], indent: str, newline: str, data: st.DataObject
) -> None:
    """Any block list, any comments, LF or CRLF: remove undoes add byte for byte, and drops only its item."""
    body = ""
    for index, (value, named, inline, before) in enumerate(items):
        body += "".join(f"{indent}{line}\n" if line else "\n" for line in before.splitlines())
        if named:
            body += f"{indent}- id: {value}{inline}\n{indent}  name: n{index}\n"
        else:
            body += f"{indent}- {value}{inline}\n"
    text = f"# head\nproviders: {{}}\nmodels:\n{body}# tail\nentries: []\n".replace("\n", newline)
    added = append_item(text, FILE, "models", "openrouter:new/model")
    assert yaml.safe_load(added)["models"][-1] == "openrouter:new/model"
    assert remove_items(added, FILE, "models", [len(items)]) == text
    gone = data.draw(st.integers(0, len(items) - 1))
    removed = remove_items(text, FILE, "models", [gone])
    before = yaml.safe_load(text)["models"]
    assert yaml.safe_load(removed)["models"] == before[:gone] + before[gone + 1 :]
    comments = [line for line in text.splitlines() if line.strip().startswith("#")]
    assert [line for line in removed.splitlines() if line.strip().startswith("#")] == comments


def test_add_and_remove_say_when_config_yaml_had_changes_of_its_own(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    assert project.run("remove", "gpt-4o-mini", "-q") == 0
    assert "was not what" not in capsys.readouterr().err, "a clean config.yaml: no warning"
    project.config.write_text(project.config.read_text().replace("rpm: 60", "rpm: 100"))
    assert project.run("add", "openrouter:openai/gpt-4o-mini", "--dry-run") == 0
    captured = capsys.readouterr()
    assert "rpm: 100 → 60" in captured.out
    assert "project/config.yaml was not what project/overrides.yaml rendered before this edit" in captured.err
    assert project.run("add", "openrouter:openai/gpt-4o-mini") == 0
    assert "(project/config.yaml.bak keeps the old file)" in capsys.readouterr().err
    assert "rpm: 100" in (project.root / "config.yaml.bak").read_text()


def test_removing_one_member_of_a_group_offers_the_exclude_to_write(project: Project) -> None:
    before = project.snapshot_files()
    done = project.cli("remove", "requesty:anthropic/claude-haiku-4-5")
    assert done.returncode == 2 and "no such model" not in done.stderr
    assert "requesty:anthropic/claude-haiku-4-5 is requesty's member of the group claude-haiku-4.5" in done.stderr
    assert "write `exclude: [requesty]` in that entry" in done.stderr
    assert "the whole group, `python generate.py remove claude-haiku-4.5`" in done.stderr
    assert project.snapshot_files() == before
    # The advice, followed, does what was asked: requesty's member goes, the rest of the group stays.
    excluded = "  - id: claude-haiku-4.5\n    exclude: [requesty]\n"
    project.write_overrides(project.overrides.read_text().replace("  - claude-haiku-4.5\n", excluded))
    assert project.cli("--offline").returncode == 0
    model_list = yaml.safe_load(project.config.read_text())["model_list"]
    routes = [d["litellm_params"]["model"] for d in model_list if d["model_name"] == "claude-haiku-4.5"]
    assert "openai/anthropic/claude-haiku-4-5" not in routes and "anthropic/claude-haiku-4-5-20251001" in routes


def test_remove_says_nothing_about_the_line_it_deletes(project: Project) -> None:
    typo = "  - id: openrouter:google/gemini-2.5-flash-lite\n    params: {rmp: 5}\n"
    project.write_overrides(project.overrides.read_text().replace("  - gemini:gemini-embedding-001\n", typo))
    assert "'rmp' is not a key" in project.cli("--offline").stderr
    done = project.cli("remove", "openrouter:google/gemini-2.5-flash-lite")
    assert done.returncode == 0, done.stderr
    assert "rmp" not in done.stderr and "gemini-2.5-flash-lite" not in done.stderr, done.stderr


def test_two_entries_that_each_stop_the_run_go_together(project: Project) -> None:
    """Two models their catalog dropped, and no config.yaml that served them: each stops the run the
    other's removal would make, so `remove` takes both at once, and says so when given one."""
    project.config.unlink()
    project.write_overrides(
        {
            "providers": {"openrouter": {}},
            "models": ["openrouter:gone/one", "openrouter:gone/two", "openrouter:anthropic/claude-haiku-4.5"],
        }
    )
    assert project.cli("--offline").returncode == 2
    before = project.snapshot_files()
    one = project.cli("remove", "openrouter:gone/one")
    assert one.returncode == 2, one.stderr
    assert "gone/two" in one.stderr and "remove them together" in one.stderr and "nothing was removed" in one.stderr
    assert project.snapshot_files() == before
    both = project.cli("remove", "openrouter:gone/one", "openrouter:gone/two")
    assert both.returncode == 0, both.stderr
    assert "gone/" not in project.overrides.read_text()
    assert project.cli("--offline").returncode == 0
