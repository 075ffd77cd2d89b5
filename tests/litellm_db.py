"""A throwaway PostgreSQL cluster holding LiteLLM's real schema, and spend rows in the shapes LiteLLM writes.

The schema is built from the SQL migrations `litellm-proxy-extras` ships (the version litellm
1.106.2 pins), applied in name order, as LiteLLM's own `prisma migrate deploy` would. The cluster
runs from Debian's `postgresql` package, on 127.0.0.1 at a free port with password logins, as the
`postgres` user when the tests run as root (initdb refuses root).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

ROLE, PASSWORD, DATABASE = "litellm", "pg-test-pass-9f3c", "litellm"


def _bin_dir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def migrations() -> list[Path]:
    """LiteLLM's migrations in the order Prisma applies them: by folder name."""
    root = Path(str(resources.files("litellm_proxy_extras") / "migrations"))
    return sorted(root.glob("*/migration.sql"), key=lambda path: path.parent.name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    """Run a server command as `postgres` when we are root: initdb and postgres refuse root."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@dataclass
class Cluster:
    bin: Path
    home: Path
    port: int = field(default_factory=_free_port)

    @property
    def url(self) -> str:
        return f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def url_with(self, password: str = PASSWORD, database: str = DATABASE) -> str:
        return f"postgresql://{ROLE}:{password}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        data = self.home / "data"
        superuser = ["--username=postgres", "--auth-local=trust", "--auth-host=scram-sha-256"]
        self._run([str(self.bin / "initdb"), "-D", str(data), *superuser, "--no-sync", "-E", "UTF8"])
        options = f"-k {self.home} -c listen_addresses=127.0.0.1 -p {self.port} -F"
        self._run(
            [str(self.bin / "pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(self.home / "log"), "start"]
        )
        self.psql(
            "postgres", f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'; CREATE DATABASE {DATABASE} OWNER {ROLE};"
        )
        self.psql("postgres", f"CREATE DATABASE other OWNER {ROLE};")  # a database with no LiteLLM tables

    def stop(self) -> None:
        """Stop the server; if pg_ctl cannot, end the postmaster by the pid it wrote."""
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.home / "data"), "-m", "immediate", "stop"], check=False)
        pid_file = self.home / "data" / "postmaster.pid"
        if pid_file.exists():
            with suppress(ProcessLookupError, ValueError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGQUIT)

    def apply_schema(self) -> None:
        for path in migrations():
            self.psql(DATABASE, path.read_text(), role=ROLE)

    def psql(self, database: str, sql: str, role: str = "postgres") -> str:
        argv = [str(self.bin / "psql"), "-q", "-X", "-v", "ON_ERROR_STOP=1", "-h", str(self.home)]
        argv += ["-p", str(self.port), "-U", role, "-d", database, "-At", "-f", "-"]
        done = subprocess.run(
            _as_owner(argv), input=sql, capture_output=True, text=True, check=False, cwd=self.home
        )  # cwd: a test's tmp_path is closed to the postgres user
        if done.returncode:
            raise RuntimeError(f"psql failed: {done.stderr[-2000:]}")
        return done.stdout

    def _run(self, argv: list[str], check: bool = True) -> None:
        done = subprocess.run(_as_owner(argv), capture_output=True, text=True, check=False, cwd=self.home)
        if check and done.returncode:
            raise RuntimeError(f"{argv[0]} failed: {done.stderr[-2000:]}")


@contextmanager
def running_cluster() -> Iterator[Cluster]:
    """A fresh cluster with LiteLLM's schema; removed with everything in it at the end."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install -y postgresql; .ci/run does it)")
    home = Path(tempfile.mkdtemp(prefix="modelsync-usage-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    cluster = Cluster(bin_dir, home)
    try:
        cluster.start()
        cluster.apply_schema()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(home, ignore_errors=True)


# --- rows in the shapes LiteLLM 1.106.2 writes (proxy/spend_tracking/spend_tracking_utils.py) --------


@dataclass(frozen=True)
class Request:
    """One request as the proxy logs it; the tokens are what the provider's usage said."""

    model_group: str
    provider: str  # custom_llm_provider
    model: str  # the model as sent, without the provider's prefix (openrouter's `anthropic/...`)
    api_base: str
    start: datetime
    prompt: int
    completion: int
    cache_read: int = 0
    cache_write: int = 0
    reasoning: int = 0
    spend: float = 0.0
    model_id: str = "hash-of-params-v1"
    status: str = "success"
    cache_hit: bool = False
    anthropic_usage: bool = False  # cache counts at the top of usage (Anthropic) rather than in the details


def _usage_object(r: Request) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "prompt_tokens": r.prompt,
        "completion_tokens": r.completion,
        "total_tokens": r.prompt + r.completion,
        "completion_tokens_details": {"reasoning_tokens": r.reasoning, "audio_tokens": None},
        "prompt_tokens_details": {"cached_tokens": r.cache_read, "audio_tokens": None},
    }
    if r.anthropic_usage:
        usage |= {"cache_read_input_tokens": r.cache_read, "cache_creation_input_tokens": r.cache_write}
    elif r.cache_write:
        usage["prompt_tokens_details"]["cache_write_tokens"] = r.cache_write
    return usage


def _metadata(r: Request, n: int) -> dict[str, Any]:
    """What LiteLLM keeps in the row's metadata: who asked (never to leave the database), usage, costs."""
    return {
        "user_api_key": f"hashed-key-{n % 7}",
        "user_api_key_alias": "ci-bot",
        "user_api_key_user_id": "alice@example.com",
        "user_api_key_team_alias": "research",
        "model_map_information": {"model_map_key": r.model},
        "usage_object": None if r.status == "failure" else _usage_object(r),
        "cost_breakdown": {"input_cost": r.spend * 0.4, "output_cost": r.spend * 0.6, "total_cost": r.spend},
        "status": r.status,
        "error_information": {"error_message": "upstream 503"} if r.status == "failure" else None,
    }


COLUMNS = (
    'request_id, call_type, api_key, spend, total_tokens, prompt_tokens, completion_tokens, "startTime", "endTime", '
    'model, model_id, model_group, custom_llm_provider, api_base, "user", metadata, cache_hit, team_id, end_user, '
    "messages, response, status"
)


def _values(r: Request, n: int) -> str:
    failed = r.status == "failure"
    prompt, completion = (0, 0) if failed else (r.prompt, r.completion)
    meta = json.dumps(_metadata(r, n)).replace("'", "''")
    when = r.start.strftime("%Y-%m-%d %H:%M:%S")
    request_id = f"req-{n}" + ("_cache_hit" if r.cache_hit else "")
    return (
        f"('{request_id}', 'acompletion', 'hashed-key-{n % 7}', {0 if failed or r.cache_hit else r.spend}, "
        f"{prompt + completion}, {prompt}, {completion}, '{when}', '{when}', '{r.model}', '{r.model_id}', "
        f"'{r.model_group}', '{r.provider}', '{r.api_base}', 'alice@example.com', '{meta}', "
        f"'{r.cache_hit}', 'team-research', 'end-user-42', "
        '\'[{"role": "user", "content": "secret plans"}]\', \'{}\', '
        f"'{r.status}')"
    )


def insert(cluster: Cluster, requests: Sequence[Request], first: int = 0) -> None:
    """Write the requests as LiteLLM's spend writer would, in one transaction; ids count from `first`."""
    rows = ",\n".join(_values(r, n) for n, r in enumerate(requests, start=first))
    cluster.psql(DATABASE, f'INSERT INTO "LiteLLM_SpendLogs" ({COLUMNS}) VALUES {rows};', role=ROLE)


def clear(cluster: Cluster) -> None:
    cluster.psql(DATABASE, 'TRUNCATE "LiteLLM_SpendLogs";', role=ROLE)
