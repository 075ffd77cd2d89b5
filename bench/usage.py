#!/usr/bin/env python3
"""Print how fast usage is read and priced, each figure beside its target, measured in this run.

    python bench/usage.py        # about a minute: starts a throwaway PostgreSQL with LiteLLM's schema

Figures, not assertions. Times are medians of three runs; memory is tracemalloc's peak.
"""

from __future__ import annotations

import csv
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from modelsync.usage.csv_export import read_csv  # noqa: E402
from modelsync.usage.impact import price_changes  # noqa: E402
from modelsync.usage.postgres import read_database  # noqa: E402
from modelsync.usage.record import Day, Tokens, Usage  # noqa: E402
from tests.litellm_db import DATABASE, ROLE, Cluster, running_cluster  # noqa: E402

DEPLOYMENTS, DAYS = 1_000, 30
FILL = """
INSERT INTO "LiteLLM_SpendLogs" (request_id, call_type, api_key, spend, total_tokens, prompt_tokens,
    completion_tokens, "startTime", "endTime", model, model_id, model_group, custom_llm_provider, api_base,
    metadata, cache_hit, status)
SELECT 'r{batch}-' || g, 'acompletion', 'hashed', 0.001, 1200, 1000, 200,
       now() - ((g::bigint * 7919) % (86400 * {days})) * interval '1 second', now(),
       'vendor/model-' || (g % {n}), 'id-' || (g % 7),
       'group-' || (g % {n}), 'openrouter', 'https://openrouter.ai/api/v1',
       jsonb_build_object('user_api_key_alias', 'ci', 'usage_object', jsonb_build_object(
           'prompt_tokens', 1000, 'completion_tokens', 200,
           'prompt_tokens_details', jsonb_build_object('cached_tokens', g % 500),
           'completion_tokens_details', jsonb_build_object('reasoning_tokens', g % 50))),
       CASE WHEN g % 53 = 0 THEN 'True' ELSE 'False' END, CASE WHEN g % 41 = 0 THEN 'failure' ELSE 'success' END
FROM generate_series(1, {rows}) g;
VACUUM ANALYZE "LiteLLM_SpendLogs";
"""


def median_time(action: Callable[[], object], runs: int = 3) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def peak_memory(action: Callable[[], object]) -> float:
    """MiB at the peak of `action`, by tracemalloc."""
    tracemalloc.start()
    action()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def line(what: str, figure: str, target: str) -> None:
    print(f"{what:<58} {figure:>12}   target {target}")


def database(cluster: Cluster) -> None:
    end = datetime.now(UTC).date() + timedelta(days=1)
    start = end - timedelta(days=DAYS)
    read = lambda: read_database(cluster.url, start, end)  # noqa: E731
    filled = 0
    for rows in (100_000, 900_000):
        cluster.psql(DATABASE, FILL.format(batch=filled, rows=rows, n=DEPLOYMENTS, days=DAYS), role=ROLE)
        filled += rows
        seconds, usage = median_time(read), read()
        keys = len(usage.totals())
        line(f"database: {filled:,} rows, {keys:,} deployments, aggregate", f"{seconds:.2f} s", "≤ 2 s at 1,000,000")
        line(f"database: {filled:,} rows, peak memory", f"{peak_memory(read):.1f} MiB", "flat in the row count")


def export(folder: Path) -> None:
    for rows in (10_000, 100_000):
        path = folder / f"export-{rows}.csv"
        _write_csv(path, rows)
        read = lambda path=path: read_csv(path, DAYS)  # type: ignore[misc]  # noqa: E731
        line(f"CSV export: {rows:,} rows, read", f"{median_time(read):.2f} s", "≤ 1 s at 100,000")
        line(f"CSV export: {rows:,} rows, peak memory", f"{peak_memory(read):.1f} MiB", "flat in the row count")


def _write_csv(path: Path, rows: int) -> None:
    header = "date,entity_id,entity_alias,api_key,key_alias,user_id,user_email,model,spend,flat_cost,prompt_tokens,"
    header += "completion_tokens,api_requests,successful_requests,failed_requests,cache_read_input_tokens,"
    header += "cache_creation_input_tokens"
    first = date(2026, 1, 1)
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header.split(","))
        for n in range(rows):
            day = first + timedelta(days=n % 90)
            writer.writerow(
                [
                    day,
                    f"u{n % 50}",
                    "",
                    "hash",
                    "",
                    f"u{n % 50}",
                    "",
                    f"vendor/model-{n % DEPLOYMENTS}",
                    0.01,
                    0,
                    1000,
                    200,
                    3,
                    3,
                    0,
                    300,
                    10,
                ]
            )


def pricing() -> None:
    """Price 1,000 changed deployments at 30 days of usage each: what the report adds."""
    rng = random.Random(7)
    keys = [(f"group-{n}", f"openrouter/vendor/model-{n}", "") for n in range(DEPLOYMENTS)]
    first = date(2026, 1, 1)
    days = tuple(
        Day(key, first + timedelta(days=d), Tokens(40, 40_000, 8_000, 10_000, 500, 300, 0.4))
        for key in keys
        for d in range(DAYS)
    )
    usage = Usage("bench", first, first + timedelta(days=DAYS), days)
    old = {key: _body(rng.uniform(1e-7, 1e-5)) for key in keys}
    new = {key: _body(float(old[key]["litellm_params"]["input_cost_per_token"]) * 1.25) for key in keys}
    changes = [("openrouter", "~", key) for key in keys]
    seconds = median_time(lambda: price_changes(usage, changes, old, new))
    line(f"pricing {DEPLOYMENTS:,} changes at {len(days):,} deployment-days", f"{seconds:.3f} s", "≤ 0.05 s")


def _body(price: float) -> dict[str, Any]:
    params = {
        "input_cost_per_token": price,
        "output_cost_per_token": price * 4,
        "cache_read_input_token_cost": price / 10,
    }
    return {"litellm_params": params}


def main() -> None:
    print(f"python {sys.version.split()[0]}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    pricing()
    with tempfile.TemporaryDirectory() as folder:
        export(Path(folder))
    with running_cluster() as cluster:
        database(cluster)


if __name__ == "__main__":
    main()
