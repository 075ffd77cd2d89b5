"""Serve the real LiteLLM proxy app over a real PostgreSQL: run with the LiteLLM venv's python.

`python tests/proxy_app.py PORT DATABASE_URL`, with PYTHONPATH holding the Prisma client generated
offline (tests/proxy_db.py) and this folder. The app is `litellm.proxy.proxy_server:app`; its
`prisma_client` is set before start-up, which then skips Prisma's own set-up and migrations.
"""

from __future__ import annotations

import sys
from typing import Any


def main(port: int, url: str) -> None:
    import uvicorn
    from litellm.proxy import proxy_server
    from litellm.proxy.utils import PrismaClient
    from prisma_adapter import Adapter

    client = PrismaClient(database_url=url, proxy_logging_obj=proxy_server.proxy_logging_obj)
    client.db = Adapter(url)  # type: ignore[assignment]

    async def nothing(*args: Any, **kwargs: Any) -> None:
        return None

    client.connect = nothing  # type: ignore[method-assign]
    client.disconnect = nothing  # type: ignore[method-assign]
    proxy_server.prisma_client = client
    uvicorn.run(proxy_server.app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
