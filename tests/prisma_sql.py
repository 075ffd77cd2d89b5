"""prisma-client-py's table calls, run as SQL (psycopg 3) on a real PostgreSQL holding LiteLLM's schema.

Runs inside the proxy's process (the LiteLLM venv), as `PrismaClient.db`. It knows the calls the
proxy makes on the model endpoints and at start-up; any other call fails loudly (`Unknown`), so
a test never passes through a branch taken on a silent empty answer.

Where it differs from Prisma's engine, on purpose:
- defaults Prisma fills in the client (`@default(uuid())`, `@default(cuid())`, `@updatedAt`) have
  no SQL default in the migrations: a NOT NULL column without one, left out of a create, gets a
  uuid4 (text) or now() (timestamps) here;
- a unique violation raises prisma's `UniqueViolationError` with psycopg's message, not Prisma's
  `{"meta": {"target": [...]}}` payload;
- relations (`include`, nested writes) are not supported: they raise `Unknown`.
"""

from __future__ import annotations

import datetime
import json
import threading
import uuid
from typing import Any

import prisma.errors
import prisma.fields
import prisma.models
import psycopg
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb

OPERATORS = {"equals": "=", "not": "<>", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class Unknown(NotImplementedError):
    """A prisma call this adapter does not run: add it, never answer it with nothing."""


class Column:
    def __init__(self, name: str, data_type: str, nullable: bool, default: str | None) -> None:
        self.name, self.data_type, self.nullable, self.default = name, data_type, nullable, default


class Database:
    """One autocommit connection, used by one event loop: calls run one at a time under a lock."""

    def __init__(self, url: str, columns: dict[str, dict[str, Column]] | None = None) -> None:
        self.connection = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        self.lock = threading.RLock()
        self.columns = columns or self._columns()

    def _columns(self) -> dict[str, dict[str, Column]]:
        rows = self.run(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public'"
        )
        found: dict[str, dict[str, Column]] = {}
        for row in rows:
            column = Column(row["column_name"], row["data_type"], row["is_nullable"] == "YES", row["column_default"])
            found.setdefault(row["table_name"], {})[column.name] = column
        return found

    def run(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self.lock:
            try:
                cursor = self.connection.execute(sql.encode(), params)
            except psycopg.errors.UniqueViolation as exc:
                raise prisma.errors.UniqueViolationError({"user_facing_error": {"message": str(exc)}}) from exc
            return cursor.fetchall() if cursor.description else [{"__rowcount__": cursor.rowcount}]


class Table:
    """`db.<model lower>`: find_unique/first/many, count, create, update, upsert, delete and their many forms."""

    def __init__(self, database: Database, model: str) -> None:
        self.database, self.model = database, model
        if model not in database.columns:
            raise Unknown(f"no table {model!r} in the database")
        self.columns = database.columns[model]

    # --- reads ---------------------------------------------------------------------------------
    async def find_unique(self, where: dict[str, Any], include: Any = None, **rest: Any) -> Any:
        found = await self.find_many(where=where, include=include, take=1, **rest)
        return found[0] if found else None

    async def find_unique_or_raise(self, where: dict[str, Any], include: Any = None) -> Any:
        found = await self.find_unique(where, include)
        if found is None:
            raise prisma.errors.RecordNotFoundError({"user_facing_error": {"message": f"no {self.model} row"}})
        return found

    async def find_first(self, where: dict[str, Any] | None = None, **rest: Any) -> Any:
        found = await self.find_many(where=where, take=1, **rest)
        return found[0] if found else None

    async def find_many(
        self,
        where: dict[str, Any] | None = None,
        include: Any = None,
        take: int | None = None,
        skip: int | None = None,
        order: Any = None,
        distinct: Any = None,
        cursor: Any = None,
    ) -> list[Any]:
        if distinct or cursor:
            raise Unknown(f"{self.model}.find_many with distinct/cursor ({distinct!r}, {cursor!r})")
        clause, params = self._where(where or {})
        sql = f'SELECT * FROM "{self.model}" WHERE {clause}{self._order(order)}'
        if take is not None:
            sql += f" LIMIT {int(take)}"
        if skip:
            sql += f" OFFSET {int(skip)}"
        rows = self.database.run(sql, params)
        if include and rows:  # relations are read only from empty tables: nothing to include then
            raise Unknown(f"{self.model}.find_many including {sorted(include)} on {len(rows)} row(s)")
        return [self._record(row) for row in rows]

    async def count(self, where: dict[str, Any] | None = None, **rest: Any) -> int:
        if rest:
            raise Unknown(f"{self.model}.count with {sorted(rest)}")
        clause, params = self._where(where or {})
        return int(self.database.run(f'SELECT count(*) AS n FROM "{self.model}" WHERE {clause}', params)[0]["n"])

    # --- writes --------------------------------------------------------------------------------
    async def create(self, data: dict[str, Any], include: Any = None) -> Any:
        if include:
            raise Unknown(f"{self.model}.create with include")
        values = self._filled(self._values(data))
        names = ", ".join(f'"{name}"' for name in values)
        marks = ", ".join(["%s"] * len(values))
        sql = f'INSERT INTO "{self.model}" ({names}) VALUES ({marks}) RETURNING *'
        return self._record(self.database.run(sql, list(values.values()))[0])

    async def create_many(self, data: list[dict[str, Any]], skip_duplicates: bool = False) -> int:
        for item in data:
            try:
                await self.create(item)
            except prisma.errors.UniqueViolationError:
                if not skip_duplicates:
                    raise
        return len(data)

    async def update(self, where: dict[str, Any], data: dict[str, Any], include: Any = None) -> Any:
        if include:
            raise Unknown(f"{self.model}.update with include")
        updated = self._update(where, data, returning=True)
        return self._record(updated[0]) if updated else None

    async def update_many(self, where: dict[str, Any], data: dict[str, Any]) -> int:
        return int(self._update(where, data, returning=False)[0]["__rowcount__"])

    async def upsert(self, where: dict[str, Any], data: dict[str, Any], include: Any = None) -> Any:
        existing = await self.find_unique(where)
        if existing is None:
            return await self.create({**data["create"]})
        return await self.update(where, data["update"])

    async def delete(self, where: dict[str, Any], include: Any = None) -> Any:
        clause, params = self._where(where)
        deleted = self.database.run(f'DELETE FROM "{self.model}" WHERE {clause} RETURNING *', params)
        return self._record(deleted[0]) if deleted else None

    async def delete_many(self, where: dict[str, Any] | None = None) -> int:
        clause, params = self._where(where or {})
        return int(self.database.run(f'DELETE FROM "{self.model}" WHERE {clause}', params)[0]["__rowcount__"])

    # --- SQL -----------------------------------------------------------------------------------
    def _update(self, where: dict[str, Any], data: dict[str, Any], returning: bool) -> list[dict[str, Any]]:
        values = self._values(data)
        if "updated_at" in self.columns and "updated_at" not in values:  # Prisma's @updatedAt
            values["updated_at"] = datetime.datetime.now(datetime.UTC)
        sets = ", ".join(f'"{name}" = %s' for name in values)
        clause, params = self._where(where)
        sql = f'UPDATE "{self.model}" SET {sets} WHERE {clause}' + (" RETURNING *" if returning else "")
        return self.database.run(sql, [*values.values(), *params])

    def _values(self, data: dict[str, Any]) -> dict[str, Any]:
        values = {}
        for name, value in data.items():
            column = self._column(name)
            if isinstance(value, dict) and column.data_type != "jsonb":
                if set(value) == {"set"}:
                    value = value["set"]
                elif set(value) == {"increment"}:
                    raise Unknown(f"{self.model}.{name}: increment")
                else:
                    raise Unknown(f"{self.model}.{name}: nested write {sorted(value)}")
            values[name] = self._to_sql(column, value)
        return values

    def _filled(self, values: dict[str, Any]) -> dict[str, Any]:
        """Prisma's client-side defaults, which the migrations' SQL does not hold (see the module note)."""
        for column in self.columns.values():
            if column.name in values or column.nullable or column.default is not None:
                continue
            if column.data_type == "text":
                values[column.name] = str(uuid.uuid4())
            elif column.data_type.startswith("timestamp"):
                values[column.name] = datetime.datetime.now(datetime.UTC)
        return values

    def _to_sql(self, column: Column, value: Any) -> Any:
        if column.data_type == "jsonb":
            if isinstance(value, prisma.fields.Json):
                value = value.data
            elif isinstance(value, str):
                value = json.loads(value)
            return None if value is None else Jsonb(value)
        return value

    def _column(self, name: str) -> Column:
        if name not in self.columns:
            raise Unknown(f"{self.model} has no column {name!r} (a relation?)")
        return self.columns[name]

    def _where(self, where: dict[str, Any]) -> tuple[str, list[Any]]:
        parts: list[str] = []
        params: list[Any] = []
        for key, value in where.items():
            clause, more = self._condition(key, value)
            parts.append(clause)
            params += more
        return (" AND ".join(parts) or "TRUE"), params

    def _condition(self, key: str, value: Any) -> tuple[str, list[Any]]:
        if key in ("AND", "OR"):
            pairs = [self._where(item) for item in (value if isinstance(value, list) else [value])]
            joined = f" {key} ".join(f"({clause})" for clause, _ in pairs) or ("TRUE" if key == "AND" else "FALSE")
            return f"({joined})", [p for _, params in pairs for p in params]
        if key == "NOT":
            clause, params = self._where(value)
            return f"NOT ({clause})", params
        column = self._column(key)
        if not isinstance(value, dict) or (column.data_type == "jsonb" and "equals" not in value):
            if value is None:
                return f'"{key}" IS NULL', []
            return f'"{key}" = %s', [self._to_sql(column, value)]
        return self._operators(column, value)

    def _operators(self, column: Column, ops: dict[str, Any]) -> tuple[str, list[Any]]:
        parts, params = [], []
        name = f'"{column.name}"'
        for op, value in ops.items():
            if op in OPERATORS and value is None:
                parts.append(f"{name} IS {'NOT ' if op == 'not' else ''}NULL")
            elif op in OPERATORS:
                parts.append(f"{name} {OPERATORS[op]} %s")
                params.append(self._to_sql(column, value))
            elif op in ("in", "not_in"):
                parts.append(f"{'NOT ' if op == 'not_in' else ''}({name} = ANY(%s))")
                params.append(list(value))
            elif op in ("contains", "startswith", "endswith") and column.data_type == "text":
                pattern = {"contains": "%{}%", "startswith": "{}%", "endswith": "%{}"}[op]
                parts.append(f"{name} LIKE %s")
                params.append(pattern.format(value))
            elif op == "has" and column.data_type == "ARRAY":
                parts.append(f"%s = ANY({name})")
                params.append(value)
            elif op == "mode":
                continue
            else:
                raise Unknown(f"{self.model} where {column.name}: operator {op!r}")
        return "(" + (" AND ".join(parts) or "TRUE") + ")", params

    def _order(self, order: Any) -> str:
        if not order:
            return ""
        items = order if isinstance(order, list) else [order]
        terms = []
        for item in items:
            for name, direction in item.items():
                self._column(name)
                terms.append(f'"{name}" {"DESC" if str(direction).lower() == "desc" else "ASC"}')
        return " ORDER BY " + ", ".join(terms)

    def _record(self, row: dict[str, Any]) -> Any:
        """The row as the generated prisma model, as the real engine would return it."""
        model = getattr(prisma.models, self.model)
        for name, column in self.columns.items():  # the engine hands Json columns over as JSON text
            if column.data_type == "jsonb" and row.get(name) is not None:
                row[name] = json.dumps(row[name])
        return model.model_validate(row)
