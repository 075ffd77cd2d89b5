from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from tests.helpers import Project, make_project
from tests.litellm_db import Cluster, running_cluster


class YamlSnapshot(SingleFileSnapshotExtension):
    """One reviewable .yaml file per snapshot."""

    file_extension = "yaml"
    _write_mode = WriteMode.TEXT


class TextSnapshot(SingleFileSnapshotExtension):
    """One reviewable .txt file per snapshot (reports, error messages)."""

    file_extension = "txt"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def yaml_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(YamlSnapshot)


@pytest.fixture
def text_snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    return snapshot.use_extension(TextSnapshot)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's .env, settings or keys, or writes outside tmp_path."""
    monkeypatch.chdir(tmp_path)
    # main() points the logger at stderr; undo that so caplog sees every test's warnings.
    logger = logging.getLogger("modelsync")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(logger, "propagate", True)
    logger.setLevel(logging.NOTSET)  # not setattr: setLevel also clears the logger's cache of what is enabled
    for name in list(os.environ):
        if name.startswith("MODELSYNC_") or name.endswith("_API_KEY"):
            monkeypatch.delenv(name)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path)


@pytest.fixture(scope="session")
def litellm_database() -> Iterator[Cluster]:
    """A real PostgreSQL with LiteLLM's schema, for the whole session; removed at the end."""
    with running_cluster() as cluster:
        yield cluster
