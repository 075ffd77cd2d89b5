"""Ctrl-C during a hung fetch: a real subprocess, a real SIGINT, a server on 127.0.0.1 that never answers."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.helpers import ROOT, Project, guarded

HOSTS = re.compile(r"https://[a-z0-9.-]+(?=/)")


@contextmanager
def never_answers() -> Iterator[str]:
    """A port that takes connections (the kernel's backlog) and never says a word back."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_ctrl_c_during_a_hung_fetch_stops_at_once_with_130_and_changes_nothing(project: Project) -> None:
    with never_answers() as base:
        project.providers.write_text(HOSTS.sub(base, project.providers.read_text()))
        before = project.snapshot_files()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "generate.py"), "--refresh", "-v", *project.path_args()],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=guarded({"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"}),  # default timeouts: 30 s read, 90 s total
            # Run from a background job without job control (`.ci/run &`), SIGINT arrives ignored,
            # Python then keeps it ignored, and the run would wait out its timeouts: as at a terminal.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert process.stderr is not None
        started = []
        for line in process.stderr:  # wait until the fetches are under way, hanging
            started.append(line)
            if "fetching" in line:
                break
        time.sleep(0.5)
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        err = process.communicate(timeout=60)[1]
        took = time.monotonic() - sent
    err = "".join(started) + err
    assert process.returncode == 130, err
    assert took < 5, f"stopped {took:.1f} s after Ctrl-C"  # it was ~90 s: the thread pool waited for its threads
    assert "interrupted" in err and "Traceback" not in err
    assert "timed out" not in err, "no misleading line: nothing timed out, the user stopped it"
    assert "openrouter: from cache" not in err
    assert project.snapshot_files() == before
    assert not list(project.root.rglob("*.tmp"))
