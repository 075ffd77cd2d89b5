"""The README and docs/: every link leads somewhere, every command shown still parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from modelsync.cli import parser
from tests.helpers import ROOT, Project

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SHELL = re.compile(r"```(?:sh|bash|console)\n(.*?)```", re.S)
COMMAND = re.compile(r"^(?:\S*generate\.py|modelsync)$")


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(), flags=re.S)
    return {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}


def _links() -> list[tuple[Path, str]]:
    return [(page, target) for page in PAGES for target in LINK.findall(page.read_text())]


@pytest.mark.parametrize(("page", "target"), _links(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_link_leads_to_a_file_and_heading_that_exist(page: Path, target: str) -> None:
    if target.startswith(("http://", "https://", "mailto:")):
        return
    path, _, anchor = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    assert destination.exists(), f"{page.name}: link to {target}: no such file"
    if anchor and destination.suffix == ".md":
        assert anchor in _anchors(destination), f"{page.name}: link to {target}: no such heading"


def _commands() -> list[tuple[Path, str]]:
    found = []
    for page in PAGES:
        for block in SHELL.findall(page.read_text()):
            found += [(page, line) for line in block.splitlines() if "generate.py" in line or "modelsync" in line]
    return found


def _arguments(line: str) -> list[str] | None:
    """The arguments after the command's name, optional `[parts]` taken; None if no command is run."""
    words = shlex.split(line.replace("[", " ").replace("]", " "), comments=True)
    for start, word in enumerate(words):
        after = words[start - 1] if start else "&&"
        if COMMAND.match(word) and (after == "&&" or after.endswith(("python", "python3"))):
            rest = words[start + 1 :]
            return rest[: rest.index("&&")] if "&&" in rest else rest
    return None


def test_the_pages_show_commands() -> None:
    assert len([line for _, line in _commands() if _arguments(line) is not None]) >= 15


@pytest.mark.parametrize(("page", "line"), _commands(), ids=lambda v: v.name if isinstance(v, Path) else v)
def test_every_command_shown_still_parses(page: Path, line: str) -> None:
    arguments = _arguments(line)
    if arguments is None:
        return
    try:
        parser().parse_args(arguments)
    except SystemExit as exc:
        pytest.fail(f"{page.name}: `{line.strip()}` no longer parses (exit {exc.code})")


def test_the_readme_stays_a_five_minute_read() -> None:
    assert len((ROOT / "README.md").read_text().splitlines()) <= 200


def test_the_readme_dry_runs_work_on_the_example_project(project: Project) -> None:
    """A newcomer pastes them into this repository first: each must run, and change nothing."""
    readme = ROOT / "README.md"
    dry = [_arguments(line) for p, line in _commands() if p == readme and "--dry-run" in line]
    assert dry, "the README shows a dry run"
    before = project.snapshot_files()
    for arguments in dry:
        assert arguments is not None
        assert project.run(*arguments) == 0, arguments
    assert project.snapshot_files() == before
