"""A throwaway PostgreSQL holding LiteLLM's real schema, and the real proxy app served over it.

The schema comes from the SQL migrations `litellm-proxy-extras` ships (the version litellm
1.106.2 pins), applied in name order as `prisma migrate deploy` would. The cluster runs from
Debian's `postgresql` package on 127.0.0.1 at a free port, as `postgres` when the tests run as
root (initdb refuses root). The idea is the `dollars` branch's tests/litellm_db.py; the lead
unifies the two.

The proxy cannot reach Prisma's query engine here (it is downloaded at run time), so
tests/proxy_app.py starts the real `litellm.proxy.proxy_server:app` with a `PrismaClient` whose
`.db` is tests/prisma_adapter.py (tests/prisma_sql.py): prisma-client-py's table calls run as SQL on this cluster.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import unguarded
from tests.litellm_db import DATABASE, Cluster
from tests.litellm_proxy import VENV, free_port, litellm_executable, wait_alive

HERE = Path(__file__).resolve().parent
DB_REQUIREMENTS = HERE.parent / "requirements-litellm-db.txt"
START_TIMEOUT = 150.0


# --- the real proxy app over that database ------------------------------------------------------

PYTHON = VENV / "bin" / "python"


def _db_extras() -> None:
    """prisma and psycopg in the LiteLLM venv, beside litellm[proxy] (requirements-litellm-db.txt)."""
    litellm_executable()  # the pinned litellm itself, installed on first use
    stamp = VENV / "installed-db-from.txt"
    if stamp.exists() and stamp.read_text() == DB_REQUIREMENTS.read_text():
        return
    pip = [str(VENV / "bin" / "pip"), "install", "-q", "-r", str(DB_REQUIREMENTS)]
    # The registry is the one host the suite may reach, for this install.
    done = subprocess.run(
        pip, capture_output=True, text=True, timeout=900, check=False, env=unguarded(dict(os.environ))
    )
    if done.returncode:
        pytest.fail(f"could not install {DB_REQUIREMENTS.name} into {VENV}:\n{done.stderr[-3000:]}")
    stamp.write_text(DB_REQUIREMENTS.read_text())


def generate_client(into: Path) -> Path:
    """LiteLLM's Prisma client, generated offline into `into` (never into the venv): no engine is fetched.

    `prisma generate` needs only the schema; the engine paths point at a stub that fails if run.
    """
    _db_extras()
    schema = Path(str(resources.files("litellm_proxy_extras") / "schema.prisma")).read_text()
    out = into / "client"
    generator = f'provider = "prisma-client-py"\n  output = "{out / "prisma"}"'
    (into / "schema.prisma").write_text(schema.replace('provider = "prisma-client-py"', generator, 1))
    stub = into / "no-engine"
    stub.write_text("#!/bin/sh\necho 'the tests run no Prisma engine' >&2\nexit 1\n")
    stub.chmod(0o755)
    # Its first run fetches the Prisma CLI from the npm registry (no engine: the stubs stand in), so
    # the suite's network guard is off for it; Prisma's telemetry stays off.
    engines = {"PRISMA_QUERY_ENGINE_BINARY": str(stub), "PRISMA_SCHEMA_ENGINE_BINARY": str(stub)}
    env = {**unguarded(dict(os.environ)), **engines, "CHECKPOINT_DISABLE": "1"}
    env["PATH"] = f"{VENV / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    argv = [str(VENV / "bin" / "prisma"), "generate", "--schema", str(into / "schema.prisma")]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=into, timeout=600, check=False)
    if done.returncode:
        pytest.fail(f"prisma generate failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return out


@dataclass
class Proxy:
    """One proxy process (litellm.proxy.proxy_server:app under uvicorn) on the shared database."""

    url: str
    key: str
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start_proxy(cluster: Cluster, client: Path, home: Path, key: str, reload_seconds: int = 30) -> Proxy:
    """Start the real app on 127.0.0.1 over `cluster`, with store_model_in_db; wait until it answers.

    `reload_seconds`: how often it re-reads the model table (LiteLLM's default is 30).
    """
    port = free_port()
    config = home / "proxy-config.yaml"
    config.write_text("model_list: []\ngeneral_settings:\n  store_model_in_db: true\n")
    path = os.pathsep.join(filter(None, [str(client), str(HERE), os.environ.get("PYTHONPATH", "")]))
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "DATABASE_URL": cluster.url,
        "STORE_MODEL_IN_DB": "True",
        "CONFIG_FILE_PATH": str(config),
        "LITELLM_MASTER_KEY": key,
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "LITELLM_LOG": "ERROR",
        "PROXY_CONFIG_RELOAD_INTERVAL_SECONDS": str(reload_seconds),
    }
    log = home / f"proxy-{port}.log"
    with log.open("w") as out:
        argv = [str(PYTHON), str(HERE / "proxy_app.py"), str(port), cluster.url]
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=home)
    proxy = Proxy(f"http://127.0.0.1:{port}", key, process, log)
    _wait_alive(proxy)
    return proxy


def _wait_alive(proxy: Proxy) -> None:
    try:
        wait_alive(proxy.url, proxy.process, proxy.log, "the proxy", START_TIMEOUT)
    except BaseException:  # pytest.fail too: no proxy left running behind a failed start
        proxy.stop()
        raise


def master_key() -> str:
    """A long random key: 1.106.2 refuses known weak ones (sk-1234)."""
    return "sk-" + secrets.token_urlsafe(32)


@dataclass
class Fleet:
    """The database, the generated client and the proxy serving over them, as the tests use them."""

    cluster: Cluster
    client: Path
    home: Path
    key: str
    proxy: Proxy

    @property
    def url(self) -> str:
        return self.proxy.url

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One admin request with the master key, as a person at the proxy would make it."""
        headers = {"Authorization": f"Bearer {self.key}"}
        return httpx.request(method, f"{self.url}{path}", headers=headers, timeout=60, **kwargs)

    def models(self, url: str | None = None) -> list[dict[str, Any]]:
        """Every model the proxy serves, read as push reads them (/v2/model/info, one big page)."""
        reply = httpx.get(
            f"{url or self.url}/v2/model/info",
            params={"size": 5000},
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=60,
        )
        reply.raise_for_status()
        return list(reply.json()["data"])

    def table(self) -> list[tuple[str, str]]:
        """(model_id, model_name) of every row in LiteLLM_ProxyModelTable, read with SQL."""
        text = self.cluster.psql(DATABASE, 'SELECT model_id, model_name FROM "LiteLLM_ProxyModelTable" ORDER BY 1;')
        return [tuple(line.split("|", 1)) for line in text.splitlines() if line]  # type: ignore[misc]

    def empty(self) -> None:
        """Delete every database model through the API, so the proxy's router forgets them too."""
        for row in self.table():
            self.admin("POST", "/model/delete", json={"id": row[0]})
