"""`PrismaClient.db` for the proxy under test: tables by prisma's instance names, raw SQL, transactions.

See tests/prisma_sql.py for how the table calls run, and where they differ from Prisma's engine.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import prisma.metadata
from prisma_sql import Database, Table, Unknown


def _raw(query: str, args: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """Prisma's `$1` placeholders as psycopg's `%s`, args in the order they appear."""
    order: list[Any] = []

    def placeholder(match: re.Match[str]) -> str:
        order.append(args[int(match.group(1)) - 1])
        return "%s"

    return re.sub(r"\$(\d+)", placeholder, query.replace("%", "%%")), order


class Adapter:
    """Stands in for `PrismaClient.db`: tables by prisma's instance names, raw SQL, transactions."""

    def __init__(self, url: str, database: Database | None = None) -> None:
        self._url = url
        self._database = database or Database(url)
        self._tables = {name.lower(): name for name in prisma.metadata.PRISMA_MODELS if name in self._database.columns}

    def __getattr__(self, name: str) -> Any:
        if name in self._tables:
            table = Table(self._database, self._tables[name])
            setattr(self, name, table)
            return table
        raise Unknown(f"PrismaClient.db.{name}")

    def is_connected(self) -> bool:
        return True

    async def connect(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def disconnect(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def query_raw(self, query: str, *args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        sql, params = _raw(query, args)
        rows = self._database.run(sql, params)
        return [] if rows and "__rowcount__" in rows[0] else rows

    async def query_first(self, query: str, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        rows = await self.query_raw(query, *args)
        return rows[0] if rows else None

    async def execute_raw(self, query: str, *args: Any, **kwargs: Any) -> int:
        sql, params = _raw(query, args)
        rows = self._database.run(sql, params)
        return int(rows[0].get("__rowcount__", len(rows))) if rows else 0

    @asynccontextmanager
    async def tx(self, *args: Any, **kwargs: Any) -> AsyncIterator[Adapter]:
        """An interactive transaction on a connection of its own, as Prisma's engine gives one: the
        proxy's other work (its periodic reload) goes on beside it, not inside it."""
        database = Database(self._url, self._database.columns)
        try:
            with database.connection.transaction():
                yield Adapter(self._url, database)
        finally:
            database.connection.close()
