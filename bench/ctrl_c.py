"""How long Ctrl-C takes to stop a run whose fetches hang: `python bench/ctrl_c.py [REPO]`.

Points every provider at a port on 127.0.0.1 that accepts connections and never answers, starts
`generate.py --refresh` from REPO (default: this checkout), sends SIGINT once fetching is under
way, and prints the exit code and the seconds from the signal to the exit.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from tests.helpers import make_project  # noqa: E402


def main() -> int:
    repo = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    with socket.socket() as server, tempfile.TemporaryDirectory() as folder:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        base = f"http://127.0.0.1:{server.getsockname()[1]}"
        project = make_project(Path(folder))
        project.providers.write_text(re.sub(r"https://[a-z0-9.-]+(?=/)", base, project.providers.read_text()))
        process = subprocess.Popen(
            [sys.executable, str(repo / "generate.py"), "--refresh", "-v", *project.path_args()],
            cwd=project.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONUNBUFFERED": "1"},
        )
        assert process.stderr is not None
        while "fetching" not in process.stderr.readline():
            pass
        time.sleep(1.0)  # every fetch is hanging by now
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        err = process.communicate(timeout=600)[1]
        took = time.monotonic() - sent
    timed_out = "timed out" in err
    print(f"exit {process.returncode}, {took:.2f} s after SIGINT; 'timed out' printed: {timed_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
