"""Find one model under every gateway's spelling of its id: a pure function of ids, no fetch.

`anthropic/claude-haiku-4.5` (OpenRouter), `anthropic/claude-haiku-4-5` (Requesty),
`Claude-Haiku-4.5` (Poe), `claude-haiku-4-5-20251001` (Anthropic), `z-ai/glm5` (NVIDIA),
`accounts/fireworks/models/kimi-k2p5` (Fireworks) and `gpt-oss:120b` (Ollama) are each the same
model as the bare id a user writes. Two ids are the same model when they are equal after dropping
the vendor or routing prefix, case, separators (`-` `.` `_` `:` or none), `p` as a decimal point,
a dated snapshot suffix and a few known variant suffixes; any other difference (`-lite`, `-mini`,
`20b` for `120b`) is another model. Ties are broken by named rules, never silently.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..core.catalog import Skip

# How close a match is, best first: the tier a candidate reached is the rule that took it.
SAME_ID, SAME_NAME, SAME_SPELLING, SNAPSHOT, SUFFIX = range(5)
TIER_RULES = {
    SAME_ID: "same id",
    SAME_NAME: "same name under another prefix",
    SAME_SPELLING: "same name, other spelling (case, separators, p for a point)",
    SNAPSHOT: "a dated snapshot of the same model",
    SUFFIX: "the same model with a naming suffix",
}
# Suffixes that name the same weights: instruction-tuned is how open models are published, and
# Poe tags the bots another host serves (`cerebras/gpt-oss-120b-cs`, `fireworks-ai/kimi-k2.5-fw`).
NAMING_SUFFIXES = ("instruct", "it", "cs", "fw")
# A provider's free variant joins the group beside the paid one; other `:` variants (`x:thinking`,
# `x:online`, `x:batch`) serve the same weights another way: shown, never taken.
FREE = "free"
DATE = re.compile(r"[-_.@]?(20[2-3]\d)-?([01]\d)-?([0-3]\d)$")
SIZE_TAG = re.compile(r"^\d+(?:\.\d+)?[bmt]$")  # Ollama's `gpt-oss:120b`
P_AS_POINT = re.compile(r"(?<=\d)p(?=\d)")
TOKENS = re.compile(r"[a-z]+|\d+")
CLOSE_LIMIT = 6


@dataclass(frozen=True)
class Name:
    """An id taken apart: vendor prefix, the name's tokens, a snapshot date, a `:` variant, a size tag."""

    raw: str
    vendor: str  # the normalised first segment of the prefix, '' without one
    name: str  # the id after its last `/`, lower case
    tokens: tuple[str, ...]
    date: str | None = None
    variant: str | None = None  # `free`, `thinking`, ...
    size: tuple[str, ...] = ()  # an Ollama size tag's tokens, kept apart so a lone size can be dropped


@lru_cache(maxsize=65536)
def parse(model_id: str) -> Name:
    """Take an id apart the way every gateway's spelling can be compared."""
    text = model_id.strip().lower().lstrip("~")
    prefix, _, name = text.rpartition("/")
    variant, size = None, ()
    if ":" in name:
        name, _, tag = name.rpartition(":")
        if SIZE_TAG.match(tag):
            size = tuple(TOKENS.findall(tag))
        else:
            variant = tag
    if name.endswith("-free"):
        name, variant = name.removesuffix("-free"), FREE
    date = None
    found = DATE.search(name)
    if found and found.start() > 0:
        date, name = "".join(found.groups()), name[: found.start()]
    tokens = tuple(TOKENS.findall(P_AS_POINT.sub(".", name)))
    vendor = re.sub(r"[^a-z0-9]", "", prefix.split("/")[0]) if prefix else ""
    return Name(model_id, vendor, name, tokens, date, variant, size)


def tier(query: Name, candidate: Name, lone_size: bool = False) -> int | None:
    """How closely `candidate` is the model `query` names (a tier above), or None: another model.

    The `:` variant is judged by the caller; `lone_size` says the candidate's size tag is the
    only size its provider sells of that name, so it may be dropped.
    """
    if query.date and candidate.date and query.date != candidate.date:
        return None  # two snapshots of a model are two models
    found = _same_tokens(query, candidate, lone_size)
    if found is None:
        return None
    if found == SUFFIX:
        return SUFFIX
    if query.date != candidate.date:
        return SNAPSHOT
    if query.name == candidate.name and not candidate.size and not query.size:
        return SAME_ID if query.raw.lower() == candidate.raw.lower() else SAME_NAME
    return SAME_SPELLING


def _same_tokens(query: Name, candidate: Name, lone_size: bool) -> int | None:
    """SAME_SPELLING when the tokens agree, SUFFIX when only a naming suffix or lone size differs."""
    mine, theirs = query.tokens + query.size, candidate.tokens + candidate.size
    if mine == theirs:
        return SAME_SPELLING
    if lone_size and candidate.size and not query.size and query.tokens == candidate.tokens:
        return SUFFIX
    if _strip_suffix(mine) == _strip_suffix(theirs):
        return SUFFIX
    return None


def _strip_suffix(tokens: tuple[str, ...]) -> tuple[str, ...]:
    return tokens[:-1] if tokens and tokens[-1] in NAMING_SUFFIXES else tokens


@dataclass(frozen=True)
class Match:
    """What one provider's catalog holds of the model: the id taken, and what was weighed."""

    chosen: str | None
    rule: str = ""  # how the chosen id matched
    free: tuple[str, ...] = ()  # free variants that join the group beside it
    tied: tuple[str, ...] = ()  # ids that matched exactly as well as the chosen one
    tie_rule: str = ""  # the rule that chose among them
    rejected: tuple[Skip, ...] = ()

    @property
    def members(self) -> tuple[str, ...]:
        return (self.chosen, *self.free) if self.chosen else ()

    @property
    def ambiguous(self) -> bool:
        return bool(self.tied)


def match(query: str, ids: Iterable[str], vendors: frozenset[str] = frozenset(), explain: bool = True) -> Match:
    """The id of `ids` that is the model `query` names, its free variants, and the near misses.

    `vendors` are the vendor prefixes other gateways use for this model: among equal matches,
    one whose vendor agrees with them wins. Without `explain`, near misses are not described
    (what a render needs; `list --everywhere` shows them).
    """
    wanted = parse(query)
    near = _by_first_part(tuple(dict.fromkeys(ids))).get(wanted.tokens[0] if wanted.tokens else "", ())
    names = tuple(parse(model_id) for model_id in near)
    sizes = _sizes(names)
    scored: list[tuple[int, Name]] = []
    rejected: list[Skip] = []
    for name in names:
        found = tier(wanted, name, lone_size=sizes.get(name.tokens, 0) == 1)
        if found is None:
            reason = _why_not(wanted, name, sizes) if explain else None
            if reason:
                rejected.append(Skip(name.raw, reason))
        elif name.variant not in (None, FREE) and name.variant != wanted.variant:
            rejected.append(Skip(name.raw, f"the :{name.variant} variant, served differently"))
        else:
            scored.append((found, name))
    paid = [(t, n) for t, n in scored if n.variant != FREE or wanted.variant == FREE]
    pool = paid or scored
    if not pool:
        return Match(None, rejected=_closest(wanted, rejected) if explain else ())
    best = min(t for t, _ in pool)
    equal = [n for t, n in pool if t == best]
    chosen, tie_rule = _break_tie(wanted, equal, vendors)
    free = tuple(sorted(n.raw for t, n in scored if n.variant == FREE and n is not chosen)) if paid else ()
    rejected += [Skip(n.raw, _worse(t)) for t, n in pool if t != best and n.variant != FREE] if explain else []
    return Match(
        chosen.raw,
        TIER_RULES[best],
        free,
        tuple(sorted(n.raw for n in equal if n is not chosen)),
        tie_rule,
        _closest(wanted, rejected) if explain else (),
    )


def match_everywhere(query: str, catalogs: Mapping[str, Iterable[str]], explain: bool = True) -> dict[str, Match]:
    """Each provider's match; ties are broken by the vendor prefix the clear matches agree on."""
    ids = {provider: list(found) for provider, found in catalogs.items()}
    first = {provider: match(query, found, explain=explain) for provider, found in ids.items()}
    vendors = frozenset(
        parse(m.chosen).vendor for m in first.values() if m.chosen and not m.ambiguous and parse(m.chosen).vendor
    )
    return {
        provider: match(query, ids[provider], vendors, explain) if found.ambiguous else found
        for provider, found in sorted(first.items())
    }


@lru_cache(maxsize=256)
def _by_first_part(ids: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """A catalog's ids by the first part of their name: a match, or a near miss, shares it.

    Only that part is read here, so a render parses just the ids near the models it looks for.
    """
    index: dict[str, list[str]] = {}
    for model_id in ids:
        found = TOKENS.search(model_id.lower().rpartition("/")[2])
        index.setdefault(found.group() if found else "", []).append(model_id)
    return {first: tuple(found) for first, found in index.items()}


def _sizes(names: tuple[Name, ...]) -> dict[tuple[str, ...], int]:
    """How many size tags each name has in one catalog: `gpt-oss:120b` and `gpt-oss:20b` are two."""
    counts: dict[tuple[str, ...], int] = {}
    for name in names:
        if name.size:
            counts[name.tokens] = counts.get(name.tokens, 0) + 1
    return counts


def _break_tie(wanted: Name, equal: list[Name], vendors: frozenset[str]) -> tuple[Name, str]:
    """One of several equal matches, and the rule that chose it ('' when there was no tie)."""
    if len(equal) == 1:
        return equal[0], ""
    rules = (
        ("the vendor prefix written in overrides.yaml", lambda n: _agrees(n.vendor, {wanted.vendor})),
        ("the vendor prefix other gateways use", lambda n: _agrees(n.vendor, vendors)),
        ("the newest snapshot", lambda n: n.date == max((c.date or "" for c in equal), default="")),
    )
    pool = equal
    for rule, keep in rules:
        kept = [n for n in pool if keep(n)]
        if kept and len(kept) < len(pool):
            pool = kept
            if len(pool) == 1:
                return pool[0], rule
    pool.sort(key=lambda n: (len(n.raw), n.raw))
    return pool[0], "the shortest id, then the first in alphabetical order"


def _agrees(vendor: str, others: Iterable[str]) -> bool:
    """`zai-org` agrees with `z-ai` and `zai`; `meta-llama` with `meta`; `tee` with none of them."""
    return bool(vendor) and any(o and (vendor.startswith(o) or o.startswith(vendor)) for o in others)


def _worse(found: int) -> str:
    return f"matches only as {TIER_RULES[found]}; a closer id was taken"


def _why_not(wanted: Name, name: Name, sizes: dict[tuple[str, ...], int]) -> str | None:
    """Why a near miss is another model; None when it is not near at all."""
    mine, theirs = wanted.tokens, name.tokens
    if mine == theirs and wanted.date and name.date:
        return f"another snapshot ({name.date}, not {wanted.date})"
    if mine == theirs and name.size and sizes.get(theirs, 0) > 1:
        return f"one of {sizes[theirs]} sizes of {name.name}: name the size"
    shared = len(set(mine) & set(theirs))
    if shared < max(1, len(mine) - 1) or difflib.SequenceMatcher(None, mine, theirs).ratio() < 0.6:
        return None
    return "another model: " + _difference(mine, theirs)


def _difference(mine: tuple[str, ...], theirs: tuple[str, ...]) -> str:
    """How one id's parts differ from the wanted one's: `adds lite`, `20 for 120`, `lacks instruct`."""
    said = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, mine, theirs, autojunk=False).get_opcodes():
        ours, other = "-".join(mine[a1:a2]), "-".join(theirs[b1:b2])
        if op == "insert":
            said.append(f"adds {other}")
        elif op == "delete":
            said.append(f"lacks {ours}")
        elif op == "replace":
            said.append(f"{other} for {ours}")
    return ", ".join(said) or "its parts in another order"


def _closest(wanted: Name, rejected: list[Skip]) -> tuple[Skip, ...]:
    """The near misses most worth showing: closest spelling first."""
    key = "-".join(wanted.tokens)

    def distance(item: Skip) -> tuple[float, str]:
        return -difflib.SequenceMatcher(None, key, "-".join(parse(item.id).tokens)).ratio(), item.id

    return tuple(sorted(rejected, key=distance)[:CLOSE_LIMIT])
