"""Usage sources against the real thing: LiteLLM's schema in a real PostgreSQL, and the export's CSV."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from modelsync.core.errors import GenerateError
from modelsync.usage import snapshot
from modelsync.usage.csv_export import read_csv
from modelsync.usage.postgres import read_database
from modelsync.usage.record import Key, Tokens
from tests.litellm_db import PASSWORD, Cluster, Request, clear, insert

DAY = datetime(2026, 11, 20, 14, 30)
START, END = date(2026, 11, 1), date(2026, 12, 1)
HAIKU = ("claude-haiku-4.5", "openrouter/anthropic/claude-haiku-4.5", "https://openrouter.ai/api/v1")
NANO = ("gpt-5.1", "openai/gpt-5.1", "https://nano-gpt.com/api/v1")
DIRECT = ("gpt-5.1", "openai/gpt-5.1", "https://api.openai.com/v1")


def haiku(when: datetime, prompt: int, completion: int, **more: Any) -> Request:
    return Request(HAIKU[0], "openrouter", "anthropic/claude-haiku-4.5", HAIKU[2], when, prompt, completion, **more)


def gpt(key: Key, when: datetime, prompt: int, completion: int, **more: Any) -> Request:
    return Request(key[0], "openai", "gpt-5.1", key[2], when, prompt, completion, **more)


def spend_rows() -> list[Request]:
    """A week of a small proxy: cache reads and writes, reasoning, failures, cache hits, two hosts, a new id."""
    rows = []
    for n in range(7):
        when = DAY + timedelta(days=n)
        model_id = "hash-v1" if n < 3 else "hash-v2"  # a price refresh on day 3 gave the deployment a new id
        rows += [
            haiku(
                when, 1000, 200, cache_read=600, cache_write=100, spend=0.002, model_id=model_id, anthropic_usage=True
            ),
            gpt(NANO, when, 500, 300, reasoning=120, spend=0.001),
            gpt(DIRECT, when, 400, 100, cache_read=300, spend=0.0005),
            gpt(NANO, when, 999, 999, status="failure"),
            haiku(when, 1000, 200, cache_hit=True, spend=0.002),
        ]
    rows.append(haiku(DAY - timedelta(days=40), 10**6, 10**6, spend=5.0))  # outside the window
    return rows


@pytest.fixture
def filled(litellm_database: Cluster) -> Iterator[Cluster]:
    insert(litellm_database, spend_rows())
    yield litellm_database
    clear(litellm_database)


def test_database_sums_each_deployment_in_sql(filled: Cluster) -> None:
    usage = read_database(filled.url, START, END)
    totals = usage.totals()
    assert set(totals) == {HAIKU, NANO, DIRECT}  # two hosts of one route stay two; the new model_id joins
    assert totals[HAIKU] == Tokens(7, 7000, 1400, 4200, 700, 0, pytest.approx(0.014))  # type: ignore[arg-type]
    assert totals[NANO] == Tokens(7, 3500, 2100, 0, 0, 840, pytest.approx(0.007))  # type: ignore[arg-type]
    assert totals[DIRECT].cache_read == 2100
    assert len(usage.days) == 21 and usage.window_days == 30
    assert PASSWORD not in usage.source and "[masked]" in usage.source


def test_snapshot_keeps_tokens_and_nothing_about_who(filled: Cluster, tmp_path: Path) -> None:
    usage = read_database(filled.url, START, END)
    path = tmp_path / "usage.json"
    snapshot.write(path, usage)
    text = path.read_text()
    for private in ("alice", "hashed-key", "ci-bot", "research", "end-user", "secret plans", PASSWORD):
        assert private not in text
    assert snapshot.read(path).totals() == usage.totals()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("wrong-password", "password authentication failed"),
        ("no-table", "has no LiteLLM_SpendLogs table: it is not a LiteLLM database"),
        ("closed-port", "cannot connect"),
    ],
)
def test_database_faults_are_sentences_with_the_url_masked(litellm_database: Cluster, url: str, says: str) -> None:
    target = {
        "wrong-password": litellm_database.url_with(password="not-the-password-123"),
        "no-table": litellm_database.url_with(database="other"),
        "closed-port": f"postgresql://litellm:{PASSWORD}@127.0.0.1:1/litellm",
    }[url]
    with pytest.raises(GenerateError, match="—") as raised:
        read_database(target, START, END)
    message = str(raised.value)
    assert says in message and "—" in message
    assert PASSWORD not in message and "not-the-password-123" not in message


EXPORT_HEADER = (
    "date,entity_id,entity_alias,api_key,key_alias,user_id,user_email,model,spend,flat_cost,prompt_tokens,"
    "completion_tokens,api_requests,successful_requests,failed_requests,cache_read_input_tokens,"
    "cache_creation_input_tokens"
)


def test_csv_export_sums_per_model_and_day(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    lines = [EXPORT_HEADER]
    lines += [
        f"2026-11-{d:02d},u1,alice,sk-hash,ci-bot,u1,alice@example.com,anthropic/claude-haiku-4.5,0.5,0,1000,200,4,3,1,600,100"
        for d in (10, 11)
    ]
    lines.append("2026-11-11,u2,bob,sk-hash2,,u2,bob@example.com,anthropic/claude-haiku-4.5,0.25,0,10,20,1,1,0,0,0")
    path.write_text("\n".join(lines) + "\n")
    usage = read_csv(path, 30)
    assert usage.totals() == {("anthropic/claude-haiku-4.5", "", ""): Tokens(7, 2010, 420, 1200, 200, 0, 1.25)}
    assert (usage.start, usage.end) == (date(2026, 11, 10), date(2026, 11, 12))


def test_csv_with_other_columns_names_the_file_and_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("date,model,spend\n2026-11-10,x,1\n")
    with pytest.raises(GenerateError, match=r"export\.csv:1: not the admin UI's daily activity export: no column "):
        read_csv(path, 30)
