"""Usage from LiteLLM's own PostgreSQL: `LiteLLM_SpendLogs`, aggregated in SQL, never row by row.

psycopg is imported here alone, so no other path pays for it. The connection string is a secret:
every message names it masked.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from ..core.errors import GenerateError
from ..core.secrets import mask_text, redact_url
from .record import Day, Tokens, Usage

# A prompt's cache counts sit in metadata.usage_object: at its top (Anthropic's shape, as LiteLLM
# keeps it) or in prompt_tokens_details (OpenAI's). Cache hits of LiteLLM's own response cache and
# failed requests reach no provider: they are counted apart, never billed.
_USAGE = "metadata->'usage_object'"
_NUMBER = "COALESCE(({0})::numeric, 0)"  # numeric: LiteLLM writes some counts as 12.0
CACHE_READ = _NUMBER.format(
    f"COALESCE({_USAGE}->>'cache_read_input_tokens', {_USAGE}->'prompt_tokens_details'->>'cached_tokens')"
)
CACHE_WRITE = _NUMBER.format(
    f"COALESCE({_USAGE}->>'cache_creation_input_tokens', {_USAGE}->'prompt_tokens_details'->>'cache_write_tokens',"
    f" {_USAGE}->'prompt_tokens_details'->>'cache_creation_tokens')"
)
REASONING = _NUMBER.format(f"{_USAGE}->'completion_tokens_details'->>'reasoning_tokens'")
QUERY = f"""
SELECT model_group, custom_llm_provider, model, api_base, ("startTime")::date AS day,
       count(*), sum(prompt_tokens), sum(completion_tokens),
       sum({CACHE_READ})::bigint, sum({CACHE_WRITE})::bigint, sum({REASONING})::bigint, sum(spend)
FROM "LiteLLM_SpendLogs"
WHERE "startTime" >= %(start)s AND "startTime" < %(end)s
  AND COALESCE(status, 'success') <> 'failure' AND COALESCE(cache_hit, '') NOT IN ('True', 'true')
GROUP BY 1, 2, 3, 4, 5
"""
# Postgres guesses a group per row, so it would sort a million rows to disk; a deployment-day is
# a small hash table. Set for this read-only transaction alone; JIT costs more than it saves here.
PLAN = "SET LOCAL enable_sort = off; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"


def read_database(url: str, start: date, end: date, name: str = "") -> Usage:
    """The usage LiteLLM recorded in [start, end), per deployment and day."""
    try:
        import psycopg
    except ImportError:
        raise GenerateError(
            "usage.database needs psycopg, which is not installed",
            "pip install 'modelsync[usage]' (or psycopg[binary])",
        ) from None

    source = f"LiteLLM database {redact_url(url)}" + (f" (from {name})" if name else "")
    bounds = {"start": datetime.combine(start, time()), "end": datetime.combine(end, time())}
    try:
        with psycopg.connect(url, connect_timeout=10) as connection:
            connection.execute(PLAN)
            rows = connection.execute(QUERY, bounds).fetchall()
    except psycopg.errors.UndefinedTable:
        raise GenerateError(
            f"{source} has no LiteLLM_SpendLogs table: it is not a LiteLLM database",
            "point usage.database at the database the proxy's DATABASE_URL names",
        ) from None
    except psycopg.OperationalError as exc:
        raise GenerateError(f"{source}: cannot connect ({_reason(exc)})", _fix(exc)) from None
    return Usage(source, start, end, tuple(_day(row) for row in rows))


def _day(row: tuple[Any, ...]) -> Day:
    group, provider, model, api_base = (str(value or "") for value in row[:4])
    return Day((group, route_of(provider, model), api_base), row[4], Tokens(*row[5:]))  # counts are bigint


def route_of(provider: str, model: str) -> str:
    """The route config.yaml wrote (`openrouter/anthropic/x`) from what the row keeps apart."""
    if not provider or model.startswith(f"{provider}/"):
        return model
    return f"{provider}/{model}"


def _reason(exc: Exception) -> str:
    """The driver's words on one line, after its last `failed:`, any credential they quote masked."""
    words = " ".join(str(exc).split()).rpartition("failed: ")[2] or "no reason given"
    return mask_text(words.replace("FATAL: ", ""))[:300]


def _fix(exc: Exception) -> str:
    text = str(exc)
    if "password authentication failed" in text:
        return "check the user and password in the variable usage.database names"
    if "does not exist" in text:
        return "check the database name in the variable usage.database names"
    return "check that the database is running and reachable from here, and the host and port in its URL"
