"""An up-to-date --check says, from the record beside config.yaml, exactly what the full check says.

Every report form and volume, on several days (the clock frozen): the check answered from the
digest line and its record, and the same check made to render (its digest line taken out), print
the same bytes on stdout and stderr with the same exit code. Today's phrase (`in 25 days`) is
the check's own, never the writing run's.
"""

from __future__ import annotations

import logging
import shutil
from datetime import date
from pathlib import Path

import pytest

from modelsync.commands import quick_check
from modelsync.core import clock
from modelsync.outputs import said, stamp
from tests.helpers import Project, openrouter_entry

WRITTEN_ON = date(2026, 12, 6)
# (the day of the check, what it says of an end on 2026-12-31)
DAYS = [(WRITTEN_ON, "(in 25 days)"), (date(2026, 12, 30), "(in 1 day)"), (date(2027, 1, 2), "(2 days ago)")]
FORMS = [[], ["-q"], ["--report", "markdown"], ["--report", "json"], ["-q", "--report", "markdown"], ["--report=text"]]


def _frozen(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


def _warned(project: Project) -> Project:
    """A config whose check warns: an end date, a deprecation, a key LiteLLM nearly knows, a skipped model."""
    catalog = [
        openrouter_entry("vendor/ending", expiration_date="2026-12-31"),
        openrouter_entry("vendor/steady"),
        openrouter_entry("vendor/variable", prompt="-1", completion="-1"),
    ]
    project.use_catalog("openrouter", {"data": catalog})
    project.use_catalog("openrouter.embeddings", {"data": []})
    project.write_overrides(
        {
            "providers": {"openrouter": {"include": ["vendor/*"], "exclude": ["vendor/steady"]}},
            "models": [{"id": "openrouter:vendor/steady", "params": {"rmp": 60}}],
        }
    )
    assert project.run("--offline", "-q") == 0
    return project


@pytest.fixture
def warned(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    _frozen(monkeypatch, WRITTEN_ON)
    return _warned(project)


def _said(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = project.run("--check", *args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _fast(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> bool:
    taken = quick_check.run(["--check", *args, *project.path_args()], project.root) == 0
    capsys.readouterr()
    return taken


def _rendered(project: Project, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The full check: config.yaml without its digest line for the while, so nothing can answer but rendering."""
    written = project.config.read_text()
    project.config.write_text("".join(line for line in written.splitlines(True) if not line.startswith(stamp.PREFIX)))
    try:
        assert not _fast(project, capsys, *args)
        return _said(project, capsys, *args)
    finally:
        project.config.write_text(written)


@pytest.mark.parametrize(("day", "phrase"), DAYS, ids=[str(d) for d, _ in DAYS])
@pytest.mark.parametrize("form", FORMS, ids=lambda f: " ".join(f) or "default")
def test_the_fast_check_says_the_same_bytes_as_the_full_one(
    form: list[str],
    day: date,
    phrase: str,
    warned: Project,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _frozen(monkeypatch, day)
    assert _fast(warned, capsys, *form), "answered from the digest line and its record"
    fast = _said(warned, capsys, *form)
    full = _rendered(warned, capsys, *form)
    assert fast == full
    if "-q" not in form:
        assert f"says it ends 2026-12-31 {phrase}" in fast[2], "today's phrase, not the writing run's"
        assert "'rmp' is not a key LiteLLM knows" in fast[2] and str(warned.overrides) in fast[2]


def test_every_form_is_answered_without_the_rendering_libraries(warned: Project) -> None:
    from tests.test_stamp import HEAVY, ROOT, _imports

    for form in FORMS:
        argv = [str(ROOT / "generate.py"), "--check", *form, *warned.path_args()]
        code, _, modules = _imports(argv, warned.root)
        assert code == 0 and not modules & set(HEAVY), (form, sorted(modules & set(HEAVY)))


def test_the_record_is_the_same_wherever_the_project_lives(
    warned: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning names overrides.yaml by its absolute path: recorded as a place, filled in by each check."""
    elsewhere = Project(tmp_path / "elsewhere")
    shutil.copytree(warned.root, elsewhere.root)
    assert elsewhere.run("--offline", "-q") == 0
    for name in ("config.yaml", "config.yaml.check.json"):
        assert (elsewhere.root / name).read_bytes() == (warned.root / name).read_bytes()
    assert str(warned.overrides) not in said.path_of(warned.config).read_text()
    assert _fast(elsewhere, capsys)
    fast = _said(elsewhere, capsys)
    assert str(elsewhere.overrides) in fast[2] and fast == _rendered(elsewhere, capsys)


def test_a_changed_or_missing_record_means_rendering(warned: Project, capsys: pytest.CaptureFixture[str]) -> None:
    record = said.path_of(warned.config)
    truth = _said(warned, capsys, "--report", "markdown")
    record.write_text(record.read_text().replace("ends 2026-12-31", "ends 2099-01-01"))
    assert not _fast(warned, capsys, "--report", "markdown")
    assert _said(warned, capsys, "--report", "markdown") == truth
    record.unlink()
    assert not _fast(warned, capsys) and not _fast(warned, capsys, "--report", "json")
    assert _fast(warned, capsys, "-q"), "quiet and in text, a check says nothing the digest line does not know"
    assert warned.run("--offline", "-q") == 0 and record.exists(), "the next writing run puts it back"


def test_a_run_that_changes_nothing_but_the_day_writes_nothing(
    warned: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = {p: p.read_bytes() for p in (warned.config, said.path_of(warned.config))}
    _frozen(monkeypatch, date(2027, 3, 1))
    assert warned.run("--offline", "-q") == 0
    assert {p: p.read_bytes() for p in before} == before


def test_no_record_and_no_digest_where_the_output_hangs_on_the_old_config(project: Project) -> None:
    """Held changes or retirements: no digest line, so no record either (a stale one is removed)."""
    _warned(project)
    project.use_catalog("openrouter", {"data": [openrouter_entry("vendor/ending", expiration_date="2026-12-31")]})
    assert project.run("--offline", "-q", "--accept-held") == 0  # one model of two: the shrink guard holds it
    assert "retired: openrouter:vendor/steady" in project.config.read_text()
    assert stamp.PREFIX not in project.config.read_text() and not said.path_of(project.config).exists()


# --- no secret in the record -----------------------------------------------------------------


def test_a_warning_is_recorded_masked_and_a_text_masking_would_change_is_not_recorded(project: Project) -> None:
    log = logging.getLogger("modelsync")
    with said.listening(project.paths) as heard:
        log.warning("cannot reach postgresql://spend:hunter2@db.internal/litellm")
    text = said.record(heard, {"markdown": "fine\n"}, project.config)
    assert text is not None and "hunter2" not in text and "postgresql://spend:[masked]@db.internal" in text
    assert said.record(heard, {"markdown": "postgresql://user:hunter2@db/x\n"}, project.config) is None
    with said.listening(project.paths) as heard:  # masked once, a Bearer value would be masked again when
        log.warning("401 to Bearer sk-or-v1-0123456789abcdef0123456789abcdef")  # replayed: not recorded
    assert said.record(heard, {}, project.config) is None


def test_a_date_phrase_is_written_for_the_day_it_is_read() -> None:
    assert [clock.phrase("2026-12-31", day) for day, _ in DAYS] == [f" {phrase}" for _, phrase in DAYS]
    assert clock.phrase("deprecated", WRITTEN_ON) == "" and str(clock.Until("2026-02-30")) == ""


def test_a_new_project_is_told_how_to_start_by_either_check(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    project.config.unlink()  # a new project: nothing to shrink from
    project.write_overrides({"providers": {}})
    assert project.run("--offline", "-q") == 0
    for form in ([], ["--report", "json"]):
        assert _fast(project, capsys, *form)
        fast = _said(project, capsys, *form)
        assert "selects no model yet" in fast[1] + fast[2] and fast == _rendered(project, capsys, *form)
