"""The digest line lets an up-to-date --check skip rendering; it must never let a stale one pass.

Every input the output depends on, a hand edit of config.yaml and a change of the package each
either make --check fail or take it back to the full render (which then decides as before).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from modelsync.commands import quick_check
from modelsync.core.settings import Settings
from modelsync.outputs import said, stamp
from tests.helpers import ROOT, Project, openrouter_entry

HEAVY = ("yaml", "jinja2", "pydantic", "pydantic_core", "httpx", "deepdiff", "pydantic_settings")


def _fast(project: Project, *args: str) -> bool:
    """Whether the check is answered from the digest line alone (no render)."""
    return quick_check.run(["--check", *args, *project.path_args()], project.root) == 0


def _written(project: Project) -> Project:
    assert project.run("--offline", "-q") == 0
    assert _fast(project), "a freshly written config.yaml is answered from its digest line"
    return project


@pytest.fixture
def written(project: Project) -> Project:
    return _written(project)


def _imports(argv: list[str], cwd: Path) -> tuple[int, str, set[str]]:
    """Exit code, stdout and every module a real subprocess imported (from -X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *argv], capture_output=True, text=True, cwd=cwd)
    modules = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    return done.returncode, done.stdout, modules


# --- the fast path ------------------------------------------------------------------------


def test_an_up_to_date_check_imports_none_of_the_rendering_libraries(written: Project) -> None:
    code, out, modules = _imports([str(ROOT / "generate.py"), "--check", *written.path_args()], written.root)
    assert code == 0 and "is up to date (" in out
    assert not modules & set(HEAVY), f"the fast path imported {sorted(modules & set(HEAVY))}"
    assert "modelsync" in modules  # the probe does see our imports
    code, out, modules = _imports(
        [str(ROOT / "generate.py"), "check", "--report", "markdown", *written.path_args()], written.root
    )
    assert code == 0 and out.startswith("## config.yaml: no model or settings changes")
    assert not modules & set(HEAVY), "the Markdown report is replayed from the record beside config.yaml"


def test_the_digest_line_says_what_the_status_line_says(written: Project, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert written.run("--check") == 0
    fast = capsys.readouterr().out
    (written.cache / ".normalised").exists() and shutil.rmtree(written.cache / ".normalised")
    assert written.run("--check", "--report", "text", "--accept-held") == 0  # still fast: same line
    assert capsys.readouterr().out == fast
    lines = written.config.read_text().splitlines()
    written.config.write_text("\n".join(line for line in lines if not line.startswith(stamp.PREFIX)) + "\n")
    assert not _fast(written)
    assert written.run("--check") == 0
    assert capsys.readouterr().out == fast, "the full check and the digest line agree on the count"


def test_the_digest_line_sits_in_the_header_and_is_deterministic(written: Project) -> None:
    first = written.config.read_bytes()
    header = first.decode().split("\n\n")[0].splitlines()
    assert header[-1].startswith(stamp.PREFIX) and all(line.startswith("#") for line in header)
    written.config.unlink()
    assert written.run("--offline", "-q") == 0
    assert written.config.read_bytes() == first


# --- every input: a change makes --check fail ----------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def _reprice_cached_openrouter(project: Project, completion: str = "0.0000077") -> None:
    body = json.loads((project.cache / "openrouter.json").read_text())
    model = next(m for m in body["data"] if m["id"] == "anthropic/claude-haiku-4.5")
    assert model["pricing"]["completion"] != completion
    model["pricing"]["completion"] = completion
    (project.cache / "openrouter.json").write_text(json.dumps(body))


EDITS = {
    "a cached catalog document": _reprice_cached_openrouter,
    "overrides.yaml": lambda p: _edit(p.overrides, "rpm: 60", "rpm: 61"),
    "providers.yaml": lambda p: _edit(p.providers, "OPENROUTER_API_KEY", "OPENROUTER_KEY"),
    "the main template": lambda p: _edit(p.templates / "config.yaml.j2", "model_list:", "model_list:  "),
    "an included template": lambda p: _edit(p.templates / "header.yaml.j2", "do not edit", "never edit"),
    "config.yaml's body": lambda p: _edit(p.config, "rpm: 60", "rpm: 100"),
    "config.yaml's header": lambda p: _edit(p.config, "do not edit", "never edit"),
    "a comment added to config.yaml": lambda p: _edit(p.config, "\nmodel_list:", "\n# mine\nmodel_list:"),
    "config.yaml's body and digest line": lambda p: (
        _edit(p.config, "rpm: 60", "rpm: 100"),
        _edit(p.config, " sha256=", " sha256=0" + "0" * 63 + " old="),
    ),
}


@pytest.mark.parametrize("what", EDITS)
def test_a_change_to_any_input_or_to_the_file_fails_the_check(
    what: str, written: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    EDITS[what](written)
    assert not _fast(written)
    capsys.readouterr()
    assert written.run("--check") == 1
    captured = capsys.readouterr()
    assert "total: " in captured.out, "the report is printed"
    assert "is not what the inputs render" in captured.err


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        (lambda line: "", 0),  # deleted
        (lambda line: line[:-20] + "\n", 0),  # cut short
        (lambda line: line.replace("sha256=", "sha256=x"), 0),  # not hex
        (lambda line: line.replace("deployments=", "deployments=9"), 0),  # another count
        (lambda line: line[:-30] + "0" * 10 + line[-20:], 0),  # another digest
        (lambda line: line.replace("warnings=0", "warnings=1"), 0),  # its own figures count too
        (lambda line: line.replace("# digest", "#digest"), 1),  # no longer the digest line: a hand edit
    ],
    ids=["missing", "truncated", "garbled", "count", "digest", "warnings", "prefix"],
)
def test_a_missing_or_damaged_digest_line_means_the_full_check(
    damage: object, code: int, written: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """The line is no content: damaged, it only sends the check back to rendering and comparing the rest."""
    assert callable(damage)
    lines = written.config.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(stamp.PREFIX))
    lines[at] = damage(lines[at])
    written.config.write_text("".join(lines))
    assert not _fast(written)
    capsys.readouterr()
    assert written.run("--check") == code
    assert ("layout or comments differ" in capsys.readouterr().out) == bool(code)


def test_a_digest_line_moved_out_of_the_header_fails(written: Project) -> None:
    lines = written.config.read_text().splitlines(keepends=True)
    line = next(line for line in lines if line.startswith(stamp.PREFIX))
    written.config.write_text("".join(x for x in lines if x != line) + line)
    assert not _fast(written)
    assert written.run("--check") == 1


def test_catalog_metadata_and_the_memo_do_not_count(written: Project) -> None:
    """They are never read to render (the full check below agrees), so they leave the digest alone."""
    meta = written.cache / "openrouter.meta.json"
    meta.write_text('{"url": "https://example.invalid", "fetched_at": "2020-01-01T00:00:00+00:00"}\n')
    memo = written.cache / ".normalised" / "openrouter.json"
    memo.parent.mkdir(exist_ok=True)
    memo.write_text("{}")
    assert _fast(written)
    assert written.run("--check", "--report", "json") == 0


@pytest.mark.parametrize(
    "add",
    [
        lambda p: p.use_catalog("newcomer", {"data": [openrouter_entry("x/y")]}),
        lambda p: (p.templates / "extra.yaml.j2").write_text("# not included\n"),
    ],
    ids=["cached document", "template"],
)
def test_a_new_file_counts_even_if_unused(add: object, written: Project) -> None:
    assert callable(add)
    add(written)
    assert not _fast(written)
    assert written.run("--check") == 0, "it changes nothing: the full check passes"


def test_an_output_setting_in_the_environment_or_dotenv_counts(
    written: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELSYNC_MAX_PRICE_FACTOR", "3")
    assert not _fast(written)
    monkeypatch.delenv("MODELSYNC_MAX_PRICE_FACTOR")
    Path(".env").write_text("SOME_API_KEY=sk-never-hashed\n")  # the autouse fixture runs us in tmp_path
    assert _fast(written), "keys in .env are not part of the digest"
    Path(".env").write_text("export MODELSYNC_MAX_REMOVED_SHARE=0.5\n")
    assert not _fast(written)
    assert written.run("--check") == 0
    monkeypatch.setenv("MODELSYNC_READ_TIMEOUT", "5")
    Path(".env").unlink()
    assert _fast(written), "a network setting changes no output"


def test_every_setting_is_decided_on() -> None:
    """A new setting must be put in OUTPUT_SETTINGS (it can change output) or OTHER_SETTINGS."""
    assert {f.name for f in fields(Settings)} == set(stamp.OUTPUT_SETTINGS) | set(stamp.OTHER_SETTINGS)
    assert not set(stamp.OUTPUT_SETTINGS) & set(stamp.OTHER_SETTINGS)


def test_a_library_version_counts(written: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    real = stamp._libraries
    versions = dict(real())
    assert all(v != "?" for v in versions.values()), f"every library's version is found: {versions}"
    monkeypatch.setattr(stamp, "_libraries", lambda: ((k, "0.0" if "yaml" in k else v) for k, v in real()))
    assert not _fast(written)


# --- the package itself ---------------------------------------------------------------------


def _copy_package(tmp_path: Path) -> Path:
    home = tmp_path / "pkg"
    shutil.copytree(ROOT / "modelsync", home / "modelsync", ignore=shutil.ignore_patterns("__pycache__"))
    return home


def _run_copy(home: Path, project: Project, *args: str) -> tuple[int, str, set[str]]:
    entry = "import sys; from modelsync.cli import main; raise SystemExit(main(sys.argv[1:]))"
    return _imports(["-c", entry, *args, *project.path_args()], home)


def test_a_change_of_the_package_fails_or_renders(tmp_path: Path, project: Project) -> None:
    home = _copy_package(tmp_path)
    assert _run_copy(home, project, "--offline", "-q")[0] == 0
    code, _, modules = _run_copy(home, project, "--check")
    assert code == 0 and "jinja2" not in modules
    _edit(home / "modelsync" / "__init__.py", '__version__ = "', '__version__ = "9')
    code, _, modules = _run_copy(home, project, "--check")
    assert code == 0 and "jinja2" in modules, "a new version renders to compare, and the output is the same"
    # Code that writes every string quoted: the same inputs now render another file.
    _edit(home / "modelsync" / "outputs" / "render.py", 'PLAIN = re.compile(r"', 'PLAIN = re.compile(r"(?!)')
    code, out, modules = _run_copy(home, project, "--check")
    assert code == 1 and "layout or comments differ" in out


# --- what writing runs record ---------------------------------------------------------------


def test_a_new_digest_alone_is_written_without_a_backup_or_a_report(
    written: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    written.use_catalog("newcomer", {"data": []})
    before = written.config.read_text()
    capsys.readouterr()
    assert written.run("--offline") == 0
    assert "is up to date" in capsys.readouterr().out
    after = written.config.read_text()
    assert after != before and stamp.strip(after) == stamp.strip(before)
    assert not written.config.with_name("config.yaml.bak").exists()
    assert _fast(written)


def test_no_new_digest_after_held_changes_so_the_check_shows_them(
    written: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    before = written.config.read_text()
    _reprice_cached_openrouter(written, "0.05")  # a price moving more than tenfold is held for review
    assert written.run("--offline", "-q") == 4
    assert written.config.read_text() == before, "held, and nothing else changed: nothing written"
    assert not _fast(written), "the old line no longer holds: the cache changed"
    _edit(written.overrides, "rpm: 60", "rpm: 61")  # held, plus a change that is written
    assert written.run("--offline", "-q") == 4
    assert stamp.PREFIX not in written.config.read_text()
    capsys.readouterr()
    assert written.run("--check") == 0
    assert "held for review" in capsys.readouterr().out


def test_no_digest_when_the_previous_config_decided_a_retirement(project: Project) -> None:
    """Which named model is retired depends on config.yaml itself: only a full check proves it steady."""
    ids = [f"vendor/{n}" for n in "abcdefgh"]  # one of eight gone: under the shrink guard's share
    project.write_overrides({"models": [f"openrouter:{i}" for i in ids]})
    project.use_catalog("openrouter", {"data": [openrouter_entry(i) for i in ids]})
    project.use_catalog("openrouter.embeddings", {"data": []})
    _written(project)
    project.use_catalog("openrouter", {"data": [openrouter_entry(i) for i in ids if i != "vendor/b"]})
    assert project.run("--offline", "-q") == 0
    assert "retired: openrouter:vendor/b" in project.config.read_text()
    assert stamp.PREFIX not in project.config.read_text()
    assert project.run("--check", "-q") == 0, "the full check: the retirement is steady"


def test_warnings_are_said_again_by_the_fast_check(written: Project, capsys: pytest.CaptureFixture[str]) -> None:
    pinned = "  - id: openrouter:gone/model\n    pin: {input_cost_per_token: 1.0e-06, output_cost_per_token: 2.0e-06}\n"
    _edit(written.overrides, "models:\n", "models:\n" + pinned)
    assert written.run("--offline", "-q") == 0
    assert "warnings=1" in written.config.read_text()
    assert _fast(written) and _fast(written, "-q")
    capsys.readouterr()
    assert written.run("--check") == 0
    assert "kept because its costs are pinned" in capsys.readouterr().err
    said.path_of(written.config).unlink()
    assert not _fast(written), "without the record the warning is shown by rendering"
    assert _fast(written, "-q"), "quiet, there is nothing to say"


def test_inputs_that_change_during_a_run_get_no_digest(written: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    digests = iter(["a" * 64, "b" * 64])
    monkeypatch.setattr(stamp, "inputs_digest", lambda paths: next(digests))
    _edit(written.overrides, "rpm: 60", "rpm: 61")
    assert written.run("--offline", "-q") == 0
    assert "rpm: 61" in written.config.read_text() and stamp.PREFIX not in written.config.read_text()


# --- which command lines the fast path takes -------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["--check"],
        ["check"],
        ["check", "-q"],
        ["-v", "--check"],
        ["--check", "--accept-held", "--report", "text"],
        ["check", "--report=text", "--config", "c.yaml"],
    ],
)
def test_the_fast_parser_takes_only_what_the_full_one_reads_the_same(argv: list[str]) -> None:
    from modelsync.cli import parser

    fast = quick_check.parse(argv)
    assert fast is not None
    full = parser().parse_args(argv)
    for name, value in vars(fast).items():
        assert getattr(full, name) == value, name
    assert full.check


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--offline"],
        ["--check", "--offline"],
        ["--check", "--refresh"],
        ["--check", "--provider", "openrouter"],
        ["--check", "-q", "-v"],
        ["--check", "--rep", "text"],  # an abbreviation: the full parser decides what it means
        ["--check", "--help"],
        ["check", "--check"],
        ["-q", "check"],
        ["--check", "--config", "check"],
        ["list", "openrouter"],
        ["--check", "extra"],
    ],
)
def test_the_fast_parser_declines_everything_else(argv: list[str]) -> None:
    assert quick_check.parse(argv) is None
