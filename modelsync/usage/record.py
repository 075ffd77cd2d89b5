"""The usage record every source produces: tokens per dimension, per deployment key, per day."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields
from datetime import date

Key = tuple[str, str, str]  # (model_name, route, api_base): the identity config.yaml's deployments have
DAYS_PER_MONTH = 30.0  # a "month" in every dollar figure: the window's usage scaled to 30 days


@dataclass(frozen=True)
class Tokens:
    """Requests and tokens by dimension, and what LiteLLM billed for them.

    `input` is the whole prompt as LiteLLM counts it (`prompt_tokens`), cache reads and writes
    included; `output` the whole completion, reasoning included.
    """

    requests: int = 0
    input: int = 0
    output: int = 0
    cache_read: int = 0
    cache_write: int = 0
    reasoning: int = 0
    billed: float = 0.0  # USD, LiteLLM's `spend`

    def __add__(self, other: Tokens) -> Tokens:
        return Tokens(
            self.requests + other.requests,
            self.input + other.input,
            self.output + other.output,
            self.cache_read + other.cache_read,
            self.cache_write + other.cache_write,
            self.reasoning + other.reasoning,
            self.billed + other.billed,
        )

    def split(self, n: int) -> Tokens:
        """One of `n` even shares (tokens rounded), for usage several deployments may have served."""
        shares = {f.name: round(getattr(self, f.name) / n) for f in fields(self) if f.name != "billed"}
        return Tokens(**shares, billed=self.billed / n)

    def as_dict(self) -> dict[str, int | float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def total(many: list[Tokens]) -> Tokens:
    """The sum of many, in one pass per dimension."""
    if len(many) == 1:
        return many[0]
    return Tokens(
        sum(t.requests for t in many),
        sum(t.input for t in many),
        sum(t.output for t in many),
        sum(t.cache_read for t in many),
        sum(t.cache_write for t in many),
        sum(t.reasoning for t in many),
        sum(t.billed for t in many),
    )


@dataclass(frozen=True)
class Day:
    """One deployment's usage on one day."""

    key: Key
    day: date
    tokens: Tokens


@dataclass(frozen=True)
class Usage:
    """What a source says the proxy served over a window of days, [start, end)."""

    source: str  # named for people, secrets masked: "LiteLLM database postgresql://u:[masked]@db/x"
    start: date
    end: date
    days: tuple[Day, ...]

    @property
    def window_days(self) -> int:
        return max((self.end - self.start).days, 1)

    @property
    def to_month(self) -> float:
        """The factor that turns the window's figures into a month's."""
        return DAYS_PER_MONTH / self.window_days

    def totals(self) -> dict[Key, Tokens]:
        """Each deployment key's tokens over the whole window."""
        found: dict[Key, list[Tokens]] = defaultdict(list)
        for day in self.days:
            found[day.key].append(day.tokens)
        return {key: total(tokens) for key, tokens in found.items()}

    def first_day(self) -> dict[Key, date]:
        """The first day in the window each key served a request."""
        found: dict[Key, date] = {}
        for day in sorted(self.days, key=lambda d: d.day):
            found.setdefault(day.key, day.day)
        return found

    def describe(self) -> str:
        return f"{self.source}, {self.start.isoformat()} to {self.end.isoformat()} ({self.window_days} days)"
