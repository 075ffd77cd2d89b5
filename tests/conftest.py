from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from tests.helpers import Project, guarded, make_project
from tests.litellm_db import Cluster, running_cluster
from tests.netguard import sitecustomize as netguard
from tests.proxy_db import Fleet


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


@pytest.fixture(scope="session", autouse=True)
def loopback_only(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reaches past this machine: this process and every Python it starts refuse other hosts."""
    log = tmp_path_factory.mktemp("netguard") / "refused.log"
    log.touch()
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", netguard.NETLOG)}
    os.environ[netguard.NETLOG] = str(log)
    os.environ.update(guarded(dict(os.environ)))  # every child Python imports the guard too
    netguard.install()
    yield log
    netguard.uninstall()
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    late = sorted(set(log.read_text(encoding="utf-8").split()[1::2]))
    assert not late, (
        f"a fixture tried to reach {', '.join(late)} after the last test (the suite reaches only 127.0.0.1)"
    )


@pytest.fixture(autouse=True)
def reaches_only_loopback(loopback_only: Path) -> Iterator[None]:
    """A test that tried another host fails, naming it, even where the code under test shrugged it off.

    The whole log is read and emptied after each test, so what a module's fixture tried while
    being set up for this test is this test's failure too.
    """
    yield
    refused = loopback_only.read_text(encoding="utf-8").split()
    loopback_only.write_text("", encoding="utf-8")
    hosts = ", ".join(sorted(set(refused[1::2])))
    assert not refused, f"this test or its fixtures tried to reach {hosts} (the suite reaches only 127.0.0.1)"


@pytest.fixture
def refused_hosts(loopback_only: Path) -> Iterator[Callable[[], list[str]]]:
    """For a test of the guard itself: the hosts refused so far, forgiven when the test ends."""
    before = loopback_only.stat().st_size
    yield lambda: loopback_only.read_text(encoding="utf-8")[before:].split()[1::2]
    with loopback_only.open("r+", encoding="utf-8") as log:
        log.truncate(before)


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


@pytest.fixture(scope="session")
def fleet_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """A real PostgreSQL with LiteLLM's schema, LiteLLM's Prisma client generated offline, and one
    real proxy app serving over them; shared by every test that pushes (starting one takes ~30 s)."""
    from tests.proxy_db import Fleet, generate_client, master_key, start_proxy

    with running_cluster() as cluster:
        home = tmp_path_factory.mktemp("fleet")
        client = generate_client(home)
        key = master_key()
        proxy = start_proxy(cluster, client, home, key)
        try:
            yield Fleet(cluster, client, home, key, proxy)
        finally:
            proxy.stop()


@pytest.fixture
def fleet(fleet_db: Fleet, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    """The shared proxy, its key in LITELLM_MASTER_KEY, and its model table emptied after the test."""
    monkeypatch.setenv("LITELLM_MASTER_KEY", fleet_db.key)
    yield fleet_db
    fleet_db.empty()
